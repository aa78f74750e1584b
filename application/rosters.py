"""A roster from files: reading assignments.csv, checking it against every rule, exporting it.

An office edits assignments.csv by hand (a swap, a late change). Before such a roster is
published, `check_roster` holds it against the same rule definitions the solver uses
(`solver.rules`), and names each row that breaks one: an unknown volunteer or slot, a volunteer of
another unit, someone on leave or on a weekday they cannot do, overlapping duties, a cap exceeded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from application.outputs import OutputRequest, Written, write_exports, writing
from roster.assignments import AssignmentRow
from roster.errors import InputError, Problem, Severity, Source
from roster.i18n import join, tr
from roster.model import Plan, Volunteer, hhmm
from roster.rosterfiles import read_assignments, read_shortfalls
from solver import Params
from solver.parts import Part
from solver.prepare import make_parts
from solver.rules import Rule, Violation, check


def read_rows(paths: Iterable[Path]) -> tuple[AssignmentRow, ...]:
    """The rows of several assignments.csv files (--history), in the order given."""
    return tuple(row for path in paths for row in read_assignments(path))


def own_history(
    plan: Plan, paths: Iterable[Path]
) -> tuple[tuple[AssignmentRow, ...], tuple[Problem, ...]]:
    """The rows of earlier rosters (--history) that are about this plan's people, and a warning
    per file naming how many rows were left out.

    A roster of another campaign (other units, other people) would otherwise count toward the
    fairness of no one and publish strangers' duties in the unit feeds. A row is kept when its
    volunteer id and its unit are both in the tables."""
    units = {u.name for u in plan.units}
    ids = {v.id for v in plan.volunteers}
    kept: list[AssignmentRow] = []
    warnings: list[Problem] = []
    for path in paths:
        foreign: list[AssignmentRow] = []
        for r in read_assignments(path):
            (kept if r.volunteer_id in ids and r.unit in units else foreign).append(r)
        if foreign:
            strangers = sorted({r.unit for r in foreign if r.unit not in units}) + sorted(
                {r.volunteer_id for r in foreign if r.volunteer_id not in ids}
            )
            warnings.append(
                Problem(
                    tr(
                        "{n} of its rows name units or volunteers these tables do not have "
                        "({names}): left out of the fairness counts and the feeds",
                        n=len(foreign),
                        names=join(strangers[:5] + (["…"] if len(strangers) > 5 else [])),
                    ),
                    Source(str(path)),
                    severity=Severity.WARNING,
                )
            )
    return tuple(kept), tuple(warnings)


def _label(row: AssignmentRow) -> str:
    return f"{row.date} {hhmm(row.start)}–{hhmm(row.end)} {row.duty} {row.area}"


def _expected(rule: Rule) -> str:
    """What a roster keeping `rule` looks like, for the problem that names a broken one."""
    if rule is Rule.ELIGIBILITY:
        return tr("a volunteer free that day: not on leave, not a weekday they cannot do")
    if rule is Rule.MAX_HEADCOUNT:
        return tr("no more people than the slot's maximum headcount (最多人数)")
    if rule is Rule.NO_OVERLAP:
        return tr("one duty at a time, with the travel buffer between two areas")
    if rule is Rule.DAILY_CAP:
        return tr("at most the daily cap of duty hours ({setting})", setting="daily_cap_hours")
    if rule is Rule.WEEKLY_CAP:
        return tr(
            "at most the person's weekly cap (their own, else {setting})",
            setting="weekly_cap_hours",
        )
    return tr("a roster that keeps the rule {rule}", rule=rule.value)


@dataclass
class _Placed:
    """The rows that name a real slot and volunteer, as (slot, volunteer) pairs of their part."""

    part: Part
    rows: dict[tuple[int, int], AssignmentRow]


class _Checker:
    """Places each row on its slot and volunteer, or says why it cannot be placed."""

    def __init__(self, plan: Plan, first: date, last: date, file: str) -> None:
        _, parts, _ = make_parts(plan, first, last, Params(workers=1))
        self.first, self.last, self.file = first, last, file
        self.slot_at = {slot.key: (p, s) for p in parts for s, slot in enumerate(p.slots)}
        self.index = {p.unit: {v.id: i for i, v in enumerate(p.volunteers)} for p in parts}
        self.volunteers = {v.id: v for v in plan.volunteers}
        self.placed: dict[str, _Placed] = {}
        self.problems: list[Problem] = []

    def problem(self, row: AssignmentRow, message: str, column: str, value: str, want: str) -> None:
        self.problems.append(
            Problem(message, Source(self.file, row.line or None), column, value, want)
        )

    def place(self, row: AssignmentRow) -> None:
        volunteer = self.volunteers.get(row.volunteer_id)
        where = self.slot_at.get(row.slot_key)
        if volunteer is None:
            self.problem(
                row,
                tr("no such volunteer"),
                "volunteer_id",
                row.volunteer_id,
                tr("an id (编号) from the volunteers table"),
            )
        elif not self.first <= row.date <= self.last:
            self.problem(
                row,
                tr("outside the period exported"),
                "date",
                row.date.isoformat(),
                tr(
                    "a date from {first} to {last} (or --from and --to that include it)",
                    first=self.first,
                    last=self.last,
                ),
            )
        elif where is None or where[0].slots[where[1]].end != row.end:
            self.problem(
                row,
                tr("no such slot in the table"),
                "date",
                _label(row),
                tr(
                    "a duty window of the responsibility table between {first} and {last}; check "
                    "{columns} and {column} against `roster slots`",
                    first=self.first,
                    last=self.last,
                    columns=join(["date", "start", "end", "duty"]),
                    column="area",
                ),
            )
        elif volunteer.unit != where[0].unit:
            self.problem(
                row,
                tr(
                    "{name} is a volunteer of another unit ({unit})",
                    name=volunteer.name,
                    unit=volunteer.unit,
                ),
                "volunteer_id",
                row.volunteer_id,
                tr(
                    "a volunteer of {unit}, the unit responsible for {area}",
                    unit=where[0].unit,
                    area=row.area,
                ),
            )
        else:
            self._keep(row, where[0], where[1])

    def _keep(self, row: AssignmentRow, part: Part, s: int) -> None:
        volunteer = self.volunteers[row.volunteer_id]
        if row.leader and not volunteer.leader:
            self.problem(
                row,
                tr("{name} is not a leader (带队)", name=volunteer.name),
                "leader",
                "1",
                tr("{column} 1 only for a volunteer whose 带队 is 是", column="leader"),
            )
        key = (s, self.index[part.unit][volunteer.id])
        pairs = self.placed.setdefault(part.unit, _Placed(part, {})).rows
        if key in pairs:
            self.problem(
                row,
                tr("{name} is on this slot twice", name=volunteer.name),
                "volunteer_id",
                row.volunteer_id,
                tr("one row per person per slot (row {row} already has it)", row=pairs[key].line),
            )
        else:
            pairs[key] = row


def check_roster(
    plan: Plan, rows: Iterable[AssignmentRow], first: date, last: date, file: str
) -> list[Problem]:
    """Every problem of a roster from `first` to `last`, each naming the row of `file`.

    Gaps (a slot below its minimum, no leader) are not problems here: they are the roster's
    shortfalls. Problems are returned in row order.
    """
    checker = _Checker(plan, first, last, file)
    for row in rows:
        checker.place(row)
    problems = checker.problems
    for group in checker.placed.values():
        problems += [
            _problem(group, violation, file) for violation in check(group.part, group.rows)
        ]
    return sorted(problems, key=lambda p: (p.source.row or 0) if p.source else 0)


def _problem(group: _Placed, violation: Violation, file: str) -> Problem:
    """A rule broken, named at the row of its slot and person (or the first row it concerns)."""
    rows = group.rows
    if violation.slot is not None and violation.volunteer is not None:
        row = rows.get((violation.slot, violation.volunteer))
    else:
        row = None
    if row is None:
        row = min(
            (
                r
                for (s, v), r in rows.items()
                if violation.slot in (None, s) and violation.volunteer in (None, v)
            ),
            key=lambda r: r.line,
        )
    return Problem(
        violation.text,
        Source(file, row.line or None),
        "volunteer_id",
        row.volunteer_id,
        _expected(violation.rule),
    )


@dataclass(frozen=True)
class Candidate:
    """A volunteer of the slot's unit, and why they cannot take the seat (nothing: they can)."""

    volunteer: Volunteer
    reasons: tuple[str, ...]
    minutes: int  # their duty minutes in the roster as it stands, this seat aside


