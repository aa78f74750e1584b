"""`roster solve`: the application's solve and write, with progress and a summary on the console."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from application import OutputRequest, SolveRequest, Written, read_rows, solve_roster
from application.outputs import record_source, write_conflicts, write_exports, write_tables
from cli import exitcodes
from cli.report import print_summary, written_text
from roster.model import Plan
from roster.rosterfiles import read_assignments
from solver import PartResult


def run_solve(
    out: Console,
    err: Console,
    plan: Plan,
    data: Path | None,
    period: tuple[date, date],
    out_dir: Path,
    state_dir: Path,
    previous: Path | None,
    history: tuple[Path, ...],
    *,
    seed: int,
    time_limit: float,
    strict: bool,
) -> int:
    """Solve, write and summarize; the exit code (see `cli.exitcodes`)."""
    first, last = period
    request = SolveRequest(
        plan,
        first,
        last,
        previous=read_assignments(previous) if previous else (),
        history=read_rows(history),
        seed=seed,
        time_limit=time_limit,
        strict=strict,
    )
    columns = (TextColumn("solving {task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(f"{first} to {last}", total=None)

        def advance(part: PartResult) -> None:
            bar.update(task, advance=1, description=f"{first} to {last} ({part.unit} done)")

        solved = solve_roster(request, progress=advance)
    if solved.infeasible:
        path = write_conflicts(out_dir, solved.result.conflicts)
        if solved.result.refuted:
            err.print("[red]--strict: these requirements cannot all be met together[/]:")
        else:
            err.print("[red]--strict: the demand was not met within the time limit[/]:")
        err.print(path.read_text(encoding="utf-8"), highlight=False, soft_wrap=True)
        err.print(
            f"wrote {path}; no roster written. Add volunteers, move "
            "leave, or solve without --strict to get a roster with its gaps listed."
        )
        return exitcodes.CONFLICT
    output = OutputRequest(
        plan, solved.rows, solved.gaps, first, last, out_dir, state_dir, request.history
    )
    assignments, shortfalls = write_tables(output)
    record_source(out_dir, data)
    print_summary(out, solved.result, first, last)
    out.print(f"wrote {assignments} and {shortfalls}", highlight=False)
    with err.status("writing exports") as status:
        summary = write_exports(output, lambda what: status.update(f"writing {what}"))
    written = Written(out_dir, state_dir, (assignments, shortfalls), summary)
    out.print(written_text(written), highlight=False)
    if request.previous:
        out.print(
            f"--previous: {len(request.previous)} rows, {solved.result.ignored_previous} no "
            "longer match a slot or volunteer",
            highlight=False,
        )
    return exitcodes.OK if solved.complete else exitcodes.GAPS
