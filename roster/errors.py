"""Problems found in a user's tables, and the exception that carries them.

A user's mistake is never a traceback: every check produces a `Problem` that names where it is
(file, sheet, row, column), the bad value and what was expected. Readers collect all problems of
their input before raising one `InputError`, so a user fixes a whole file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from roster.i18n import ENGLISH, language, tr


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """The word printed before a problem."""
        return tr("error") if self is Severity.ERROR else tr("warning")


@dataclass(frozen=True, order=True)
class Source:
    """Where a record came from: file name, sheet (workbooks only) and 1-based row (header is 1).

    `columns` maps a column's key to its header as the user's file spells it, with its letter
    (`所属单位 (C)`), so a problem found later, between tables, still names the user's column.
    `names` maps every key of the table to its Chinese header, which a Chinese message names when
    the file has no such column (English names the key, which is the English header). `settings`
    is set for a settings file or sheet: there a key is a setting, not a column.
    """

    file: str
    row: int | None = None
    sheet: str | None = None
    columns: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    names: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    settings: bool = field(default=False, compare=False, repr=False)

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(tr("sheet {sheet}", sheet=self.sheet))
        if self.row is not None:
            parts.append(tr("row {row}", row=self.row))
        return tr(", ").join(parts)

    def column(self, key: str) -> str:
        """The user's header for the column `key`; else its Chinese header, or the key itself."""
        read = dict(self.columns)
        if key in read:
            return read[key]
        if language() != ENGLISH:
            return dict(self.names).get(key, key)
        return key


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the input, with everything needed to find and fix it."""

    message: str
    source: Source | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = str(self.source) if self.source else ""
        if self.column:
            label = self.source.column(self.column) if self.source else self.column
            if self.source and self.source.settings:
                column = tr("setting {setting}", setting=label)
            else:
                column = tr("column {column}", column=label)
            where = tr("{where}, {column}", where=where, column=column) if where else column
        text = self.message
        if self.value is not None:
            text = tr("{message}: got {value}", message=text, value=quote(self.value))
        if self.expected:
            text = tr("{message}; expected {expected}", message=text, expected=self.expected)
        return tr("{where}: {message}", where=where, message=text) if where else text


def quote(text: object) -> str:
    """A value the user typed, quoted as the language quotes: 'x' in English, “x” in Chinese."""
    return repr(text) if language() == ENGLISH else f"“{text}”"


def detail(exc: object) -> str:
    """A library's own explanation of a failure, in brackets; it is English, so English only."""
    return f" ({exc})" if language() == ENGLISH else ""


class InputError(Exception):
    """The input cannot be used; `problems` lists every error found (and any warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        head = tr("{count} error(s) in the input:", count=len(errors))
        super().__init__(head + "\n" + "\n".join(map(str, errors)))


class FieldError(ValueError):
    """A single field of a record is invalid; readers map `field` to the user's column."""

    def __init__(self, field: str, message: str, value: object = None, expected: str = "") -> None:
        self.field = field
        self.message = message
        self.value = None if value is None else str(value)
        self.expected = expected
        super().__init__(f"{field}: {message}" + (f" (got {value!r})" if value is not None else ""))


class FieldErrors(FieldError):
    """Several fields of one record are invalid. It reads as the first where one is expected;
    the readers name each of `errors`, so a row's every mistake is shown at once."""

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.message, first.value, first.expected)
        self.errors = tuple(errors)


def every_error(*checks: Callable[[], None]) -> None:
    """Run every check of a record; raise the one `FieldError` found, or `FieldErrors`."""
    found: list[FieldError] = []
    for check in checks:
        try:
            check()
        except FieldErrors as exc:
            found.extend(exc.errors)
        except FieldError as exc:
            found.append(exc)
    if len(found) == 1:
        raise found[0]
    if found:
        raise FieldErrors(found)
