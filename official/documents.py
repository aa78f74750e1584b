"""The published responsibility table as rows of cells, from the document it came in.

A bureau publishes its table as a Word document (.docx), a workbook in the same layout (.xlsx, or
the older .xls), or a web page whose text a clerk copies into a .txt file. All of them have a
title and the period above the header row (工作任务 | 时间 | 责任区域 | 要求 | 责任单位), duty names
numbered (一、联社区), one cell merged over the rows of several places, and the header repeated on
the next page. Each reader finds the header below the title, skips the repeated headers, and gives
every row its cells by column, a merged cell repeated on the rows it covers (and marked as such),
so `official.convert` reads one row at a time. Row numbers are the document's own: the table's
row in Word, the sheet's row in a workbook, the line in a text file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from official.grammar import PhraseError, find_mentions, parse_schedule
from roster.errors import InputError, Problem, Source, detail
from roster.i18n import N_, join, tr
from roster.tables import normalize_header
from roster.values import cell_text

# The columns of the published layout, by the spellings bureaus give them.
HEADERS: dict[str, tuple[str, ...]] = {
    "kind": ("工作任务", "任务", "工作内容", "工作项目", "项目", "类别", "任务类型"),
    "days": ("时间", "工作时间", "值班时间", "服务时间", "上岗时间", "时段", "活动时间"),
    "area": ("责任区域", "区域", "地点", "点位", "责任点位", "责任路段", "服务地点", "活动地点"),
    "requirement": ("要求", "工作要求", "具体要求", "任务要求", "服务内容"),
    "unit": ("责任单位", "单位", "牵头单位", "责任部门", "负责单位"),
    "people": ("人数", "要求人数", "上岗人数", "志愿者人数", "人员数量"),
}
IGNORED = ("序号", "编号", "备注", "说明")
REQUIRED = ("kind", "days", "area", "unit")
NAMES = {
    "kind": "工作任务",
    "days": "时间",
    "area": "责任区域",
    "requirement": "要求",
    "unit": "责任单位",
    "people": "人数",
}
# A cell merged over several rows is, most likely, first the duty's name, then its time, then its
# requirement; the place and the unit are each row's own. Text copied from a web page keeps a
# merged cell on its first row only, so a shorter row gets the columns least likely merged.
_MERGED_FIRST = ("kind", "days", "requirement", "people", "unit", "area")
_KEYS = {normalize_header(s): k for k, spellings in HEADERS.items() for s in spellings}
_IGNORED = {normalize_header(s) for s in IGNORED}
_ENUMERATED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])"
)
_PAGE_END = ("扫一扫", "打印本页", "关闭窗口", "【打印】", "分享到")
WORD = (".docx",)
WORKBOOK = (".xlsx", ".xlsm")
OLD_WORKBOOK = (".xls",)
TEXT = (".txt",)
SUFFIXES = (*WORD, *WORKBOOK, *OLD_WORKBOOK, *TEXT)


@dataclass(frozen=True)
class Cell:
    """One cell of a row: its text, its column as the document spells it, and, for a cell
    merged over several rows, the row it is written on (`origin`)."""

    text: str
    header: str
    origin: int
    merged: bool = False  # True on the rows below the one it is written on


@dataclass(frozen=True)
class Record:
    """One row of the table, cells by column key (kind, days, area, requirement, unit, people)."""

    source: Source
    cells: dict[str, Cell]

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


@dataclass
class Document:
    """What a reader found: the rows, the text around the table, and what it did to find them."""

    name: str
    form: str  # how it was read, for the report
    heading: list[str] = field(default_factory=list)  # the lines just above the header row
    text: list[str] = field(default_factory=list)  # the rest of the document's text
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def header_key(text: str) -> str | None:
    """The column a header cell names ('时  间' → 'days'), '' for a column to ignore, else None."""
    key = normalize_header(text)
    if key in _IGNORED:
        return ""
    return _KEYS.get(key)


def _header(cells: Sequence[str]) -> dict[int, str] | None:
    """Column index → key when `cells` is the header row (at least the time, the place and the
    unit named, and nothing that is not a header)."""
    keys = {i: header_key(c) for i, c in enumerate(cells) if c.strip()}
    if not keys or any(k is None for k in keys.values()):
        return None
    found = {i: k for i, k in keys.items() if k}
    return found if {"days", "area", "unit"} <= set(found.values()) else None


def _where(name: str, row: int, sheet: str | None = None) -> Source:
    return Source(name, row, sheet, names=tuple(NAMES.items()))


def _missing(found: Iterable[str]) -> list[str]:
    return [NAMES[k] for k in REQUIRED if k not in set(found)]


def _no_header(name: str, sheet: str | None = None) -> Problem:
    return Problem(
        tr("no header row of a responsibility table found"),
        Source(name, sheet=sheet),
        expected=tr(
            "a row with the columns {columns}, below the title",
            columns=join([NAMES[k] for k in ("kind", "days", "area", "requirement", "unit")]),
        ),
    )


def _header_note(row: int, above: list[str], where: str = "") -> str:
    if not above:
        return tr("{where}the header row is row {row}", where=where, row=row)
    return tr(
        "{where}the header row is row {row}, below the title: {title}",
        where=where,
        row=row,
        title=" / ".join(above),
    )


def _grid_records(
    name: str,
    grid: list[tuple[int, list[tuple[str, bool]]]],
    sheet: str | None,
    document: Document,
    where: str = "",
) -> None:
    """Rows of (text, continues-a-merge) cells → records; the header found below any title."""
    start = next((i for i, (_, cells) in enumerate(grid) if _header([c for c, _ in cells])), None)
    if start is None:
        document.problems.append(_no_header(name, sheet))
        document.text.extend(t for _, cells in grid for t, _ in cells if t)
        return
    number, header_cells = grid[start]
    columns = _header([c for c, _ in header_cells]) or {}
    above = _dedupe(t for _, cells in grid[:start] for t, merged in cells if t and not merged)
    document.heading.extend(above)
    document.notes.append(_header_note(number, above, where))
    missing = _missing(columns.values())
    if missing:
        document.problems.append(
            Problem(
                tr("the header row lacks a column"),
                _where(name, number, sheet),
                value=join([c for c, _ in header_cells if c]),
                expected=tr("the columns {columns}", columns=join(missing)),
            )
        )
        return
    spelled = {k: header_cells[i][0] for i, k in columns.items()}
    origins: dict[str, int] = {}
    for number, cells in grid[start + 1 :]:
        texts = [c for c, _ in cells]
        if not any(t.strip() for t in texts):
            continue
        if _header(texts):
            document.notes.append(
                tr("{where}row {row} repeats the header: skipped", where=where, row=number)
            )
            continue
        record: dict[str, Cell] = {}
        for index, key in columns.items():
            text, merged = cells[index] if index < len(cells) else ("", False)
            if not merged:
                origins[key] = number
            record[key] = Cell(text.strip(), spelled[key], origins.get(key, number), merged)
        document.records.append(Record(_where(name, number, sheet), record))


def _dedupe(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in texts if t.strip()))


# Word -----------------------------------------------------------------------------------------


def read_docx(path: Path) -> Document:
    """Every table of a Word document whose header row is found; merged cells from its XML."""
    import docx
    from docx.oxml.ns import qn

    try:
        word = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable(path, tr("a .docx file saved by Word or WPS"), exc) from exc
    document = Document(path.name, tr("a Word document"))
    body = word.element.body
    tables = [child for child in body.iterchildren() if child.tag == qn("w:tbl")]
    before: list[str] = []
    seen = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t"))).strip()
            if text:
                before.append(text)
            continue
        if child.tag != qn("w:tbl"):
            continue
        seen += 1
        grid = _word_grid(child, qn)
        where = tr("table {number}: ", number=seen) if len(tables) > 1 else ""
        name = (
            tr("{file}, table {number}", file=path.name, number=seen)
            if len(tables) > 1
            else path.name
        )
        first = not document.records and not document.heading
        if first:
            document.heading.extend(before[-3:])
            document.text.extend(before[:-3])
        else:
            document.text.extend(before)
        before = []
        found = len(document.problems)
        _grid_records(name, grid, None, document, where)
        if seen > 1 and len(document.problems) > found and document.records:
            del document.problems[found:]  # a later table without the header: not the duties'
            document.notes.append(
                tr("table {number} is not a responsibility table: skipped", number=seen)
            )
    document.text.extend(before)
    if not tables:
        document.problems.append(_no_header(path.name))
    document.heading = _heading(document.heading)
    if document.heading:
        document.notes.insert(0, tr("above the table: {title}", title=" / ".join(document.heading)))
    return document


def _heading(lines: list[str]) -> list[str]:
    """The title and period just above the table, without an attachment line above them."""
    out = list(lines)
    while len(out) > 1 and (out[0].startswith("附件") or len(out[0]) > 80):
        out.pop(0)
    return out


def _word_grid(table: Any, qn: Any) -> list[tuple[int, list[tuple[str, bool]]]]:
    """A Word table's rows as (text, merged) per grid column: gridSpan repeats a cell across,
    vMerge="continue" repeats the cell above it."""
    grid: list[tuple[int, list[tuple[str, bool]]]] = []
    above: list[tuple[str, bool]] = []
    for number, tr_ in enumerate(table.iter(qn("w:tr")), start=1):
        row: list[tuple[str, bool]] = []
        for tc in tr_.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span, merge = 1, None
            if props is not None:
                grid_span = props.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val")) or 1)
                v_merge = props.find(qn("w:vMerge"))
                if v_merge is not None:
                    merge = v_merge.get(qn("w:val")) or "continue"
            paragraphs = [
                "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))
            ]
            text = "\n".join(p for p in paragraphs if p.strip())
            for _ in range(span):
                column = len(row)
                if merge == "continue" and column < len(above):
                    row.append((above[column][0], True))
                else:
                    row.append((text, False))
        grid.append((number, row))
        above = row
    return grid


# Workbooks ------------------------------------------------------------------------------------


def read_xlsx(path: Path) -> Document:
    """The first sheet with a header row; merged ranges repeat their top-left cell."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _unreadable(path, tr("an .xlsx file saved by Excel or WPS"), exc) from exc
    document = Document(path.name, tr("a workbook"))
    for ws in wb.worksheets:
        values = [[cell_text(c.value) for c in row] for row in ws.iter_rows()]
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r, c)] = (rng.min_row, rng.min_col)
        grid = []
        for r, row in enumerate(values, start=1):
            cells = []
            for c, text in enumerate(row, start=1):
                top = merged.get((r, c))
                cells.append((values[top[0] - 1][top[1] - 1], True) if top else (text, False))
            grid.append((r, cells))
        trial = Document(path.name, document.form)
        _grid_records(path.name, grid, ws.title, trial, tr("sheet {sheet}: ", sheet=ws.title))
        if not trial.problems or trial.records:
            trial.heading = _heading(trial.heading)
            return trial
        document.problems = trial.problems if not document.problems else document.problems
    wb.close()
    return document


