"""An empty input workbook for office staff: Chinese headers, drop-down lists, an explanation sheet.

It holds the same tables as a data folder, one sheet each, and `roster check BOOK.xlsx` reads it
back as it is filled in.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from roster.fileio import write_with
from roster.i18n import tr
from roster.tables import ALL_TABLES, SETTINGS, UNITS, Column, Table

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
BOLD = Font(bold=True)
ROWS = 1000  # rows that get drop-down lists


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _header(ws: Worksheet, table: Table) -> None:
    for index, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.zh)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = max(10, _width(column.zh) + 4)
    ws.freeze_panes = "A2"


def _choices(ws: Worksheet, table: Table) -> None:
    units_ref = f"'{UNITS.sheets[0]}'!$A$2:$A${ROWS}"
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        if column.choices:
            formula = '"' + ",".join(column.choices) + '"'
        elif column.key == "unit" and table is not UNITS:
            formula = f"={units_ref}"
        else:
            continue
        # A warning, not a stop: several units ("甲、乙") and English spellings are also accepted.
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning")
        dv.error = "不在下拉列表中，确定要这样填写吗？"
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{ROWS}")


def _explanations(ws: Worksheet) -> None:
    ws.append(["工作表", "列名", "英文列名", "必填", "留空时", "说明"])
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for table in (*ALL_TABLES, SETTINGS):
        sheet = table.sheets[0]
        for column in table.columns:
            ws.append(_explain_row(sheet, column))
    widths = (14, 16, 18, 6, 22, 90)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    # Printed for reference: A4 landscape, one page wide, the header on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _explain_row(sheet: str, column: Column) -> list[str]:
    return [
        sheet,
        column.zh,
        column.key,
        "是" if column.required else "",
        tr(column.default) if column.default else "",  # in Chinese, all（全年） reads 全年
        column.help,
    ]


def build_template() -> Workbook:
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    _explanations(guide)
    for table in ALL_TABLES:
        ws = wb.create_sheet(table.sheets[0])
        _header(ws, table)
        _choices(ws, table)
    settings = wb.create_sheet(SETTINGS.sheets[0])
    settings.append(["设置项", "值", "说明"])
    for cell in settings[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for column in SETTINGS.columns:
        settings.append([column.zh, column.default, column.help])
    settings.column_dimensions["A"].width = 16
    settings.column_dimensions["B"].width = 20
    settings.column_dimensions["C"].width = 60
    settings.freeze_panes = "A2"
    return wb


def write_template(path: Path) -> None:
    """Write the template workbook atomically to `path`."""
    wb = build_template()
    write_with(path, lambda tmp: wb.save(tmp))
