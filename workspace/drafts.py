"""A week as the office fixes it before publishing: the grid of areas and days, who could take a
seat instead of its holder, the replacement itself, and locks that later drafts keep."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from django.db.models import QuerySet

from application.rosters import Candidate, candidates, check_roster
from roster.assignments import AssignmentRow, unprefixed
from roster.errors import InputError, Problem, Source
from roster.i18n import ntr, tr
from roster.model import Plan, hhmm
from workspace import operations as ops
from workspace.models import Assignment, LeaveEntry, Lock, WeekVersion


@dataclass(frozen=True)
class Seat:
    volunteer_id: str
    name: str
    leader: bool
    locked: bool


@dataclass(frozen=True)
class Cell:
    """One slot of an area on a day: its team, and the gap's reason when it is short."""

    key: str
    start: int
    end: int
    duty: str
    seats: tuple[Seat, ...]
    gap: str  # the reason, "" when the slot has its people and its leader
    missing: int

    @property
    def when(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"

    @property
    def short(self) -> str:
        """The gap as the grid shows it: how many are missing, and why."""
        if not self.gap:
            return ""
        head = ntr("{n} missing", "{n} missing", self.missing) if self.missing else tr("no leader")
        return tr("{head}: {reason}", head=head, reason=self.gap)


@dataclass(frozen=True)
class GridRow:
    area: str
    unit: str
    days: tuple[tuple[Cell, ...], ...]  # Monday to Sunday


@dataclass(frozen=True)
class Grid:
    version: WeekVersion
    days: tuple[date, ...]
    rows: tuple[GridRow, ...]
    gaps: int
    locks: int


def week_version(monday: date) -> WeekVersion | None:
    """The week's draft if there is one, else its latest published version."""
    draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
    return draft or ops.latest(monday)


def grid(version: WeekVersion, unit: str = "") -> Grid:
    """Areas down, days across: each slot with its team (leader first) and its gap, if any.

    Built from the version's rows in one pass over each table (a city's week is some thousands
    of rows); `unit` narrows it to one unit's areas.
    """
    rows = version.rows.all()
    gaps = version.gaps.all()
    if unit:
        rows, gaps = rows.filter(unit=unit), gaps.filter(unit=unit)
    locked = set()
    if version.number == WeekVersion.DRAFT:
        locks = Lock.objects.filter(monday=version.monday)
        locked = {(x.date, x.start, x.duty, x.area, x.volunteer_id) for x in locks}
    slots: dict[tuple[str, str], dict[tuple[date, int, str], list[Seat]]] = defaultdict(
        lambda: defaultdict(list)
    )
    ends: dict[tuple[date, int, str, str], int] = {}
    fields = ("date", "start", "end", "duty", "area", "unit", "volunteer_id", "volunteer_name")
    for d, start, end, duty, area, u, vid, name, leader in rows.values_list(*fields, "leader"):
        slots[(area, u)][(d, start, duty)].append(
            Seat(vid, name, leader, (d, start, duty, area, vid) in locked)
        )
        ends[(d, start, duty, area)] = end
    short: dict[tuple[date, int, str, str], tuple[str, int]] = {}
    for d, start, end, duty, area, u, needed, assigned, reason in gaps.values_list(
        "date", "start", "end", "duty", "area", "unit", "needed", "assigned", "reason"
    ):
        slots[(area, u)].setdefault((d, start, duty), [])
        ends.setdefault((d, start, duty, area), end)
        short[(d, start, duty, area)] = (
            unprefixed(reason, d, start, end, area),
            max(needed - assigned, 0),
        )
    days = tuple(version.monday + timedelta(days=n) for n in range(7))
    out = []
    for (area, u), by_slot in sorted(slots.items()):
        per_day: list[list[Cell]] = [[] for _ in days]
        for (d, start, duty), seats in sorted(by_slot.items()):
            reason, missing = short.get((d, start, duty, area), ("", 0))
            per_day[(d - version.monday).days].append(
                Cell(
                    _key(d, start, duty, area),
                    start,
                    ends[(d, start, duty, area)],
                    duty,
                    tuple(sorted(seats, key=lambda s: (not s.leader, s.volunteer_id))),
                    reason,
                    missing,
                )
            )
        out.append(GridRow(area, u, tuple(tuple(c) for c in per_day)))
    return Grid(version, days, tuple(out), len(short), len(locked))


def _key(d: date, start: int, duty: str, area: str) -> str:
    return AssignmentRow(date=d, start=start, area=area, volunteer_id="", end=0, duty=duty).slot_key


def _draft(folder: Path, monday: date) -> tuple[WeekVersion, tuple[AssignmentRow, ...]]:
    """The week's draft and its rows; refused when there is none, or when its assignments.csv
    was edited by hand (a change here would overwrite that edit)."""
    draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
    if draft is None:
        raise _refused(
            tr("the week of {monday} has no draft", monday=monday),
            tr("plan the week first"),
        )
    rows, edited = ops._draft_rows(folder, monday, draft)
    if edited:
        raise _refused(
            tr("the draft's assignments.csv was edited by hand"),
            tr("publish it, or plan the week again, before changing it here"),
        )
    return draft, rows


def _refused(message: str, expected: str) -> InputError:
    return InputError([Problem(message, Source(tr("the week's draft")), expected=expected)])


def _seat(rows: tuple[AssignmentRow, ...], key: str, volunteer_id: str) -> AssignmentRow:
    for r in rows:
        if r.slot_key == key and r.volunteer_id == volunteer_id:
            return r
    raise _refused(
        tr("that person is not on that slot of the draft"),
        tr("a seat of the draft as it stands now (reload the page)"),
    )


def seat_candidates(
    folder: Path, monday: date, key: str, volunteer_id: str
) -> tuple[AssignmentRow, list[Candidate]]:
    """The seat, and who of its unit could take it instead, each with why they cannot."""
    plan = ops.current_plan()
    _, rows = _draft(folder, monday)
    seat = _seat(rows, key, volunteer_id)
    first, last = ops.week_of(monday, plan)
    return seat, candidates(plan, rows, first, last, key, volunteer_id)


def replace_person(
    folder: Path, monday: date, key: str, leaving: str, taking: str
) -> AssignmentRow:
    """Give `leaving`'s seat to `taking`, if the rules allow it; the new seat is locked, so the
    next draft of the week keeps it. The draft's files are written again."""
    plan = ops.current_plan()
    first, last = ops.week_of(monday, plan)
    with ops._locked():
        draft, rows = _draft(folder, monday)
        seat = _seat(rows, key, leaving)
        found = {c.volunteer.id: c for c in candidates(plan, rows, first, last, key, leaving)}
        chosen = found.get(taking)
        if chosen is None or chosen.reasons:
            why = chosen.reasons if chosen else (tr("not a volunteer of {unit}", unit=seat.unit),)
            raise InputError(
                [
                    Problem(reason, Source(tr("the week's draft")), "volunteer_id", taking)
                    for reason in why
                ]
            )
        # The flag says who leads the team: the leaving leader's successor if they can lead,
        # or a leader joining a team that has none (as a new draft would mark them).
        led = any(r.leader for r in rows if r.slot_key == key and r is not seat)
        lead = chosen.volunteer.leader and (seat.leader or not led)
        new = replace(seat, volunteer_id=taking, volunteer_name=chosen.volunteer.name, leader=lead)
        Assignment.objects.filter(
            version=draft,
            date=seat.date,
            start=seat.start,
            duty=seat.duty,
            area=seat.area,
            volunteer_id=leaving,
        ).update(volunteer_id=taking, volunteer_name=chosen.volunteer.name, leader=lead)
        _unlock(monday, seat)
        _lock(monday, new)
        rows = tuple(new if r is seat else r for r in rows)
        _rewrite(folder, plan, draft, rows)
        ops._audit("replace", f"{monday} {key}: {leaving} → {taking}")
    return new


def set_lock(monday: date, key: str, volunteer_id: str, locked: bool) -> None:
    """Lock a seat of the draft (later drafts keep it) or free it."""
    with ops._locked():
        draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
        if draft is None:
            raise _refused(
                tr("the week of {monday} has no draft", monday=monday),
                tr("plan the week first"),
            )
        seat = _seat(ops._rows(draft), key, volunteer_id)
        (_lock if locked else _unlock)(monday, seat)
        ops._audit("lock" if locked else "unlock", f"{monday} {key}: {volunteer_id}")


def _lock(monday: date, row: AssignmentRow) -> None:
    Lock.objects.get_or_create(
        date=row.date,
        start=row.start,
        duty=row.duty,
        area=row.area,
        volunteer_id=row.volunteer_id,
        defaults={
            "monday": monday,
            "end": row.end,
            "unit": row.unit,
            "made_by": ops.who(),
            "made_at": ops._now(),
        },
    )


def _locks_of(monday: date, row: AssignmentRow) -> QuerySet[Lock]:
    """The lock on `row`'s seat, if any."""
    return Lock.objects.filter(
        monday=monday,
        date=row.date,
        start=row.start,
        duty=row.duty,
        area=row.area,
        volunteer_id=row.volunteer_id,
    )


def _unlock(monday: date, row: AssignmentRow) -> None:
    _locks_of(monday, row).delete()


def _rewrite(folder: Path, plan: Plan, draft: WeekVersion, rows: tuple[AssignmentRow, ...]) -> None:
    target = folder / ops.DRAFTS / draft.monday.isoformat()
    gaps = ops._gaps(draft)
    ops._swap(target, lambda staging: ops._write_tables(plan, rows, gaps, staging))


def is_locked(monday: date, row: AssignmentRow) -> bool:
    return _locks_of(monday, row).exists()


def published_last() -> WeekVersion | None:
    """The version published most recently, of any week."""
    return WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).order_by("-made_at").first()