def read_xls(path: Path) -> Document:
    """An Excel 97–2003 workbook, read by python-calamine. It keeps no merged ranges: a merged
    cell is blank below its first row, which the converter reads as the row above (and says)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a dependency of the package
        raise _save_as(
            path, tr("save it as .xlsx (Excel: File → Save As → Excel Workbook)")
        ) from None
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors for a file it cannot read
        raise _unreadable(
            path, tr("an .xls file saved by Excel or WPS, or the same saved as .xlsx"), exc
        ) from exc
    document = Document(path.name, tr("an Excel 97–2003 workbook"))
    for sheet in book.sheet_names:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        grid = [(r, [(cell_text(v), False) for v in row]) for r, row in enumerate(rows, start=1)]
        trial = Document(path.name, document.form)
        _grid_records(path.name, grid, sheet, trial, tr("sheet {sheet}: ", sheet=sheet))
        if trial.records or not trial.problems:
            trial.heading = _heading(trial.heading)
            return trial
        document.problems = document.problems or trial.problems
    return document


# Text copied from a web page ------------------------------------------------------------------


def decode_text(path: Path) -> str:
    """UTF-8 (BOM or not), UTF-16 with its BOM (Excel's and Notepad's "Unicode" text), or
    GB18030/GBK (what Notepad on Chinese Windows saves as ANSI)."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        [
            Problem(
                tr("cannot read the text file"),
                Source(path.name),
                expected=tr("UTF-8, UTF-16 (Unicode) or GB18030/GBK text"),
            )
        ]
    )


