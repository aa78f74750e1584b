"""`roster solve`: read, solve, write, summarize. Kept out of cli.py so the CLI stays glue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from exports.tables import assignment_rows, assignments_csv, shortfall_rows, shortfalls_csv
from roster import exitcodes
from roster.assignments import read_assignments
from roster.export_command import write_exports
from roster.fileio import write_text
from roster.model import Plan
from solver import Params, Result, Status, solve


def run_solve(
    out: Console,
    err: Console,
    plan: Plan,
    first: date,
    last: date,
    out_dir: Path,
    state_dir: Path,
    previous: Path | None,
    history: list[Path],
    seed: int,
    time_limit: float,
    strict: bool,
) -> int:
    params = Params(
        seed=seed,
        time_limit=time_limit,
        strict=strict,
        previous=read_assignments(previous) if previous else (),
        history=tuple(row for path in history for row in read_assignments(path)),
    )
    with Progress(
        TextColumn("solving {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{first} to {last}", total=None)

        def advance(part) -> None:
            bar.update(task, advance=1, description=f"{first} to {last} ({part.unit} done)")

        result = solve(plan, first, last, params, progress=advance)
    if result.status is Status.INFEASIBLE:
        text = "\n".join(result.conflicts) + "\n"
        write_text(out_dir / "conflicts.txt", text)
        err.print("[red]--strict: these requirements cannot all be met together[/]:")
        err.print(text, highlight=False, soft_wrap=True)
        err.print(
            f"wrote {out_dir / 'conflicts.txt'}; no roster written. Add volunteers, move "
            "leave, or solve without --strict to get a roster with its gaps listed."
        )
        return exitcodes.CONFLICT
    rows, gaps = assignment_rows(result), shortfall_rows(result)
    write_text(out_dir / "assignments.csv", assignments_csv(rows), encoding="utf-8-sig")
    write_text(out_dir / "shortfalls.csv", shortfalls_csv(gaps), encoding="utf-8-sig")
    print_summary(out, result, first, last)
    out.print(
        f"wrote {out_dir / 'assignments.csv'} and {out_dir / 'shortfalls.csv'}", highlight=False
    )
    written = write_exports(err, plan, rows, gaps, first, last, out_dir, state_dir, params.history)
    out.print(written, highlight=False)
    if params.previous:
        out.print(
            f"--previous: {len(params.previous)} rows, {result.ignored_previous} no longer "
            "match a slot or volunteer",
            highlight=False,
        )
    return exitcodes.OK if result.complete else exitcodes.GAPS


def _h(minutes: float) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if abs(hours - round(hours)) < 0.05 else f"{hours:.1f}"


def print_summary(out: Console, result: Result, first: date, last: date) -> None:
    placed = len(result.assignments)
    needed = result.needed
    staffed = len(result.slots) - len({s.slot for s in result.shortfalls})
    out.print(
        f"roster {first} to {last}: {staffed} of {len(result.slots)} slots fully staffed; "
        f"{placed} people placed for {needed} needed; {len(result.shortfalls)} gaps",
        highlight=False,
    )
    table = Table(
        title="per unit: hours, and deviation from each person's fair share (max dev is the "
        "fairness objective; bound is its proven lower bound)"
    )
    for name in (
        "unit",
        "people",
        "slots",
        "hours",
        "min–max h",
        "spread h",
        "max dev h",
        "bound",
        "gap",
        "status",
        "s",
    ):
        table.add_column(name, justify="left" if name in ("unit", "status") else "right")
    for p in result.parts:
        hours = [h.minutes for h in p.hours]
        fairness = next((s for s in p.stages if s.name == "fairness"), None)
        table.add_row(
            p.unit,
            str(len(p.hours)),
            str(len({a.slot for a in p.assignments})),
            _h(sum(hours)),
            f"{_h(min(hours, default=0))}–{_h(max(hours, default=0))}",
            _h(p.spread),
            f"{p.max_deviation / 60:.2f}",
            f"{fairness.bound:.2f}" if fairness else "",
            f"{fairness.gap:.2f}" if fairness else "",
            p.status.value,
            f"{p.seconds:.1f}",
        )
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