@dataclass(frozen=True)
class Preview:
    """What publishing the draft would do: the problems that stop it, whom it concerns."""

    draft: WeekVersion
    published: int  # the latest published version (0: never)
    rows: int
    gaps: int
    edited: bool  # its assignments.csv was edited by hand
    problems: tuple[Problem, ...]
    changes: tuple[ops.PersonChange, ...]


def publish_preview(folder: Path, monday: date) -> Preview:
    """The draft checked as `publish_week` will check it, and, per person, what it changes
    against the latest published version (everyone on it, for a week's first publish)."""
    plan = ops.current_plan()
    first, last = ops.week_of(monday, plan)
    draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
    if draft is None:
        raise _refused(
            tr("the week of {monday} has no draft", monday=monday), tr("plan the week first")
        )
    rows, edited = ops._draft_rows(folder, monday, draft)
    before = ops.latest(monday)
    return Preview(
        draft,
        before.number if before else 0,
        len(rows),
        draft.gaps.count(),
        edited,
        tuple(check_roster(plan, rows, first, last, "assignments.csv")),
        tuple(ops.differences(plan, ops._rows(before), rows)),
    )


@dataclass(frozen=True)
class WeekOverview:
    """One week as the dashboard shows it: the version people see, its gaps and leave, and
    whom the waiting draft would change."""

    monday: date
    published: WeekVersion | None
    draft: WeekVersion | None
    slots: int  # slots with people, in the version shown (published, else the draft)
    seats: int
    gaps: tuple[tuple[str, str, str, str], ...]  # when, area, unit, reason
    leave: tuple[tuple[str, str, str], ...]  # who, dates, reason
    draft_changes: int  # people the draft would tell, against the published version

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def dashboard_weeks(today: date) -> list[date]:
    """The week of `today` and the next, inside the campaign; a campaign over (or not begun)
    shows the week worked on last (published or drafted) and the one after it."""
    plan = ops.current_plan()
    s = plan.settings
    if s.start <= today <= s.end:
        monday = ops._monday(today)
    else:
        last = published_last() or WeekVersion.objects.order_by("-made_at").first()
        monday = last.monday if last else ops._monday(s.start)
    return [monday, monday + timedelta(days=7)]


