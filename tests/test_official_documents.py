"""Reading published tables: Word with merged cells, workbooks below a title, text from a page."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from official.documents import is_official, read_document
from roster.errors import InputError

from .conftest import SAMPLE
from .official_tables import cleanups_xlsx, leiyang_docx, patrols_docx, publicity_txt

PAGE = Path(__file__).parent / "data" / "official" / "耒阳市城管局责任分工表.txt"


def places(path: Path) -> list[tuple[str, str, str]]:
    return [(r.text("kind"), r.text("area"), r.text("unit")) for r in read_document(path).records]


def test_word_merged_cells_repeat_on_the_rows_they_cover(tmp_path: Path) -> None:
    document = read_document(leiyang_docx(tmp_path / "表.docx"))
    parks = [r for r in document.records if r.text("kind") == "三、包重点场所"]
    assert [r.text("area") for r in parks] == ["马阜岭公园", "狮子岭公园", "西湖游园"]
    assert [r.cells["days"].merged for r in parks] == [False, True, True]
    assert {r.cells["days"].origin for r in parks} == {4}
    assert parks[0].text("days").splitlines()[0] == "星期一至星期五："
    assert any("row 7 repeats the header" in n for n in document.notes)
    assert document.heading[-1] == "（2021年9月20日至2022年12月31日）"
    assert not document.heading[0].startswith("附件")


def test_the_copied_page_reads_like_the_word_document(tmp_path: Path) -> None:
    assert places(PAGE) == places(leiyang_docx(tmp_path / "表.docx"))
    document = read_document(PAGE)
    assert any("repeats the header" in n for n in document.notes)
    assert any("2021年9月27日至2022年12月31日" in line for line in document.text)


def test_a_workbook_finds_its_header_below_the_title(tmp_path: Path) -> None:
    document = read_document(cleanups_xlsx(tmp_path / "安排表.xlsx"))
    assert any("the header row is row 3, below the title" in n for n in document.notes)
    assert [r.text("area") for r in document.records] == ["解放巷", "和平巷", "翠园小区"]
    second = document.records[1]
    assert second.text("days") == "每月最后一个周五下午" and second.cells["days"].merged


def test_utf16_tab_separated_text_reads(tmp_path: Path) -> None:
    document = read_document(publicity_txt(tmp_path / "宣传.txt"))
    assert document.form == "text with tab-separated cells"
    assert [r.text("area") for r in document.records] == ["人民广场", "滨江公园"]
    assert document.records[0].source.row == 4


def test_a_short_row_of_a_copied_table_gets_the_columns_least_likely_merged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "表.txt"
    path.write_text(
        "工作任务\t时间\t责任区域\t要求\t责任单位\n"
        "四、包路段\t每周五17:00至18:00\t甲路\t打扫\t局机关\n"
        "乙路\t环卫所\n",
        "utf-8",
    )
    (_, second) = read_document(path).records
    assert (second.text("area"), second.text("unit"), second.text("kind")) == ("乙路", "环卫所", "")


def test_no_header_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    document = docx.Document()
    document.add_paragraph("通知")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "姓名"
    document.save(str(path))
    (problem,) = read_document(path).problems
    assert "no header row" in str(problem) and "责任区域" in str(problem)


@pytest.mark.parametrize(
    ("name", "advice"),
    [("表.doc", "save it as .docx"), ("表.pdf", ".txt"), ("表.html", ".txt")],
)
def test_other_files_are_refused_saying_what_to_do(tmp_path: Path, name: str, advice: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert advice in str(caught.value)


def test_a_broken_xls_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "表.xls"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert ".xls file saved by Excel or WPS" in str(caught.value)


def test_which_files_are_published_tables(tmp_path: Path) -> None:
    assert is_official(cleanups_xlsx(tmp_path / "a.xlsx"))
    assert is_official(patrols_docx(tmp_path / "b.docx"))
    assert is_official(PAGE)
    assert not is_official(SAMPLE)
    from roster.template import write_template

    write_template(tmp_path / "ours.xlsx")
    assert not is_official(tmp_path / "ours.xlsx")
