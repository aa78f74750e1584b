"""Shared fixtures: the shipped Leiyang sample, and copies of it to break on purpose."""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from roster import i18n
from roster.model import Plan
from roster.readers import load

# The tests read English unless they ask for Chinese (`chinese` fixture); subprocesses inherit it.
os.environ["ROSTER_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "leiyang"


@pytest.fixture(scope="session")
def sample_plan() -> Plan:
    return load(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample data folder."""
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def edit_csv(sample_copy: Path) -> Callable[..., Path]:
    """edit_csv('volunteers.csv', row, column, value): set one cell (row 1 is the header)."""

    def edit(name: str, row: int, column: str, value: str) -> Path:
        path = sample_copy / name
        rows = read_rows(path)
        index = rows[0].index(column)
        while len(rows) < row:
            rows.append([""] * len(rows[0]))
        rows[row - 1][index] = value
        write_rows(path, rows)
        return sample_copy

    return edit


def folder_to_workbook(folder: Path, target: Path, sheet_names: dict[str, str]) -> Path:
    """The same tables as sheets of one workbook (cells typed as text, as after a paste)."""
    import tomllib

    wb = Workbook()
    wb.remove(wb.active)
    for file, sheet in sheet_names.items():
        if file == "settings.toml":
            ws = wb.create_sheet(sheet)
            ws.append(["设置项", "值"])
            for key, value in tomllib.loads((folder / file).read_text("utf-8")).items():
                ws.append([key, str(value)])
            continue
        ws = wb.create_sheet(sheet)
        for row in read_rows(folder / file):
            ws.append(row)
    wb.save(target)
    return target


# Every message the tests build is rendered again in Chinese, with the same values, and the run
# fails when one has no translation or lets an English word through (tests/test_roster_i18n.py
# checks the catalog itself). The values are data and are taken out before looking for words.
_ALLOWED = """CSV RRULE BYDAY BYSETPOS BYMONTHDAY FREQ INTERVAL COUNT UNTIL WKST HH MM YYYY DD ID
URL iCal ics webcal Excel WPS TOML UTF GB GBK ISO CP SAT xlsx csv txt toml h roster
MO TU WE TH FR SA SU DAILY WEEKLY MONTHLY YEARLY
docx xls xlsm doc wps et pdf html htm zip Word Unicode"""
ALLOWED_LATIN = frozenset(_ALLOWED.split())
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# What the user types as it stands: options, file names, addresses, commands (`roster synth`,
# `pip install -U chinese-calendar`), time zones (Asia/Shanghai), settings (`start = `) and
# environment variables and placeholders of a command line (ROSTER_WORKSPACE, DATA).
OPTION_OR_FILE = re.compile(
    r"--?[a-z][a-z-]*|[\w.-]+\.(?:csv|toml|txt|xlsx|ics|po|mo)\b|\w+://\S+"
    r"|\broster [a-z]+(?: (?:add|list|remove|set)\b)?"
    r"|\bchinese-calendar\b|\bpip install(?: -U)? [\w-]+"
    r"|\b[A-Z][a-z]+/[A-Za-z_]+|\b[a-z_]+ = |\b[A-Z][A-Z_]+[A-Z]\b"
)


def english_words(text: str, values: Iterable[object] = ()) -> list[str]:
    """The English words left in a Chinese text once its values, options and file names are out."""
    for value in sorted((str(v) for v in values), key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    text = OPTION_OR_FILE.sub(" ", text)
    return [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_LATIN]


_messages: dict[tuple[str, str | None, int | None, str], dict[str, object]] = {}


def _record(message: str, plural: str | None, n: int | None, fields: dict[str, object]) -> None:
    key = (message, plural, n, repr(sorted(fields.items(), key=lambda kv: kv[0])))
    if len(_messages) < 200_000:
        _messages.setdefault(key, dict(fields))


i18n.recorder = _record


def _untranslated() -> list[str]:
    chinese = i18n.catalog(i18n.CHINESE)
    out: dict[str, str] = {}  # one example per text
    for (message, plural, n, _), fields in _messages.items():
        if message in out:
            continue
        if plural is None:
            text = chinese.gettext(message)
            values = list(fields.values())
            rendered = text.format(**fields) if fields else text
        else:
            text = chinese.ngettext(message, plural, n or 0)
            values = [*fields.values(), n]
            rendered = text.format(n=n, **fields)
        leaks = english_words(rendered, values)
        words = LATIN_WORD.search(OPTION_OR_FILE.sub(" ", re.sub(r"\{[^{}]*\}", " ", message)))
        if (text == message and words) or leaks:
            note = f" (English: {leaks})" if leaks else ""
            out[message] = f"{message!r} -> {rendered!r}{note}"
    return sorted(out.values())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus != 0 or not _messages:  # a failing run says enough already
        return
    found = _untranslated()
    if found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        session.config._roster_untranslated = found  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    found = getattr(config, "_roster_untranslated", [])
    if found:
        terminalreporter.section("messages the tests met that do not read in Chinese")
        for line in found:
            terminalreporter.write_line(line)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Any]:
    """A folder for a new workspace, Django configured for it, and `workspace.operations`.

    On PostgreSQL (DATABASE_URL set) the one database is emptied first, so each test starts
    from nothing as it does with its own SQLite file.
    """
    from workspace import config

    folder = tmp_path / "workspace"
    config.configure(folder, web=True)  # the web's tests share the process
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    from workspace import operations

    return folder, operations
