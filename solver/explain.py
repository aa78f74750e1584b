"""Why a slot could not be staffed, in words an office can act on.

"园林事务中心 has 6 volunteers free on 2022-06-15 07:30–08:30, 8 needed; 2 on leave: 孙桂 (病假),
周志军 (事假)": who is away, who cannot do that weekday, who is busy elsewhere or at their cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from roster.days import WEEKDAY_NAMES_ZH
from roster.expand import Slot
from roster.model import Leave
from solver import refute
from solver.model import UnitModel
from solver.parts import Part, leave_index, on_leave, week_start
from solver.result import Shortfall
from solver.rules import LIMITED, Ledger, Rule

MAX_NAMES = 8


def _names(part: Part, people: Sequence[int], limit: int | None = MAX_NAMES, note=None) -> str:
    """The names, joined with 、; past `limit` (None: no limit), "and N more"."""
    shown = [
        part.volunteers[v].name + (f" ({note(v)})" if note and note(v) else "") for v in people
    ]
    if limit is None:
        return "、".join(shown)
    more = len(shown) - limit
    return "、".join(shown[:limit]) + (f" and {more} more" if more > 0 else "")


class _Roster:
    """A roster seen from the explanations: who holds what, and each person's use of the
    per-person limits of `solver.rules` (overlaps, daily and weekly caps)."""

    def __init__(
        self, part: Part, team: dict[int, list[int]], families: Collection[str] = LIMITED
    ) -> None:
        self.team = team
        self.ledger = Ledger(part, families)
        for s, members in team.items():
            for v in members:
                self.ledger.take(s, v)

    def why_not(self, part: Part, s: int, v: int) -> str:
        """Why eligible volunteer v, not on slot s, could not join it: 'busy', 'cap' or ''."""
        rule = self.ledger.blocks(s, v)
        if rule is None:
            return ""
        return "busy" if rule is Rule.NO_OVERLAP else "cap"


def describe_slot(
    part: Part, s: int, leave_by_id: dict[str, list[Leave]], roster: _Roster | None = None
) -> str:
    """Who of the unit could and could not take slot s, and why."""
    slot = part.slots[s]
    away = {
        v: x
        for v, vol in enumerate(part.volunteers)
        if (x := on_leave(leave_by_id, vol, slot.date))
    }
    weekday = slot.date.weekday()
    off = [
        v for v, vol in enumerate(part.volunteers) if weekday in vol.unavailable and v not in away
    ]
    free = part.eligible[s]
    text = (
        f"{part.unit} has {len(free)} volunteers free on {slot.date} {slot.window}, "
        f"{slot.min_people} needed"
    )
    if away:
        text += f"; {len(away)} on leave: {_names(part, list(away), note=lambda v: away[v].reason)}"
    if off:
        text += f"; {len(off)} cannot do {WEEKDAY_NAMES_ZH[weekday]}: {_names(part, off)}"
    if roster is not None:
        others = [v for v in free if v not in roster.team.get(s, [])]
        why = {v: roster.why_not(part, s, v) for v in others}
        busy = [v for v in others if why[v] == "busy"]
        capped = [v for v in others if why[v] == "cap"]
        if busy:
            text += f"; {len(busy)} on overlapping duties: {_names(part, busy)}"
        if capped:
            text += f"; {len(capped)} at their daily or weekly cap: {_names(part, capped)}"
    return text


def _leader_text(part: Part, s: int) -> str:
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    if not leaders:
        return f"{part.unit} has no leader (带队) at all"
    free = [v for v in leaders if v in part.eligible[s]]
    away = [v for v in leaders if v not in free]
    text = f"a leader (带队) is required: {len(free)} of {len(leaders)} leaders free"
    if away:
        text += f", not free: {_names(part, away)}"
    return text


def shortfalls(
    part: Part, team: dict[int, list[int]], families: Collection[str] = LIMITED
) -> tuple[Shortfall, ...]:
    """Every slot of the roster below its minimum or without its required leader, with why:
    among the reasons, who the per-person limits of `families` kept off it."""
    out = []
    leave_by_id, roster = leave_index(part.leave), _Roster(part, team, families)
    for s, slot in enumerate(part.slots):
        members = team.get(s, [])
        short = len(members) < slot.min_people
        no_leader = slot.leader_required and not any(part.volunteers[v].leader for v in members)
        if not (short or no_leader):
            continue
        reasons = []
        if short:
            reasons.append(describe_slot(part, s, leave_by_id, roster))
        if no_leader:
            reasons.append(_leader_text(part, s))
        out.append(
            Shortfall(slot, part.unit, slot.min_people, len(members), no_leader, "; ".join(reasons))
        )
    return tuple(out)


def conflicts(m: UnitModel, core: set[int]) -> tuple[str, ...]:
    """--strict: the requirements (table rows) that cannot all hold together, in plain words."""
    part = m.part
    leave_by_id = leave_index(part.leave)
    out = [
        _demand_conflict(part, s, leave_by_id)
        for s, literal in m.demand_met.items()
        if literal.index in core
    ]
    out.extend(_leader_conflict(part, s) for s, lit in m.leader_met.items() if lit.index in core)
    if not out:
        out.append(f"{part.unit}: the caps and overlaps of its volunteers cannot meet the demand")
    return tuple(out)


def _demand_conflict(part: Part, s: int, leave_by_id: dict[str, list[Leave]]) -> str:
    slot = part.slots[s]
    return (
        f"{_at(slot)}{slot.kind} {slot.area} needs {slot.min_people} people on "
        f"{slot.date} {slot.window}; {describe_slot(part, s, leave_by_id)}"
    )


def _leader_conflict(part: Part, s: int) -> str:
    slot = part.slots[s]
    return (
        f"{_at(slot)}{slot.kind} {slot.area} on {slot.date} {slot.window} needs a leader; "
        f"{_leader_text(part, s)}"
    )


def _at(slot: Slot) -> str:
    """The table row a slot comes from, as a prefix ("duties.csv, row 3: ")."""
    return f"{slot.source}: " if slot.source else ""


def _rows(part: Part, slots: Iterable[int]) -> str:
    """The table rows of `slots`, bracketed: " (duties.csv rows 3, 4, 9)" (per file and sheet);
    empty when the slots come from no table."""
    sources = {part.slots[s].source for s in slots} - {None}
    by_table: dict[tuple[str, str], list[int]] = defaultdict(list)
    for x in sources:
        assert x is not None
        by_table[(x.file, x.sheet or "")].append(x.row or 0)
    out = []
    for (file, sheet), rows in sorted(by_table.items()):
        where = f"{file}, sheet {sheet}," if sheet else file
        numbers = [str(r) for r in sorted(rows) if r]
        plural = "s" if len(numbers) > 1 else ""
        out.append(f"{where} row{plural} {', '.join(numbers)}" if numbers else where)
    return f" ({'; '.join(out)})" if out else ""


def _hours(minutes: float) -> str:
    return f"{round(minutes / 60, 2):g}"


def _weekly_caps(part: Part, people: tuple[int, ...]) -> list[str]:
    """ "weekly caps of 1 h for 甲、乙", per cap; the settings' default cap said as such."""
    own: dict[int, list[int]] = defaultdict(list)
    default: list[int] = []
    for v in people:
        if part.volunteers[v].weekly_cap_hours is None:
            default.append(v)
        else:
            own[part.weekly_cap[v]].append(v)
    out = [
        f"weekly cap{'s' if len(vs) > 1 else ''} of {_hours(cap)} h for {_names(part, vs, None)}"
        for cap, vs in sorted(own.items())
    ]
    if default:
        cap = _hours(part.weekly_cap[default[0]])
        names = _names(part, default, None)
        out.append(f"the weekly cap of {cap} h (weekly_cap_hours setting) for {names}")
    return out


