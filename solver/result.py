"""What a solve returns: plain domain objects. "Not every slot could be staffed" is a result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from roster.expand import Slot
from roster.i18n import N_, tr
from roster.model import Volunteer


class Status(Enum):
    OPTIMAL = "optimal"  # every stage proven optimal
    FEASIBLE = "feasible"  # a roster, some stage not proven optimal within the time limit
    # --strict and the demand is not met: proven impossible, or (the demand stage's proof says
    # which) not met within the time limit; no roster, only the conflicts
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"  # no roster found within the time limit

    @property
    def label(self) -> str:
        """The status in the user's language: in English its value, in Chinese what it means."""
        label = _STATUS_LABELS[self]
        return tr(label)


# In English the labels are the values; in Chinese, plain words for what is (not) proven.
_STATUS_LABELS = {
    Status.OPTIMAL: N_("optimal"),
    Status.FEASIBLE: N_("feasible"),
    Status.INFEASIBLE: N_("infeasible"),
    Status.UNKNOWN: N_("unknown"),
}


@dataclass(frozen=True)
class Assignment:
    slot: Slot
    volunteer: Volunteer
    leader: bool  # this person leads the team on this slot


@dataclass(frozen=True)
class Shortfall:
    slot: Slot
    unit: str
    needed: int
    assigned: int
    leader_missing: bool
    reason: str


class Term(StrEnum):
    """The objective's terms; `solver.objective.PRIORITY` orders them. A `StrEnum`, so a stage's
    name still compares equal to its plain string ("fairness")."""

    DEMAND = "demand"
    STABILITY = "stability"
    EXTRAS = "extras"
    FAIRNESS = "fairness"
    SPREAD = "spread"
    CONTINUITY = "continuity"


class Proof(StrEnum):
    """What is known of one stage's value; the values are CP-SAT's status names, which the fast
    path's stages use too."""

    OPTIMAL = "OPTIMAL"  # the value is proven optimal (bound equals value)
    FEASIBLE = "FEASIBLE"  # a value, with a lower bound that may leave a gap
    INFEASIBLE = "INFEASIBLE"  # proven impossible
    UNKNOWN = "UNKNOWN"  # nothing found or proven within the limit


class Method(StrEnum):
    """How a stage's proof was found, where it matters to say (--strict's demand): by counting
    (`solver.refute`), the LP relaxation (`solver.relax`), CP-SAT, or by the normal staged solve
    after CP-SAT ran out of time."""

    COUNTING = "counting"
    RELAXATION = "relaxation"
    CP_SAT = "cp-sat"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Stage:
    """One step of the lexicographic solve of one part; `method` is empty unless recorded."""

    name: Term
    status: Proof
    objective: float
    bound: float
    seconds: float
    method: Method | None = None

    @property
    def gap(self) -> float:
        return self.objective - self.bound


@dataclass(frozen=True)
class VolunteerHours:
    volunteer: Volunteer
    minutes: int  # in this period
    history_minutes: int
    fair_minutes: float  # fair share of history plus this period
    even_minutes: float | None = None  # the share if anyone could lead (None: the fair share)

    @property
    def deviation(self) -> float:
        """Hours above (+) or below (−) the fair share, in minutes, history included."""
        return self.history_minutes + self.minutes - self.fair_minutes


@dataclass(frozen=True)
class PartResult:
    """One independent part (a unit with its areas), solved on its own."""

    unit: str
    status: Status
    stages: tuple[Stage, ...]
    variables: int
    seconds: float
    hours: tuple[VolunteerHours, ...]
    assignments: tuple[Assignment, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    conflicts: tuple[str, ...] = ()  # --strict: why the demand cannot be met
    forced_excess: float = 0.0  # minutes per leader above an even share that leaders' seats force

    @property
    def spread(self) -> float:
        """Range of deviations from the fair share, in minutes (0 when perfectly fair)."""
        if not self.hours:
            return 0.0
        devs = [h.deviation for h in self.hours]
        return max(devs) - min(devs)

    @property
    def max_deviation(self) -> float:
        return max((abs(h.deviation) for h in self.hours), default=0.0)

    @property
    def demand_refuted(self) -> bool:
        """--strict: the demand was proven impossible (not merely unmet within the time limit)."""
        return any(s.name == Term.DEMAND and s.status is Proof.INFEASIBLE for s in self.stages)


@dataclass(frozen=True)
class Result:
    status: Status
    slots: tuple[Slot, ...]
    parts: tuple[PartResult, ...]
    unit_of_area: dict[tuple[str, str], str] = field(default_factory=dict)
    seconds: float = 0.0
    ignored_previous: int = 0  # rows of --previous that match no slot or volunteer now

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        rows = [a for p in self.parts for a in p.assignments]
        return tuple(sorted(rows, key=lambda a: (a.slot, a.volunteer.id)))

    @property
    def shortfalls(self) -> tuple[Shortfall, ...]:
        return tuple(sorted((s for p in self.parts for s in p.shortfalls), key=lambda s: s.slot))

    @property
    def conflicts(self) -> tuple[str, ...]:
        return tuple(c for p in self.parts for c in p.conflicts)

    @property
    def refuted(self) -> bool:
        """--strict: every part whose demand was not met was proven so, none merely ran out of
        time (then `conflicts` says "could not be staffed within the time limit")."""
        return all(p.demand_refuted for p in self.parts if p.status is Status.INFEASIBLE)

    @property
    def needed(self) -> int:
        return sum(s.min_people for s in self.slots)

    @property
    def missing(self) -> int:
        return sum(s.needed - s.assigned for s in self.shortfalls if s.needed > s.assigned)

    @property
    def complete(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE) and not self.shortfalls
