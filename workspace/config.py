"""Opening a workspace: Django configured for its folder, its database migrated.

A workspace is a folder holding `roster.sqlite3` (WAL mode) and `secret_key` (generated once, never
in a repository); with `DATABASE_URL=postgresql://user:pass@host:port/name` set, the tables live
in that PostgreSQL database instead, and the folder keeps the key and the published files.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import django
from django.conf import settings

from roster.errors import InputError, Problem, Source
from roster.fileio import write_text
from roster.i18n import ENGLISH, LOCALE_DIR, language, tr

DATABASE = "roster.sqlite3"
SECRET = "secret_key"
MARKER = "workspace.txt"  # says "this folder is a workspace", whatever the database

_configured: Path | None = None

WEB_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # failed sign-ins counted, and locked out after a few
    "workspace",
    "web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.Language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.Acting",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]


def _hosts() -> list[str]:
    """Other names the server answers to: ROSTER_HOSTS, comma-separated (a bureau's address)."""
    return [h.strip() for h in os.environ.get("ROSTER_HOSTS", "").split(",") if h.strip()]


def https() -> bool:
    """Cookies only over HTTPS when the server sits behind one (ROSTER_HTTPS=1)."""
    return os.environ.get("ROSTER_HTTPS", "") == "1"


def default_folder() -> Path:
    """`ROSTER_WORKSPACE`, else `./roster-workspace`."""
    return Path(os.environ.get("ROSTER_WORKSPACE") or "roster-workspace")


def is_workspace(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def require(folder: Path) -> None:
    """Refuse a folder that is not a workspace, saying how to make one."""
    if not is_workspace(folder):
        raise InputError(
            [
                Problem(
                    tr("this folder is not a workspace"),
                    Source(str(folder)),
                    expected=tr(
                        "create one first: roster init {folder} --tables TABLES", folder=folder
                    ),
                )
            ]
        )


def database(folder: Path) -> dict[str, object]:
    """The database settings: SQLite in the folder, or PostgreSQL from DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / DATABASE),
            # Writers wait for one another instead of failing at once; BEGIN IMMEDIATE takes the
            # write lock when a transaction starts, so two publishes never interleave.
            "OPTIONS": {
                "timeout": 60,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise InputError(
            [
                Problem(
                    tr("DATABASE_URL is not a PostgreSQL address"),
                    Source("DATABASE_URL"),
                    expected="postgresql://user:password@host:port/database",
                )
            ]
        )
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(query.get("host", parts.hostname or "")),
        "PORT": str(query.get("port", parts.port or "")),
    }


def secret_key(folder: Path) -> str:
    """The workspace's own key (sessions and signed links of the web application); a folder
    that does not exist yet (a workspace being created) gets it when it is created."""
    path = folder / SECRET
    if not folder.is_dir():
        return secrets.token_urlsafe(48)
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_text(path, secrets.token_urlsafe(48) + "\n")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def configure(folder: Path, web: bool = False) -> None:
    """Point Django at `folder` (once per process; tests call it again for a new folder).

    `web` installs what the web pages need besides the workspace (auth, sessions, sign-in
    limits…); the command line's workspace commands start faster without them."""
    global _configured
    folder = folder.resolve()
    if _configured == folder:
        return
    if settings.configured:
        _reconfigure(folder)
    else:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=secret_key(folder),
            DATABASES={"default": database(folder)},
            INSTALLED_APPS=WEB_APPS if web else ["workspace"],
            MIDDLEWARE=MIDDLEWARE,
            ROOT_URLCONF="web.urls",
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True,
                    "OPTIONS": {
                        "context_processors": [
                            "django.template.context_processors.request",
                            "django.contrib.auth.context_processors.auth",
                            "django.contrib.messages.context_processors.messages",
                            "web.access.context",
                        ]
                    },
                }
            ],
            USE_TZ=True,
            USE_I18N=True,
            TIME_ZONE="Asia/Shanghai",
            # One language per server, the command line's (ROSTER_LANG): the catalog is shared.
            LANGUAGE_CODE="en" if language() == ENGLISH else "zh-hans",
            LANGUAGES=[("zh-hans", "简体中文"), ("en", "English")],
            LOCALE_PATHS=[str(LOCALE_DIR)],
            DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
            STATIC_URL="/static/",
            WHITENOISE_USE_FINDERS=True,
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]", *_hosts()],
            AUTH_PASSWORD_VALIDATORS=[
                {"NAME": f"django.contrib.auth.password_validation.{name}"}
                for name in (
                    "UserAttributeSimilarityValidator",
                    "MinimumLengthValidator",
                    "CommonPasswordValidator",
                    "NumericPasswordValidator",
                )
            ],
            AUTHENTICATION_BACKENDS=[
                "axes.backends.AxesStandaloneBackend",
                "django.contrib.auth.backends.ModelBackend",
            ],
            # Five wrong passwords for one name from one address: locked for 15 minutes.
            AXES_FAILURE_LIMIT=5,
            AXES_COOLOFF_TIME=timedelta(minutes=15),
            AXES_LOCKOUT_PARAMETERS=[["username", "ip_address"]],
            AXES_RESET_ON_SUCCESS=True,
            AXES_VERBOSE=False,
            AXES_LOCKOUT_TEMPLATE="web/locked.html",
            CSRF_FAILURE_VIEW="web.errors.csrf_failure",
            LOGIN_URL="/login/",
            LOGIN_REDIRECT_URL="/",
            LOGOUT_REDIRECT_URL="/login/",
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=https(),
            CSRF_COOKIE_SECURE=https(),
            SECURE_CONTENT_TYPE_NOSNIFF=True,
            SECURE_REFERRER_POLICY="same-origin",
            X_FRAME_OPTIONS="DENY",
        )
        django.setup()
    _configured = folder


def _reconfigure(folder: Path) -> None:
    """Another workspace in the same process (the tests): close and re-point the connection."""
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"].update(database(folder))
    settings.SECRET_KEY = secret_key(folder)
    with suppress(AttributeError):  # this thread never opened one
        del connections["default"]  # the next use opens the new database


def folder() -> Path:
    """The workspace Django is configured for."""
    assert _configured is not None, "configure() first"
    return _configured


def migrate(verbosity: int = 0) -> None:
    """Bring the database to the current schema (a workspace of an older version included).

    The migrations already applied are read from Django's own record first (a millisecond);
    loading the migration graph, as `migrate` does, would cost every command a tenth of a second.
    """
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    root = Path(__file__).parent.parent
    shipped = {
        (app, p.stem)
        for app in ("workspace", "web")
        for p in (root / app / "migrations").glob("0*.py")
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {(row[0], row[1]) for row in cursor.fetchall()}
    except DatabaseError:  # a new database: no record yet
        applied = set()
    if shipped - applied:
        call_command("migrate", interactive=False, verbosity=verbosity)
