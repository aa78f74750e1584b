"""Why a slot could not be staffed, in words an office can act on.

"园林事务中心 has 6 volunteers free on 2022-06-15 07:30–08:30, 8 needed; 2 on leave: 孙桂 (病假),
周志军 (事假)": who is away, who cannot do that weekday, who is busy elsewhere or at their cap.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from roster.days import WEEKDAY_NAMES_ZH
from roster.model import Leave
from solver.model import UnitModel
from solver.parts import Part, leave_index, on_leave, week_start
from solver.result import Shortfall

MAX_NAMES = 8


def _names(part: Part, people: list[int], note=None) -> str:
    shown = [
        part.volunteers[v].name + (f" ({note(v)})" if note and note(v) else "") for v in people
    ]
    more = len(shown) - MAX_NAMES
    return "、".join(shown[:MAX_NAMES]) + (f" and {more} more" if more > 0 else "")


class _Roster:
    """A roster seen from the explanations: who holds what, minutes per day and per week."""

    def __init__(self, part: Part, team: dict[int, list[int]]) -> None:
        self.team = team
        self.day: dict[tuple[int, date], int] = defaultdict(int)
        self.week: dict[tuple[int, date], int] = defaultdict(int)
        self.holding: dict[int, set[int]] = defaultdict(set)
        for s, members in team.items():
            slot = part.slots[s]
            for v in members:
                self.day[(v, slot.date)] += slot.minutes
                self.week[(v, week_start(slot.date))] += slot.minutes
                self.holding[v].add(s)
        self.neighbours: dict[int, set[int]] = defaultdict(set)
        for clique in part.cliques:
            for s in clique:
                self.neighbours[s].update(t for t in clique if t != s)

    def why_not(self, part: Part, s: int, v: int) -> str:
        """Why eligible volunteer v is not on slot s: 'busy', 'cap' or ''."""
        slot = part.slots[s]
        if self.holding[v] & self.neighbours.get(s, set()):
            return "busy"
        if self.day[(v, slot.date)] + slot.minutes > part.daily_cap:
            return "cap"
        if self.week[(v, week_start(slot.date))] + slot.minutes > part.weekly_cap[v]:
            return "cap"
        return ""


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
        text += f"; {len(away)} on leave: {_names(part, list(away), lambda v: away[v].reason)}"
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


def shortfalls(part: Part, team: dict[int, list[int]]) -> tuple[Shortfall, ...]:
    """Every slot of the roster below its minimum or without its required leader, with why."""
    out = []
    leave_by_id, roster = leave_index(part.leave), _Roster(part, team)
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
    out = []
    for s, literal in m.demand_met.items():
        if literal.index in core:
            slot = part.slots[s]
            out.append(
                f"{slot.source}: {slot.kind} {slot.area} needs {slot.min_people} people on "
                f"{slot.date} {slot.window}; {describe_slot(part, s, leave_by_id)}"
            )
    for s, literal in m.leader_met.items():
        if literal.index in core:
            slot = part.slots[s]
            out.append(
                f"{slot.source}: {slot.kind} {slot.area} on {slot.date} {slot.window} needs a "
                f"leader; {_leader_text(part, s)}"
            )
    if not out:
        out.append(f"{part.unit}: the caps and overlaps of its volunteers cannot meet the demand")
    return tuple(out)
