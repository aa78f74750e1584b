"""The workspace commands: `roster init`, `import`, `leave`, `plan`, `publish`, `changes`, `links`.

Each opens the workspace (`--workspace DIR`, else ROSTER_WORKSPACE, else ./roster-workspace),
calls `workspace.operations` and prints. Django is imported only when a command runs, so the
file commands start as fast as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli import exitcodes
from cli.helptext import Command, Group, command_help
from roster.csvfile import excel_csv_text
from roster.errors import FieldError, InputError, Problem, Source
from roster.fileio import write_bytes, write_text
from roster.i18n import join, tr
from roster.model import hhmm

if TYPE_CHECKING:
    from application.official import Options
    from roster.assignments import AssignmentRow
    from solver import PartResult
    from workspace.operations import Imported, PersonChange

T = TypeVar("T")

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help=tr("The workspace folder. Default: ROSTER_WORKSPACE, else ./roster-workspace."),
        show_default=False,
    ),
]

volunteer_app = typer.Typer(
    cls=Group,
    help=tr("Volunteers: add, change and remove one at a time, on top of the tables."),
    no_args_is_help=True,
)
unit_app = typer.Typer(
    cls=Group,
    help=tr("Units: add, change and remove one at a time, on top of the tables."),
    no_args_is_help=True,
)
leave_app = typer.Typer(
    cls=Group, help=tr("Leave: add, list and remove entries one at a time."), no_args_is_help=True
)


def _where(workspace: Path | None) -> str:
    """The `--workspace` option to repeat in a command we suggest, when one was given."""
    return f" --workspace {workspace}" if workspace else ""


def official_options(
    visit_start: str | None,
    people: int | None,
    summer_start: str | None,
    summer_end: str | None,
    start: str | None,
    end: str | None,
    parts: list[str],
    day: Callable[[str], date],
) -> Options:
    """The options of `roster import` for a published table; a bad one is exit 2, named."""
    from application.official import Options
    from official.convert import DEFAULT_PARTS
    from roster.values import parse_month_day, parse_time

    problems: list[Problem] = []

    def parsed(option: str, value: str | None, parse: Callable[[str], T]) -> T | None:
        if value is None:
            return None
        try:
            return parse(value)
        except FieldError as exc:
            problems.append(Problem(exc.message, None, option, value, exc.expected))
            return None

    windows: list[tuple[str, int, int]] = []
    for text in parts:
        name, _, span = text.partition("=")
        first, _, last = span.replace("至", "-").partition("-")
        try:
            if name.strip() not in DEFAULT_PARTS:
                raise FieldError("part", name)
            begin = parse_time(first.strip(), "part")
            window = (name.strip(), begin, parse_time(last.strip(), "part", allow_24=True))
        except FieldError:
            problems.append(
                Problem(
                    tr("not a part of the day and its window"),
                    None,
                    "--part",
                    text,
                    tr("a part of the day, =, and a window, e.g. 下午=15:00-17:00"),
                )
            )
            continue
        windows.append(window)
    options = Options(
        visit_start=parsed("--visit-start", visit_start, lambda v: parse_time(v, "visit")),
        people=people,
        summer_start=parsed("--summer-start", summer_start, lambda v: parse_month_day(v, "s")),
        summer_end=parsed("--summer-end", summer_end, lambda v: parse_month_day(v, "s")),
        start=day(start) if start else None,
        end=day(end) if end else None,
        parts=tuple(windows),
    )
    if problems:
        raise InputError(problems)
    return options


def folder(workspace: Path | None) -> Path:
    from workspace.config import default_folder

    return workspace or default_folder()


def opened(workspace: Path | None, web: bool = False) -> Path:
    """The workspace, open and migrated (InputError when the folder is not one).

    Django is configured here, before anything imports the workspace's models."""
    from workspace import config

    target = folder(workspace)
    config.require(target)
    config.configure(target, web=web)
    from workspace.operations import open_workspace

    return open_workspace(target)


