"""Console output: what `roster check` understood, a solve's summary, and the problems of bad input.

Rendering only; the numbers come from the application layer.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from application import CheckReport, Written
from roster.calendar import package_version
from roster.errors import Problem, Severity
from roster.model import Season
from solver import PartResult, Result
from solver.result import Stage


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def print_problems(console: Console, problems: list[Problem] | tuple[Problem, ...]) -> None:
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        console.print(f"[{style}]{p.severity.value}[/]: {p}", highlight=False, soft_wrap=True)


def print_check(console: Console, report: CheckReport) -> None:
    plan, duties, units = report.plan, report.duties, report.units
    marks, slot_count = report.special_days, report.slot_count
    s = plan.settings
    title = s.name or "campaign"
    console.print(f"[bold]{title}[/]", highlight=False)
    console.print(
        f"period {s.start} to {s.end}; summer timetable {s.summer_start[0]:02d}-"
        f"{s.summer_start[1]:02d} to {s.summer_end[0]:02d}-{s.summer_end[1]:02d}; "
        f"time zone {s.timezone}; {slot_count} slots in the period",
        highlight=False,
    )
    if marks:
        days = "; ".join(
            f"{m.first:%Y-%m-%d}"
            + (f"..{m.last:%m-%d}" if m.last != m.first else "")
            + f" {m.label}"
            for m in marks
        )
        console.print(
            f"holidays and make-up days (chinese-calendar {package_version()}): {days}",
            highlight=False,
            soft_wrap=True,
        )

    table = Table(title="Duties 责任分工", show_lines=True)
    table.add_column("duty · area · unit")
    table.add_column("windows (days, time, season)")
    table.add_column("people")
    table.add_column("holidays")
    table.add_column("slots/week\nsummer/winter", justify="right")
    table.add_column("slots in\nperiod", justify="right")
    for d in duties:
        windows = "\n".join(
            f"{r.days.describe()} {r.window}"
            + ("" if r.season is Season.ALL else f" {r.season.zh}")
            for r in d.rules
        )
        people = sorted({(r.min_people, r.max_people) for r in d.rules})
        leader = "\n带队" if any(r.leader_required for r in d.rules) else ""
        table.add_row(
            f"{d.kind}\n{d.area}\n{'、'.join(d.units)}",
            windows,
            ", ".join(f"{lo}" if lo == hi else f"{lo}–{hi}" for lo, hi in people) + leader,
            "/".join(sorted({r.holidays.zh for r in d.rules})),
            f"{_fmt(d.slots_per_week[Season.SUMMER])}/{_fmt(d.slots_per_week[Season.WINTER])}",
            str(d.slots_in_period),
        )
    console.print(table)

    table = Table(title="Units 责任单位: person-hours per ordinary week")
    for name in (
        "unit",
        "volunteers",
        "leaders",
        "capacity h/week",
        "demand summer",
        "demand winter",
        "load summer",
    ):
        table.add_column(name, justify="right" if name != "unit" else "left")
    for u in units:
        summer = u.demand_hours[Season.SUMMER]
        load = summer / u.capacity_hours if u.capacity_hours else float("inf")
        style = "red" if load > 1 else ("yellow" if load > 0.8 else "")
        table.add_row(
            u.unit + (" *" if u.shared else ""),
            str(u.volunteers),
            str(u.leaders),
            _fmt(u.capacity_hours),
            _fmt(summer),
            _fmt(u.demand_hours[Season.WINTER]),
            f"[{style}]{load:.0%}[/]" if style else f"{load:.0%}",
        )
    console.print(table)
    if any(u.shared for u in units):
        console.print("* shares areas with other units; their demand is split evenly here.")
    if plan.leave:
        console.print(
            f"{len(plan.leave)} leave entries, "
            f"{min(x.start for x in plan.leave)} to {max(x.end for x in plan.leave)}",
            highlight=False,
        )


def written_text(written: Written) -> str:
    """One line on the feeds and workbooks written."""
    summary, out_dir, state_dir = written.export, written.out_dir, written.state_dir
    assert summary is not None
    return (
        f"wrote {summary.feeds} calendar feeds to {out_dir / 'ical'} ({summary.volunteer_feeds} "
        f"personal; links in {out_dir / 'feeds.csv'}) and {summary.workbooks} workbooks to "
        f"{out_dir / 'excel'}; {summary.files_changed} files changed since the last export; feed "
        f"tokens kept in {state_dir / 'feed_tokens.csv'}"
    )


def _h(minutes: float) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if abs(hours - round(hours)) < 0.05 else f"{hours:.1f}"


SUMMARY_COLUMNS = (
    "unit",
    "people",
    "slots",
    "hours",
    "min–max h",
    "spread h",
    "max dev h",
    "bound",
    "gap",
    "forced h",
    "status",
    "s",
)


def print_summary(out: Console, result: Result, first: date, last: date) -> None:
    """Coverage, then per unit the hours, their fairness and what was proven, then the gaps."""
    placed = len(result.assignments)
    staffed = len(result.slots) - len({s.slot for s in result.shortfalls})
    out.print(
        f"roster {first} to {last}: {staffed} of {len(result.slots)} slots fully staffed; "
        f"{placed} people placed for {result.needed} needed; {len(result.shortfalls)} gaps",
        highlight=False,
    )
    replan = any(_stage(p, "stability") for p in result.parts)
    title = (
        "per unit: hours, and deviation from each person's fair share (max dev is the "
        "fairness objective; bound is its proven lower bound; forced is how far above an "
        "even share each leader's fair share is, because only leaders may take leaders' seats)"
    )
    if replan:
        title += REPLAN_NOTE
    table = Table(title=title)
    columns = (*SUMMARY_COLUMNS[:-2], REPLAN_COLUMN, *SUMMARY_COLUMNS[-2:]) if replan else None
    for name in columns or SUMMARY_COLUMNS:
        words = name in ("unit", "status")  # never cut: numbers' headers wrap first
        table.add_column(
            name, justify="left" if words else "right", no_wrap=words or name == REPLAN_COLUMN
        )
    for p in result.parts:
        row = _unit_row(p)
        table.add_row(*((*row[:-2], _changes(p), *row[-2:]) if replan else row))
    out.print(table)
    for s in result.shortfalls[:10]:
        out.print(
            f"[yellow]gap[/] {s.slot.date} {s.slot.window} {s.slot.kind} {s.slot.area}: "
            f"{s.assigned}/{s.needed}; {s.reason}",
            highlight=False,
            soft_wrap=True,
        )
    if len(result.shortfalls) > 10:
        out.print(f"… and {len(result.shortfalls) - 10} more in shortfalls.csv")
    out.print(f"status {result.status.value}; {result.seconds:.1f} s", highlight=False)


REPLAN_COLUMN = "changes"
REPLAN_NOTE = (
    "; re-planned: changes to the previous roster, proven fewest unless a lower bound (≥) "
    "is shown, and bound is then among the rosters with that few changes"
)


def _stage(p: PartResult, name: str) -> Stage | None:
    return next((s for s in p.stages if s.name == name), None)


def _changes(p: PartResult) -> str:
    """The re-plan's changes: the count, with its lower bound when not proven fewest."""
    stage = _stage(p, "stability")
    if stage is None:
        return ""
    if stage.status == "OPTIMAL":
        return f"{stage.objective:.0f}"
    return f"{stage.objective:.0f} (≥{stage.bound:.0f})"


def _gap(stage: Stage) -> str:
    """The gap to the bound; an unproven one never reads as 0.00."""
    text = f"{stage.gap:.2f}"
    return "<0.01" if text == "0.00" and stage.status != "OPTIMAL" else text


def _unit_row(p: PartResult) -> tuple[str, ...]:
    hours = [h.minutes for h in p.hours]
    fairness = next((s for s in p.stages if s.name == "fairness"), None)
    return (
        p.unit,
        str(len(p.hours)),
        str(len({a.slot for a in p.assignments})),
        _h(sum(hours)),
        f"{_h(min(hours, default=0))}–{_h(max(hours, default=0))}",
        _h(p.spread),
        f"{p.max_deviation / 60:.2f}",
        f"{fairness.bound:.2f}" if fairness else "",
        _gap(fairness) if fairness else "",
        f"{p.forced_excess / 60:.2f}",
        p.status.value,
        f"{p.seconds:.1f}",
    )
