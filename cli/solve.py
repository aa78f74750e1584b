"""`roster solve`: the application's solve and write, with progress and a summary on the console."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from application import OutputRequest, SolveRequest, own_history, solve_roster
from application.outputs import check_state, source_text, write_conflicts, write_outputs
from cli import exitcodes
from cli.report import finished_text, print_problems, print_summary, waiting, written_text
from roster.i18n import ntr, tr
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
    check_state(state_dir)  # a damaged token file is named now, not after the solve
    earlier, left_out = own_history(plan, history)
    print_problems(err, left_out)
    request = SolveRequest(
        plan,
        first,
        last,
        previous=read_assignments(previous) if previous else (),
        history=earlier,
        seed=seed,
        time_limit=time_limit,
        strict=strict,
    )
    # rich fills in {task.description} itself: it goes through the translation as a value
    label = TextColumn(tr("solving {what}", what="{task.description}"))
    with Progress(
        label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        span = escape(tr("{first} to {last}", first=first, last=last))
        task = bar.add_task(span, total=None)

        def advance(part: PartResult) -> None:
            done = tr("{period} ({unit} done)", period=span, unit=escape(part.unit))
            bar.update(task, advance=1, description=done)

        solved = solve_roster(request, progress=advance)
    if solved.infeasible:
        path = write_conflicts(out_dir, solved.result.conflicts)
        if solved.result.refuted:
            head = tr("--strict: these requirements cannot all be met together:")
        else:
            head = tr("--strict: the demand was not met within the time limit:")
        err.print(f"[red]{escape(head)}[/]", highlight=False)
        err.print(escape(path.read_text(encoding="utf-8")), highlight=False, soft_wrap=True)
        err.print(
            escape(
                tr(
                    "wrote {path}; no roster written. Add volunteers, move leave, or solve "
                    "without --strict to get a roster with its gaps listed.",
                    path=path,
                )
            ),
            highlight=False,
            soft_wrap=True,  # a path is never broken across lines
        )
        return exitcodes.CONFLICT
    output = OutputRequest(
        plan, solved.rows, solved.gaps, first, last, out_dir, state_dir, request.history
    )
    print_summary(out, solved.result, first, last)
    with err.status(tr("writing exports")) as status:
        written = write_outputs(
            output,
            lambda what: status.update(escape(tr("writing {what}", what=what))),
            made_from=source_text(data),
            waiting=lambda folder: waiting(err, folder),
        )
    if written.recovered:
        out.print(finished_text(out_dir), highlight=False, soft_wrap=True)
    assignments, shortfalls = written.tables
    out.print(
        escape(
            tr(
                "wrote {assignments} and {shortfalls}",
                assignments=assignments,
                shortfalls=shortfalls,
            )
        ),
        highlight=False,
        soft_wrap=True,
    )
    out.print(written_text(written), highlight=False)
    if request.previous:
        out.print(
            ntr(
                "--previous: {n} row, {ignored} no longer match a slot or volunteer",
                "--previous: {n} rows, {ignored} no longer match a slot or volunteer",
                len(request.previous),
                ignored=solved.result.ignored_previous,
            ),
            highlight=False,
        )
    return exitcodes.OK if solved.complete else exitcodes.GAPS
