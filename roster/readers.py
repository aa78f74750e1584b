"""Reading a plan from a data folder (CSV + settings.toml) or from one .xlsx workbook.

Every cell problem is collected with its file, sheet, row and column before anything is raised, so
a user sees all mistakes of a file at once. Cross-table checks (unknown unit, duplicate id) run once
the cells read cleanly; they name rows too.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from roster.csvfile import RawTable, decode, read_csv
from roster.days import parse_days
from roster.errors import (
    FieldError,
    FieldErrors,
    InputError,
    Problem,
    Severity,
    Source,
    detail,
    quote,
)
from roster.i18n import ENGLISH, join, language, tr
from roster.model import (
    MINUTES_PER_DAY,
    CalendarDay,
    DutyRule,
    Leave,
    Plan,
    Settings,
    Unit,
    Volunteer,
)
from roster.tables import (
    DAY_KINDS,
    DUTIES,
    HOLIDAY_POLICIES,
    HOLIDAYS,
    LEAVE,
    MAKEUP_POLICIES,
    SEASONS,
    SETTINGS,
    SETTINGS_SHEET,
    UNITS,
    VOLUNTEERS,
    Column,
    Table,
    normalize_header,
)
from roster.values import (
    cell_text,
    parse_bool,
    parse_choice,
    parse_count,
    parse_date,
    parse_headcount,
    parse_hours,
    parse_minutes,
    parse_month_day,
    parse_time,
)


@dataclass
class Row:
    """One data row, with parsers that record a Problem instead of raising."""

    raw: RawTable
    number: int
    cells: dict[str, str]
    headers: dict[str, tuple[str, int]]  # key -> (header as written, 0-based column index)
    problems: list[Problem] = field(default_factory=list)

    @property
    def source(self) -> Source:
        return self.raw.source(self.number)

    def column(self, key: str) -> str:
        if key not in self.headers:
            return key
        header, index = self.headers[key]
        return f"{header} ({get_column_letter(index + 1)})"

    def text(self, key: str) -> str:
        return self.cells.get(key, "")

    def get(self, key: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        """Parse the cell `key` (blank gives `default`), recording any error against the cell."""
        text = self.text(key)
        if not text:
            return default
        try:
            return parse(text)
        except FieldError as exc:
            self.fail(exc, key)
            return default

    def fail(self, exc: FieldError, key: str | None = None) -> None:
        for one in exc.errors if isinstance(exc, FieldErrors) else (exc,):
            column = self.column(key or one.field)
            value = one.value if one.value is not None else self.text(key or one.field)
            self.problems.append(Problem(one.message, self.source, column, value, one.expected))

    def build(self, make: Callable[[], Any]) -> Any:
        """The record, once every cell parsed; a FieldError from it names its field. When a
        cell did not parse, the record's own checks still run, so that every mistake of the row
        is named at once (those of the cells already named are not repeated)."""
        failed = {p.column for p in self.problems}
        try:
            record = make()
        except FieldError as exc:
            errors = exc.errors if isinstance(exc, FieldErrors) else (exc,)
            for one in errors:
                if self.column(one.field) not in failed:
                    self.fail(one)
            return None
        except TypeError:  # a cell that did not parse left the record without a value
            if not failed:
                raise
            return None
        return None if failed else record


# Columns of remarks a clerk adds beside the data: read by people, not by roster, and no warning.
NOTES = frozenset({"说明", "备注", "注", "note", "notes", "remark", "remarks"})


def _rows(raw: RawTable, table: Table, problems: list[Problem]) -> Iterator[Row]:
    """Map the header to the table's columns, then yield the non-blank data rows."""
    raw.names = tuple((c.key, c.zh) for c in table.columns)
    if not raw.rows or not any(raw.rows[0][1]):
        problems.append(
            Problem(
                tr("the table is empty: it has no header row"),
                raw.source(),
                expected=_expected_headers(table),
            )
        )
        return
    header_row, header = raw.rows[0]
    known = table.header_map()
    headers: dict[str, tuple[str, int]] = {}
    for index, text in enumerate(header):
        # Blank headers, and the clerk's own notes beside the data (the template's settings
        # sheet has one), are nobody's column.
        if not text or normalize_header(text) in NOTES:
            continue
        key = known.get(normalize_header(text))
        if key is None:
            problems.append(
                Problem(
                    tr("column {header} is not used and will be ignored", header=quote(text)),
                    raw.source(header_row),
                    get_column_letter(index + 1),
                    severity=Severity.WARNING,
                )
            )
        elif key in headers:
            problems.append(
                Problem(
                    tr(
                        "two columns mean {column} ({first} and {second})",
                        column=_header_name(table.column(key)),
                        first=quote(headers[key][0]),
                        second=quote(text),
                    ),
                    raw.source(header_row),
                    get_column_letter(index + 1),
                    text,
                    tr("each column once"),
                )
            )
        else:
            headers[key] = (text, index)
    missing = [c for c in table.columns if c.required and c.key not in headers]
    for column in missing:
        problems.append(
            Problem(
                tr("a required column is missing"),
                raw.source(header_row),
                f"{column.zh} / {column.key}" if _english() else column.zh,
                expected=tr("a header {headers}", headers=_spellings(column)),
            )
        )
    if missing:
        return
    raw.columns = tuple(
        (key, f"{text} ({get_column_letter(index + 1)})") for key, (text, index) in headers.items()
    )
    data = [(n, cells) for n, cells in raw.rows[1:] if any(cells)]
    if not data and not table.may_be_empty:
        problems.append(
            Problem(
                tr("the table has a header but no rows"),
                raw.source(),
                expected=tr("at least one row of {table}", table=_table_name(table)),
            )
        )
    for number, cells in data:
        values = {k: (cells[i] if i < len(cells) else "") for k, (_, i) in headers.items()}
        row = Row(raw, number, values, headers)
        _refuse_control(row)
        yield row


