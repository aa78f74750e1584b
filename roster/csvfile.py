"""CSV files as the office saves them: UTF-8 (with or without BOM) or GB18030/GBK, as text cells.

Standard library only, so that reading an `assignments.csv` (the solver's `--previous` and
`--history`) pulls in no spreadsheet or data-frame library.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from roster.errors import Problem, Source, detail
from roster.fileio import csv_text
from roster.i18n import tr
from roster.values import cell_text

ENCODINGS = ("utf-8-sig", "gb18030")

# A spreadsheet reads a cell beginning with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = "=+-@\t\r"
# Text roster quotes: a formula start, after any apostrophes (so that "'=x" is quoted too and
# reading back can tell roster's apostrophe from one of the data).
_QUOTED = re.compile("'*[" + re.escape(FORMULA_STARTS) + "]")
_WRITTEN_QUOTED = re.compile("'+[" + re.escape(FORMULA_STARTS) + "]")


def excel_text(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text, never runs: a leading `'` before text
    that begins with = + - @, a tab or a carriage return, or with apostrophes and then one."""
    return "'" + text if _QUOTED.match(text) else text


def original_text(cell: str) -> str:
    """The text `excel_text` was given: its one added apostrophe taken off again."""
    return cell[1:] if _WRITTEN_QUOTED.match(cell) else cell


def excel_csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """`csv_text` for a file people open in a spreadsheet: every text cell `excel_text`."""
    return csv_text(
        header,
        ([excel_text(c) if isinstance(c, str) else c for c in row] for row in rows),
    )


@dataclass
class RawTable:
    """A table's text cells as read, with 1-based row numbers (the header is row 1)."""

    file: str
    sheet: str | None
    rows: list[tuple[int, list[str]]]  # the first is the header
    # column key -> the header as written, with its letter; set once the header is read
    columns: tuple[tuple[str, str], ...] = field(default=())
    # column key -> the table's Chinese header, for a column the file does not have
    names: tuple[tuple[str, str], ...] = field(default=())

    def source(self, row: int | None = None) -> Source:
        return Source(self.file, row, self.sheet, self.columns, self.names)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which also reads GBK and GB2312."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data, 0, 1, "neither UTF-8 nor GB18030/GBK")


def read_csv(path: Path, problems: list[Problem]) -> RawTable | None:
    """The file's records as text cells; None (with a Problem) when it cannot be read.

    A record may not have more cells than the first one (the header): that is a shifted comma,
    and guessing which cell moved would silently misread the row.
    """
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        problems.append(
            Problem(
                tr("cannot decode the file"),
                Source(path.name),
                expected=tr("UTF-8, UTF-8 with BOM, or GB18030/GBK text"),
            )
        )
        return None
    rows: list[tuple[int, list[str]]] = []
    width = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), skipinitialspace=True), 1):
            if number == 1:
                width = len(cells)
            elif len(cells) > width:
                problems.append(
                    Problem(
                        tr(
                            "cannot read the CSV (line {line} has {cells} cells, the header "
                            "{header})",
                            line=number,
                            cells=len(cells),
                            header=width,
                        ),
                        Source(path.name, number),
                        expected=tr("the same number of commas on every line"),
                    )
                )
                return None
            rows.append((number, [cell_text(c) for c in cells]))
    except csv.Error as exc:
        problems.append(
            Problem(
                tr("cannot read the CSV{detail}", detail=detail(exc)),
                Source(path.name),
                expected=tr("quotes that open and close on every line"),
            )
        )
        return None
    return RawTable(path.name, None, rows)
