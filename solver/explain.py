"""Why a slot could not be staffed, in words an office can act on.

"2022-06-15 07:30–08:30 蔡池路与群英路交叉路口 需 8 人，园林事务中心 只有 6 人有空：孙桂（病假）、
周志军（事假）请假" (in English: "园林事务中心 has only 6 volunteers free on 2022-06-15
07:30–08:30 at 蔡池路与群英路交叉路口, 8 needed; 2 on leave: 孙桂 (病假)、周志军 (事假)"): who is
away, who cannot do that weekday, who is busy at the same time, too far away to travel in time, or
at their cap.

Names are listed with 、 in both languages: Chinese writes a list so (`roster.i18n.join`), and the
English texts have always listed the Chinese names so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence

from roster.days import WEEKDAY_NAMES_ZH
from roster.expand import Slot
from roster.i18n import N_, join, ntr, tr
from roster.model import Leave
from solver import refute
from solver.model import UnitModel
from solver.parts import Part, leave_index, on_leave, overlap, week_start
from solver.result import Shortfall
from solver.rules import LIMITED, Ledger, Rule

MAX_NAMES = 8


def _listed(items: Iterable[str]) -> str:
    return "、".join(items)


def _names(
    part: Part,
    people: Sequence[int],
    limit: int | None = MAX_NAMES,
    note: Callable[[int], str] | None = None,
) -> str:
    """The names, joined with 、, each with its `note` if any; past `limit` (None: no limit),
    "and N more"."""
    shown = []
    for v in people:
        name, why = part.volunteers[v].name, note(v) if note else ""
        shown.append(tr("{name} ({note})", name=name, note=why) if why else name)
    more = len(shown) - limit if limit is not None else 0
    if more <= 0:
        return _listed(shown)
    return tr("{names} and {more} more", names=_listed(shown[:limit]), more=more)


def _clauses(head: str, clauses: Sequence[str]) -> str:
    """A sentence and what explains it: "head; clause; clause" (in Chinese "head：clause；…")."""
    if not clauses:
        return head
    return tr("{head}; {reasons}", head=head, reasons=tr("; ").join(clauses))


class _Roster:
    """A roster seen from the explanations: who holds what, and each person's use of the
    per-person limits of `solver.rules` (overlaps, daily and weekly caps)."""

    def __init__(
        self, part: Part, team: dict[int, list[int]], families: Collection[str] = LIMITED
    ) -> None:
        self.team = team
        self.ledger = Ledger(part, families)
        self.held: dict[int, set[int]] = defaultdict(set)
        for s, members in team.items():
            for v in members:
                self.ledger.take(s, v)
                self.held[v].add(s)
        self.cliques: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        for clique in part.cliques:
            for s in clique:
                self.cliques[s].append(clique)

    def why_not(self, part: Part, s: int, v: int) -> tuple[str, int | None]:
        """Why eligible volunteer v, not on slot s, could not join it: 'busy' (a duty at the same
        time), 'travel' (a duty elsewhere too close in time to travel between) or 'cap', with
        the other duty for 'busy' and 'travel'; ('', None) when nothing kept them off."""
        rule = self.ledger.blocks(s, v)
        if rule is None:
            return "", None
        if rule is not Rule.NO_OVERLAP:
            return "cap", None
        clashes = sorted(
            {t for clique in self.cliques[s] for t in clique if t != s and t in self.held[v]}
        )
        same_time = [t for t in clashes if overlap(part.slots[s], part.slots[t])]
        if same_time:
            return "busy", same_time[0]
        return "travel", clashes[0] if clashes else None


def _who_is_free(
    part: Part, s: int, leave_by_id: dict[str, list[Leave]], roster: _Roster | None
) -> list[str]:
    """Who of the unit could not take slot s, and why: leave, weekdays, other duties, caps."""
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
    out = []
    if away:
        names = _names(part, list(away), note=lambda v: away[v].reason)
        out.append(ntr("{n} on leave: {names}", "{n} on leave: {names}", len(away), names=names))
    if off:
        out.append(
            ntr(
                "{n} cannot do {weekday}: {names}",
                "{n} cannot do {weekday}: {names}",
                len(off),
                weekday=WEEKDAY_NAMES_ZH[weekday],
                names=_names(part, off),
            )
        )
    if roster is not None:
        others = [v for v in part.eligible[s] if v not in roster.team.get(s, [])]
        why = {v: roster.why_not(part, s, v) for v in others}
        busy = [v for v in others if why[v][0] == "busy"]
        travel = [v for v in others if why[v][0] == "travel"]
        capped = [v for v in others if why[v][0] == "cap"]
        if busy:
            out.append(
                ntr(
                    "{n} on overlapping duties: {names}",
                    "{n} on overlapping duties: {names}",
                    len(busy),
                    names=_names(part, busy),
                )
            )
        if travel:

            def elsewhere(v: int) -> str:
                t = why[v][1]
                return "" if t is None else f"{part.slots[t].area} {part.slots[t].window}"

            out.append(
                ntr(
                    "{n} on a duty elsewhere too close in time to travel between: {names}",
                    "{n} on duties elsewhere too close in time to travel between: {names}",
                    len(travel),
                    names=_names(part, travel, note=elsewhere),
                )
            )
        if capped:
            out.append(
                ntr(
                    "{n} at their daily or weekly cap: {names}",
                    "{n} at their daily or weekly cap: {names}",
                    len(capped),
                    names=_names(part, capped),
                )
            )
    return out


def describe_slot(
    part: Part, s: int, leave_by_id: dict[str, list[Leave]], roster: _Roster | None = None
) -> str:
    """A gap: the slot (when, where, how many needed), how many of the unit were free, and why
    the others were not."""
    slot = part.slots[s]
    free = len(part.eligible[s])
    fields = dict(
        unit=part.unit, date=slot.date, window=slot.window, area=slot.area, needed=slot.min_people
    )
    if free < slot.min_people:
        head = ntr(
            "{unit} has only {n} volunteer free on {date} {window} at {area}, {needed} needed",
            "{unit} has only {n} volunteers free on {date} {window} at {area}, {needed} needed",
            free,
            **fields,
        )
    else:
        head = ntr(
            "{unit} has {n} volunteer free on {date} {window} at {area}, {needed} needed",
            "{unit} has {n} volunteers free on {date} {window} at {area}, {needed} needed",
            free,
            **fields,
        )
    return _clauses(head, _who_is_free(part, s, leave_by_id, roster))


def _leader_text(part: Part, s: int) -> str:
    leaders = [v for v, vol in enumerate(part.volunteers) if vol.leader]
    if not leaders:
        return tr("{unit} has no leader (带队) at all", unit=part.unit)
    free = [v for v in leaders if v in part.eligible[s]]
    away = [v for v in leaders if v not in free]
    if away:
        return tr(
            "a leader (带队) is required: {free} of {leaders} leaders free, not free: {names}",
            free=len(free),
            leaders=len(leaders),
            names=_names(part, away),
        )
    return tr(
        "a leader (带队) is required: {free} of {leaders} leaders free",
        free=len(free),
        leaders=len(leaders),
    )


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
            Shortfall(
                slot, part.unit, slot.min_people, len(members), no_leader, tr("; ").join(reasons)
            )
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
        out.append(
            tr(
                "{unit}: the caps and overlaps of its volunteers cannot meet the demand",
                unit=part.unit,
            )
        )
    return tuple(out)


def _demand_conflict(part: Part, s: int, leave_by_id: dict[str, list[Leave]]) -> str:
    """A slot that cannot be staffed: its duty, area and need, who of the unit is free, and why
    the others are not."""
    slot = part.slots[s]
    head = tr(
        "{duty} {area} needs {needed} people on {date} {window}; {unit} has {free} volunteers "
        "free on {date} {window}, {needed} needed",
        duty=slot.kind,
        area=slot.area,
        needed=slot.min_people,
        date=slot.date,
        window=slot.window,
        unit=part.unit,
        free=len(part.eligible[s]),
    )
    return _at(slot, _clauses(head, _who_is_free(part, s, leave_by_id, None)))


def _leader_conflict(part: Part, s: int) -> str:
    slot = part.slots[s]
    text = tr(
        "{duty} {area} on {date} {window} needs a leader; {leaders}",
        duty=slot.kind,
        area=slot.area,
        date=slot.date,
        window=slot.window,
        leaders=_leader_text(part, s),
    )
    return _at(slot, text)


def _at(slot: Slot, text: str) -> str:
    """`text` after the table row its slot comes from ("duties.csv, row 3: …"), if any."""
    return tr("{where}: {message}", where=str(slot.source), message=text) if slot.source else text


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
        where = tr("{file}, sheet {sheet},", file=file, sheet=sheet) if sheet else file
        numbers = [str(r) for r in sorted(rows) if r]
        if numbers:
            out.append(
                ntr(
                    "{where} row {rows}",
                    "{where} rows {rows}",
                    len(numbers),
                    where=where,
                    rows=join(numbers),
                )
            )
        else:
            out.append(where)
    return tr(" ({rows})", rows=tr("; ").join(out)) if out else ""


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
        ntr(
            "weekly cap of {hours} h for {names}",
            "weekly caps of {hours} h for {names}",
            len(vs),
            hours=_hours(cap),
            names=_names(part, vs, None),
        )
        for cap, vs in sorted(own.items())
    ]
    if default:
        out.append(
            tr(
                "the weekly cap of {hours} h ({setting} setting) for {names}",
                hours=_hours(part.weekly_cap[default[0]]),
                setting="weekly_cap_hours",
                names=_names(part, default, None),
            )
        )
    return out


def _leave_entries(entries: tuple[Leave, ...]) -> str:
    return tr("; ").join(
        tr("{reason}, {start} to {end}", reason=x.reason, start=x.start, end=x.end)
        if x.reason
        else tr("{start} to {end}", start=x.start, end=x.end)
        for x in entries
    )


def _cap_texts(part: Part, found: refute.Limits) -> list[str]:
    """The caps that cost someone hours: whose weekly cap of how many hours, the daily cap."""
    out = _weekly_caps(part, found.weekly)
    if found.daily:
        out.append(
            tr(
                "the daily cap of {hours} h ({setting} setting) for {names}",
                hours=_hours(part.daily_cap),
                setting="daily_cap_hours",
                names=_names(part, found.daily, None),
            )
        )
    return out


def _absence_texts(part: Part, found: refute.Limits) -> list[str]:
    """The leave (who, reason, dates) and weekdays that cost someone hours."""
    out = []
    if found.leave:
        names = _listed(
            tr("{name} ({note})", name=part.volunteers[v].name, note=_leave_entries(xs))
            for v, xs in found.leave
        )
        out.append(tr("on leave: {names}", names=names))
    off: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for v, days in found.weekdays:
        off[days].append(v)
    out.extend(
        tr(
            "cannot do {weekdays}: {names}",
            weekdays=_listed(WEEKDAY_NAMES_ZH[d] for d in days),
            names=_names(part, vs, None),
        )
        for days, vs in sorted(off.items())
    )
    return out


def _limits_text(
    part: Part, slots: tuple[int, ...], people: Sequence[int], every_absence: bool = False
) -> str:
    """Which caps, leave and weekdays cost whom of `people` in `slots`."""
    found = refute.limits(part, slots, people, every_absence)
    return tr("; ").join([*_cap_texts(part, found), *_absence_texts(part, found)])


def _span(part: Part, x: refute.Shortage) -> str:
    day = part.slots[x.slots[0]].date
    if x.scope is refute.Scope.WEEK:
        return tr("in the week of {monday}", monday=week_start(day))
    return tr("on {day} ({weekday})", day=day, weekday=WEEKDAY_NAMES_ZH[day.weekday()])


def _minutes_shortage(part: Part, x: refute.Shortage) -> str:
    fields = dict(
        unit=part.unit,
        need=_hours(x.need),
        span=_span(part, x),
        rows=_rows(part, x.slots),
        count=len(x.people),
        free=_hours(x.free),
        why=_limits_text(part, x.slots, x.people) or tr("each of them once per slot"),
    )
    if x.leaders:
        return tr(
            "{unit} needs {need} h of leaders' duty (带队) {span}{rows} but its {count} leaders "
            "can give at most {free} h: {why}",
            **fields,
        )
    return tr(
        "{unit} needs {need} h of duty {span}{rows} but its {count} volunteers can give at most "
        "{free} h: {why}",
        **fields,
    )


def _group_shortage(part: Part, x: refute.Shortage) -> str:
    first = part.slots[x.slots[0]]
    fields = dict(
        unit=part.unit,
        need=x.need,
        date=first.date,
        rows=_rows(part, x.slots),
        duties=_listed(
            f"{part.slots[s].kind} {part.slots[s].area} {part.slots[s].window}" for s in x.slots
        ),
        free=x.free,
        count=len(x.people),
    )
    if x.leaders:
        text = tr(
            "{unit} needs {need} leaders at once on {date}{rows}: {duties} overlap or leave too "
            "little time to travel between them, so nobody can hold two, but only {free} of its "
            "{count} leaders are free then",
            **fields,
        )
    else:
        text = tr(
            "{unit} needs {need} people at once on {date}{rows}: {duties} overlap or leave too "
            "little time to travel between them, so nobody can hold two, but only {free} of its "
            "{count} volunteers are free then",
            **fields,
        )
    why = _limits_text(part, x.slots, x.people)
    return tr("{text}: {why}", text=text, why=why) if why else text


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
        text = tr(
            "{text}; only {free} of those free can hold a {hours} h duty within their caps: {caps}",
            text=text,
            free=x.free,
            hours=_hours(part.slots[s].minutes),
            caps=tr("; ").join(_cap_texts(part, refute.limits(part, x.slots, free))),
        )
    return text


def relaxation_conflict(part: Part) -> tuple[str, ...]:
    """--strict, refuted by the LP relaxation: no single count fails, so name the part's rows
    and every cap, leave and weekday that takes hours from someone."""
    slots = tuple(range(len(part.slots)))
    people = tuple(range(len(part.volunteers)))
    fields = dict(
        unit=part.unit,
        first=part.slots[0].date,
        last=part.slots[-1].date,
        rows=_rows(part, slots),
    )
    if any(s.leader_required for s in part.slots):
        text = tr(
            "{unit} cannot staff every seat from {first} to {last}{rows}: not even a fractional "
            "roster meets every rule (the linear relaxation has no solution), so its volunteers' "
            "caps, absences and overlapping duties, with leaders' seats (带队) for leaders only, "
            "leave too little room",
            **fields,
        )
    else:
        text = tr(
            "{unit} cannot staff every seat from {first} to {last}{rows}: not even a fractional "
            "roster meets every rule (the linear relaxation has no solution), so its volunteers' "
            "caps, absences and overlapping duties leave too little room",
            **fields,
        )
    why = _limits_text(part, slots, people, every_absence=True)
    return (tr("{text}: {why}", text=text, why=why) if why else text,)


UNSTAFFED = N_(
    "could not be staffed within the time limit (not proven impossible; a larger --time-limit "
    "may find a roster)"
)


def unstaffed(part: Part, gaps: Iterable[Shortfall]) -> tuple[str, ...]:
    """--strict, when the search ran out of time and the normal solve's best roster still has
    gaps: each gap, said to be unproven."""
    out = []
    for g in gaps:
        slot = g.slot
        short = tr("{assigned} of {needed} people", assigned=g.assigned, needed=g.needed)
        if g.leader_missing:
            short = tr("{short}, no leader", short=short)
        text = tr(
            "{duty} {area} on {date} {window}: {short}; {reason}",
            duty=slot.kind,
            area=slot.area,
            date=slot.date,
            window=slot.window,
            short=short,
            reason=g.reason,
        )
        out.append(tr("{unstaffed}: {gap}", unstaffed=tr(UNSTAFFED), gap=_at(slot, text)))
    if not out:
        text = tr("{unit}: no roster was found at all", unit=part.unit)
        out.append(tr("{unstaffed}: {gap}", unstaffed=tr(UNSTAFFED), gap=text))
    return tuple(out)
