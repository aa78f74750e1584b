"""What the office's pages of tables, volunteers and leave need besides the operations.

An uploaded table waits in the workspace's `uploads/<token>/` folder between its preview and the
office's confirmation; the session keeps only the random token, so no path ever comes from a
form. A data folder arrives as a zip: every name in it is checked (nothing outside the folder),
only the table files are taken, and what they unpack to is bounded, as a small zip can expand a
thousandfold. The rest turns the domain's records into the rows the pages show, and checks what
a form typed before it reaches an operation.
"""

from __future__ import annotations

import io
import re
import secrets
import shutil
import time
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote as percent

from application import CheckReport
from roster.calendar import package_version
from roster.days import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from roster.errors import FieldError, InputError, Problem, Severity, Source, quote
from roster.i18n import ENGLISH, join, language, ntr, tr
from roster.model import Plan, Season, Volunteer
from roster.template import build_template
from roster.values import parse_date
from workspace import config
from workspace.models import LeaveEntry, TableVersion
from workspace.official import Options, converted_folder, is_official
from workspace.tables import FILES, digest, pack

UPLOADS = "uploads"
MAX_UPLOAD = 20 * 1024 * 1024  # a city's workbook is a few megabytes
MAX_UNPACKED = 100 * 1024 * 1024  # the table files of a zip, once unpacked
KEEP_SECONDS = 24 * 3600  # an upload nobody confirmed is removed after a day
WORKBOOKS = (".xlsx", ".xlsm")
PUBLISHED = (".docx", ".txt", ".xls")  # a bureau's table as published, converted on arrival
ZIP = ".zip"
RECEIVING = ".receiving"  # the upload while it arrives (a safe name never starts with a dot)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TEMPLATE_NAME = "责任分工表模板.xlsx"
TEMPLATE_ASCII = "roster-template.xlsx"


def _refused(name: str, message: str, expected: str = "", value: str | None = None) -> InputError:
    return InputError([Problem(message, Source(name), value=value, expected=expected)])


# Uploads -------------------------------------------------------------------------------------


