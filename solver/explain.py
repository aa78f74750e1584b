"""Why a slot could not be staffed, in words an office can act on.

"园林事务中心 has 6 volunteers free on 2022-06-15 07:30–08:30, 8 needed; 2 on leave: 孙桂 (病假),
周志军 (事假)": who is away, who cannot do that weekday, who is busy elsewhere or at their cap.
"""

from __future__ import annotations

from collections.abc import Collection

from roster.days import WEEKDAY_NAMES_ZH
from roster.model import Leave
from solver.model import UnitModel
from solver.parts import Part, leave_index, on_leave
from solver.result import Shortfall
from solver.rules import LIMITED, Ledger, Rule

MAX_NAMES = 8


def _names(part: Part, people: list[int], note=None) -> str:
    shown = [
        part.volunteers[v].name + (f" ({note(v)})" if note and note(v) else "") for v in people
    ]
    more = len(shown) - MAX_NAMES
    return "、".join(shown[:MAX_NAMES]) + (f" and {more} more" if more > 0 else "")


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