def read_text(path: Path) -> Document:
    """Text copied from the page: one cell per line (what a browser gives for the seed's page),
    or cells separated by tabs (a browser's table copy, Excel's "Unicode text")."""
    lines = decode_text(path).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    chunks = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    tabbed = next(
        (i for i, (_, t) in enumerate(chunks) if "\t" in t and _header(t.split("\t"))), None
    )
    if tabbed is not None:
        return _tabbed(path.name, chunks, tabbed)
    return _one_per_line(path.name, chunks)


def _tabbed(name: str, chunks: list[tuple[int, str]], start: int) -> Document:
    document = Document(name, tr("text with tab-separated cells"))
    grid: list[tuple[int, list[tuple[str, bool]]]] = []
    width = len(chunks[start][1].split("\t"))
    for number, line in chunks:
        cells = line.split("\t")
        if "\t" in line and len(cells) < width:  # a row below merged cells: the rest are merged
            cells = _aligned(cells, chunks[start][1].split("\t"))
        grid.append((number, [(c, False) for c in cells]))
    _grid_records(name, grid, None, document)
    document.heading = _heading(document.heading[-3:])
    return document


def _aligned(cells: list[str], header: list[str]) -> list[str]:
    """A short row's cells placed under the columns least likely merged, in the header's order."""
    keys = [header_key(h) or "" for h in header]
    ranked = sorted(range(len(keys)), key=lambda i: -_MERGED_FIRST.index(keys[i]) if keys[i] else 0)
    chosen = sorted(ranked[: len(cells)])
    out = [""] * len(header)
    for index, text in zip(chosen, cells, strict=False):
        out[index] = text
    return out


