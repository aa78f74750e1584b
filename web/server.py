"""Serving a workspace: Django's WSGI application behind waitress (pure Python: Windows and Linux),
static files by WhiteNoise. Never Django's development server."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command


def serve(host: str, port: int, ready: Callable[[str], None], threads: int = 8) -> None:
    """Migrate (the web's tables too), then answer until interrupted."""
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    from web.feeds import wsgi
    from workspace.jobs import abandon

    call_command("migrate", interactive=False, verbosity=0)
    abandon()  # a job the last server left under way will never finish
    application = wsgi(get_wsgi_application())
    server = create_server(application, host=host, port=port, threads=threads, ident="roster")
    ready(f"http://{host}:{server.effective_port}/")
    server.run()
