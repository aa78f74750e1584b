"""Console output: what `roster check` understood, and the problems of bad input.

Rendering only; the numbers come from `roster.summary`.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from roster.calendar import package_version
from roster.errors import Problem, Severity
from roster.model import Plan, Season
from roster.summary import DayMark, DutySummary, UnitSummary


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def print_problems(console: Console, problems: list[Problem] | tuple[Problem, ...]) -> None:
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        console.print(f"[{style}]{p.severity.value}[/]: {p}", highlight=False, soft_wrap=True)


def print_check(
    console: Console,
    plan: Plan,
    duties: list[DutySummary],
    units: list[UnitSummary],
    marks: list[DayMark],
    slot_count: int,
) -> None:
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
