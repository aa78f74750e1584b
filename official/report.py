"""What an import understood and chose, as the clerk reads it: on screen and in import-report.txt.

The table leaves things unsaid (a visit's time of day, a headcount, which dates are summer); each
such choice is listed with the cell it concerns (row, column as the document spells it), what was
read there, what was chosen and why — the default it came from, and the option that changes it.
A phrase that could not be read is listed with what was expected; the rest is still reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roster.errors import Problem, Severity
from roster.i18n import join, tr


def rows_text(rows: tuple[int, ...]) -> str:
    """(6, 7, 8, 12) → '6–8, 12'."""
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return join([f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs])


@dataclass(frozen=True)
class Cell:
    """A cell of the document, as the report names it."""

    file: str
    rows: tuple[int, ...]
    column: str
    sheet: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(tr("sheet {sheet}", sheet=self.sheet))
        if self.rows:
            many = len(set(self.rows)) > 1
            shown = rows_text(self.rows)
            parts.append(tr("rows {rows}", rows=shown) if many else tr("row {rows}", rows=shown))
        parts.append(tr("column {column}", column=self.column))
        return tr(", ").join(parts)


@dataclass(frozen=True)
class Reading:
    """What a cell was understood to say."""

    cell: Cell
    read: str
    understood: str


@dataclass(frozen=True)
class Choice:
    """Something the table does not say, and what was taken instead."""

    cell: Cell | None  # None: a choice for the whole table (a column it does not have)
    read: str
    chosen: str
    why: str


@dataclass
class Report:
    """Everything the import of one document says, in the order the clerk reads it."""

    document: str
    form: str = ""
    notes: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def text(self) -> str:
        """The report as plain text, in the language in use."""
        lines = [tr("Import report: {document}", document=self.document)]
        if self.form:
            lines.append(tr("Read as {form}.", form=self.form))
        lines.extend(f"- {n}" for n in self.notes)
        if self.readings:
            lines += ["", tr("What the table says:")]
            lines.extend(
                tr(
                    "- {cell}: {read} → {understood}",
                    cell=r.cell,
                    read=_quoted(r.read),
                    understood=r.understood,
                )
                for r in self.readings
            )
        lines += ["", tr("What the table does not say, and what was chosen:")]
        if not self.choices:
            lines.append(tr("- nothing: every value is the table's own"))
        for c in self.choices:
            where = str(c.cell) if c.cell else tr("the whole table")
            read = _quoted(c.read) if c.cell else c.read
            lines.append(
                tr(
                    "- {where}: {read}; chosen: {chosen}; why: {why}",
                    where=where,
                    read=read,
                    chosen=c.chosen,
                    why=c.why,
                )
            )
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        warnings = [p for p in self.problems if p.severity is Severity.WARNING]
        if warnings:
            lines += ["", tr("Warnings:")]
            lines.extend(f"- {p}" for p in warnings)
        if errors:
            lines += [
                "",
                tr(
                    "Phrases and cells that could not be read (nothing but this report "
                    "was written):"
                ),
            ]
            lines.extend(f"- {p}" for p in errors)
        if self.written:
            lines += ["", tr("Written: {files}", files=join(self.written))]
        return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:60]}…”" if len(flat) > 60 else f"“{flat}”"