def _leave_entries(entries: tuple[Leave, ...]) -> str:
    return "; ".join(
        (f"{x.reason}, " if x.reason else "") + f"{x.start} to {x.end}" for x in entries
    )


def _cap_texts(part: Part, found: refute.Limits) -> list[str]:
    """The caps that cost someone hours: whose weekly cap of how many hours, the daily cap."""
    out = _weekly_caps(part, found.weekly)
    if found.daily:
        out.append(
            f"the daily cap of {_hours(part.daily_cap)} h (daily_cap_hours setting) for "
            f"{_names(part, found.daily, None)}"
        )
    return out


def _absence_texts(part: Part, found: refute.Limits) -> list[str]:
    """The leave (who, reason, dates) and weekdays that cost someone hours."""
    out = []
    if found.leave:
        names = "、".join(
            f"{part.volunteers[v].name} ({_leave_entries(xs)})" for v, xs in found.leave
        )
        out.append(f"on leave: {names}")
    off: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for v, days in found.weekdays:
        off[days].append(v)
    out.extend(
        f"cannot do {'、'.join(WEEKDAY_NAMES_ZH[d] for d in days)}: {_names(part, vs, None)}"
        for days, vs in sorted(off.items())
    )
    return out


def _limits_text(
    part: Part, slots: tuple[int, ...], people: Sequence[int], every_absence: bool = False
) -> str:
    """Which caps, leave and weekdays cost whom of `people` in `slots`."""
    found = refute.limits(part, slots, people, every_absence)
    return "; ".join([*_cap_texts(part, found), *_absence_texts(part, found)])


