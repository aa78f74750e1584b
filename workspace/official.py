"""A published table (.docx, .xlsx in the published layout, .xls, .txt) imported into a workspace.

The document has the duties, the units and the period, but no volunteers: those, the table's
leave and holidays, the units' contacts and the other settings are kept from the workspace's
current tables. The two are made into a data folder in a temporary place (named after the
document, the name the version is kept under) and imported as any other table.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from application import read_tables
from application.official import Options, Report, import_official, is_official
from official.convert import Carried, carried_from
from workspace.models import TableVersion
from workspace.operations import Imported, import_tables
from workspace.tables import unpacked

__all__ = ["Options", "converted_folder", "current_carried", "import_document", "is_official"]


def current_carried() -> Carried | None:
    """What the workspace's current tables carry into a published table (None: no tables yet)."""
    table = TableVersion.objects.order_by("-number").first()
    if table is None:
        return None
    with unpacked(table.file_name, bytes(table.content)) as path:
        return carried_from(read_tables(path))


def import_document(document: Path, options: Options) -> tuple[Report, Imported | None]:
    """The report of the conversion, and the import it made (None when the document failed)."""
    carried = current_carried()
    with tempfile.TemporaryDirectory(prefix="roster-official-") as tmp:
        folder = Path(tmp) / (document.stem or "tables")
        report = import_official(document, folder, options, carried)
        if report.failed:
            return report, None
        return report, import_tables(folder)


def converted_folder(document: Path, target: Path, options: Options) -> Report:
    """The document converted into `target` with the workspace's volunteers, for a preview."""
    return import_official(document, target, options, current_carried())