def candidates(
    plan: Plan,
    rows: Iterable[AssignmentRow],
    first: date,
    last: date,
    slot_key: str,
    leaving: str,
) -> list[Candidate]:
    """Who could take `leaving`'s seat on the slot `slot_key`, by the very rules `check_roster`
    holds a roster to: each other volunteer of the unit, with the rules the swap would break.

    The roster stays as it is but for the one seat, so a reason is about that person only (on
    leave, another duty then, a cap); a leader's seat goes to a leader. Those who can come first,
    the least busy first. Raises KeyError for a slot the period does not have.
    """
    checker = _Checker(plan, first, last, "")
    part, s = checker.slot_at[slot_key]
    index = checker.index[part.unit]
    keys = {slot.key: n for n, slot in enumerate(part.slots)}
    pairs = {
        (keys[r.slot_key], index[r.volunteer_id])
        for r in rows
        if r.slot_key in keys and r.volunteer_id in index
    }
    out = index.get(leaving)
    seat = (s, out) if out is not None else None
    # The team's leader's seat, on a slot that needs one (带队), goes to a leader only.
    leader_seat = part.slots[s].leader_required and any(
        r.leader and r.slot_key == slot_key and r.volunteer_id == leaving for r in rows
    )
    kept = pairs - {seat} if seat else pairs
    on_slot = {v for t, v in kept if t == s}
    loads = part.loads(kept)
    found = []
    for v, volunteer in enumerate(part.volunteers):
        if v in on_slot or v == out:
            continue
        reasons = [x.text for x in check(part, kept | {(s, v)}) if x.volunteer == v]
        if leader_seat and not volunteer.leader:
            reasons.append(
                tr(
                    "the seat is the team leader's, and {name} does not lead (带队)",
                    name=volunteer.name,
                )
            )
        found.append(Candidate(volunteer, tuple(reasons), loads[v]))
    return sorted(found, key=lambda c: (bool(c.reasons), c.minutes, c.volunteer.id))