def _refuse_control(row: Row) -> None:
    """A NUL or another invisible code in a cell is never meant, and file systems refuse it."""
    for key, text in row.cells.items():
        bad = _CONTROL.search(text)
        if bad:
            row.problems.append(
                Problem(
                    tr(
                        "the cell holds an invisible control character {code}",
                        code=f"U+{ord(bad.group()):04X}",
                    ),
                    row.source,
                    row.column(key),
                    text,
                    tr("text without control characters: retype the cell"),
                )
            )


# Control characters but the tab and line breaks a cell may hold (Alt+Enter in Excel).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _english() -> bool:
    return language() == ENGLISH


def _header_name(column: Column) -> str:
    """A column as a message names it: its English header (the key), or its Chinese one."""
    return column.key if _english() else column.zh


def _table_name(table: Table) -> str:
    """A table as a message names it: `volunteers`, or its Chinese sheet name 志愿者."""
    return table.name if _english() else table.sheets[0]


def _spellings(column: Column) -> str:
    """The headers that name a column: '姓名' or 'name' in English, “姓名” in Chinese."""
    if _english():
        return tr("{first} or {second}", first=quote(column.zh), second=quote(column.key))
    return quote(column.zh)


def _expected_headers(table: Table) -> str:
    required = [c for c in table.columns if c.required]
    if _english():
        headers = ", ".join(f"{c.zh}/{c.key}" for c in required)
    else:
        headers = join([c.zh for c in required])
    return tr("a header row with {headers}", headers=headers)


def _collect(
    raw: RawTable | None, table: Table, make: Callable[[Row], Any], problems: list[Problem]
) -> list[Any]:
    if raw is None:
        return []
    out = []
    for row in _rows(raw, table, problems):
        record = make(row)
        problems.extend(row.problems)
        if record is not None:
            out.append(record)
    return out


def _units(text: str) -> tuple[str, ...]:
    for sep in ("，", ",", "；", ";", "/", "|"):
        text = text.replace(sep, "、")
    return tuple(u.strip() for u in text.split("、") if u.strip())


