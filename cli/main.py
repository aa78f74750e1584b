"""The `roster` command: read, compute, write. Library errors become exit codes here and only here.

Exit codes: 0 success (every slot staffed); 1 internal error (a bug: please report it); 2 bad
input or usage; 3 roster written with gaps (never with --strict); 4 --strict and the demand is not
met (no roster; conflicts.txt says why).
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from application import (
    ExportRequest,
    RotateRequest,
    SlotsRequest,
    check_tables,
    expand_slots,
    export_roster,
    read_tables,
    rotate_links,
)
from application.outputs import output_folder, recorded_source, state_folder
from cli import exitcodes
from cli.helptext import BadValue, Command, Group, command_help, localize
from cli.report import finished_text, print_check, print_problems, waiting, written_text
from cli.web import register as register_web
from cli.workspace import WorkspaceOpt, opened, register
from roster.errors import FieldError, InputError, Problem, Severity, Source, quote
from roster.fileio import LOCK, write_text
from roster.i18n import join, ntr, tr
from roster.model import Plan
from roster.slots_csv import slots_csv
from roster.template import write_template
from roster.values import parse_date

# The help texts are read here, at import: the language (ROSTER_LANG) is chosen by the first tr().
localize()
app = typer.Typer(
    cls=Group,
    help=tr("Volunteer duty rosters for civilized-city campaigns (文明城市志愿者排班)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
# Piped output (a file, a log) is laid out 110 columns wide rather than rich's default 80.
out = Console(width=None if sys.stdout.isatty() else 110, soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # paths and commands are never broken up

DataArg = Annotated[
    Path | None,
    typer.Argument(
        help=tr(
            "A data folder (duties.csv, units.csv, volunteers.csv, settings.toml, optional "
            "leave.csv and holidays.csv) or an .xlsx workbook. Default: the shipped sample."
        ),
        show_default=False,
        metavar=tr("DATA"),
    ),
]
DATE = "YYYY-MM-DD"


_help = command_help


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value, "date")
    except FieldError as exc:
        raise BadValue(
            tr("{value} is not a date; expected YYYY-MM-DD", value=quote(value))
        ) from exc


FILE_SUFFIXES = frozenset({".csv", ".xlsx", ".toml", ".txt"})


@contextmanager
def handled() -> Iterator[None]:
    """Bad input: every problem, exit 2. An output that cannot be written: why, exit 5. A bug:
    one line and exit 1 (ROSTER_DEBUG=1 re-raises)."""
    try:
        yield
    except InputError as exc:
        print_problems(err, exc.problems)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        count = "[red]" + ntr("{n} error(s)", "{n} error(s)", errors) + "[/]"
        in_files = any(
            p.source is not None and Path(p.source.file).suffix.lower() in FILE_SUFFIXES
            for p in exc.problems
        )
        if in_files:
            err.print(tr("{count}: fix them in the file named and run again.", count=count))
        else:  # a command's option or argument: nothing to fix in a file
            err.print(tr("{count}: correct the command as shown and run it again.", count=count))
        raise typer.Exit(exitcodes.INPUT) from None
    except (typer.Exit, typer.Abort, typer.BadParameter, KeyboardInterrupt):
        raise
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE or os.environ.get("ROSTER_DEBUG"):
            _internal(exc)
        err.print(escape(cannot_write(exc)), highlight=False, soft_wrap=True)
        raise typer.Exit(exitcodes.WRITE) from None
    except Exception as exc:
        _internal(exc)


_CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def cannot_write(exc: OSError) -> str:
    """What a full disk, a read-only folder or a folder of someone else's means to the user."""
    path = str(exc.filename or "")
    if Path(path).name == LOCK:  # the first file a run writes into a folder: name the folder
        path = str(Path(path).parent)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = tr("the disk is full")
        todo = tr("free some space, or write elsewhere with --out")
    elif exc.errno == errno.EROFS:
        reason = tr("the folder is on a read-only disk")
        todo = tr("write elsewhere with --out")
    else:  # no permission: to write an output, or to read a table
        return tr(
            "roster has no permission to open {path}. Nothing was replaced: the previous outputs "
            "are as they were. To go on: ask for the right to it (or write elsewhere with --out), "
            "and run again.",
            path=path,
        )
    if not path:
        return tr(
            "could not write the outputs: {reason}. Nothing was replaced: the previous outputs "
            "are as they were. To go on: {todo}, and run again.",
            reason=reason,
            todo=todo,
        )
    return tr(
        "could not write {path}: {reason}. Nothing was replaced: the previous outputs are as they "
        "were. To go on: {todo}, and run again.",
        path=path,
        reason=reason,
        todo=todo,
    )


