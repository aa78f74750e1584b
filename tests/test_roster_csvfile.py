"""CSV files as Excel and WPS save them on Chinese Windows, read without any data-frame library."""

from __future__ import annotations

from pathlib import Path

from roster.csvfile import read_csv
from roster.errors import Problem


def test_gbk_file_reads_the_same_as_utf8_with_bom(tmp_path: Path) -> None:
    text = "编号,姓名\nJG001,钱丽平\n"
    (tmp_path / "a.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "b.csv").write_bytes(text.encode("gbk"))
    problems: list[Problem] = []
    a, b = read_csv(tmp_path / "a.csv", problems), read_csv(tmp_path / "b.csv", problems)
    assert a is not None and b is not None and not problems
    assert a.rows == b.rows == [(1, ["编号", "姓名"]), (2, ["JG001", "钱丽平"])]


def test_a_quoted_cell_keeps_its_comma_and_line_break_and_rows_keep_their_numbers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "duties.csv"
    path.write_text(
        '工作任务,要求\n包路口,"佩戴红袖章,\n提前10分钟到岗"\n\n联社区, 入户\n', "utf-8"
    )
    table = read_csv(path, [])
    assert table is not None
    assert table.rows[1] == (2, ["包路口", "佩戴红袖章,\n提前10分钟到岗"])
    assert table.rows[-1] == (4, ["联社区", "入户"])  # the blank record is row 3


def test_a_row_with_more_cells_than_the_header_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("单位,备注\n局机关,a\n园林事务中心,b,c\n", "utf-8")
    problems: list[Problem] = []
    assert read_csv(path, problems) is None
    assert problems[0].source is not None and problems[0].source.row == 3
    assert "the same number of commas" in str(problems[0])