def _is_header(texts: list[str]) -> int:
    """How many of the next texts are one header row (0: none)."""
    n = 0
    while n < len(texts) and header_key(texts[n]) is not None:
        n += 1
    return n if n >= 3 and _header(texts[:n]) else 0


def _schedule_like(text: str) -> bool:
    try:
        parse_schedule(text)
    except PhraseError:
        return False
    return True


def _requirement_like(text: str) -> bool:
    mentions = find_mentions(text)
    return bool(
        len(text) >= 24
        or re.search(r"[。；;①②③]", text)
        or mentions.headcounts
        or mentions.durations
    )


@dataclass
class _Pending:
    """The row being assembled from one-cell-per-line text."""

    number: int = 0
    cells: dict[str, tuple[str, int]] = field(default_factory=dict)


def _one_per_line(name: str, chunks: list[tuple[int, str]]) -> Document:
    """Cells one per line, in the header's order; a merged cell appears once, on its first row."""
    document = Document(name, tr("text copied from a web page, one cell per line"))
    texts = [t for _, t in chunks]
    start = next((i for i in range(len(texts)) if _is_header(texts[i:])), None)
    if start is None:
        document.problems.append(_no_header(name))
        document.text.extend(texts)
        return document
    width = _is_header(texts[start:])
    header = texts[start : start + width]
    keys = [header_key(h) or "" for h in header]
    spelled = {k: h for k, h in zip(keys, header, strict=True) if k}
    above = texts[max(0, start - 3) : start]
    document.heading = _heading(above)
    document.text = texts[: start - len(document.heading)]
    document.notes.append(_header_note(chunks[start][0], document.heading))
    missing = _missing(spelled)
    if missing:
        document.problems.append(
            Problem(
                tr("the header row lacks a column"),
                _where(name, chunks[start][0]),
                value=join(header),
                expected=tr("the columns {columns}", columns=join(missing)),
            )
        )
        return document
    _rows_of_lines(name, chunks[start + width :], spelled, document)
    return document


def _rows_of_lines(
    name: str, chunks: list[tuple[int, str]], spelled: dict[str, str], document: Document
) -> None:
    reader = _LineRows(name, spelled, document)
    i = 0
    while i < len(chunks):
        number, text = chunks[i]
        if width := _is_header([t for _, t in chunks[i : i + len(HEADERS) + len(IGNORED)]]):
            reader.finish()
            document.notes.append(tr("line {line} repeats the header: skipped", line=number))
            i += width
            continue
        if text.startswith(_PAGE_END):
            break
        if reader.is_time(text):
            lines = [text]
            while i + 1 < len(chunks) and _schedule_like(chunks[i + 1][1]):
                i += 1
                lines.append(chunks[i][1])
            reader.put("days", "\n".join(lines), number)
        else:
            reader.take(text, number)
        i += 1
    reader.finish()
    document.text.extend(t for _, t in chunks[i:])