def _span(part: Part, x: refute.Shortage) -> str:
    day = part.slots[x.slots[0]].date
    if x.scope is refute.Scope.WEEK:
        return f"in the week of {week_start(day)}"
    return f"on {day} ({WEEKDAY_NAMES_ZH[day.weekday()]})"


def _minutes_shortage(part: Part, x: refute.Shortage) -> str:
    duty, who = ("leaders' duty (带队)", "leaders") if x.leaders else ("duty", "volunteers")
    why = _limits_text(part, x.slots, x.people) or "each of them once per slot"
    return (
        f"{part.unit} needs {_hours(x.need)} h of {duty} {_span(part, x)}{_rows(part, x.slots)} "
        f"but its {len(x.people)} {who} can give at most {_hours(x.free)} h: {why}"
    )


def _group_shortage(part: Part, x: refute.Shortage) -> str:
    first = part.slots[x.slots[0]]
    duties = "、".join(
        f"{part.slots[s].kind} {part.slots[s].area} {part.slots[s].window}" for s in x.slots
    )
    people = f"{x.need} leaders" if x.leaders else f"{x.need} people"
    who = "leaders" if x.leaders else "volunteers"
    why = _limits_text(part, x.slots, x.people)
    return (
        f"{part.unit} needs {people} at once on {first.date}{_rows(part, x.slots)}: "
        f"{duties} overlap or leave too little time to travel between them, so nobody can hold "
        f"two, but only {x.free} of its {len(x.people)} {who} are free then"
        + (f": {why}" if why else "")
    )


def counting_conflicts(part: Part, found: Iterable[refute.Shortage]) -> tuple[str, ...]:
    """--strict, refuted by counting (`solver.refute`): each count that fails, with the table
    rows of its seats and the caps, leave and weekdays that leave too little."""
    leave_by_id = leave_index(part.leave)
    out = []
    for x in found:
        if x.scope is not refute.Scope.AT_ONCE:
            out.append(_minutes_shortage(part, x))
        elif len(x.slots) > 1:
            out.append(_group_shortage(part, x))
        else:
            out.append(_slot_shortage(part, x, leave_by_id))
    return tuple(out)


def _slot_shortage(part: Part, x: refute.Shortage, leave_by_id: dict[str, list[Leave]]) -> str:
    """One slot short of free people (or leaders), and the caps it does not fit, if any."""
    s = x.slots[0]
    text = _leader_conflict(part, s) if x.leaders else _demand_conflict(part, s, leave_by_id)
    mine = set(x.people)
    free = [v for v in part.eligible[s] if v in mine]
    if x.free < len(free):
        caps = "; ".join(_cap_texts(part, refute.limits(part, x.slots, free)))
        text += (
            f"; only {x.free} of those free can hold a {_hours(part.slots[s].minutes)} h duty "
            f"within their caps: {caps}"
        )
    return text


def relaxation_conflict(part: Part) -> tuple[str, ...]:
    """--strict, refuted by the LP relaxation: no single count fails, so name the part's rows
    and every cap, leave and weekday that takes hours from someone."""
    slots = tuple(range(len(part.slots)))
    people = tuple(range(len(part.volunteers)))
    first, last = part.slots[0].date, part.slots[-1].date
    leaders = (
        ", with leaders' seats (带队) for leaders only,"
        if any(s.leader_required for s in part.slots)
        else ""
    )
    why = _limits_text(part, slots, people, every_absence=True)
    return (
        f"{part.unit} cannot staff every seat from {first} to {last}{_rows(part, slots)}: not "
        "even a fractional roster meets every rule (the linear relaxation has no solution), so "
        f"its volunteers' caps, absences and overlapping duties{leaders} leave too little room"
        + (f": {why}" if why else ""),
    )


UNSTAFFED = (
    "could not be staffed within the time limit (not proven impossible; a larger --time-limit "
    "may find a roster)"
)


def unstaffed(part: Part, gaps: Iterable[Shortfall]) -> tuple[str, ...]:
    """--strict, when the search ran out of time and the normal solve's best roster still has
    gaps: each gap, said to be unproven."""
    out = []
    for g in gaps:
        slot = g.slot
        short = f"{g.assigned} of {g.needed} people" + (", no leader" if g.leader_missing else "")
        out.append(
            f"{UNSTAFFED}: {_at(slot)}{slot.kind} {slot.area} on {slot.date} {slot.window}: "
            f"{short}; {g.reason}"
        )
    return tuple(out) or (f"{UNSTAFFED}: {part.unit}: no roster was found at all",)
