"""What the office does in a workspace: import tables, record leave, draft and publish weeks.

Each operation opens the workspace (`open_workspace`), maps its rows to the domain's records and
calls the application layer for everything else. Every change is one database transaction, under
the campaign's lock (a row lock on PostgreSQL, the write lock on SQLite), so two offices
publishing one week at once run one after the other. The files of a published week are built
beside `published/<week>/` and swapped in inside that transaction; `repair` (run on every open)
rewrites from the database any week whose files do not match its latest published version, so a
`kill -9` at any moment leaves the workspace as it was or as it would have become.
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model

from application import (
    OutputRequest,
    Solved,
    SolveRequest,
    check_roster,
    own_history,
    read_tables,
    solve_roster,
)
from application.outputs import now, write_exports, write_tables
from application.solving import within_campaign
from exports.feedstate import FeedState, new_token
from exports.ical import feed_url
from exports.tables import assignments_csv
from roster.assignments import AssignmentRow, ShortfallRow
from roster.errors import InputError, Problem, Source
from roster.fileio import usual_mode
from roster.i18n import tr
from roster.model import Leave, Plan
from roster.rosterfiles import read_assignments
from solver import PartResult
from workspace import config, edits, notices, plans, preferences
from workspace.models import (
    Assignment,
    AuditEntry,
    Campaign,
    Change,
    Edit,
    FeedStamp,
    FeedToken,
    Gap,
    LeaveEntry,
    Lock,
    TableVersion,
    WeekVersion,
)
from workspace.tables import digest, pack, unpacked

PUBLISHED = "published"
DRAFTS = "drafts"
VERSION_FILE = "version.txt"
STAGING = ".staging-"
OLD = ".old-"


_acting = threading.local()


@contextmanager
def acting(name: str) -> Iterator[None]:
    """Record `name` as the person acting in this thread (a web request, its background job)."""
    before = getattr(_acting, "name", None)
    _acting.name = name
    try:
        yield
    finally:
        _acting.name = before


def who() -> str:
    """The person acting: the web's signed-in person, else ROSTER_USER, else the login name."""
    if name := getattr(_acting, "name", None):
        return str(name)
    try:
        return os.environ.get("ROSTER_USER") or getpass.getuser()
    except (KeyError, OSError):  # no user name on this system
        return "?"


def _now() -> datetime:
    return now().astimezone(UTC)


def _refuse(message: str, source: str, expected: str = "") -> InputError:
    return InputError([Problem(message, Source(source), expected=expected)])


# Opening -------------------------------------------------------------------------------------


def open_workspace(folder: Path) -> Path:
    """Migrate an older schema, repair half-written files (Django configured for `folder`)."""
    config.require(folder)
    config.configure(folder)
    config.migrate()
    repair(folder)
    return folder