def safe_name(name: str) -> str:
    """The last part of a browser's file name, with nothing a path or a shell could misread."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^\w.()（）-]+", "_", base).strip("._ ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[:80] or "tables"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def _root() -> Path:
    return config.folder() / UPLOADS


def sweep(now: float | None = None) -> None:
    """Uploads older than a day removed: a preview left in a closed tab keeps no file."""
    root = _root()
    limit = (now if now is not None else time.time()) - KEEP_SECONDS
    for path in root.iterdir() if root.is_dir() else ():
        if path.stat().st_mtime < limit:
            shutil.rmtree(path, ignore_errors=True)


def save_upload(name: str, chunks: Iterable[bytes]) -> str:
    """Keep an uploaded workbook, or a zip's data folder, under a new token; refused
    (InputError) when it is not one, too large, or a zip with a path outside its folder."""
    shown = safe_name(name)
    suffix = PurePosixPath(shown).suffix
    if suffix not in (*WORKBOOKS, ZIP, *PUBLISHED):
        raise _refused(
            shown,
            tr("not a workbook or a zip of a data folder"),
            tr("an .xlsx workbook, a .zip of a data folder, or a published table (.docx, .txt)"),
        )
    sweep()
    token = secrets.token_urlsafe(16)
    folder = _root() / token
    folder.mkdir(parents=True)
    part = folder / RECEIVING
    try:
        size = 0
        with part.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise too_large(shown)
                out.write(chunk)
        if suffix == ZIP:
            _unzip(part, folder / PurePosixPath(shown).stem, shown)
            part.unlink()
        else:
            document = folder / f".{shown}"  # hidden: `upload` finds only what the preview reads
            part.rename(document)
            if suffix in PUBLISHED or is_official(document):
                _converted(document, folder / PurePosixPath(shown).stem)
            else:
                document.rename(folder / shown)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token


def _converted(document: Path, target: Path) -> None:
    """A published table converted into the data folder the preview shows, the workspace's
    volunteers kept (workspace.official); refused with every problem the conversion found."""
    report = converted_folder(document, target, Options())
    if report.failed:
        raise InputError(report.problems)


def too_large(name: str) -> InputError:
    return _refused(
        name,
        tr("the file is too large"),
        tr("at most {size} MB", size=MAX_UPLOAD // (1024 * 1024)),
    )


def _escapes(member: str) -> bool:
    """A zip name that would land outside the folder: absolute, a drive, or through `..`."""
    name = member.replace("\\", "/")
    return name.startswith("/") or bool(re.match(r"^[A-Za-z]:", name)) or ".." in name.split("/")


def _unzip(path: Path, target: Path, shown: str) -> None:
    """The table files of a zip, at its top or in one folder of it, written into `target`."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            bad = [i.filename for i in infos if _escapes(i.filename)]
            if bad:
                raise _refused(
                    shown,
                    tr("the zip holds a path outside its folder"),
                    tr("a zip of one data folder, made by the system's compress command"),
                    bad[0],
                )
            tables = [
                i
                for i in infos
                if not i.is_dir()
                and PurePosixPath(i.filename).name in FILES
                and "__MACOSX" not in PurePosixPath(i.filename).parts
            ]
            folders = sorted({str(PurePosixPath(i.filename).parent) for i in tables})
            expected = tr(
                "duties.csv, units.csv, volunteers.csv and settings.toml, at the top of the zip "
                "or in one folder"
            )
            if not folders:
                raise _refused(shown, tr("the zip holds no table files"), expected)
            if len(folders) > 1:
                raise _refused(
                    shown, tr("the zip holds several data folders"), expected, join(folders)
                )
            if any(i.flag_bits & 0x1 for i in tables):
                raise _refused(shown, tr("the zip is encrypted"), tr("a zip without a password"))
            target.mkdir()
            left = MAX_UNPACKED
            for info in tables:
                data = _read_bounded(z, info, left, shown)
                left -= len(data)
                (target / PurePosixPath(info.filename).name).write_bytes(data)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        zlib.error,
    ) as exc:
        raise _refused(shown, tr("cannot open the zip"), tr("a .zip of a data folder")) from exc