class _LineRows:
    """Rows assembled from one cell per line: a numbered duty name starts a duty, whose merged
    cells (the name, the time, the requirement) carry to its next rows; the place and the unit
    end a row."""

    def __init__(self, name: str, spelled: dict[str, str], document: Document) -> None:
        self.name = name
        self.spelled = spelled
        self.document = document
        self.order = [k for k in spelled if k in ("area", "unit")]
        self.carried: dict[str, tuple[str, int]] = {}
        self.row = _Pending()

    def is_time(self, text: str) -> bool:
        return "days" in self.spelled and "area" not in self.row.cells and _schedule_like(text)

    def put(self, key: str, text: str, number: int) -> None:
        self.row.number = self.row.number or number
        self.row.cells[key] = (text, number)

    def take(self, text: str, number: int) -> None:
        if "kind" in self.spelled and _ENUMERATED.match(text):
            self.finish()
            self.carried.clear()
            self.put("kind", text, number)
            return
        wants_requirement = "requirement" in self.spelled and "requirement" not in self.row.cells
        if wants_requirement and _requirement_like(text):
            self.put("requirement", text, number)
            return
        key = next((k for k in self.order if k not in self.row.cells), None)
        if key is None:
            self.finish()
            key = self.order[0]
        self.put(key, text, number)
        if all(k in self.row.cells for k in self.order):
            self.finish()

    def finish(self) -> None:
        row = self.row
        self.row = _Pending()
        if "area" in row.cells and "unit" in row.cells:
            cells = {}
            for key, header in self.spelled.items():
                if key in row.cells:
                    text, origin = row.cells[key]
                    self.carried[key] = (text, origin)
                    cells[key] = Cell(text, header, origin, False)
                elif key in self.carried:
                    text, origin = self.carried[key]
                    cells[key] = Cell(text, header, origin, True)
            self.document.records.append(Record(_where(self.name, row.number), cells))
        elif row.cells:
            self.document.notes.append(
                tr(
                    "line {line}: {text} completes no row of the table: ignored",
                    line=row.number,
                    text=" / ".join(t for t, _ in row.cells.values()),
                )
            )


# Which reader ---------------------------------------------------------------------------------


def _unreadable(path: Path, expected: str, exc: BaseException) -> InputError:
    return InputError(
        [
            Problem(
                tr("cannot open the file{detail}", detail=detail(exc)),
                Source(path.name),
                expected=expected,
            )
        ]
    )


def _save_as(path: Path, what: str) -> InputError:
    return InputError(
        [Problem(tr("this kind of file cannot be read"), Source(path.name), expected=what)]
    )


_OLD = {
    ".doc": N_("save it as .docx (Word or WPS: File → Save As → Word Document)"),
    ".wps": N_("save it as .docx (WPS: File → Save As → Word Document)"),
    ".et": N_("save it as .xlsx (WPS: File → Save As → Excel Workbook)"),
    ".pdf": N_("copy the table's text into a .txt file, or ask the bureau for the .docx"),
    ".html": N_("save the page's text as .txt (select the page, copy, paste into Notepad)"),
    ".htm": N_("save the page's text as .txt (select the page, copy, paste into Notepad)"),
}


def read_document(path: Path) -> Document:
    """The document's rows, whichever of the published forms it is; InputError for a file that
    cannot be read at all, saying what to do."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(
            [
                Problem(
                    tr("no such file"),
                    Source(str(path)),
                    expected=tr("a .docx, .xlsx, .xls or .txt file of the responsibility table"),
                )
            ]
        )
    if suffix in WORD:
        return read_docx(path)
    if suffix in WORKBOOK:
        return read_xlsx(path)
    if suffix in OLD_WORKBOOK:
        return read_xls(path)
    if suffix in TEXT:
        return read_text(path)
    advice = _OLD.get(suffix)
    if advice is None:
        advice = N_("a .docx, .xlsx, .xls or .txt file of the responsibility table")
    raise _save_as(path, tr(advice))


def is_official(path: Path) -> bool:
    """A published document rather than roster's own tables: a Word or text file, an .xls, or
    an .xlsx whose sheets are not those of roster's workbook (单位, 志愿者, 设置)."""
    suffix = path.suffix.lower()
    if suffix in (*WORD, *TEXT, *OLD_WORKBOOK, *_OLD):
        return True
    if suffix not in WORKBOOK or not path.is_file():
        return False
    from roster.tables import SETTINGS, UNITS, VOLUNTEERS

    try:
        with zipfile.ZipFile(path) as z:
            names = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    sheets = {
        normalize_header(s) for s in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', names)
    }
    ours = {normalize_header(s) for t in (UNITS, VOLUNTEERS, SETTINGS) for s in t.sheets}
    return not sheets & ours
