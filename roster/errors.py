"""Problems found in a user's tables, and the exception that carries them.

A user's mistake is never a traceback: every check produces a `Problem` that names where it is
(file, sheet, row, column), the bad value and what was expected. Readers collect all problems of
their input before raising one `InputError`, so a user fixes a whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Source:
    """Where a record came from: file name, sheet (workbooks only) and 1-based row (header is 1)."""

    file: str
    row: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        return ", ".join(parts)


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
            where = f"{where}, column {self.column}" if where else f"column {self.column}"
        text = self.message
        if self.value is not None:
            text += f": got {self.value!r}"
        if self.expected:
            text += f"; expected {self.expected}"
        return f"{where}: {text}" if where else text


class InputError(Exception):
    """The input cannot be used; `problems` lists every error found (and any warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the input:\n" + "\n".join(map(str, errors)))


class FieldError(ValueError):
    """A single field of a record is invalid; readers map `field` to the user's column."""

    def __init__(self, field: str, message: str, value: object = None, expected: str = "") -> None:
        self.field = field
        self.message = message
        self.value = None if value is None else str(value)
        self.expected = expected
        super().__init__(f"{field}: {message}" + (f" (got {value!r})" if value is not None else ""))
