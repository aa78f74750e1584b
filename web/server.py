"""Serving a workspace: Django's WSGI application behind waitress (pure Python: Windows and Linux),
static files by WhiteNoise. Never Django's development server."""

from __future__ import annotations

import errno
from collections.abc import Callable

from django.core.management import call_command

from roster.errors import InputError, Problem, Source
from roster.i18n import tr

MAX_BODY = 25 * 1024 * 1024  # an upload of the tables is at most 20 MB; nothing else is larger


def serve(host: str, port: int, ready: Callable[[str], None], threads: int = 8) -> None:
    """Migrate (the web's tables too), then answer until interrupted."""
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    from web.feeds import wsgi
    from workspace.jobs import abandon

    call_command("migrate", interactive=False, verbosity=0)
    abandon()  # a job the last server left under way will never finish
    application = wsgi(get_wsgi_application())
    try:
        server = create_server(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="roster",
            max_request_body_size=MAX_BODY,
        )
    except OSError as error:  # the port taken by another program, or an address not this machine's
        raise InputError(
            [
                Problem(
                    tr(
                        "cannot listen on {host} port {port}: {reason}",
                        host=host,
                        port=port,
                        reason=_reason(error),
                    ),
                    Source("--port"),
                    expected=tr("a free port, e.g. --port {port}", port=port + 1),
                )
            ]
        ) from None
    ready(f"http://{host}:{server.effective_port}/")
    server.run()


def _reason(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return tr("another program is using it")
    return str(error.strerror or error)
