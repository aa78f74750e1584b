"""A plain list as a workbook for the office: bold header, wrapped cells, fit to the page width."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.excel import wrapped_lines


def text_only(ws: Worksheet) -> None:
    """Every text cell stored as text: openpyxl stores a string beginning with = as a formula,
    which a name or an area must never become in a workbook the office opens."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def list_workbook(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str | float]],
    widths: Sequence[int],
) -> bytes:
    """One sheet named `title`; columns `widths` characters wide, long texts wrapped in them."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        for cell in ws[letter][1:]:
            cell.alignment = wrap
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    for number, row in enumerate(rows, start=2):  # tall enough for the wrapped text, in print too
        lines = max(
            wrapped_lines(str(text), width) for text, width in zip(row, widths, strict=False)
        )
        ws.row_dimensions[number].height = 15 * lines
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    text_only(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
