"""Console output: what `roster check` understood, a solve's summary, and the problems of bad input.

Rendering only; the numbers come from the application layer. Every word goes through the
catalog; markup stays outside the translated texts (it is passed in as a value).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from application import CheckReport, Written
from roster.calendar import package_version
from roster.errors import Problem, Severity
from roster.i18n import N_, join, ntr, tr
from roster.model import Season
from solver import PartResult, Result, Status
from solver.result import Stage


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def print_problems(console: Console, problems: list[Problem] | tuple[Problem, ...]) -> None:
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        label = f"[{style}]{p.severity.label}[/]"
        console.print(
            tr("{severity}: {problem}", severity=label, problem=escape(str(p))),
            highlight=False,
            soft_wrap=True,
        )


def print_check(console: Console, report: CheckReport) -> None:
    plan, duties, units = report.plan, report.duties, report.units
    marks, slot_count = report.special_days, report.slot_count
    s = plan.settings
    timetable = [f"{month:02d}-{day:02d}" for month, day in (s.summer_start, s.summer_end)]
    title = s.name or tr("campaign")
    console.print(f"[bold]{escape(title)}[/]", highlight=False)
    console.print(
        escape(
            tr(
                "period {start} to {end}; summer timetable {summer_start} to {summer_end}; "
                "time zone {timezone}; {slots} slots in the period",
                start=s.start,
                end=s.end,
                summer_start=timetable[0],
                summer_end=timetable[1],
                timezone=s.timezone,
                slots=slot_count,
            )
        ),
        highlight=False,
    )
    if marks:
        days = tr("; ").join(
            f"{m.first:%Y-%m-%d}"
            + (f"..{m.last:%m-%d}" if m.last != m.first else "")
            + f" {m.label}"
            for m in marks
        )
        console.print(
            tr(
                "holidays and make-up days (chinese-calendar {version}): {days}",
                version=package_version(),
                days=escape(days),
            ),
            highlight=False,
            soft_wrap=True,
        )

    table = Table(title=tr("Duties 责任分工"), show_lines=True)
    table.add_column(tr("duty · area · unit"))
    table.add_column(tr("windows (days, time, season)"))
    table.add_column(tr("people"))
    table.add_column(tr("holidays"))
    table.add_column(tr("slots/week\nsummer/winter"), justify="right")
    table.add_column(tr("slots in\nperiod"), justify="right")
    for d in duties:
        windows = "\n".join(
            f"{r.days.describe()} {r.window}"
            + ("" if r.season is Season.ALL else f" {r.season.zh}")
            for r in d.rules
        )
        people = sorted({(r.min_people, r.max_people) for r in d.rules})
        leader = "\n带队" if any(r.leader_required for r in d.rules) else ""
        table.add_row(
            escape(f"{d.kind}\n{d.area}\n{'、'.join(d.units)}"),
            escape(windows),
            join([f"{lo}" if lo == hi else f"{lo}–{hi}" for lo, hi in people]) + leader,
            "/".join(sorted({r.holidays.zh for r in d.rules})),
            f"{_fmt(d.slots_per_week[Season.SUMMER])}/{_fmt(d.slots_per_week[Season.WINTER])}",
            str(d.slots_in_period),
        )
    console.print(table)

    table = Table(title=tr("Units 责任单位: person-hours per ordinary week"))
    for name in UNIT_COLUMNS:
        table.add_column(tr(name), justify="right" if name != "unit" else "left")
    for u in units:
        summer = u.demand_hours[Season.SUMMER]
        load = summer / u.capacity_hours if u.capacity_hours else float("inf")
        style = "red" if load > 1 else ("yellow" if load > 0.8 else "")
        table.add_row(
            escape(u.unit) + (" *" if u.shared else ""),
            str(u.volunteers),
            str(u.leaders),
            _fmt(u.capacity_hours),
            _fmt(summer),
            _fmt(u.demand_hours[Season.WINTER]),
            f"[{style}]{load:.0%}[/]" if style else f"{load:.0%}",
        )
    console.print(table)
    if any(u.shared for u in units):
        console.print(tr("* shares areas with other units; their demand is split evenly here."))
    if plan.leave:
        console.print(
            ntr(
                "{n} leave entry, {first} to {last}",
                "{n} leave entries, {first} to {last}",
                len(plan.leave),
                first=min(x.start for x in plan.leave),
                last=max(x.end for x in plan.leave),
            ),
            highlight=False,
        )


UNIT_COLUMNS = (
    N_("unit"),
    N_("volunteers"),
    N_("leaders"),
    N_("capacity h/week"),
    N_("demand summer"),
    N_("demand winter"),
    N_("load summer"),
)


def written_text(written: Written) -> str:
    """One line on the feeds and workbooks written."""
    summary, out_dir, state_dir = written.export, written.out_dir, written.state_dir
    assert summary is not None
    return escape(
        tr(
            "wrote {feeds} calendar feeds to {ical} ({personal} personal; links in {links}) and "
            "{workbooks} workbooks to {excel}; {changed} files changed since the last export; "
            "feed tokens kept in {tokens}",
            feeds=summary.feeds,
            ical=out_dir / "ical",
            personal=summary.volunteer_feeds,
            links=out_dir / "feeds.csv",
            workbooks=summary.workbooks,
            excel=out_dir / "excel",
            changed=summary.files_changed,
            tokens=state_dir / "feed_tokens.csv",
        )
    )


def _h(minutes: float) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if abs(hours - round(hours)) < 0.05 else f"{hours:.1f}"


# The summary's columns in English (the source of each header's translation).
SUMMARY_COLUMNS = (
    N_("unit"),
    N_("people"),
    N_("slots"),
    N_("hours"),
    N_("min–max h"),
    N_("spread h"),
    N_("max dev h"),
    N_("bound"),
    N_("gap to bound"),
    N_("forced h"),
    N_("status"),
    N_("s"),
)
# The whole roster's status on the last line, in words (a part's is `Status.label`).
RESULT_WORDS = {
    Status.OPTIMAL: N_("status optimal: proven best (fewest gaps, then fairest); {seconds} s"),
    Status.FEASIBLE: N_(
        "status feasible: a roster, not proven best within the time limit; {seconds} s"
    ),
    Status.INFEASIBLE: N_("status infeasible: the demand cannot be met; {seconds} s"),
    Status.UNKNOWN: N_("status unknown: no roster found within the time limit; {seconds} s"),
}


def print_summary(out: Console, result: Result, first: date, last: date) -> None:
    """Coverage, then per unit the hours, their fairness and what was proven, then the gaps."""
    placed = len(result.assignments)
    staffed = len(result.slots) - len({s.slot for s in result.shortfalls})
    out.print(
        tr(
            "roster {first} to {last}: {staffed} of {slots} slots fully staffed; {placed} people "
            "placed for {needed} needed; {gaps}",
            first=first,
            last=last,
            staffed=staffed,
            slots=len(result.slots),
            placed=placed,
            needed=result.needed,
            gaps=ntr("{n} gap", "{n} gaps", len(result.shortfalls)),
        ),
        highlight=False,
    )
    replan = any(_stage(p, "stability") for p in result.parts)
    note = tr(
        "max dev is the largest deviation of a person's hours from their fair share, the "
        "fairness objective; bound is its proven lower bound (equal: proven fairest); forced "
        "is how far above an even share each leader's fair share is, because only leaders may "
        "take leaders' seats"
    )
    if replan:
        note += tr(REPLAN_NOTE)
    table = Table(title=tr("per unit: hours, and deviation from each person's fair share"))
    columns = (*SUMMARY_COLUMNS[:-2], REPLAN_COLUMN, *SUMMARY_COLUMNS[-2:]) if replan else None
    for name in columns or SUMMARY_COLUMNS:
        words = name in ("unit", "status")  # never cut: numbers' headers wrap first
        table.add_column(
            tr(name),
            justify="left" if words else "right",
            no_wrap=words or name == REPLAN_COLUMN,
            overflow="fold",  # a narrow header wraps; it is never cut to "…"
        )
    for p in result.parts:
        row = _unit_row(p)
        table.add_row(*((*row[:-2], _changes(p), *row[-2:]) if replan else row))
    out.print(table)
    out.print(note, highlight=False)
    label = "[yellow]" + tr("gap") + "[/]"
    for s in result.shortfalls[:10]:
        out.print(
            tr(
                "{gap} {date} {window} {duty} {area}: {assigned} of {needed}; {reason}",
                gap=label,
                date=s.slot.date,
                window=s.slot.window,
                duty=escape(s.slot.kind),
                area=escape(s.slot.area),
                assigned=s.assigned,
                needed=s.needed,
                reason=escape(s.reason),
            ),
            highlight=False,
            soft_wrap=True,
        )
    if len(result.shortfalls) > 10:
        more = len(result.shortfalls) - 10
        out.print(
            ntr("… and {n} more in shortfalls.csv", "… and {n} more in shortfalls.csv", more),
            highlight=False,
        )
    seconds, said = f"{result.seconds:.1f}", RESULT_WORDS[result.status]
    out.print(tr(said, seconds=seconds), highlight=False)


REPLAN_COLUMN = N_("changes")
REPLAN_NOTE = N_(
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
        escape(p.unit),
        str(len(p.hours)),
        str(len({a.slot for a in p.assignments})),
        _h(sum(hours)),
        f"{_h(min(hours, default=0))}–{_h(max(hours, default=0))}",
        _h(p.spread),
        f"{p.max_deviation / 60:.2f}",
        f"{fairness.bound:.2f}" if fairness else "",
        _gap(fairness) if fairness else "",
        f"{p.forced_excess / 60:.2f}",
        p.status.label,
        f"{p.seconds:.1f}",
    )


def waiting(err: Console, folder: Path) -> None:
    """Another roster run holds the folder: say so before waiting for it."""
    err.print(
        escape(
            tr(
                "another roster command is writing into {folder}; waiting for it to finish "
                "(press Ctrl+C to stop waiting)",
                folder=folder,
            )
        ),
        highlight=False,
        soft_wrap=True,
    )


def finished_text(out_dir: Path) -> str:
    """An interrupted run's output was completed before this one's was written."""
    return escape(
        tr(
            "{folder} held the output of a run that was interrupted while replacing its files; "
            "it was completed first",
            folder=out_dir,
        )
    )
