"""The hard rules of a roster, each family defined once, as data over a `Part`.

Every engine reads its rules from here: the CP-SAT model (`solver.constraints`), the min-cost
flow (`solver.flow`), the LP relaxation (`solver.relax`), the explanations (`solver.explain`) and
the roster checker `check`, which the application also calls to refuse a hand-edited roster.

- Eligibility (unit, leave, weekdays) is `parts.may_take`, already applied in `part.eligible`.
- Per-slot families: `demand` (at least the minimum headcount), `max_headcount`, `leader`.
- Per-person families, all one shape: a `Limit` is a group of slots in which each person's
  weighted holdings stay within a capacity. `no_overlap`: each clique of conflicting slots,
  weight 1, capacity 1; `daily_cap`: each day, weight the slot's minutes, capacity the daily cap;
  `weekly_cap`: each ISO week, minutes, each person's weekly cap.

Demand and leader are soft in the normal solve (unmet, they are shortfalls), so `HARD`, the
checker's default, leaves them out; `unfilled` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from roster.days import WEEKDAY_NAMES_ZH
from roster.i18n import tr
from solver.parts import Part, leave_index, on_leave, overlap, week_start


class Rule(StrEnum):
    """The rule families, by the names the tests and `build(families=...)` use."""

    ELIGIBILITY = "eligibility"
    DEMAND = "demand"
    MAX_HEADCOUNT = "max_headcount"
    LEADER = "leader"
    NO_OVERLAP = "no_overlap"
    DAILY_CAP = "daily_cap"
    WEEKLY_CAP = "weekly_cap"


MODELLED: tuple[Rule, ...] = (
    Rule.DEMAND,
    Rule.MAX_HEADCOUNT,
    Rule.LEADER,
    Rule.NO_OVERLAP,
    Rule.DAILY_CAP,
    Rule.WEEKLY_CAP,
)
"""The families an engine adds as constraints, in the order CP-SAT receives them (the order steers
its search, so it is part of the roster's identity). Eligibility is built in: variables exist only
for eligible pairs."""

LIMITED: tuple[Rule, ...] = (Rule.NO_OVERLAP, Rule.DAILY_CAP, Rule.WEEKLY_CAP)
"""The per-person families, each a set of `Limit`s."""

HARD: tuple[Rule, ...] = (
    Rule.ELIGIBILITY,
    Rule.MAX_HEADCOUNT,
    Rule.NO_OVERLAP,
    Rule.DAILY_CAP,
    Rule.WEEKLY_CAP,
)
"""The families no roster may break, whatever its shortfalls: the checker's default."""

ALL: tuple[Rule, ...] = (Rule.ELIGIBILITY, *MODELLED)


@dataclass(frozen=True)
class Limit:
    """In `slots`, each person's sum of `weights` (aligned with `slots`) is at most their cap.

    `caps` is one capacity for everyone, or one per volunteer of the part.
    """

    rule: Rule
    slots: tuple[int, ...]
    weights: tuple[int, ...]
    caps: int | tuple[int, ...]

    def cap(self, v: int) -> int:
        return self.caps if isinstance(self.caps, int) else self.caps[v]

    @property
    def in_minutes(self) -> bool:
        """Weights are slot minutes (caps), not counts (overlaps): engines may rescale them."""
        return self.rule is not Rule.NO_OVERLAP


def limits(part: Part, families: Collection[str] = LIMITED) -> Iterator[Limit]:
    """Every per-person limit of the given families, family by family in `LIMITED` order."""
    minutes = [slot.minutes for slot in part.slots]
    if Rule.NO_OVERLAP in families:
        for clique in part.cliques:
            yield Limit(Rule.NO_OVERLAP, clique, (1,) * len(clique), 1)
    for rule, groups, caps in (
        (Rule.DAILY_CAP, part.days, part.daily_cap),
        (Rule.WEEKLY_CAP, part.weeks, part.weekly_cap),
    ):
        if rule in families:
            for group in groups:
                yield Limit(rule, group, tuple(minutes[s] for s in group), caps)


def terms(part: Part, limit: Limit) -> dict[int, list[tuple[int, int]]]:
    """Per eligible person, their (slot, weight) terms of `limit`: slot, then eligibility order."""
    out: dict[int, list[tuple[int, int]]] = {}
    for s, weight in zip(limit.slots, limit.weights, strict=True):
        for v in part.eligible[s]:
            out.setdefault(v, []).append((s, weight))
    return out


def binding(part: Part, limit: Limit) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """The (person, terms) of `limit` that eligibility alone does not already satisfy: only these
    need a constraint."""
    for v, pairs in terms(part, limit).items():
        if sum(w for _, w in pairs) > limit.cap(v):
            yield v, pairs


@dataclass(frozen=True)
class Headcount:
    """Of `people` on `slot`, at least `least` and at most `most` (None: no upper bound)."""

    rule: Rule
    slot: int
    people: tuple[int, ...]
    least: int
    most: int | None = None


def headcounts(part: Part, rule: Rule) -> Iterator[Headcount]:
    """The per-slot bounds of one family (demand, max_headcount or leader), in slot order.

    A maximum that eligibility already meets (no more eligible people than the maximum) is left
    out; every slot's demand is there, and a leader bound for each slot that requires one.
    """
    for s, slot in enumerate(part.slots):
        if rule is Rule.DEMAND:
            yield Headcount(rule, s, part.eligible[s], slot.min_people)
        elif rule is Rule.MAX_HEADCOUNT and len(part.eligible[s]) > slot.max_people:
            yield Headcount(rule, s, part.eligible[s], 0, slot.max_people)
        elif rule is Rule.LEADER and slot.leader_required:
            leaders = tuple(v for v in part.eligible[s] if part.volunteers[v].leader)
            yield Headcount(rule, s, leaders, 1)


class Ledger:
    """Each person's running usage of every limit group, for engines that build a roster one pair
    at a time (the flow's greedy part) or read one (the explanations)."""

    def __init__(self, part: Part, families: Collection[str] = LIMITED) -> None:
        self.limits = list(limits(part, families))
        n = len(part.volunteers)
        # Per limit, usage and cap per volunteer as lists: the flow asks hundreds of thousands of
        # times per city solve, so lookups are list indexing, not method calls or tuple keys.
        self.used: list[list[int]] = [[0] * n for _ in self.limits]
        caps = [[x.caps] * n if isinstance(x.caps, int) else list(x.caps) for x in self.limits]
        self.of_slot: list[list[tuple[Rule, int, list[int], list[int]]]] = [[] for _ in part.slots]
        for i, limit in enumerate(self.limits):
            for s, weight in zip(limit.slots, limit.weights, strict=True):
                self.of_slot[s].append((limit.rule, weight, self.used[i], caps[i]))

    def take(self, s: int, v: int) -> None:
        """Volunteer v now holds slot s."""
        for _, weight, used, _ in self.of_slot[s]:
            used[v] += weight

    def blocks(self, s: int, v: int, families: Collection[str] = LIMITED) -> Rule | None:
        """The first family (in `LIMITED` order) whose limit v would exceed by taking slot s."""
        for rule, weight, used, caps in self.of_slot[s]:
            if used[v] + weight > caps[v] and rule in families:
                return rule
        return None

    def fits(self, s: int, v: int, families: Collection[str] = LIMITED) -> bool:
        """Whether v may take slot s on top of what they hold, by every limit of `families`."""
        return self.blocks(s, v, families) is None

    def fitter(self, s: int, families: Collection[str] = LIMITED) -> Callable[[int], bool]:
        """`fits(s, v, families)` for one slot and many people: its limits looked up once."""
        entries = [(w, used, caps) for rule, w, used, caps in self.of_slot[s] if rule in families]
        if len(entries) == 1:  # the common case, kept to one comparison
            w, used, caps = entries[0]
            return lambda v: used[v] + w <= caps[v]

        def fits(v: int) -> bool:
            return all(used[v] + w <= caps[v] for w, used, caps in entries)

        return fits

    def roomer(self, s: int, rule: Rule) -> Callable[[int], int | None]:
        """`room(s, v, rule)` for one slot and many people: its limits looked up once."""
        entries = [(used, caps) for r, _, used, caps in self.of_slot[s] if r is rule]
        if not entries:
            return lambda v: None
        if len(entries) == 1:
            used, caps = entries[0]
            return lambda v: caps[v] - used[v]
        return lambda v: min(caps[v] - used[v] for used, caps in entries)

    def room(self, s: int, v: int, rule: Rule) -> int | None:
        """What v has left of the tightest `rule` limit over slot s; None when none applies."""
        left = [caps[v] - used[v] for r, _, used, caps in self.of_slot[s] if r is rule]
        return min(left) if left else None


@dataclass(frozen=True)
class Violation:
    """One broken rule of a roster: which family, on which slot, by whom, in plain words.

    `slot` and `volunteer` index `part.slots` and `part.volunteers`; either is None when the rule
    is not about one (a slot over its maximum has no single culprit).
    """

    rule: Rule
    slot: int | None
    volunteer: int | None
    text: str


def check(
    part: Part, chosen: Iterable[tuple[int, int]], families: Collection[Rule] = HARD
) -> list[Violation]:
    """Every rule of `families` that the roster `chosen` breaks; empty when it is valid.

    `chosen` holds (slot index, volunteer index) pairs into `part.slots` and `part.volunteers`;
    duplicates count once. By default the hard families (`HARD`); add `Rule.DEMAND` and
    `Rule.LEADER` to also list unfilled seats and missing leaders. Ordered by slot, then family.
    Raises ValueError for an index outside the part.
    """
    pairs = sorted(set(chosen))
    for s, v in pairs:
        if not (0 <= s < len(part.slots) and 0 <= v < len(part.volunteers)):
            raise ValueError(f"({s}, {v}) is not a (slot, volunteer) pair of this part")
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in pairs:
        team[s].append(v)
    out: list[Violation] = []
    if Rule.ELIGIBILITY in families:
        out.extend(_ineligible(part, pairs))
    out.extend(_per_slot(part, team, families))
    out.extend(_over_limits(part, pairs, families))
    order = {rule: n for n, rule in enumerate(ALL)}
    return sorted(out, key=lambda x: (x.slot or 0, order[x.rule], x.volunteer or 0))


def unfilled(
    part: Part, chosen: Iterable[tuple[int, int]], families: Collection[str] = MODELLED
) -> int:
    """Missing people plus slots without their required leader (of `families`)."""
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in chosen:
        team[s].append(v)
    missing = 0
    for s, slot in enumerate(part.slots):
        if Rule.DEMAND in families:
            missing += max(0, slot.min_people - len(team[s]))
        if (
            Rule.LEADER in families
            and slot.leader_required
            and not any(part.volunteers[v].leader for v in team[s])
        ):
            missing += 1
    return missing


def _slot_text(part: Part, s: int) -> str:
    slot = part.slots[s]
    return f"{slot.date} {slot.window} {slot.kind} {slot.area}"


def _person(part: Part, v: int) -> str:
    vol = part.volunteers[v]
    return tr("{name} ({note})", name=vol.name, note=vol.id)


def _ineligible(part: Part, pairs: list[tuple[int, int]]) -> Iterator[Violation]:
    leave_by_id = leave_index(part.leave)
    for s, v in pairs:
        if v in part.eligible[s]:
            continue
        slot, vol = part.slots[s], part.volunteers[v]
        away = on_leave(leave_by_id, vol, slot.date)
        who, where = _person(part, v), _slot_text(part, s)
        if away is not None and away.reason:
            text = tr(
                "{person} is on leave ({reason}): {slot}",
                person=who,
                reason=away.reason,
                slot=where,
            )
        elif away is not None:
            text = tr("{person} is on leave: {slot}", person=who, slot=where)
        elif slot.date.weekday() in vol.unavailable:
            day = WEEKDAY_NAMES_ZH[slot.date.weekday()]
            text = tr("{person} cannot do {weekday}: {slot}", person=who, weekday=day, slot=where)
        else:
            text = tr("{person} may not take it: {slot}", person=who, slot=where)
        yield Violation(Rule.ELIGIBILITY, s, v, text)


def _per_slot(
    part: Part, team: dict[int, list[int]], families: Collection[Rule]
) -> Iterator[Violation]:
    for s, slot in enumerate(part.slots):
        members = team.get(s, [])
        where = _slot_text(part, s)
        count = len(members)
        if Rule.MAX_HEADCOUNT in families and count > slot.max_people:
            text = tr(
                "{slot} has {count} people, more than its maximum of {most}",
                slot=where,
                count=count,
                most=slot.max_people,
            )
            yield Violation(Rule.MAX_HEADCOUNT, s, None, text)
        if Rule.DEMAND in families and count < slot.min_people:
            text = tr(
                "{slot} has {count} people, fewer than its minimum of {least}",
                slot=where,
                count=count,
                least=slot.min_people,
            )
            yield Violation(Rule.DEMAND, s, None, text)
        if (
            Rule.LEADER in families
            and slot.leader_required
            and not any(part.volunteers[v].leader for v in members)
        ):
            text = tr("{slot} requires a leader and has none", slot=where)
            yield Violation(Rule.LEADER, s, None, text)


def _over_limits(
    part: Part, pairs: list[tuple[int, int]], families: Collection[Rule]
) -> Iterator[Violation]:
    """Per limit and person, the slot (in the group's order) at which the person goes over."""
    team: dict[int, list[int]] = defaultdict(list)
    for s, v in pairs:
        team[s].append(v)
    seen: set[tuple[Rule, int, int]] = set()  # one pair of slots may share several cliques
    for limit in limits(part, families):
        used: dict[int, int] = {}
        first: dict[int, int] = {}
        over: set[int] = set()  # each person is named once per limit, where they first go over
        for s, weight in zip(limit.slots, limit.weights, strict=True):
            for v in team.get(s, ()):
                if v in over:
                    continue
                first.setdefault(v, s)
                used[v] = used.get(v, 0) + weight
                if used[v] > limit.cap(v):
                    over.add(v)
                    if (limit.rule, s, v) not in seen:
                        seen.add((limit.rule, s, v))
                        text = _limit_text(part, limit, v, s, first[v], used[v])
                        yield Violation(limit.rule, s, v, text)


def _limit_text(part: Part, limit: Limit, v: int, s: int, first: int, used: int) -> str:
    """What the person holds and which limit it breaks: two duties at the same time, or too
    close to travel between their areas; a day's or a week's minutes over the cap."""
    who, where = _person(part, v), _slot_text(part, s)
    if limit.rule is Rule.NO_OVERLAP:
        other = _slot_text(part, first)
        if overlap(part.slots[s], part.slots[first]):
            return tr(
                "{person} holds {slot}, which overlaps {other}", person=who, slot=where, other=other
            )
        return tr(
            "{person} holds {slot}, which leaves too little time to travel from {other}",
            person=who,
            slot=where,
            other=other,
        )
    day, cap = part.slots[s].date, limit.cap(v)
    if limit.rule is Rule.DAILY_CAP:
        return tr(
            "{person} holds {slot}, reaching {used} minutes on {day}, over the daily cap of "
            "{cap} minutes",
            person=who,
            slot=where,
            used=used,
            day=day,
            cap=cap,
        )
    return tr(
        "{person} holds {slot}, reaching {used} minutes in the week of {monday}, over the weekly "
        "cap of {cap} minutes",
        person=who,
        slot=where,
        used=used,
        monday=week_start(day),
        cap=cap,
    )
