"""An imported table as bytes in the database and back: the workbook as it is, a data folder as a
zip of its table files (fixed order and times, so the same folder gives the same bytes)."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from roster.tables import DUTIES, HOLIDAYS, LEAVE, SETTINGS, UNITS, VOLUNTEERS

FILES = tuple(t.file for t in (DUTIES, UNITS, VOLUNTEERS, LEAVE, HOLIDAYS, SETTINGS))
FOLDER_SUFFIX = ".zip"  # the stored name of a data folder


def pack(tables: Path) -> tuple[str, bytes]:
    """The stored name and bytes of a workbook or data folder."""
    if tables.is_file():
        return tables.name, tables.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in FILES:
            path = tables / name
            if path.is_file():
                info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, path.read_bytes())
    return tables.resolve().name + FOLDER_SUFFIX, buffer.getvalue()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def unpacked(name: str, data: bytes) -> Iterator[Path]:
    """A temporary workbook or data folder holding the stored table, for the readers."""
    with tempfile.TemporaryDirectory(prefix="roster-table-") as tmp:
        if name.endswith(FOLDER_SUFFIX):
            folder = Path(tmp) / name.removesuffix(FOLDER_SUFFIX)
            folder.mkdir()
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    if member in FILES:  # nothing else, and never a path outside the folder
                        (folder / member).write_bytes(z.read(member))
            yield folder
        else:
            path = Path(tmp) / Path(name).name
            path.write_bytes(data)
            yield path