def _duty(row: Row) -> DutyRule | None:
    min_people, max_from_range = row.get(
        "min_people", lambda t: parse_headcount(t, "min_people"), (1, None)
    )
    max_people = row.get(
        "max_people", lambda t: parse_count(t, "max_people"), max_from_range or min_people
    )
    args = dict(
        kind=row.text("kind"),
        area=row.text("area"),
        units=_units(row.text("unit")),
        days=row.get("days", parse_days),
        start=row.get("start", lambda t: parse_time(t, "start")),
        end=row.get("end", lambda t: parse_time(t, "end", allow_24=True)),
        season=row.get("season", lambda t: parse_choice(t, "season", SEASONS, None)),
        min_people=min_people,
        max_people=max_people,
        leader_required=row.get(
            "leader_required", lambda t: parse_bool(t, "leader_required", False)
        ),
        holidays=row.get("holidays", lambda t: parse_choice(t, "holidays", HOLIDAY_POLICIES, None)),
        makeup=row.get("makeup", lambda t: parse_choice(t, "makeup", MAKEUP_POLICIES, None)),
        valid_from=row.get("valid_from", lambda t: parse_date(t, "valid_from")),
        valid_to=row.get("valid_to", lambda t: parse_date(t, "valid_to")),
        requirement=row.text("requirement"),
        source=row.source,
    )
    if args["days"] is None and not row.text("days"):
        row.fail(FieldError("days", tr("the day pattern is empty"), "", tr("for example 每周三")))
    for key in ("start", "end"):
        if args[key] is None and not row.text(key):
            row.fail(FieldError(key, tr("the time is empty"), "", "HH:MM"))

    def make() -> DutyRule:
        given = {k: v for k, v in args.items() if v is not None}
        if row.problems:  # stand-ins for the cells named already: the other cells are checked
            stand_in = {"days": parse_days("每天"), "start": 0, "end": MINUTES_PER_DAY}
            given = {**{k: v for k, v in stand_in.items() if args[k] is None}, **given}
        return DutyRule(**given)

    return row.build(make)


def _unit(row: Row) -> Unit | None:
    return row.build(
        lambda: Unit(row.text("name"), row.text("contact"), row.text("phone"), row.source)
    )


def weekdays_of(text: str) -> frozenset[int]:
    """The weekdays of `周三、周六` (0 = Monday): a volunteer's days they cannot do."""
    rule = parse_days(text)
    if rule.workdays or rule.restdays or rule.rrule:
        raise FieldError("unavailable", tr("only weekdays can be given here"), text, "周三、周六")
    return rule.weekdays


def _volunteer(row: Row) -> Volunteer | None:
    leader = row.get("leader", lambda t: parse_bool(t, "leader", False), False)
    cap = row.get("weekly_cap_hours", lambda t: parse_hours(t, "weekly_cap_hours"))
    unavailable = row.get("unavailable", weekdays_of, frozenset())
    return row.build(
        lambda: Volunteer(
            row.text("id"),
            row.text("name"),
            row.text("unit"),
            row.text("phone"),
            leader,
            cap,
            unavailable,
            row.source,
        )
    )


def _leave(row: Row) -> Leave | None:
    start = row.get("start", lambda t: parse_date(t, "start"))
    end = row.get("end", lambda t: parse_date(t, "end"))
    for key, value in (("start", start), ("end", end)):
        if value is None and not row.text(key):
            row.fail(FieldError(key, tr("the date is empty"), "", "YYYY-MM-DD"))
    # a date named already stands in as the other one: the id is still checked
    first, last = start or end or date.min, end or start or date.max
    return row.build(
        lambda: Leave(row.text("volunteer_id"), first, last, row.text("reason"), row.source)
    )


def _calendar_day(row: Row) -> CalendarDay | None:
    day = row.get("date", lambda t: parse_date(t, "date"))
    kind = row.get("kind", lambda t: parse_choice(t, "kind", DAY_KINDS, None))
    for key, value in (("date", day), ("kind", kind)):
        if value is None and not row.text(key):
            row.fail(FieldError(key, tr("the cell is empty"), "", tr("a value")))
    return row.build(lambda: CalendarDay(day, kind, row.text("name"), row.source))


