"""The streaming workbook writer, read back by openpyxl and python-calamine (two other readers)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from exports.xlsx import PLAIN, Book, PageSetup, Style, column_letter

DAY = date(2021, 10, 1)  # 国庆节, the campaign's first holiday


def _book(tmp_path: Path) -> Path:
    book = Book(created=datetime(2021, 9, 27))
    odd = "A&B <c> \"d\" 'e'\n第二行 "
    rows = [
        (None, [("标题", Style(font="title"))]),
        (
            None,
            [(h, Style(font="bold", fill="header", border=True)) for h in ("日期", "开始", "名")],
        ),
        (
            22,
            [
                (DAY, Style(number_format="yyyy-mm-dd")),
                (time(7, 30), Style(number_format="hh:mm")),
                (odd, PLAIN),
            ],
        ),
        (
            None,
            [
                (DAY, PLAIN),
                (None, Style(fill="gap")),
                ("bell\x07", PLAIN),
                (2.5, PLAIN),
                (3, PLAIN),
            ],
        ),
    ]
    book.add_sheet("排班表", [12, 8, 20], rows, freeze_row=2, filter_row=2, page=PageSetup(2))
    book.add_sheet("O'Brien", [], [(None, [("x", PLAIN)])])
    path = tmp_path / "t.xlsx"
    path.write_bytes(book.bytes())
    return path


def test_values_survive_a_round_trip_through_two_readers(tmp_path: Path) -> None:
    path = _book(tmp_path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("排班表").to_python()
    assert rows[0][0] == "标题"
    assert rows[2][:3] == [DAY, time(7, 30), "A&B <c> \"d\" 'e'\n第二行 "]
    assert rows[3][2:5] == ["bell", 2.5, 3]  # the control character is dropped, numbers stay
    ws = load_workbook(path)["排班表"]
    assert ws["A3"].value == datetime(2021, 10, 1) and ws["A3"].number_format == "yyyy-mm-dd"
    assert ws["B3"].number_format == "hh:mm" and ws["C3"].value.endswith("第二行 ")
    assert ws["A1"].font.sz == 14 and ws["A2"].font.b and ws["A2"].fill.fgColor.rgb == "FFD9E1F2"
    assert ws["A2"].border.left.style == "thin"
    assert ws["B4"].fill.fgColor.rgb == "FFFCE4D6"


def test_layout_and_print_setup_are_what_excel_reads(tmp_path: Path) -> None:
    wb = load_workbook(_book(tmp_path))
    assert wb.sheetnames == ["排班表", "O'Brien"]
    ws = wb["排班表"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:E4"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["C"].width == 20
    assert ws.row_dimensions[3].height == 22
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text  # page of pages
    assert wb["O'Brien"]["A1"].value == "x"


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _book(tmp_path / "a").read_bytes() == _book(tmp_path / "b").read_bytes()


def test_column_letters_run_from_a_to_z_then_aa_to_az_then_aaa() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
