"""Every sentence a user reads goes through here: Chinese (zh-Hans) by default, English on request.

The source strings are English and double as the English text; the Chinese is a gettext catalog,
`roster/locale/zh_Hans/LC_MESSAGES/django.po`, compiled to `django.mo` beside it. The catalog is
named `django` so that the web application reads the very same file through Django's
LOCALE_PATHS. `ROSTER_LANG=en` chooses English; anything else, or nothing, Chinese.

Placeholders are `{name}` fields filled by `str.format` after translation, so a translation may put
them in another order; data (names, areas, the table's own words) is only ever a field, never
translated. `tr` and `ntr` take the English text as a literal (the extraction reads it from the
source); `N_` marks a constant that is translated later, where it is shown.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"
CHINESE = "zh_Hans"
ENGLISH = "en"

# Called with (English text, plural text or None, n or None, fields) for every message built; the
# tests use it to render each message they meet in Chinese as well.
Recorder = Callable[[str, str | None, int | None, dict[str, object]], None]
recorder: Recorder | None = None

# The language is the thread's own: a web server answers each request in its reader's language.
# A thread that never chose one speaks the process's (ROSTER_LANG, or what the main thread chose).
_default: str | None = None
_local = threading.local()


def language() -> str:
    """The language in use: `zh_Hans`, or `en` when ROSTER_LANG (or `set_language`) says so."""
    lang: str | None = getattr(_local, "language", None)
    if lang is None:
        if _default is None:
            set_language(os.environ.get("ROSTER_LANG"))
        assert _default is not None
        lang = _default
    return lang


def set_language(code: str | None) -> None:
    """Choose the language: `en`/`english`/`en_US`… for English, anything else for Chinese.

    In the main thread it is also the process's language, which other threads start with."""
    global _default
    wanted = (code or "").strip().lower().replace("-", "_")
    lang = ENGLISH if wanted.startswith("en") else CHINESE
    _local.language = lang
    if threading.current_thread() is threading.main_thread() or _default is None:
        _default = lang


def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang`; English is the source text itself."""
    if lang == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang])


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Use `code` for the duration of a block (the tests render one message in both languages)."""
    before = language()
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def _translations() -> gettext.NullTranslations:
    return _CATALOGS.get(language()) or _CATALOGS.setdefault(language(), catalog(language()))


_CATALOGS: dict[str, gettext.NullTranslations] = {}


def tr(message: str, /, **fields: object) -> str:
    """`message` in the user's language, its `{fields}` filled in."""
    if recorder is not None:
        recorder(message, None, None, fields)
    text = _translations().gettext(message)
    return text.format(**fields) if fields else text


def ntr(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The singular or plural of a message counting `n` (also available as the field `{n}`)."""
    if recorder is not None:
        recorder(singular, plural, n, fields)
    return _translations().ngettext(singular, plural, n).format(n=n, **fields)


def N_(message: str) -> str:
    """Mark a constant for the catalog; `tr(constant)` translates it where it is shown."""
    return message


def join(items: list[str] | tuple[str, ...]) -> str:
    """A list as the language writes it: `甲、乙、丙` in Chinese, `a, b, c` in English."""
    return ("、" if language() == CHINESE else ", ").join(items)