def overview(monday: date, unit: str = "") -> WeekOverview:
    """The week of `monday`; `unit` narrows it to one unit (a unit contact's view)."""
    published = ops.latest(monday)
    draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
    shown = published or draft
    rows = shown.rows.all() if shown else None
    gaps = shown.gaps.all() if shown else None
    if unit and rows is not None and gaps is not None:
        rows, gaps = rows.filter(unit=unit), gaps.filter(unit=unit)
    plan = ops.current_plan()
    people = {v.id: v for v in plan.volunteers}
    sunday = monday + timedelta(days=6)
    leave = [
        x
        for x in LeaveEntry.objects.filter(start__lte=sunday, end__gte=monday)
        if x.volunteer_id in people and (not unit or people[x.volunteer_id].unit == unit)
    ]
    changes = 0
    if draft is not None:
        after = ops._rows(draft)
        before = ops._rows(published)
        if unit:
            after = tuple(r for r in after if r.unit == unit)
            before = tuple(r for r in before if r.unit == unit)
        changes = len(ops.differences(plan, before, after))
    return WeekOverview(
        monday,
        published,
        draft,
        rows.values("date", "start", "duty", "area").distinct().count() if rows else 0,
        rows.count() if rows else 0,
        tuple(
            (
                f"{g.date} {hhmm(g.start)}–{hhmm(g.end)}",
                g.area,
                g.unit,
                unprefixed(g.reason, g.date, g.start, g.end, g.area),
            )
            for g in (gaps or ())
        ),
        tuple(
            (
                f"{people[x.volunteer_id].name}（{people[x.volunteer_id].unit}）",
                f"{x.start}–{x.end}",
                x.reason,
            )
            for x in leave
        ),
        changes,
    )