def _settings(
    values: dict[str, tuple[str, Source, str]], problems: list[Problem], where: Source
) -> Settings | None:
    """Build Settings from key -> (text, source of the value, column label)."""
    found: list[Problem] = []

    def get(key: str, parse: Callable[[str], Any]) -> Any:
        if key not in values or not values[key][0]:
            return None
        text, source, label = values[key]
        try:
            return parse(text)
        except FieldError as exc:
            found.append(Problem(exc.message, source, label, text, exc.expected))
            return None

    args: dict[str, Any] = {
        "name": get("name", str),
        "start": get("start", lambda t: parse_date(t, "start")),
        "end": get("end", lambda t: parse_date(t, "end")),
        "timezone": get("timezone", str),
        "summer_start": get("summer_start", lambda t: parse_month_day(t, "summer_start")),
        "summer_end": get("summer_end", lambda t: parse_month_day(t, "summer_end")),
        "weekly_cap_hours": get("weekly_cap_hours", lambda t: parse_hours(t, "weekly_cap_hours")),
        "daily_cap_hours": get("daily_cap_hours", lambda t: parse_hours(t, "daily_cap_hours")),
        "travel_buffer_minutes": get(
            "travel_buffer_minutes", lambda t: parse_minutes(t, "travel_buffer_minutes")
        ),
        "calendar_years": get("calendar_years", _years),
        "feed_base_url": get("feed_base_url", str.strip),
        "feed_refresh_hours": get(
            "feed_refresh_hours", lambda t: parse_hours(t, "feed_refresh_hours")
        ),
        "reminder_minutes": get("reminder_minutes", lambda t: parse_minutes(t, "reminder_minutes")),
        "sign_in_opens_minutes": get(
            "sign_in_opens_minutes", lambda t: parse_minutes(t, "sign_in_opens_minutes")
        ),
        "sign_in_closes_hours": get(
            "sign_in_closes_hours", lambda t: parse_hours(t, "sign_in_closes_hours")
        ),
        "yearly_target_hours": get(
            "yearly_target_hours", lambda t: parse_hours(t, "yearly_target_hours")
        ),
        "swaps_without_office": get(
            "swaps_without_office", lambda t: parse_bool(t, "swaps_without_office", False)
        ),
    }
    for key in ("start", "end"):
        if args[key] is None and not (key in values and values[key][0]):
            if where.sheet:
                wanted = tr("a row {setting} with a date YYYY-MM-DD", setting=where.column(key))
            else:
                wanted = f"{key} = YYYY-MM-DD"
            found.append(
                Problem(tr("the campaign period is incomplete"), where, key, expected=wanted)
            )
    problems.extend(found)
    if found:
        return None
    try:
        return Settings(**{k: v for k, v in args.items() if v is not None}, source=where)
    except FieldError as exc:
        source, label = values[exc.field][1:] if exc.field in values else (where, exc.field)
        problems.append(Problem(exc.message, source, label, exc.value, exc.expected))
        return None


def _years(text: str) -> tuple[int, ...]:
    parts = [p for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    try:
        return tuple(int(p.strip()) for p in parts)
    except ValueError:
        raise FieldError(
            "calendar_years", tr("not a list of years"), text, tr("2027, 2028")
        ) from None


def _toml_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_toml_text(v) for v in value)
    return cell_text(value)


def _settings_source(file: str, sheet: str | None = None) -> Source:
    """Where the settings are: a key is named as a setting, with its Chinese name in Chinese.

    A settings.toml is written with the English keys (`start = 2021-09-27`), so a Chinese message
    names the key to type and what it means, `start（开始日期）`; a settings sheet names its rows
    in Chinese, as the template writes them.
    """
    if sheet:
        names = tuple((c.key, c.zh) for c in SETTINGS.columns)
    else:
        names = tuple((c.key, f"{c.key}（{c.zh}）") for c in SETTINGS.columns)
    return Source(file, sheet=sheet, names=names, settings=True)


