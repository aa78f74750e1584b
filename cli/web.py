"""`roster serve` and `roster user add|list|disable`: the web application's edge."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.helptext import Command, Group, command_help
from cli.workspace import WorkspaceOpt, opened
from roster.fileio import write_text
from roster.i18n import tr

user_app = typer.Typer(
    cls=Group, help=tr("Accounts of the web pages: add, list, disable."), no_args_is_help=True
)


def register(
    app: typer.Typer,
    out: Console,
    err: Console,
    handled: Callable[[], AbstractContextManager[None]],
) -> None:
    """Add `serve` and the `user` group to `app`."""

    @app.command(
        cls=Command,
        help=command_help(
            tr(
                "Serve the workspace: the office's pages and the calendar feeds phones "
                "subscribe to."
            ),
            "roster serve --port 8000",
        ),
    )
    def serve(
        host: Annotated[str, typer.Option(help=tr("The address to listen on."))] = "127.0.0.1",
        port: Annotated[int, typer.Option(help=tr("The port to listen on."))] = 8000,
        demo: Annotated[
            bool,
            typer.Option(
                help=tr(
                    "The shipped sample as the office sees it: a workspace made from it once "
                    "(./roster-demo), a week planned and published, a demo account, on "
                    "127.0.0.1 only."
                )
            ),
        ] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            _serve(out, err, host, port, demo, workspace)

    @user_app.command(
        "add",
        cls=Command,
        help=command_help(tr("Add an account."), "roster user add 王芳 --role office"),
    )
    def user_add(
        name: Annotated[str, typer.Argument(metavar="NAME", help=tr("The sign-in name."))],
        role: Annotated[
            str,
            typer.Option(
                help=tr(
                    "{office} (the office), {unit} (a unit contact) or {inspector}.",
                    office="office",
                    unit="unit",
                    inspector="inspector",
                )
            ),
        ],
        unit: Annotated[str, typer.Option(help=tr("A unit contact's unit."))] = "",
        password_stdin: Annotated[
            bool, typer.Option(help=tr("Read the password from standard input."))
        ] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace, web=True)
            from web.users import add

            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = typer.prompt(tr("Password"), hide_input=True, confirmation_prompt=True)
            account = add(name, role, unit, password)
            added = tr("account {name} added ({role})", name=account.name, role=account.role)
            out.print(escape(added), highlight=False)

    @user_app.command(
        "list", cls=Command, help=command_help(tr("List the accounts."), "roster user list")
    )
    def user_list(workspace: WorkspaceOpt = None) -> None:
        with handled():
            opened(workspace, web=True)
            from web.users import accounts

            table = Table(title=tr("Accounts"))
            for name in (tr("name"), tr("role"), tr("unit"), tr("active")):
                table.add_column(name)
            for a in accounts():
                active = tr("yes") if a.active else tr("no")
                table.add_row(escape(a.name), a.role, escape(a.unit), active)
            out.print(table)

    @user_app.command(
        "disable",
        cls=Command,
        help=command_help(
            tr("Disable an account: it can no longer sign in."), "roster user disable 王芳"
        ),
    )
    def user_disable(
        name: Annotated[str, typer.Argument(metavar="NAME", help=tr("The sign-in name."))],
        workspace: WorkspaceOpt = None,
    ) -> None:
        with handled():
            opened(workspace, web=True)
            from web.users import disable

            disable(name)
            out.print(escape(tr("account {name} disabled", name=name)), highlight=False)

    app.add_typer(user_app, name="user")


def _serve(
    out: Console, err: Console, host: str, port: int, demo: bool, workspace: Path | None
) -> None:
    login = None
    if demo:  # the demo listens on this machine only, whatever --host says
        host, workspace = "127.0.0.1", workspace or Path("roster-demo")
        login = _demo(workspace, err)
    opened(workspace, web=True)
    from web.server import serve as run
    from web.users import accounts

    def ready(address: str) -> None:
        out.print(tr("serving at {address} (Ctrl+C to stop)", address=address), highlight=False)
        if login is not None:
            name, password = login
            out.print(
                tr("sign in as {name}, password {password}", name=name, password=password),
                highlight=False,
            )
            out.print(
                tr(
                    "the sample's week of {first} to {last} is planned and published; "
                    "the login is kept in {file}",
                    first=DEMO_MONDAY,
                    last=DEMO_MONDAY + timedelta(days=6),
                    file=escape(str(Path(workspace or ".") / DEMO_LOGIN)),
                ),
                highlight=False,
            )
        elif not accounts():
            out.print(
                tr("no account yet: create the first one with roster user add NAME --role office"),
                highlight=False,
            )

    run(host, port, ready)


DEMO_WEEK = "2022-06-15"
DEMO_MONDAY = date(2022, 6, 13)
DEMO_LOGIN = "demo_login.txt"


def _demo(folder: Path, err: Console) -> tuple[str, str]:
    """The demo workspace, made once from the shipped sample; its account's name and password."""
    import secrets

    from workspace import config

    config.configure(folder, web=True)
    if not config.is_workspace(folder):
        from roster.sample import sample_dir
        from web.users import add
        from workspace import operations

        making = tr("making the demo workspace {folder} from the sample", folder=folder)
        err.print(escape(making), highlight=False)
        with operations.acting("demo"):  # the demo account planned and published its week
            operations.init(folder, sample_dir())
            config.migrate()
            operations.plan_week(folder, date.fromisoformat(DEMO_WEEK))
            operations.publish_week(folder, date.fromisoformat(DEMO_WEEK))
        password = secrets.token_urlsafe(12)
        add("demo", "office", "", password)
        write_text(folder / DEMO_LOGIN, f"demo {password}\n")
        (folder / DEMO_LOGIN).chmod(0o600)
    name, password = (folder / DEMO_LOGIN).read_text(encoding="utf-8").split()
    return name, password