def register(  # noqa: C901 - only the commands' definitions, each simple
    app: typer.Typer,
    out: Console,
    err: Console,
    handled: Callable[[], AbstractContextManager[None]],
    day: Callable[[str], date],
) -> None:
    """Add the workspace commands to `app` (the console and error handling are the CLI's)."""

    @app.command(
        cls=Command,
        help=command_help(
            tr("Create a workspace from the tables (and earlier weeks' rosters, if any)."),
            "roster init 文明城市排班 --tables data/leiyang",
        ),
    )
    def init(
        tables: Annotated[
            Path,
            typer.Option(help=tr("The data folder or .xlsx workbook of the tables.")),
        ],
        directory: Annotated[
            Path | None, typer.Argument(help=tr("The new workspace folder."), show_default=False)
        ] = None,
        history: Annotated[
            list[Path] | None,
            typer.Option(
                help=tr("assignments.csv of an earlier week (repeatable): taken as published.")
            ),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        target = directory or folder(workspace)
        with handled():
            from workspace import config

            config.configure(target)
            from workspace.operations import init as create

            imported = create(
                target,
                tables,
                tuple(history or ()),
                lambda what: err.print(escape(what), highlight=False, soft_wrap=True),
            )
            out.print(
                escape(
                    tr(
                        "created the workspace {folder}: table version {number}; next: roster "
                        "plan --week DATE --workspace {folder}",
                        folder=target,
                        number=imported.number,
                    )
                ),
                highlight=False,
                soft_wrap=True,
            )

    @app.command(
        "import",
        cls=Command,
        help=command_help(
            tr(
                "Import a new version of the tables and print what changed; or, with --out, "
                "convert a bureau's published table (.docx, .xlsx, .xls, .txt) into a data "
                "folder and a report of every choice made where the table is silent."
            ),
            "roster import 责任分工表.docx --out 数据",
        ),
    )
    def import_(
        tables: Annotated[
            Path,
            typer.Argument(
                help=tr(
                    "The data folder or .xlsx workbook, or a published table: .docx, .xlsx in "
                    "the published layout, .xls or .txt copied from the web page."
                )
            ),
        ],
        out_dir: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help=tr(
                    "Convert the published table into this data folder (no workspace needed); "
                    "writes import-report.txt there too."
                ),
                show_default=False,
            ),
        ] = None,
        visit_start: Annotated[
            str | None,
            typer.Option(
                help=tr(
                    "Start of a visit the table gives hours but no time of day. Default 08:30."
                ),
                show_default=False,
            ),
        ] = None,
        people: Annotated[
            int | None,
            typer.Option(
                help=tr("People per slot where the table states no headcount. Default 2."),
                show_default=False,
                min=1,
            ),
        ] = None,
        summer_start: Annotated[
            str | None,
            typer.Option(help=tr("First day of summer, MM-DD. Default 05-01."), show_default=False),
        ] = None,
        summer_end: Annotated[
            str | None,
            typer.Option(help=tr("Last day of summer, MM-DD. Default 09-30."), show_default=False),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(
                "--start",
                help=tr("First day of the campaign, instead of the document's. YYYY-MM-DD."),
                show_default=False,
            ),
        ] = None,
        end: Annotated[
            str | None,
            typer.Option(
                "--end",
                help=tr("Last day of the campaign, instead of the document's. YYYY-MM-DD."),
                show_default=False,
            ),
        ] = None,
        part: Annotated[
            list[str] | None,
            typer.Option(
                help=tr(
                    "The window of a part of the day named without times, e.g. "
                    "下午=15:00-17:00 (repeatable)."
                ),
                show_default=False,
            ),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            from official.documents import is_official

            official = is_official(tables)
            if out_dir is not None or official:
                options = official_options(
                    visit_start, people, summer_start, summer_end, start, end, part or [], day
                )
            if out_dir is not None:
                _convert(tables, out_dir, options)
                return
            opened(workspace)
            if official:
                from workspace.official import import_document

                report, imported = import_document(tables, options)
                out.print(escape(report.text()), highlight=False, soft_wrap=True)
                if imported is None:
                    raise typer.Exit(exitcodes.INPUT)
            else:
                from workspace.operations import import_tables

                imported = import_tables(tables)
            _print_imported(imported)

    def _convert(tables: Path, out_dir: Path, options: Options) -> None:
        from application.official import REPORT, import_official
        from official.documents import SUFFIXES, is_official

        if not is_official(tables):
            raise InputError(
                [
                    Problem(
                        tr("--out converts a published table, and this is not one"),
                        Source(str(tables)),
                        expected=tr(
                            "a {suffixes} file in the published layout (roster's own tables "
                            "need no conversion)",
                            suffixes=join(list(SUFFIXES)),
                        ),
                    )
                ]
            )
        report = import_official(tables, out_dir, options)
        out.print(escape(report.text()), highlight=False, soft_wrap=True)
        if report.failed:
            err.print(
                escape(
                    tr(
                        "nothing converted: fix the cells named in {report} and run again",
                        report=out_dir / REPORT,
                    )
                ),
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(exitcodes.INPUT)
        out.print(
            escape(
                tr(
                    "next: each unit fills in {volunteers}, then roster check {folder}",
                    volunteers=out_dir / "volunteers.csv",
                    folder=out_dir,
                )
            ),
            highlight=False,
            soft_wrap=True,
        )

    def _print_imported(imported: Imported) -> None:
        if imported.same:
            out.print(tr("the tables are unchanged (version {number})", number=imported.number))
            return
        out.print(
            tr(
                "table version {number}: {added} duty rows added, {removed} removed",
                number=imported.number,
                added=imported.duties_added,
                removed=imported.duties_removed,
            ),
            highlight=False,
            soft_wrap=True,
        )
        for label, names in (
            (tr("units added"), imported.units_added),
            (tr("units gone"), imported.units_gone),
            (tr("volunteers added"), imported.volunteers_added),
            (tr("volunteers gone"), imported.volunteers_gone),
        ):
            if names:
                line = tr("{label}: {names}", label=label, names=escape(join(list(names))))
                out.print(line, highlight=False, soft_wrap=True)
        if imported.edits_kept or imported.edits_dropped:
            out.print(
                tr(
                    "edits made one by one: {kept} kept on top of the new tables, {dropped} "
                    "dropped (they no longer fit them)",
                    kept=imported.edits_kept,
                    dropped=imported.edits_dropped,
                )
            )

    @leave_app.command(
        "add",
        cls=Command,
        help=command_help(
            tr("Record leave; the next plan of each week it touches takes it into account."),
            "roster leave add JG003 2022-06-15 2022-06-17 --reason 病假",
        ),
    )
    def leave_add(
        volunteer_id: Annotated[str, typer.Argument(metavar="ID", help=tr("Volunteer id (编号)."))],
        first: Annotated[str, typer.Argument(metavar="FROM", help=tr("First day, YYYY-MM-DD."))],
        last: Annotated[str, typer.Argument(metavar="TO", help=tr("Last day, YYYY-MM-DD."))],
        reason: Annotated[str, typer.Option(help=tr("Why, e.g. 病假 or 事假."))] = "",
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import add_leave

            entry = add_leave(volunteer_id, day(first), day(last), reason)
            out.print(
                tr(
                    "leave {number}: {id} from {first} to {last}; plan the weeks it touches again",
                    number=entry.id,
                    id=escape(volunteer_id),
                    first=entry.start,
                    last=entry.end,
                ),
                highlight=False,
                soft_wrap=True,
            )

    @leave_app.command(
        "list",
        cls=Command,
        help=command_help(
            tr("List leave entries with their numbers."), "roster leave list --week 2022-06-15"
        ),
    )
    def leave_list(
        week: Annotated[
            str | None, typer.Option(help=tr("Only leave touching the week of this date."))
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import list_leave

            table = Table(title=tr("Leave"))
            for name in (tr("number"), tr("id"), tr("name"), tr("from"), tr("to"), tr("reason")):
                table.add_column(name)
            for entry, name in list_leave(day(week) if week else None):
                table.add_row(
                    str(entry.id),
                    escape(entry.volunteer_id),
                    escape(name),
                    str(entry.start),
                    str(entry.end),
                    escape(entry.reason),
                )
            out.print(table)

    @leave_app.command(
        "remove",
        cls=Command,
        help=command_help(tr("Remove a leave entry."), "roster leave remove 3"),
    )
    def leave_remove(
        number: Annotated[int, typer.Argument(metavar="N", help=tr("The number from leave list."))],
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import remove_leave

            entry = remove_leave(number)
            out.print(
                tr(
                    "removed leave {number} of {id}; plan the weeks it touched again",
                    number=number,
                    id=escape(entry.volunteer_id),
                ),
                highlight=False,
                soft_wrap=True,
            )

    app.add_typer(leave_app, name="leave")
    _register_edits(out, handled)
    app.add_typer(volunteer_app, name="volunteer")
    app.add_typer(unit_app, name="unit")

    @app.command(
        cls=Command,
        help=command_help(
            tr("Draft a week, earlier published weeks counting toward fairness."),
            "roster plan --week 2022-06-15",
            tr("A week published before changes as little as the rules allow."),
        ),
    )
    def plan(
        week: Annotated[str, typer.Option(help=tr("Any date of the week to draft."))],
        seed: Annotated[int, typer.Option(help=tr("Random seed."))] = 0,
        time_limit: Annotated[
            float, typer.Option(help=tr("Deterministic time limit per part and stage."))
        ] = 10.0,
        workspace: WorkspaceOpt = None,
    ) -> None:
        from cli.report import print_summary

        with handled():
            target = opened(workspace)
            from workspace.operations import plan_week

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
                task = bar.add_task(tr("drafting"), total=None)

                def advance(part: PartResult) -> None:
                    done = tr("drafting: {unit}", unit=escape(part.unit))
                    bar.update(task, advance=1, description=done)

                drafted = plan_week(
                    target, day(week), seed=seed, time_limit=time_limit, progress=advance
                )
            print_summary(out, drafted.solved.result, drafted.first, drafted.last)
            if drafted.published:
                out.print(
                    tr(
                        "against published version {number}: {n} people affected",
                        number=drafted.published,
                        n=len(drafted.changes),
                    ),
                    highlight=False,
                    soft_wrap=True,
                )
                print_changes(out, drafted.changes)
            out.print(
                escape(
                    tr(
                        "draft in {folder}; publish it: roster publish --week {week}{where}",
                        folder=drafted.folder,
                        week=drafted.first,
                        where=_where(workspace),
                    )
                ),
                highlight=False,
                soft_wrap=True,
            )
        raise typer.Exit(exitcodes.OK if drafted.solved.complete else exitcodes.GAPS)

    @app.command(
        cls=Command,
        help=command_help(
            tr("Publish a week's draft: check it, record whom to tell, write the week's files."),
            "roster publish --week 2022-06-15",
        ),
    )
    def publish(
        week: Annotated[str, typer.Option(help=tr("Any date of the week to publish."))],
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            target = opened(workspace)
            from workspace.operations import publish_week

            with err.status(tr("publishing")) as status:
                done = publish_week(
                    target,
                    day(week),
                    lambda what: status.update(escape(tr("publishing: {what}", what=what))),
                )
            if done.same:
                out.print(
                    escape(
                        tr(
                            "the draft is the same as published version {number}: nothing new "
                            "to publish (whom to tell: roster changes --week {week}{where})",
                            number=done.number,
                            week=done.first,
                            where=_where(workspace),
                        )
                    ),
                    highlight=False,
                )
                return
            if done.edited:
                out.print(tr("the draft's assignments.csv was edited by hand and checked"))
            out.print(
                escape(
                    tr(
                        "published version {number} of {first} to {last}: {rows} assignments, "
                        "{gaps} gaps; files in {folder}",
                        number=done.number,
                        first=done.first,
                        last=done.last,
                        rows=done.rows,
                        gaps=done.gaps,
                        folder=done.folder,
                    )
                ),
                highlight=False,
                soft_wrap=True,
            )
            tell = Table(title=tr("Whom to tell ({n} people)", n=len(done.changes)))
            for name in (tr("unit"), tr("name"), tr("phone"), tr("notice")):
                tell.add_column(name, overflow="fold")
            for c in done.changes[:40]:
                tell.add_row(*(escape(x) for x in (c.unit, c.volunteer_name, c.phone, c.notice)))
            out.print(tell)
            if len(done.changes) > 40:
                out.print(
                    escape(
                        tr(
                            "… and {n} more: roster changes --week {week} --out 通知.xlsx{where}",
                            n=len(done.changes) - 40,
                            week=done.first,
                            where=_where(workspace),
                        )
                    ),
                    highlight=False,
                    soft_wrap=True,
                )

    @app.command(
        cls=Command,
        help=command_help(
            tr("Per person, what the last publish of a week changed, and the notice to send."),
            "roster changes --week 2022-06-15 --out 通知.xlsx",
        ),
    )
    def changes(
        week: Annotated[str, typer.Option(help=tr("Any date of the week."))],
        output: Annotated[
            Path | None,
            typer.Option("--out", help=tr("A .csv or .xlsx file to write. Default: the screen.")),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import week_changes

            version, rows = week_changes(day(week))
            from workspace.notices import CHANGE_COLUMNS
            from workspace.notices import cells as change_cells

            header = CHANGE_COLUMNS
            cells = change_cells(rows)
            if output is None:
                table = Table(
                    title=tr("Version {number}: {n} people", number=version.number, n=len(rows))
                )
                for name in header:
                    table.add_column(tr(name), overflow="fold")
                for row in cells:
                    table.add_row(*(escape(x) for x in row))
                out.print(table)
                return
            write_table(output, header, cells)
            err.print(
                escape(tr("wrote {n} rows to {file}", n=len(cells), file=output)),
                highlight=False,
                soft_wrap=True,
            )

    @app.command(
        cls=Command,
        help=command_help(
            tr("List every feed link: the city's, each unit's and area's, each volunteer's."),
            "roster links --out 订阅链接.csv",
            tr("For the office only: it holds every personal link."),
        ),
    )
    def links(
        output: Annotated[
            Path | None,
            typer.Option("--out", help=tr("A .csv file to write. Default: standard output.")),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import LINK_COLUMNS
            from workspace.operations import links as all_links

            rows = [(x.kind, x.name, x.volunteer_id, x.unit, x.path, x.url) for x in all_links()]
            text = excel_csv_text(LINK_COLUMNS, rows)
            if output is None:
                out.file.write(text)
            else:
                write_text(output, text, encoding="utf-8-sig")
                err.print(
                    escape(tr("wrote {n} links to {file}", n=len(rows), file=output)),
                    highlight=False,
                )


IdArg = Annotated[str, typer.Argument(metavar="ID", help=tr("Volunteer id (编号)."))]
PhoneOpt = Annotated[str | None, typer.Option(help=tr("Phone number."))]
LeaderOpt = Annotated[str | None, typer.Option(help=tr("是 or 否: can lead a team."))]


def _volunteer(*fields: str | None) -> dict[str, str | None]:
    """The options of `volunteer add|set` by the volunteers table's column keys."""
    keys = ("name", "unit", "phone", "leader", "weekly_cap_hours", "unavailable")
    return dict(zip(keys, fields, strict=True))


def _register_edits(out: Console, handled: Callable[[], AbstractContextManager[None]]) -> None:
    """`roster volunteer add|set|remove` and `roster unit add|set|remove`."""

    def save(
        kind: str, action: str, key: str, values: dict[str, str | None], workspace: Path | None
    ) -> None:
        with handled():
            opened(workspace)
            from workspace.operations import edit

            given = {k: v for k, v in values.items() if v is not None}
            edit(kind, action, key, given)
            done = " ".join(("roster", kind, action))
            out.print(
                escape(
                    tr("saved: {command} {key}; plan the coming weeks again", command=done, key=key)
                ),
                highlight=False,
                soft_wrap=True,
            )

    @volunteer_app.command(
        "add",
        cls=Command,
        help=command_help(
            tr("Add a volunteer."),
            "roster volunteer add YL099 --name 柳新 --unit 园林事务中心 --phone 13800009999",
        ),
    )
    def volunteer_add(
        volunteer_id: IdArg,
        name: Annotated[str, typer.Option(help=tr("Name."))],
        unit: Annotated[str, typer.Option(help=tr("Unit, as in the units table."))],
        phone: PhoneOpt = None,
        leader: LeaderOpt = None,
        weekly_cap: Annotated[str | None, typer.Option(help=tr("Hours per week at most."))] = None,
        unavailable: Annotated[
            str | None, typer.Option(help=tr("Weekdays they cannot do, e.g. 周三、周六."))
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        values = _volunteer(name, unit, phone, leader, weekly_cap, unavailable)
        save("volunteer", "add", volunteer_id, values, workspace)

    @volunteer_app.command(
        "set",
        cls=Command,
        help=command_help(
            tr("Change a volunteer's details; only the options given change."),
            "roster volunteer set YL004 --phone 13800000099 --unavailable 周三",
        ),
    )
    def volunteer_set(
        volunteer_id: IdArg,
        name: Annotated[str | None, typer.Option(help=tr("Name."))] = None,
        unit: Annotated[str | None, typer.Option(help=tr("Unit, as in the units table."))] = None,
        phone: PhoneOpt = None,
        leader: LeaderOpt = None,
        weekly_cap: Annotated[
            str | None, typer.Option(help=tr("Hours per week at most; empty for the default."))
        ] = None,
        unavailable: Annotated[
            str | None,
            typer.Option(help=tr("Weekdays they cannot do, e.g. 周三、周六; empty for none.")),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        values = _volunteer(name, unit, phone, leader, weekly_cap, unavailable)
        save("volunteer", "set", volunteer_id, values, workspace)

    @volunteer_app.command(
        "remove",
        cls=Command,
        help=command_help(
            tr("Remove a volunteer (left the unit); their published duties stay as published."),
            "roster volunteer remove YL004",
        ),
    )
    def volunteer_remove(
        volunteer_id: IdArg,
        workspace: WorkspaceOpt = None,
    ) -> None:
        save("volunteer", "remove", volunteer_id, {}, workspace)

    @unit_app.command(
        "add",
        cls=Command,
        help=command_help(
            tr("Add a unit."), "roster unit add 城管执法大队 --contact 刘洋 --phone 13800001234"
        ),
    )
    def unit_add(
        name: Annotated[str, typer.Argument(help=tr("The unit's name."))],
        contact: Annotated[str | None, typer.Option(help=tr("Contact person."))] = None,
        phone: Annotated[str | None, typer.Option(help=tr("Phone number."))] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        save("unit", "add", name, {"contact": contact, "phone": phone}, workspace)

    @unit_app.command(
        "set",
        cls=Command,
        help=command_help(
            tr("Change a unit's contact or phone."),
            "roster unit set 局机关 --contact 钱丽平 --phone 13800000001",
        ),
    )
    def unit_set(
        name: Annotated[str, typer.Argument(help=tr("The unit's name."))],
        contact: Annotated[str | None, typer.Option(help=tr("Contact person."))] = None,
        phone: Annotated[str | None, typer.Option(help=tr("Phone number."))] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        save("unit", "set", name, {"contact": contact, "phone": phone}, workspace)

    @unit_app.command(
        "remove",
        cls=Command,
        help=command_help(
            tr("Remove a unit that no volunteer and no duty names any more."),
            "roster unit remove 城管执法大队",
        ),
    )
    def unit_remove(
        name: Annotated[str, typer.Argument(help=tr("The unit's name."))],
        workspace: WorkspaceOpt = None,
    ) -> None:
        save("unit", "remove", name, {}, workspace)


def write_table(path: Path, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """CSV (with a BOM, for Excel) or, for a .xlsx name, a workbook with wrapped cells."""
    if path.suffix.lower() != ".xlsx":
        write_text(path, excel_csv_text([tr(h) for h in header], rows), encoding="utf-8-sig")
        return
    from workspace.notices import workbook

    write_bytes(path, workbook(rows))


def print_changes(out: Console, changes: list[PersonChange]) -> None:
    """Who gains and who loses duties, a line each (the first 40)."""
    for c in changes[:40]:
        parts = []
        if c.added:
            parts.append("+ " + join([_duty(r) for r in c.added]))
        if c.removed:
            parts.append("− " + join([_duty(r) for r in c.removed]))
        line = tr("; ").join(parts)
        text = escape(f"{c.unit} {c.name}（{c.volunteer_id}）: {line}")
        out.print(text, highlight=False, soft_wrap=True)
    if len(changes) > 40:
        out.print(tr("… and {n} more", n=len(changes) - 40))


def _duty(r: AssignmentRow) -> str:
    return f"{r.date} {hhmm(r.start)}–{hhmm(r.end)} {r.area}"