def init(
    folder: Path,
    tables: Path,
    history: tuple[Path, ...] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> Imported:
    """A new workspace in `folder` from `tables`, earlier weeks' rosters taken as published."""
    if config.is_workspace(folder):
        raise _refuse(
            tr("this folder is already a workspace"),
            str(folder),
            tr("another folder, or work in this one: roster import TABLES"),
        )
    plan = read_tables(tables)  # a table that does not read creates nothing
    earlier: dict[Path, tuple[AssignmentRow, ...]] = {}
    left_out: list[Problem] = []
    for path in history:  # another campaign's people and units are left out, and it says so
        earlier[path], warnings = own_history(plan, (path,))
        left_out += warnings
    folder.mkdir(parents=True, exist_ok=True)
    config.configure(folder)
    config.secret_key(folder)
    progress(tr("creating the database"))
    config.migrate()
    with _locked(create=plan):
        imported = _import(tables, plan)
        for path, rows in earlier.items():
            _take_history(path, rows)
        _audit("init", str(tables))
    (folder / config.MARKER).write_text(
        tr("a roster workspace; see roster --help") + "\n", encoding="utf-8"
    )
    for path in earlier:
        progress(tr("taken as published: {file}", file=path))
    for problem in left_out:
        progress(tr("{severity}: {problem}", severity=problem.severity.label, problem=problem))
    for monday in _published_weeks():
        _write_published(folder, monday)
    return imported


def _take_history(path: Path, rows: tuple[AssignmentRow, ...]) -> None:
    """An earlier week's assignments.csv, published as it stands (one version per week)."""
    by_week: dict[date, list[AssignmentRow]] = defaultdict(list)
    for row in rows:
        by_week[_monday(row.date)].append(row)
    table = TableVersion.objects.order_by("-number").first()
    assert table is not None
    for monday, week in sorted(by_week.items()):
        if WeekVersion.objects.filter(monday=monday).exists():
            raise _refuse(
                tr("this week is given twice: {week}", week=monday),
                str(path),
                tr("one assignments.csv per week"),
            )
        version = WeekVersion.objects.create(
            monday=monday,
            number=1,
            table=table,
            made_by=who(),
            made_at=_now(),
            seats=len(week),
            summary=tr("taken from {file}", file=path.name),
        )
        _save_rows(version, tuple(week), ())


# Tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What a new table version changed against the previous one."""

    number: int
    same: bool  # the very same bytes as the current version
    duties_added: int
    duties_removed: int
    units_added: tuple[str, ...]
    units_gone: tuple[str, ...]
    volunteers_added: tuple[str, ...]
    volunteers_gone: tuple[str, ...]
    edits_kept: int = 0  # units and volunteers edited one by one, still applied
    edits_dropped: int = 0  # edits the new tables no longer fit (a volunteer gone, say)


def import_tables(tables: Path) -> Imported:
    """A new version of the tables; nothing changes when they do not read (InputError)."""
    plan = read_tables(tables)
    with _locked():
        imported = _import(tables, plan)
        _audit("import", f"{tables} → {imported.number}")
    return imported


def import_difference(tables: Path) -> Imported | None:
    """What importing `tables` would change, written nowhere (None: the workspace has no tables
    yet). The edits made one by one are laid on the new tables as the import would keep them."""
    if not TableVersion.objects.exists():
        return None
    new = read_tables(tables)
    with suppress(InputError):  # some edits no longer fit: the import drops them, and says so
        new = edits.apply(new, _edits())
    return _difference(0, current_plan(), new)


def _import(tables: Path, plan: Plan) -> Imported:
    name, data = pack(tables)
    sha = digest(data)
    before = TableVersion.objects.order_by("-number").first()
    old = current_plan() if before else None
    if before is not None and before.sha256 == sha:
        return Imported(before.number, True, 0, 0, (), (), (), ())
    number = (before.number if before else 0) + 1
    TableVersion.objects.create(
        number=number,
        file_name=name,
        content=data,
        sha256=sha,
        imported_by=who(),
        imported_at=_now(),
        units=len(plan.units),
        volunteers=len(plan.volunteers),
        duties=len(plan.duties),
    )
    kept, dropped = _keep_edits(plan)
    LeaveEntry.objects.filter(origin=LeaveEntry.TABLE).delete()
    LeaveEntry.objects.bulk_create(
        LeaveEntry(
            volunteer_id=x.volunteer_id,
            start=x.start,
            end=x.end,
            reason=x.reason,
            origin=LeaveEntry.TABLE,
            added_by=who(),
            added_at=_now(),
        )
        for x in plan.leave
    )
    _PLANS.clear()
    new = current_plan()  # with the edits kept; read once here, kept ready for what follows
    return replace(_difference(number, old, new), edits_kept=kept, edits_dropped=dropped)


def _difference(number: int, old: Plan | None, new: Plan) -> Imported:
    def duties(plan: Plan | None) -> set[tuple[object, ...]]:
        return {
            (d.kind, d.area, d.units, d.start, d.end, d.season, d.min_people, d.max_people)
            for d in (plan.duties if plan else ())
        }

    def names(plan: Plan | None, units: bool) -> dict[str, str]:
        if plan is None:
            return {}
        if units:
            return {u.name: u.name for u in plan.units}
        return {v.id: f"{v.name}（{v.id}）" for v in plan.volunteers}

    old_u, new_u = names(old, True), names(new, True)
    old_v, new_v = names(old, False), names(new, False)
    return Imported(
        number,
        False,
        len(duties(new) - duties(old)),
        len(duties(old) - duties(new)),
        tuple(new_u[k] for k in sorted(new_u.keys() - old_u.keys())),
        tuple(old_u[k] for k in sorted(old_u.keys() - new_u.keys())),
        tuple(new_v[k] for k in sorted(new_v.keys() - old_v.keys())),
        tuple(old_v[k] for k in sorted(old_v.keys() - new_v.keys())),
    )


_PLANS: dict[tuple[str, str, str], Plan] = {}  # (table, leave, edits) -> plan, per process


def current_plan() -> Plan:
    """The current table's plan, with the workspace's leave in place of the table's."""
    table = TableVersion.objects.order_by("-number").first()
    if table is None:
        raise _refuse(tr("the workspace has no tables"), "roster import", "roster import TABLES")
    leave = [
        Leave(x.volunteer_id, x.start, x.end, x.reason) for x in LeaveEntry.objects.order_by("id")
    ]
    changes = _edits()
    key = (table.sha256, repr(leave), repr(changes))
    if key not in _PLANS:
        _PLANS.clear()
        _PLANS[key] = plans.cached(key, lambda: _read_plan(table, leave, changes))
    return _PLANS[key]


def _read_plan(
    table: TableVersion, leave: list[Leave], changes: list[tuple[str, str, str, dict[str, str]]]
) -> Plan:
    with unpacked(table.file_name, bytes(table.content)) as path:
        plan = edits.apply(read_tables(path), changes)
    known = {v.id for v in plan.volunteers}
    return replace(plan, leave=tuple(x for x in leave if x.volunteer_id in known))


def _edits() -> list[tuple[str, str, str, dict[str, str]]]:
    return [(e.kind, e.action, e.key, dict(e.values)) for e in Edit.objects.order_by("id")]


def edit(kind: str, action: str, key: str, values: dict[str, str]) -> Plan:
    """Add, change or remove one unit or volunteer; refused (InputError) as the table would be."""
    if action == edits.SET and not values:
        raise _refuse(
            tr("nothing to change"),
            f"roster {kind} {action}",
            tr("at least one option, e.g. --phone"),
        )
    plan = edits.apply(current_plan(), [(kind, action, key, values)])
    with _locked():
        Edit.objects.create(
            kind=kind, action=action, key=key, values=values, made_by=who(), made_at=_now()
        )
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        _audit(f"{kind} {action}", f"{key} {shown}".strip())
    return plan


def _keep_edits(plan: Plan) -> tuple[int, int]:
    """After an import: the edits that still fit the new tables are kept, the others dropped."""
    kept = dropped = 0
    for entry in Edit.objects.order_by("id"):
        try:
            plan = edits.apply(plan, [(entry.kind, entry.action, entry.key, dict(entry.values))])
            kept += 1
        except InputError:
            entry.delete()
            dropped += 1
    return kept, dropped


# Leave ---------------------------------------------------------------------------------------


def add_leave(volunteer_id: str, first: date, last: date, reason: str = "") -> LeaveEntry:
    """Record leave; the next draft of every week it touches takes it into account."""
    plan = current_plan()
    if volunteer_id not in {v.id for v in plan.volunteers}:
        raise InputError(
            [
                Problem(
                    tr("no such volunteer"),
                    Source("roster leave add"),
                    "ID",
                    volunteer_id,
                    tr("an id (编号) from the volunteers table"),
                )
            ]
        )
    if last < first:
        raise InputError(
            [
                Problem(
                    tr("the leave ends before it starts"),
                    Source("roster leave add"),
                    "TO",
                    str(last),
                    tr("a date on or after {first}", first=first),
                )
            ]
        )
    with _locked():
        entry = LeaveEntry.objects.create(
            volunteer_id=volunteer_id,
            start=first,
            end=last,
            reason=reason,
            origin=LeaveEntry.OFFICE,
            added_by=who(),
            added_at=_now(),
        )
        _audit("leave add", f"{entry.id}: {volunteer_id} {first}–{last} {reason}".strip())
    return entry


def list_leave(day: date | None = None) -> list[tuple[LeaveEntry, str]]:
    """Leave entries with the volunteer's name, those touching the week of `day` if given."""
    names = {v.id: v.name for v in current_plan().volunteers}
    entries = LeaveEntry.objects.order_by("start", "volunteer_id", "id")
    if day is not None:
        monday = _monday(day)
        entries = entries.filter(start__lte=monday + timedelta(days=6), end__gte=monday)
    return [(x, names.get(x.volunteer_id, "")) for x in entries]


def remove_leave(number: int) -> LeaveEntry:
    with _locked():
        entry = LeaveEntry.objects.filter(id=number).first()
        if entry is None:
            raise InputError(
                [
                    Problem(
                        tr("no such leave entry"),
                        Source("roster leave remove"),
                        "N",
                        str(number),
                        tr("a number from roster leave list"),
                    )
                ]
            )
        entry.delete()
        _audit("leave remove", f"{number}: {entry.volunteer_id} {entry.start}–{entry.end}")
    return entry


# Weeks ---------------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(day: date, plan: Plan) -> tuple[date, date]:
    """The campaign's days of the week of `day`; a week outside the campaign is refused."""
    monday = _monday(day)
    s = plan.settings
    within_campaign(plan, monday, monday + timedelta(days=6))
    return max(monday, s.start), min(monday + timedelta(days=6), s.end)


def _rows(version: WeekVersion | None) -> tuple[AssignmentRow, ...]:
    if version is None:
        return ()
    return tuple(
        assignment_row(r)
        for r in version.rows.order_by("date", "start", "area", "volunteer_id", "id")
    )


def assignment_row(r: Assignment) -> AssignmentRow:
    """A stored assignment as the domain's row."""
    return AssignmentRow(
        date=r.date,
        start=r.start,
        area=r.area,
        volunteer_id=r.volunteer_id,
        end=r.end,
        duty=r.duty,
        unit=r.unit,
        volunteer_name=r.volunteer_name,
        leader=r.leader,
    )


def _gaps(version: WeekVersion) -> tuple[ShortfallRow, ...]:
    return tuple(
        ShortfallRow(
            date=g.date,
            start=g.start,
            area=g.area,
            duty=g.duty,
            end=g.end,
            unit=g.unit,
            needed=g.needed,
            assigned=g.assigned,
            reason=g.reason,
        )
        for g in version.gaps.order_by("date", "start", "area", "id")
    )


def _insert(
    model: type[Model], columns: tuple[str, ...], rows: Iterable[tuple[object, ...]]
) -> None:
    """Rows straight into `model`'s table: a city week's 5,000 assignments in a tenth of the time
    the ORM's bulk_create takes building a model instance for each. Dates go as ISO text, which
    both SQLite and PostgreSQL read as dates."""
    ops = connection.ops
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    values = [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in rows]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


def _save_rows(
    version: WeekVersion, rows: tuple[AssignmentRow, ...], gaps: tuple[ShortfallRow, ...]
) -> None:
    v = version.pk
    columns = ("version_id", "date", "start", "end", "duty", "area", "unit")
    _insert(
        Assignment,
        (*columns, "volunteer_id", "volunteer_name", "leader"),
        (
            (
                v,
                r.date,
                r.start,
                r.end,
                r.duty,
                r.area,
                r.unit,
                r.volunteer_id,
                r.volunteer_name,
                r.leader,
            )
            for r in rows
        ),
    )
    _insert(
        Gap,
        (*columns, "needed", "assigned", "reason"),
        (
            (v, g.date, g.start, g.end, g.duty, g.area, g.unit, g.needed, g.assigned, g.reason)
            for g in gaps
        ),
    )


def latest(monday: date) -> WeekVersion | None:
    """The latest published version of the week of `monday`."""
    return (
        WeekVersion.objects.filter(monday=monday, number__gt=WeekVersion.DRAFT)
        .order_by("-number")
        .first()
    )


def history_before(monday: date) -> tuple[AssignmentRow, ...]:
    """Every earlier week's latest published rows: the hours served so far."""
    rows: list[AssignmentRow] = []
    for week in _published_weeks():
        if week < monday:
            rows += _rows(latest(week))
    return tuple(rows)


FEED_WEEKS = 4  # published weeks before and after a week that its calendar feeds also show


def neighbours(monday: date) -> tuple[AssignmentRow, ...]:
    """The latest published rows of the weeks around `monday`, for its feeds: a subscribed
    calendar shows the past month and what is already published ahead, and a week's files stay
    the same size all campaign long (with every earlier week, they grew with each week)."""
    window = timedelta(weeks=FEED_WEEKS)
    rows: list[AssignmentRow] = []
    for week in _published_weeks():
        if week != monday and abs(week - monday) <= window:
            rows += _rows(latest(week))
    return tuple(rows)


def _published_weeks() -> list[date]:
    return sorted(
        WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT)
        .values_list("monday", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class PersonChange:
    """One person's duties added and removed by a new version of a week."""

    volunteer_id: str
    name: str
    unit: str
    phone: str
    added: tuple[AssignmentRow, ...]
    removed: tuple[AssignmentRow, ...]


def differences(
    plan: Plan, before: tuple[AssignmentRow, ...], after: tuple[AssignmentRow, ...]
) -> list[PersonChange]:
    """Per person, in unit then id order, the duties of `after` not in `before` and back."""

    def key(r: AssignmentRow) -> tuple[object, ...]:
        return (r.date, r.start, r.end, r.duty, r.area, r.leader)

    old: dict[str, dict[tuple[object, ...], AssignmentRow]] = defaultdict(dict)
    new: dict[str, dict[tuple[object, ...], AssignmentRow]] = defaultdict(dict)
    for r in before:
        old[r.volunteer_id][key(r)] = r
    for r in after:
        new[r.volunteer_id][key(r)] = r
    people = {v.id: v for v in plan.volunteers}
    changes = []
    for vid in old.keys() | new.keys():
        added = tuple(new[vid][k] for k in sorted(new[vid].keys() - old[vid].keys()))
        removed = tuple(old[vid][k] for k in sorted(old[vid].keys() - new[vid].keys()))
        if not (added or removed):
            continue
        person = people.get(vid)
        row = (added or removed)[0]
        changes.append(
            PersonChange(
                vid,
                person.name if person else row.volunteer_name,
                person.unit if person else row.unit,
                person.phone if person else "",
                added,
                removed,
            )
        )
    return sorted(changes, key=lambda c: (c.unit, c.volunteer_id))


@dataclass(frozen=True)
class Drafted:
    solved: Solved
    first: date
    last: date
    published: int  # the version the draft was planned against (0: never published)
    changes: list[PersonChange]
    folder: Path  # the draft's files
    locks_kept: int = 0
    locks_dropped: int = 0  # locks the rules no longer allow (leave since, say): removed


def plan_week(
    folder: Path,
    day: date,
    *,
    seed: int = 0,
    time_limit: float = 10.0,
    progress: Callable[[PartResult], None] | None = None,
    started: Callable[[list[str]], None] | None = None,
) -> Drafted:
    """Draft the week of `day`: earlier published weeks as history and, when the week was
    published before, the fewest changes against its latest version."""
    plan = current_plan()
    first, last = week_of(day, plan)
    monday = _monday(day)
    before = latest(monday)
    previous = _rows(before)
    locks = list(Lock.objects.filter(monday=monday))
    request = SolveRequest(
        plan,
        first,
        last,
        previous=previous,
        history=preferences.preferred_history(history_before(monday), monday),
        locked=tuple(_locked_row(x) for x in locks),
        seed=seed,
        time_limit=time_limit,
    )
    solved = solve_roster(request, progress=progress, started=started)
    seats = {(r.slot_key, r.volunteer_id) for r in solved.rows}
    dropped = [x.pk for x in locks if (_locked_row(x).slot_key, x.volunteer_id) not in seats]
    table = TableVersion.objects.order_by("-number").first()
    assert table is not None
    with _locked():
        WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).delete()
        draft = WeekVersion.objects.create(
            monday=monday,
            number=WeekVersion.DRAFT,
            table=table,
            made_by=who(),
            made_at=_now(),
            seats=len(solved.rows),
            complete=solved.complete,
        )
        _save_rows(draft, solved.rows, solved.gaps)
        Lock.objects.filter(pk__in=dropped).delete()
        target = folder / DRAFTS / monday.isoformat()
        _swap(target, lambda staging: _write_tables(plan, solved.rows, solved.gaps, staging))
        _audit("plan", f"{monday}: {len(solved.rows)}, {len(solved.gaps)}")
    changes = differences(plan, previous, solved.rows) if before else []
    return Drafted(
        solved,
        first,
        last,
        before.number if before else 0,
        changes,
        target,
        len(locks) - len(dropped),
        len(dropped),
    )


def _locked_row(lock: Lock) -> AssignmentRow:
    return AssignmentRow(
        date=lock.date,
        start=lock.start,
        area=lock.area,
        volunteer_id=lock.volunteer_id,
        end=lock.end,
        duty=lock.duty,
        unit=lock.unit,
    )


def _write_tables(
    plan: Plan, rows: tuple[AssignmentRow, ...], gaps: tuple[ShortfallRow, ...], out: Path
) -> None:
    s = plan.settings
    write_tables(OutputRequest(plan, rows, gaps, s.start, s.end, out, out))


@dataclass(frozen=True)
class Published:
    number: int
    first: date
    last: date
    rows: int
    gaps: int
    edited: bool  # the draft's assignments.csv was edited by hand
    changes: list[Change]
    folder: Path
    same: bool = False  # the draft was the latest published version: nothing published


def target_of(folder: Path, monday: date) -> Path:
    return folder / PUBLISHED / monday.isoformat()


def publish_week(
    folder: Path, day: date, progress: Callable[[str], None] = lambda _: None
) -> Published:
    """Publish the week's draft: check it, record whom to tell, write the week's files."""
    plan = current_plan()
    first, last = week_of(day, plan)
    monday = _monday(day)
    with _locked():
        draft = WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).first()
        if draft is None:
            raise _refuse(
                tr("the week of {monday} has no draft to publish", monday=monday),
                "--week",
                tr("draft it first: roster plan --week {monday}", monday=monday),
            )
        rows, edited = _draft_rows(folder, monday, draft)
        problems = check_roster(plan, rows, first, last, "assignments.csv")
        if problems:
            raise InputError(problems)
        before = latest(monday)
        if before is not None and sorted(rows) == sorted(_rows(before)):
            # The same roster again: no new version, and the last publish's list of whom to
            # tell stays the one `roster changes` shows.
            draft.delete()
            shutil.rmtree(folder / DRAFTS / monday.isoformat(), ignore_errors=True)
            _audit("publish", f"{monday}: {before.number} (unchanged)")
            return Published(
                before.number,
                first,
                last,
                len(rows),
                0,
                edited,
                [],
                target_of(folder, monday),
                same=True,
            )
        number = (before.number if before else 0) + 1
        draft.number = number
        draft.made_by, draft.made_at = who(), _now()
        draft.save()
        if edited:
            draft.rows.all().delete()
            _save_rows(draft, rows, ())
        changes = _record_changes(plan, draft, _rows(before), rows)
        target = target_of(folder, monday)
        gaps = _gaps(draft)
        _swap(target, lambda staging: _write_week(plan, draft, rows, gaps, staging, progress))
        shutil.rmtree(folder / DRAFTS / monday.isoformat(), ignore_errors=True)
        _audit("publish", f"{monday}: {number}")
    return Published(number, first, last, len(rows), len(gaps), edited, changes, target)