def _toml_detail(exc: Exception) -> str:
    """Where TOML failed: the library's words in English, the line in Chinese."""
    if _english():
        return detail(exc)
    if isinstance(exc, UnicodeDecodeError):
        return tr(" (the file is neither UTF-8 nor GB18030/GBK text)")
    if m := re.search(r"at line (\d+)", str(exc)):
        return tr(" (at line {line})", line=int(m.group(1)))
    if "end of document" in str(exc):
        return tr(" (at the end of the file)")
    return ""


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, tuple[str, Source, str]] | None:
    source = _settings_source(path.name)
    try:
        data = tomllib.loads(decode(path.read_bytes()))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(
                tr("cannot read the settings{detail}", detail=_toml_detail(exc)),
                source,
                expected=tr("TOML such as: start = 2021-09-27"),
            )
        )
        return None
    known = SETTINGS.header_map()
    out: dict[str, tuple[str, Source, str]] = {}
    for key, value in _flatten(data):
        mapped = known.get(normalize_header(key))
        if mapped is None:
            problems.append(
                Problem(
                    tr("setting {key} is not known and will be ignored", key=quote(key)),
                    source,
                    severity=Severity.WARNING,
                )
            )
            continue
        out[mapped] = (_toml_text(value), source, key)
    return out


def _flatten(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """TOML tables are accepted for grouping ([campaign] start = …); only leaf names count."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flatten(value)
        else:
            yield key, value


def _settings_from_sheet(
    raw: RawTable, problems: list[Problem]
) -> dict[str, tuple[str, Source, str]]:
    known = SETTINGS.header_map()
    out: dict[str, tuple[str, Source, str]] = {}
    for row in _rows(raw, SETTINGS_SHEET, problems):
        key = row.text("key")
        mapped = known.get(normalize_header(key))
        if mapped is None:
            problems.append(
                Problem(
                    tr("setting {key} is not known and will be ignored", key=quote(key)),
                    row.source,
                    row.column("key"),
                    severity=Severity.WARNING,
                )
            )
            continue
        out[mapped] = (row.text("value"), row.source, row.column("value"))
    return out


def load_folder(folder: Path) -> Plan:
    problems: list[Problem] = []
    raws: dict[str, RawTable | None] = {}
    for table in (DUTIES, UNITS, VOLUNTEERS, LEAVE, HOLIDAYS):
        path = folder / table.file
        if path.is_file():
            raws[table.name] = read_csv(path, problems)
        else:
            raws[table.name] = None
            if not table.may_be_empty:
                problems.append(
                    Problem(
                        tr("missing file {file}", file=table.file),
                        Source(str(folder)),
                        expected=_expected_headers(table),
                    )
                )
    settings_path = folder / SETTINGS.file
    if settings_path.is_file():
        settings = _read_toml(settings_path, problems)
    else:
        problems.append(
            Problem(
                tr("missing file {file}", file=SETTINGS.file),
                Source(str(folder)),
                expected=tr("start = YYYY-MM-DD and end = YYYY-MM-DD"),
            )
        )
        settings = None
    return _assemble(raws, settings, _settings_source(SETTINGS.file), problems)


def _sheet_rows(ws: Any) -> list[tuple[int, list[str]]]:
    rows = []
    for cells in ws.iter_rows():
        texts = [cell_text(c.value) for c in cells]
        number = next((c.row for c in cells if hasattr(c, "row")), None)
        if number is not None:
            rows.append((number, texts))
    while rows and not any(rows[0][1]):
        rows.pop(0)
    return rows


def load_workbook_plan(path: Path) -> Plan:
    problems: list[Problem] = []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(
            [
                Problem(
                    tr("cannot open the workbook{detail}", detail=detail(exc)),
                    Source(path.name),
                    expected=tr("an .xlsx file saved by Excel or WPS"),
                )
            ]
        ) from exc
    by_name = {normalize_header(ws.title): ws for ws in wb.worksheets}
    raws: dict[str, RawTable | None] = {}
    settings_raw: RawTable | None = None
    for table in (DUTIES, UNITS, VOLUNTEERS, LEAVE, HOLIDAYS, SETTINGS):
        ws = next(
            (by_name[normalize_header(s)] for s in table.sheets if normalize_header(s) in by_name),
            None,
        )
        if ws is None:
            raws[table.name] = None
            if not table.may_be_empty:
                problems.append(
                    Problem(
                        tr(
                            "missing sheet {sheet} ({table})",
                            sheet=table.sheets[0],
                            table=table.name if _english() else table.file,
                        ),
                        Source(path.name),
                        expected=tr(
                            "sheets named {names}; found {found}",
                            names=join(
                                [t.sheets[0] for t in (DUTIES, UNITS, VOLUNTEERS, SETTINGS)]
                            ),
                            found=join([ws.title for ws in wb.worksheets]),
                        ),
                    )
                )
            continue
        raw = RawTable(path.name, ws.title, _sheet_rows(ws))
        if table is SETTINGS:
            settings_raw = raw
        else:
            raws[table.name] = raw
    wb.close()
    settings = _settings_from_sheet(settings_raw, problems) if settings_raw else None
    where = _settings_source(path.name, settings_raw.sheet if settings_raw else None)
    return _assemble(raws, settings, where, problems)


def _assemble(
    raws: dict[str, RawTable | None],
    settings_values: dict[str, tuple[str, Source, str]] | None,
    settings_where: Source,
    problems: list[Problem],
) -> Plan:
    settings = (
        _settings(settings_values, problems, settings_where)
        if settings_values is not None
        else None
    )
    duties = _collect(raws["duties"], DUTIES, _duty, problems)
    units = _collect(raws["units"], UNITS, _unit, problems)
    volunteers = _collect(raws["volunteers"], VOLUNTEERS, _volunteer, problems)
    leave_rows: list[tuple[Leave, str]] = _collect(
        raws["leave"], LEAVE, lambda r: _pair(_leave(r), r.text("name")), problems
    )
    calendar = _collect(raws["holidays"], HOLIDAYS, _calendar_day, problems)
    if any(p.severity is Severity.ERROR for p in problems) or settings is None:
        raise InputError(problems)
    names = {v.id: v.name for v in volunteers}
    for leave, name in leave_rows:
        if name and leave.volunteer_id in names and names[leave.volunteer_id] != name:
            problems.append(
                Problem(
                    tr(
                        "the name does not match volunteer {id} ({name})",
                        id=leave.volunteer_id,
                        name=names[leave.volunteer_id],
                    ),
                    leave.source,
                    "name",
                    name,
                    severity=Severity.WARNING,
                )
            )
    try:
        return Plan(
            settings,
            tuple(units),
            tuple(volunteers),
            tuple(duties),
            tuple(leave for leave, _ in leave_rows),
            tuple(calendar),
            warnings=tuple(problems),
        )
    except InputError as exc:
        raise InputError(problems + exc.problems) from None


def _pair(leave: Leave | None, name: str) -> tuple[Leave, str] | None:
    return None if leave is None else (leave, name)


def load(path: Path | str) -> Plan:
    """Read a plan from a data folder or an .xlsx workbook; `InputError` lists every error."""
    path = Path(path)
    if path.is_dir():
        return load_folder(path)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return load_workbook_plan(path)
    if path.is_file():
        raise InputError(
            [
                Problem(
                    tr("not a data folder or an .xlsx workbook"),
                    Source(str(path)),
                    expected=tr(
                        "a folder with duties.csv, units.csv, volunteers.csv "
                        "and settings.toml, or an .xlsx workbook"
                    ),
                )
            ]
        )
    raise InputError(
        [
            Problem(
                tr("no such file or folder"),
                Source(str(path)),
                expected=tr("the path of a data folder or an .xlsx workbook"),
            )
        ]
    )