@dataclass(frozen=True)
class ExportRequest:
    """Publish the roster in `out_dir` (its assignments.csv and shortfalls.csv, if any) again.

    The period defaults to the Monday before the first row to the Sunday after the last, within
    the campaign.
    """

    plan: Plan
    out_dir: Path
    state_dir: Path
    first: date | None = None
    last: date | None = None
    history: tuple[AssignmentRow, ...] = ()


def export_roster(
    request: ExportRequest, progress: Callable[[str], None] = lambda _: None
) -> Written:
    """Check the roster and, when it breaks no rule, rebuild its feeds and workbooks.

    Raises `InputError` naming every row that breaks a rule; nothing is written then.
    """
    r = request
    path = r.out_dir / "assignments.csv"
    rows = read_assignments(path)
    gaps_path = r.out_dir / "shortfalls.csv"
    gaps = read_shortfalls(gaps_path) if gaps_path.is_file() else ()
    dates = [x.date for x in rows] + [g.date for g in gaps]
    if not dates and (r.first is None or r.last is None):
        raise InputError(
            [
                Problem(
                    tr("the roster is empty and no period was given"),
                    Source(str(path)),
                    expected=tr("rows, or --from and --to"),
                )
            ]
        )
    settings = r.plan.settings
    first = r.first or max(min(dates) - timedelta(days=min(dates).weekday()), settings.start)
    last = r.last or min(max(dates) + timedelta(days=6 - max(dates).weekday()), settings.end)
    problems = check_roster(r.plan, rows, first, last, path.name)
    if problems:
        raise InputError(problems)
    output = OutputRequest(r.plan, rows, gaps, first, last, r.out_dir, r.state_dir, r.history)
    with writing(output) as recovered:
        return Written(r.out_dir, r.state_dir, (), write_exports(output, progress), recovered)