def _draft_rows(
    folder: Path, monday: date, draft: WeekVersion
) -> tuple[tuple[AssignmentRow, ...], bool]:
    """The draft's rows: the database's, or its assignments.csv if someone edited that file."""
    stored = _rows(draft)
    path = folder / DRAFTS / monday.isoformat() / "assignments.csv"
    if not path.is_file():
        return stored, False
    if path.read_bytes() == assignments_csv(stored).encode("utf-8-sig"):
        return stored, False  # as written by plan (reading it back costs a city a second)
    edited = read_assignments(path)
    plain = tuple(sorted(replace(r, line=0) for r in edited))
    if plain == tuple(sorted(stored)):
        return stored, False
    return edited, True


def _record_changes(
    plan: Plan,
    version: WeekVersion,
    before: tuple[AssignmentRow, ...],
    after: tuple[AssignmentRow, ...],
) -> list[Change]:
    changes = [
        Change(
            version=version,
            volunteer_id=c.volunteer_id,
            volunteer_name=c.name,
            unit=c.unit,
            phone=c.phone,
            added="\n".join(notices.duty(r) for r in c.added),
            removed="\n".join(notices.duty(r) for r in c.removed),
            notice=notices.notice(c.name, c.added, c.removed, bool(before)),
        )
        for c in differences(plan, before, after)
    ]
    columns = ("version_id", "volunteer_id", "volunteer_name", "unit", "phone", "added")
    _insert(
        Change,
        (*columns, "removed", "notice"),
        (
            (
                version.pk,
                c.volunteer_id,
                c.volunteer_name,
                c.unit,
                c.phone,
                c.added,
                c.removed,
                c.notice,
            )
            for c in changes
        ),
    )
    return changes