def _internal(exc: Exception) -> NoReturn:
    """A bug: one line and exit 1 (ROSTER_DEBUG=1 re-raises)."""
    if os.environ.get("ROSTER_DEBUG"):
        raise exc
    label = "[red]" + tr("internal error") + "[/]"
    error = escape(f"{type(exc).__name__}: {exc}")
    err.print(
        tr(
            "{label}: {error}\nThis is a bug in roster, not in your tables. Run again with "
            "{debug} for details and report it with the command you ran.",
            label=label,
            error=error,
            debug="ROSTER_DEBUG=1",
        ),
        highlight=False,
    )
    raise typer.Exit(exitcodes.INTERNAL) from None


def _load(data: Path | None) -> Plan:
    """The plan at `data` (default: the shipped sample), its warnings printed."""
    plan = read_tables(data)
    print_problems(err, plan.warnings)
    return plan


@app.command(
    cls=Command,
    help=_help(
        tr(
            "Check the tables and print what was understood: duties, windows, slots, demand "
            "per unit."
        ),
        "roster check data/leiyang",
    ),
)
def check(data: DataArg = None) -> None:
    with handled():
        print_check(out, check_tables(_load(data)))


@app.command(
    cls=Command,
    help=_help(
        tr("Write the dated duty slots of a period as CSV."),
        "roster slots data/leiyang --from 2022-06-13 --to 2022-06-19 --out slots.csv",
    ),
)
def slots(
    data: DataArg = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar=DATE, help=tr("First date, YYYY-MM-DD. Default: campaign start.")
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar=DATE, help=tr("Last date, YYYY-MM-DD. Default: campaign end.")
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar=tr("FILE"),
            help=tr("CSV file to write. Default: standard output."),
        ),
    ] = None,
) -> None:
    first, last = _date(from_), _date(to)
    if output is not None and output.is_dir():
        raise BadValue(
            tr("{path} is a folder: give the name of the CSV file to write", path=output),
            param_hint="--out",
        )
    with handled():
        result = expand_slots(SlotsRequest(_load(data), first, last))
        text = slots_csv(result)
        if output is None:
            sys.stdout.write(text)
        else:
            write_text(output, text, encoding="utf-8-sig")
            err.print(
                escape(
                    ntr(
                        "wrote {n} slot to {path}",
                        "wrote {n} slots to {path}",
                        len(result),
                        path=output,
                    )
                ),
                highlight=False,
            )


@app.command(
    cls=Command,
    help=_help(
        tr("Write an empty input workbook with Chinese headers, drop-down lists and a 说明 sheet."),
        "roster template 责任分工表.xlsx",
    ),
)
def template(
    output: Annotated[
        Path, typer.Argument(metavar=tr("FILE"), help=tr("The .xlsx workbook to write."))
    ],
) -> None:
    with handled():
        write_template(output)
        err.print(
            escape(
                tr(
                    "wrote {path}; fill it in, then run: {command}",
                    path=output,
                    command="roster check " + str(output),
                )
            ),
            highlight=False,
        )


@app.command(
    cls=Command,
    help=_help(
        tr(
            "Staff every slot of a period; write the roster, its calendar feeds and workbooks "
            "to --out."
        ),
        "roster solve --week 2022-06-15 --out out",
        tr(
            "Writes assignments.csv, shortfalls.csv, {ical} (feeds to publish), {excel} "
            "(workbooks) and feeds.csv (each volunteer's feed link, for the office only).",
            ical="ical/",
            excel="excel/",
        ),
    ),
)
def solve(
    data: DataArg = None,
    week: Annotated[
        str | None,
        typer.Option(metavar=DATE, help=tr("Any date of the week (Monday to Sunday) to solve.")),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar=DATE, help=tr("First date, YYYY-MM-DD."))
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar=DATE, help=tr("Last date, YYYY-MM-DD."))
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", metavar=tr("FOLDER"), help=tr("Folder for the outputs."))
    ] = Path("out"),
    previous: Annotated[
        Path | None,
        typer.Option(
            metavar=tr("FILE"),
            help=tr("assignments.csv of an earlier solve of this period: keep it stable."),
        ),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            metavar=tr("FILE"),
            help=tr("assignments.csv of earlier periods (repeatable): hours served so far."),
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help=tr("Random seed; the same seed gives the same roster."))
    ] = 0,
    time_limit: Annotated[
        float,
        typer.Option(help=tr("Deterministic time limit per part and stage (about seconds).")),
    ] = 10.0,
    strict: Annotated[
        bool,
        typer.Option(
            help=tr(
                "Demand is a hard rule: every seat staffed (exit 0), or no roster and "
                "conflicts.txt naming why (exit 4), never gaps."
            ),
            show_default=False,
        ),
    ] = False,
) -> None:
    first, last = _period(week, from_, to)
    _writable_folder(out_dir)
    if time_limit <= 0:
        raise BadValue(
            tr("{value} is not a time limit: give a number of seconds above 0", value=time_limit),
            param_hint="--time-limit",
        )
    with handled():
        from cli.solve import run_solve

        code = run_solve(
            out,
            err,
            _load(data),
            data,
            (first, last),
            out_dir,
            state_folder(data, out_dir),
            previous,
            tuple(history or ()),
            seed=seed,
            time_limit=time_limit,
            strict=strict,
        )
    raise typer.Exit(code)