def _read_bounded(z: zipfile.ZipFile, info: zipfile.ZipInfo, left: int, shown: str) -> bytes:
    """One member's bytes, refused once the zip's table files pass MAX_UNPACKED (whatever
    sizes its directory claims)."""
    buffer = io.BytesIO()
    with z.open(info) as member:
        while chunk := member.read(1024 * 1024):
            buffer.write(chunk)
            if buffer.tell() > left:
                raise _refused(
                    shown,
                    tr("the zip unpacks to too much"),
                    tr("at most {size} MB of tables", size=MAX_UNPACKED // (1024 * 1024)),
                )
    return buffer.getvalue()


def upload(token: str) -> Path:
    """The workbook or data folder kept under `token`; refused when it is gone (removed after a
    day, or already imported) or the token is not one of ours."""
    folder = _root() / token if _TOKEN.match(token) else None
    found = (
        [p for p in folder.iterdir() if not p.name.startswith(".")]
        if folder and folder.is_dir()
        else []
    )
    if len(found) != 1:
        raise _refused(
            tr("upload"), tr("the uploaded file is no longer here"), tr("upload the file again")
        )
    return found[0]


def uploaded_name(tables: Path) -> str:
    """The name of the file the user uploaded: a published table kept beside the folder made of
    it, a zip unpacked into the folder, or the workbook itself."""
    if not tables.is_dir():
        return tables.name
    documents = [p.name[1:] for p in tables.parent.glob(".*") if p.name != RECEIVING]
    return documents[0] if documents else tables.name + ZIP


def discard(token: str) -> None:
    if _TOKEN.match(token):
        shutil.rmtree(_root() / token, ignore_errors=True)


def same_as_current(tables: Path) -> bool:
    """The upload holds the very bytes of the current table version: importing changes nothing."""
    current = TableVersion.objects.order_by("-number").values_list("sha256", flat=True).first()
    return current is not None and current == digest(pack(tables)[1])


def template_bytes() -> bytes:
    """The empty input workbook `roster template` writes."""
    buffer = io.BytesIO()
    build_template().save(buffer)
    return buffer.getvalue()


def attachment(name: str, fallback: str) -> str:
    """Content-Disposition for a download with a Chinese name: an ASCII name for old clients,
    the real one as RFC 5987 `filename*`."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{percent(name)}"


# What was understood ---------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


@dataclass(frozen=True)
class DutyRow:
    kind: str
    area: str
    units: str
    windows: tuple[str, ...]
    people: str
    leader: bool
    holidays: str
    summer: str  # slots in an ordinary summer week
    winter: str
    in_period: int


@dataclass(frozen=True)
class UnitRow:
    unit: str
    shared: bool
    volunteers: int
    leaders: int
    capacity: str
    summer: str
    winter: str
    load: str
    level: str  # "over" above capacity, "high" above 80 %


@dataclass(frozen=True)
class Understood:
    """`roster check`'s facts, as rows for a page."""

    name: str
    period: str
    calendar: str
    special_days: tuple[tuple[str, str], ...]
    duties: tuple[DutyRow, ...]
    summer_total: str
    winter_total: str
    units: tuple[UnitRow, ...]
    shared: bool
    leave: str
    warnings: tuple[ProblemRow, ...]


def understood(report: CheckReport) -> Understood:
    plan, s = report.plan, report.plan.settings
    duties = tuple(
        DutyRow(
            d.kind,
            d.area,
            "、".join(d.units),
            tuple(
                f"{r.days.describe()} {r.window}"
                + ("" if r.season is Season.ALL else f" {r.season.zh}")
                for r in d.rules
            ),
            join(
                [
                    f"{lo}" if lo == hi else f"{lo}–{hi}"
                    for lo, hi in sorted({(r.min_people, r.max_people) for r in d.rules})
                ]
            ),
            any(r.leader_required for r in d.rules),
            "/".join(sorted({r.holidays.zh for r in d.rules})),
            _fmt(d.slots_per_week[Season.SUMMER]),
            _fmt(d.slots_per_week[Season.WINTER]),
            d.slots_in_period,
        )
        for d in report.duties
    )
    units = []
    for u in report.units:
        summer = u.demand_hours[Season.SUMMER]
        load = summer / u.capacity_hours if u.capacity_hours else float("inf")
        units.append(
            UnitRow(
                u.unit,
                u.shared,
                u.volunteers,
                u.leaders,
                _fmt(u.capacity_hours),
                _fmt(summer),
                _fmt(u.demand_hours[Season.WINTER]),
                f"{load:.0%}" if u.capacity_hours else "∞",
                "over" if load > 1 else ("high" if load > 0.8 else ""),
            )
        )
    timetable = [f"{month:02d}-{day:02d}" for month, day in (s.summer_start, s.summer_end)]
    return Understood(
        s.name or tr("campaign"),
        tr(
            "period {start} to {end}; summer timetable {summer_start} to {summer_end}; "
            "time zone {timezone}; {slots} slots in the period",
            start=s.start,
            end=s.end,
            summer_start=timetable[0],
            summer_end=timetable[1],
            timezone=s.timezone,
            slots=report.slot_count,
        ),
        tr("chinese-calendar {version}", version=package_version()),
        tuple(
            (
                f"{m.first:%Y-%m-%d}" + (f" – {m.last:%m-%d}" if m.last != m.first else ""),
                m.label,
            )
            for m in report.special_days
        ),
        duties,
        _fmt(sum(d.slots_per_week[Season.SUMMER] for d in report.duties)),
        _fmt(sum(d.slots_per_week[Season.WINTER] for d in report.duties)),
        tuple(units),
        any(u.shared for u in report.units),
        ntr(
            "{n} leave entry, {first} to {last}",
            "{n} leave entries, {first} to {last}",
            len(plan.leave),
            first=min(x.start for x in plan.leave),
            last=max(x.end for x in plan.leave),
        )
        if plan.leave
        else "",
        tuple(problem_rows(plan.warnings)),
    )


# Problems --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemRow:
    """A problem of a table, by the cell: file, sheet, row, column; value and what was expected."""

    error: bool
    severity: str
    file: str
    sheet: str
    row: str
    column: str
    value: str
    message: str
    expected: str


def problem_rows(problems: Iterable[Problem]) -> list[ProblemRow]:
    out = []
    for p in problems:
        source = p.source
        column = ""
        if p.column:
            label = source.column(p.column) if source else p.column
            settings = source is not None and source.settings
            column = tr("setting {setting}", setting=label) if settings else label
        out.append(
            ProblemRow(
                p.severity is Severity.ERROR,
                p.severity.label,
                source.file if source else "",
                source.sheet or "" if source else "",
                str(source.row) if source and source.row is not None else "",
                column,
                quote(p.value) if p.value is not None else "",
                p.message,
                p.expected or "",
            )
        )
    return out


@dataclass(frozen=True)
class FormProblem:
    """A problem of a form's field: the field as the form labels it."""

    error: bool
    field: str
    value: str
    message: str
    expected: str


def form_problems(problems: Iterable[Problem], labels: Mapping[str, str]) -> list[FormProblem]:
    """The operations name a command's option (`--phone`, `ID`) or a table's column (`unit`);
    the form shows its own label for either, and leaves out the tables' other warnings."""
    out = []
    for p in problems:
        if p.severity is Severity.WARNING and p.source and p.source.row is not None:
            continue  # another row's warning, already in the tables: not this form's
        key = p.column or (p.source.file if p.source else "")
        out.append(
            FormProblem(
                p.severity is Severity.ERROR,
                labels.get(key, key),
                quote(p.value) if p.value is not None else "",
                p.message,
                p.expected or "",
            )
        )
    return out


# Volunteers ------------------------------------------------------------------------------------


def weekday_names() -> tuple[str, ...]:
    return WEEKDAY_NAMES_EN if language() == ENGLISH else WEEKDAY_NAMES_ZH


@dataclass(frozen=True)
class VolunteerRow:
    id: str
    name: str
    unit: str
    phone: str
    leader: bool
    cap: str  # hours per week, the campaign's default in brackets
    unavailable: str


def _unavailable(days: frozenset[int]) -> str:
    names = weekday_names()
    return join([names[d] for d in sorted(days)])


def find_volunteers(
    plan: Plan, text: str = "", unit: str = "", limit: int = 200
) -> tuple[list[VolunteerRow], int]:
    """At most `limit` volunteers of `unit` (every unit if empty) whose id, name, unit or phone
    holds `text`, in the table's order, and how many matched: a city has thousands."""
    wanted = text.strip().casefold()
    digits = re.sub(r"[\s-]", "", wanted)
    people = plan.volunteers_of(unit) if unit else plan.volunteers
    found = [
        v
        for v in people
        if not wanted
        or any(wanted in x.casefold() for x in (v.id, v.name, v.unit))
        or (digits and digits in re.sub(r"[\s-]", "", v.phone))
    ]
    default = _fmt(plan.settings.weekly_cap_hours)
    rows = [
        VolunteerRow(
            v.id,
            v.name,
            v.unit,
            v.phone,
            v.leader,
            _fmt(v.weekly_cap_hours) if v.weekly_cap_hours is not None else f"({default})",
            _unavailable(v.unavailable),
        )
        for v in found[:limit]
    ]
    return rows, len(found)


def volunteer(plan: Plan, volunteer_id: str) -> Volunteer | None:
    return next((v for v in plan.volunteers if v.id == volunteer_id), None)


YES, NO = "是", "否"
# The longest texts the workspace's tables keep (an assignment's id and name, a change's phone).
LONGEST = {"id": 100, "name": 100, "unit": 200, "phone": 30, "reason": 200}


@dataclass(frozen=True)
class VolunteerForm:
    """A volunteer as the form shows and sends it: texts, the weekdays as numbers."""

    id: str = ""
    name: str = ""
    unit: str = ""
    phone: str = ""
    leader: bool = False
    weekly_cap: str = ""
    unavailable: frozenset[int] = frozenset()

    @classmethod
    def of(cls, v: Volunteer) -> VolunteerForm:
        cap = "" if v.weekly_cap_hours is None else f"{v.weekly_cap_hours:g}"
        return cls(v.id, v.name, v.unit, v.phone, v.leader, cap, v.unavailable)

    @classmethod
    def typed(
        cls, volunteer_id: str, fields: Mapping[str, str], days: Iterable[str]
    ) -> VolunteerForm:
        return cls(
            volunteer_id.strip(),
            fields.get("name", "").strip(),
            fields.get("unit", "").strip(),
            fields.get("phone", "").strip(),
            bool(fields.get("leader")),
            fields.get("weekly_cap", "").strip(),
            frozenset(int(d) for d in days if d in {"0", "1", "2", "3", "4", "5", "6"}),
        )

    def days(self) -> list[tuple[int, str, bool]]:
        """(number, name, ticked) of each weekday, for the form's boxes."""
        return [(i, n, i in self.unavailable) for i, n in enumerate(weekday_names())]

    def texts(self) -> dict[str, str]:
        """Every field as the volunteers table (and `roster volunteer add|set`) spells it."""
        return {
            "name": self.name,
            "unit": self.unit,
            "phone": self.phone,
            "leader": YES if self.leader else NO,
            "weekly_cap_hours": self.weekly_cap,
            "unavailable": "、".join(WEEKDAY_NAMES_ZH[d] for d in sorted(self.unavailable)),
        }

    def values(self, before: VolunteerForm | None) -> dict[str, str]:
        """The options `roster volunteer add|set` would get: for a new volunteer its name and
        unit and whatever else was filled in; for a change, only the fields that differ."""
        texts = self.texts()
        if before is None:
            given = {k: v for k, v in texts.items() if v and not (k == "leader" and v == NO)}
            return {"name": self.name, "unit": self.unit, **given}
        old = before.texts()
        return {k: v for k, v in texts.items() if v != old[k]}

    def problems(self) -> list[Problem]:
        """Texts longer than the workspace keeps (the tables would take them; a publish not)."""
        return _too_long({"id": self.id, "name": self.name, "phone": self.phone})


def _too_long(texts: Mapping[str, str]) -> list[Problem]:
    return [
        Problem(
            tr("too long"),
            Source("form"),
            key,
            text[:20] + "…",
            tr("at most {n} characters", n=LONGEST[key]),
        )
        for key, text in texts.items()
        if len(text) > LONGEST[key]
    ]


# Leave -----------------------------------------------------------------------------------------


def form_date(text: str, option: str) -> date:
    """A date typed in a form (2022-06-15, 2022/6/15, 2022年6月15日); InputError names the field."""
    try:
        return parse_date(text.strip(), option)
    except FieldError as exc:
        raise InputError(
            [Problem(exc.message, Source("form"), option, exc.value, exc.expected)]
        ) from None


def reason_problems(reason: str) -> list[Problem]:
    return _too_long({"reason": reason})


@dataclass(frozen=True)
class LeaveRow:
    number: int
    volunteer_id: str
    name: str
    unit: str
    first: date
    last: date
    reason: str
    from_table: bool
    added_by: str


def leave_rows(
    entries: Iterable[tuple[LeaveEntry, str]], plan: Plan, unit: str = "", limit: int = 200
) -> tuple[list[LeaveRow], int]:
    """At most `limit` leave entries, of `unit`'s volunteers only if given, and how many."""
    units = {v.id: v.unit for v in plan.volunteers}
    rows = [
        LeaveRow(
            x.id,
            x.volunteer_id,
            name,
            units.get(x.volunteer_id, ""),
            x.start,
            x.end,
            x.reason,
            x.origin == LeaveEntry.TABLE,
            x.added_by,
        )
        for x, name in entries
        if not unit or units.get(x.volunteer_id) == unit
    ]
    return rows[:limit], len(rows)