def week_changes(day: date) -> tuple[WeekVersion, list[Change]]:
    """Per person, what the last publish of the week of `day` changed, with the notice."""
    monday = _monday(day)
    version = latest(monday)
    if version is None:
        raise _refuse(
            tr("the week of {monday} has not been published", monday=monday),
            "--week",
            tr("publish it first: roster publish --week {monday}", monday=monday),
        )
    return version, list(version.changes.order_by("unit", "volunteer_id"))


# Files of a published week -------------------------------------------------------------------


def _write_week(
    plan: Plan,
    version: WeekVersion,
    rows: tuple[AssignmentRow, ...],
    gaps: tuple[ShortfallRow, ...],
    out: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    """assignments.csv, shortfalls.csv, feeds.csv, ical/ and excel/ of one published version;
    the feed tokens and event stamps are the workspace's, saved in the same transaction."""
    monday = version.monday
    first, last = max(monday, plan.settings.start), min(monday + timedelta(6), plan.settings.end)
    request = OutputRequest(plan, rows, gaps, first, last, out, out, neighbours(monday))
    write_tables(request)
    with tempfile.TemporaryDirectory(prefix="roster-state-") as tmp:
        state = _feed_state(Path(tmp))
        write_exports(replace(request, state=state, shared=shared_tokens(plan)), progress)
        _save_state(state)
    (out / VERSION_FILE).write_text(f"{version.number}\n", encoding="utf-8")


def _feed_state(folder: Path) -> FeedState:
    state = FeedState(folder, now())
    state.tokens = dict(
        FeedToken.objects.filter(kind=FeedToken.VOLUNTEER).values_list("key", "token")
    )
    stamps = list(FeedStamp.objects.all())
    state.stamps = {s.slot: (s.digest, s.modified) for s in stamps}
    state.sequences = {s.slot: s.sequence for s in stamps if s.sequence}
    return state


def _save_state(state: FeedState) -> None:
    known = dict(FeedToken.objects.filter(kind=FeedToken.VOLUNTEER).values_list("key", "token"))
    at = connection.ops.adapt_datetimefield_value(_now())  # stored as the ORM stores it
    _insert(
        FeedToken,
        ("kind", "key", "token", "rotated_at"),
        (
            (FeedToken.VOLUNTEER, vid, token, at)
            for vid, token in state.tokens.items()
            if vid not in known
        ),
    )
    stamps = {s.slot: s for s in FeedStamp.objects.all()}
    changed = []
    for slot, (digest_, modified) in state.stamps.items():
        old = stamps.get(slot)
        sequence = state.sequences.get(slot, 0)
        if old is None:
            changed.append(
                FeedStamp(slot=slot, digest=digest_, modified=modified, sequence=sequence)
            )
        elif (old.digest, old.modified, old.sequence) != (digest_, modified, sequence):
            old.digest, old.modified, old.sequence = digest_, modified, sequence
            old.save(update_fields=["digest", "modified", "sequence"])
    _insert(
        FeedStamp,
        ("slot", "digest", "modified", "sequence"),
        ((x.slot, x.digest, x.modified, x.sequence) for x in changed),
    )


def shared_tokens(plan: Plan) -> dict[tuple[str, str], str]:
    """The city's, every unit's and every area's feed token, made on first use."""
    wanted = [(FeedToken.CITY, "")]
    wanted += [(FeedToken.UNIT, u.name) for u in plan.units]
    wanted += [(FeedToken.AREA, a) for a in sorted({d.area for d in plan.duties})]
    have = {(t.kind, t.key): t.token for t in FeedToken.objects.exclude(kind=FeedToken.VOLUNTEER)}
    missing = [
        FeedToken(kind=k, key=n, token=new_token(), rotated_at=_now())
        for k, n in wanted
        if (k, n) not in have
    ]
    FeedToken.objects.bulk_create(missing)
    have.update({(t.kind, t.key): t.token for t in missing})
    return {key: have[key] for key in wanted}


def _write_published(folder: Path, monday: date) -> None:
    """(Re)write a week's files from its latest published version."""
    version = latest(monday)
    assert version is not None
    plan = current_plan()
    target = folder / PUBLISHED / monday.isoformat()
    rows, gaps = _rows(version), _gaps(version)
    _swap(target, lambda staging: _write_week(plan, version, rows, gaps, staging))


def export_week(folder: Path, day: date, out: Path) -> Path:
    """A published week's calendar feeds, `ical/`, copied whole to `out/ical/` for a static web
    server; never feeds.csv, the rosters or the workbooks, which name every person."""
    monday = _monday(day)
    week_of(day, current_plan())
    source = folder / PUBLISHED / monday.isoformat()
    if latest(monday) is None or not source.is_dir():
        raise _refuse(
            tr("the week of {monday} has not been published", monday=monday),
            "--week",
            tr("publish it first: roster publish --week {monday}", monday=monday),
        )

    def copy(staging: Path) -> None:
        shutil.copytree(source / "ical", staging / "ical")

    _swap(out, copy)
    return out


def _swap(target: Path, build: Callable[[Path], None]) -> None:
    """Build a folder beside `target`, then put it in `target`'s place with two renames."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING + target.name + "-", dir=target.parent))
    usual_mode(staging, directory=True)
    try:
        build(staging)
        old = target.parent / (OLD + target.name)
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def repair(folder: Path) -> list[date]:
    """Leftovers of an interrupted run removed; weeks whose files are not their latest published
    version rewritten. Checked without the lock, fixed under it (a publish may be running)."""
    if not _stale(folder):
        return []
    with _locked():
        for parent in (folder / PUBLISHED, folder / DRAFTS):
            for path in parent.glob(".*") if parent.is_dir() else ():
                if path.name.startswith((STAGING, OLD)):
                    shutil.rmtree(path, ignore_errors=True)
        weeks = [m for m in _published_weeks() if not _marked(folder, m)]
        for monday in weeks:
            _write_published(folder, monday)
    return weeks


def _marked(folder: Path, monday: date) -> bool:
    """The week's files are those of its latest published version."""
    version = latest(monday)
    path = folder / PUBLISHED / monday.isoformat() / VERSION_FILE
    if version is None:
        return True
    return path.is_file() and path.read_text(encoding="utf-8").strip() == str(version.number)


def _stale(folder: Path) -> bool:
    for parent in (folder / PUBLISHED, folder / DRAFTS):
        if parent.is_dir() and any(p.name.startswith((STAGING, OLD)) for p in parent.iterdir()):
            return True
    return any(not _marked(folder, m) for m in _published_weeks())


# Links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    kind: str
    name: str
    volunteer_id: str
    unit: str
    path: str
    url: str


LINK_COLUMNS = ("kind", "name", "volunteer_id", "unit", "path", "url")


def links() -> list[Link]:
    """Every feed link: the city's, each unit's and area's, each volunteer's."""
    plan = current_plan()
    base = plan.settings.feed_base_url
    out = []
    with _locked():
        shared = shared_tokens(plan)
        people = _volunteer_tokens(plan)

    def link(kind: str, name: str, volunteer_id: str, unit: str, token: str) -> Link:
        path = f"ical/{FeedToken.FOLDERS[kind]}/{token}.ics"
        url = feed_url(base, path.removeprefix("ical/")) if base else ""
        return Link(kind, name, volunteer_id, unit, path, url)

    for (kind, name), token in shared.items():
        unit = name if kind == FeedToken.UNIT else ""
        out.append(link(kind, name or plan.settings.name, "", unit, token))
    for v in sorted(plan.volunteers, key=lambda v: (v.unit, v.id)):
        out.append(link(FeedToken.VOLUNTEER, v.name, v.id, v.unit, people[v.id]))
    return out


def _volunteer_tokens(plan: Plan) -> dict[str, str]:
    have = dict(FeedToken.objects.filter(kind=FeedToken.VOLUNTEER).values_list("key", "token"))
    missing = [
        FeedToken(kind=FeedToken.VOLUNTEER, key=v.id, token=new_token(), rotated_at=_now())
        for v in plan.volunteers
        if v.id not in have
    ]
    FeedToken.objects.bulk_create(missing)
    have.update({t.key: t.token for t in missing})
    return have


def rotate(folder: Path, volunteer_ids: tuple[str, ...]) -> dict[str, str]:
    """New personal links; every published week's files are rewritten with them."""
    plan = current_plan()
    known = {v.id for v in plan.volunteers}
    unknown = [v for v in volunteer_ids if v not in known]
    if unknown:
        raise InputError(
            [
                Problem(
                    tr("no such volunteer"),
                    Source("roster rotate"),
                    "ID",
                    v,
                    tr("an id (编号) from the volunteers table"),
                )
                for v in unknown
            ]
        )
    with _locked():
        before = _volunteer_tokens(plan)
        tokens = {}
        for vid in volunteer_ids:
            token = new_token()
            FeedToken.objects.update_or_create(
                kind=FeedToken.VOLUNTEER,
                key=vid,
                defaults={"token": token, "rotated_at": _now()},
            )
            tokens[vid] = token
        _audit("rotate", ", ".join(volunteer_ids))
        renamed = {before[vid]: new for vid, new in tokens.items()}
        for monday in _published_weeks():
            week = target_of(folder, monday)
            if week.is_dir():
                _swap(week, partial(_renamed, week, tokens=renamed))
    return tokens


def _renamed(week: Path, staging: Path, *, tokens: dict[str, str]) -> None:
    """A published week's files with personal links renamed, nothing else touched: each old
    token's feed moves to its new name (its text names the link when a feed address is set),
    and feeds.csv follows."""
    shutil.copytree(week, staging, dirs_exist_ok=True)
    people = staging / "ical" / "volunteers"
    for old, new in tokens.items():
        path = people / f"{old}.ics"
        if path.is_file():
            (people / f"{new}.ics").write_bytes(
                path.read_bytes().replace(old.encode(), new.encode())
            )
            path.unlink()
    links = staging / "feeds.csv"
    if links.is_file():
        text = links.read_text(encoding="utf-8-sig")
        for old, new in tokens.items():
            text = text.replace(old, new)
        links.write_text(text, encoding="utf-8-sig")


# Locking and audit ---------------------------------------------------------------------------


@contextmanager
def _locked(create: Plan | None = None) -> Iterator[None]:
    """One transaction holding the campaign's lock: the row's on PostgreSQL; on SQLite the
    write lock, taken when the transaction begins (the connection is in IMMEDIATE mode)."""
    with transaction.atomic():
        if create is not None and not Campaign.objects.exists():
            s = create.settings
            Campaign.objects.create(name=s.name, start=s.start, end=s.end, created=_now())
        if connection.vendor != "sqlite":
            Campaign.objects.select_for_update().first()
        yield


def _audit(action: str, detail: str) -> None:
    AuditEntry.objects.create(at=_now(), who=who(), action=action, detail=detail)


def audit() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id"))