@app.command(
    "export",
    cls=Command,
    help=_help(
        tr("Rebuild the calendar feeds and workbooks from an existing assignments.csv."),
        "roster export out data/leiyang",
        tr(
            "Use it after editing assignments.csv by hand, or to publish again. Unchanged events "
            "keep their bytes, so calendars refresh only what changed. Without DATA, the tables "
            "the folder was made from. In a workspace, --week D --out DIR writes a published "
            "week's files for a web server."
        ),
    ),
)
def export_(
    out_dir: Annotated[
        Path | None,
        typer.Argument(
            metavar=tr("FOLDER"),
            help=tr(
                "The folder of an earlier `roster solve` (its assignments.csv); with --week, "
                "the folder to write the published week to."
            ),
            show_default=False,
        ),
    ] = None,
    data: DataArg = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar=DATE, help=tr("First date. Default: Monday of the first row.")
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar=DATE, help=tr("Last date. Default: Sunday of the last row.")),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            metavar=tr("FILE"),
            help=tr("assignments.csv of earlier periods (repeatable): kept in the feeds."),
        ),
    ] = None,
    week: Annotated[
        str | None,
        typer.Option(
            metavar=DATE, help=tr("Workspace: write this published week's files to --out.")
        ),
    ] = None,
    out_option: Annotated[
        Path | None,
        typer.Option("--out", metavar=tr("FOLDER"), help=tr("Workspace: the folder to write.")),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    if week is not None:
        _export_week(week, out_option or out_dir, workspace)
        return
    if out_dir is None:
        raise BadValue(tr("give the folder of a roster, or --week and --out"))
    first, last = _date(from_), _date(to)
    with handled():
        if not out_dir.is_dir():
            _made_from(out_dir)  # says what to do; nothing is made
        with output_folder(out_dir, lambda folder: waiting(err, folder)) as recovered:
            _export_folder(out_dir, data, (first, last), history, recovered)


def _export_folder(
    out_dir: Path,
    data: Path | None,
    period: tuple[date | None, date | None],
    history: list[Path] | None,
    recovered: bool,
) -> None:
    """`roster export DIR`, with DIR held (`output_folder`)."""
    from application import own_history

    first, last = period
    if recovered:
        out.print(finished_text(out_dir), highlight=False, soft_wrap=True)
    tables = data if data is not None else _made_from(out_dir)
    plan = _load(tables)
    earlier, left_out = own_history(plan, history or ())
    print_problems(err, left_out)
    request = ExportRequest(plan, out_dir, state_folder(tables, out_dir), first, last, earlier)
    with err.status(tr("writing exports")) as status:
        written = export_roster(
            request, lambda what: status.update(escape(tr("writing {what}", what=what)))
        )
    out.print(written_text(written), highlight=False)


def _writable_folder(out_dir: Path) -> None:
    """--out names a folder (or a folder to make), never an existing file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BadValue(
            tr("{path} is a file: give a folder for the outputs", path=out_dir),
            param_hint="--out",
        )


def _made_from(out_dir: Path) -> Path | None:
    """The tables `out_dir` was made from; an error naming what to do when it does not say."""
    found, tables = recorded_source(out_dir)
    if found:
        return tables
    if not (out_dir / "assignments.csv").is_file():
        raise InputError(
            [
                Problem(
                    tr(
                        "missing file; make the roster first: roster solve --out {folder}",
                        folder=out_dir,
                    ),
                    Source(str(out_dir / "assignments.csv")),
                )
            ]
        )
    raise InputError(
        [
            Problem(
                tr("this folder does not say which tables it was made from"),
                Source(str(out_dir)),
                expected=tr("give them: roster export {folder} DATA", folder=out_dir),
            )
        ]
    )


def _export_week(week: str, target: Path | None, workspace: Path | None) -> None:
    if target is None:
        raise BadValue(tr("give --out DIR with --week"))
    with handled():
        where = opened(workspace)
        from workspace.operations import export_week

        export_week(where, _required(week), target)
        out.print(
            escape(tr("wrote the published week to {folder}", folder=target)), highlight=False
        )


@app.command(
    cls=Command,
    help=_help(
        tr("Give volunteers a new personal feed link (a lost phone, a link shared by mistake)."),
        "roster rotate JG003 --data data/leiyang",
        tr(
            "With --data, the old link stops working at the next `roster solve` or "
            "`roster export`; in a workspace (no --data), at once: every published week is "
            "written again with the new link."
        ),
    ),
)
def rotate(
    volunteer_ids: Annotated[
        list[str], typer.Argument(metavar=tr("ID"), help=tr("Volunteer ids (编号) to rotate."))
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            metavar=tr("DATA"),
            help=tr("The data folder or workbook whose feed tokens to change."),
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    with handled():
        if data is None:
            where = opened(workspace)
            from workspace.operations import rotate as rotate_in

            rotate_in(where, tuple(volunteer_ids))
            err.print(
                escape(
                    tr(
                        "new feed links for {ids}; hand them out from {command}",
                        ids=join(volunteer_ids),
                        command="roster links",
                    )
                ),
                highlight=False,
            )
            return
        rotate_links(
            RotateRequest(_load(data), state_folder(data, data), tuple(volunteer_ids), str(data))
        )
        err.print(
            escape(
                tr(
                    "new feed links for {ids}; run {command} to publish them, then hand out the "
                    "new links from feeds.csv",
                    ids=join(volunteer_ids),
                    command="roster export",
                )
            ),
            highlight=False,
        )


@app.command(
    cls=Command,
    help=_help(
        tr("Write a synthetic city in the input format: for benchmarks, demonstrations and tests."),
        "roster synth --units 120 --volunteers 6000 --seed 1 --out city",
    ),
)
def synth(
    out_dir: Annotated[
        Path, typer.Option("--out", metavar=tr("FOLDER"), help=tr("The data folder to write."))
    ],
    units: Annotated[int, typer.Option(help=tr("Number of units."), min=1)] = 120,
    volunteers: Annotated[
        int, typer.Option(help=tr("Number of volunteers (≥ 6 per unit)."))
    ] = 6000,
    seed: Annotated[int, typer.Option(help=tr("The same seed writes the same city."))] = 0,
    cities: Annotated[
        int, typer.Option(help=tr("Split the units over this many cities (a province)."), min=1)
    ] = 1,
) -> None:
    from roster.synth import synth as make
    from roster.synth import write_city

    if volunteers < 6 * units:
        raise BadValue(tr("give at least 6 volunteers per unit"), param_hint="--volunteers")
    with handled():
        city = make(units, volunteers, seed, cities)
        write_city(city, out_dir)
        err.print(
            escape(
                tr(
                    "wrote {units} units, {volunteers} volunteers, {duties} duty rows and "
                    "{leave} leave entries to {path}; next: {command}",
                    units=len(city.units),
                    volunteers=len(city.volunteers),
                    duties=len(city.duties),
                    leave=len(city.leave),
                    path=out_dir,
                    command="roster check " + str(out_dir),
                )
            ),
            highlight=False,
        )


def _period(week: str | None, from_: str | None, to: str | None) -> tuple[date, date]:
    if week and (from_ or to):
        raise BadValue(tr("give either --week or --from/--to, not both"))
    if week:
        day = _required(week)
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if not (from_ and to):
        raise BadValue(tr("give --week DATE, or both --from DATE and --to DATE"))
    first, last = _required(from_), _required(to)
    if last < first:
        raise BadValue(tr("--to {last} is before --from {first}", last=last, first=first))
    return first, last


def _required(value: str) -> date:
    day = _date(value)
    assert day is not None  # only None for None
    return day


register(app, out, err, handled, _required)
register_web(app, out, err, handled)


def main() -> None:  # pragma: no cover - the console script calls `app`
    app()
