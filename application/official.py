"""Importing a bureau's published responsibility table (.docx, .xlsx, .xls, .txt) as a data folder.

The document is read and converted by `official`; here the folder is written: first beside the
target and read back by roster's own readers — a folder that would not read is never written —
then file by file, atomically. `import-report.txt` is written in every case, failure included, so
the clerk has the whole report beside the data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from official.convert import Carried, Options, convert
from official.documents import is_official, read_document
from official.report import Report
from roster.errors import InputError, Problem, Source
from roster.fileio import write_text
from roster.i18n import tr
from roster.readers import load

REPORT = "import-report.txt"
KEPT = ("volunteers.csv",)  # the clerk's own, once filled in: never overwritten

__all__ = ["REPORT", "Carried", "Options", "Report", "import_official", "is_official"]


def import_official(
    source: Path, out: Path, options: Options, carried: Carried | None = None
) -> Report:
    """Convert `source` into the data folder `out` and write `out/import-report.txt`.

    InputError only for a file that cannot be opened at all; every other problem is in the
    report (`report.failed`), and then only the report is written."""
    document = read_document(source)
    report, converted = convert(document, options, carried)
    if converted.files:
        _checked(converted.files, report)
    if converted.files and not report.failed:
        for name, text in converted.files.items():
            target = out / name
            if name in KEPT and carried is None and target.is_file() and _filled(target):
                report.notes.append(tr("{file} already holds volunteers: kept as it is", file=name))
                continue
            write_text(target, text)
            report.written.append(name)
    report.written.append(REPORT)
    write_text(out / REPORT, report.text())
    return report


def _filled(path: Path) -> bool:
    return len([line for line in path.read_text("utf-8-sig").splitlines() if line.strip()]) > 1


def _checked(files: dict[str, str], report: Report) -> None:
    """The folder read back by roster's readers; their errors (two windows of one duty that
    overlap, say) go into the report, their warnings too except a unit without volunteers —
    every unit is, until the units send their lists."""
    with tempfile.TemporaryDirectory(prefix="roster-official-") as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, "utf-8")
        if len(files["volunteers.csv"].splitlines()) < 2:  # the units have not sent their lists
            units = files["units.csv"].splitlines()[1:]
            stand_ins = [f"check{i},check,{u.split(',')[0]}" for i, u in enumerate(units)]
            (folder / "volunteers.csv").write_text(
                "\n".join([files["volunteers.csv"].strip(), *stand_ins]) + "\n", "utf-8"
            )
        try:
            plan = load(folder)
        except InputError as exc:
            report.problems.extend(_renamed(p) for p in exc.problems)
            return
        report.problems.extend(_renamed(p) for p in plan.warnings)


def _renamed(problem: Problem) -> Problem:
    """A problem of the written folder, named by the file it would be in (not the temp path)."""
    source = problem.source
    if source is not None and "roster-official-" in source.file:
        source = Source(
            Path(source.file).name, source.row, source.sheet, source.columns, source.names
        )
    return Problem(
        problem.message, source, problem.column, problem.value, problem.expected, problem.severity
    )
