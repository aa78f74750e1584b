"""Names that become file names: one file per unit and per area, each inside the output folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import main as cli
from exports.names import MAX_BYTES, file_stem, file_stems, unit_stems

runner = CliRunner()

# Each stands for a way a unit's name goes wrong as a file name.
HOSTILE = {
    "园林事务中心": "园林\\..\\事务中心",  # Windows path separators and a parent folder
    "市政服务中心": "渣" * 100,  # 300 bytes in UTF-8, more than a file name may hold
    "渣土所": "roster",  # the master workbook's name
    "环卫所": "环卫:所",  # cleans to 环卫_所 ...
}
TWIN = "环卫_所"  # ... which is another unit's name as it stands


def _rename_units(folder: Path) -> None:
    """The sample with hostile unit names, and a fifth unit named as another cleans to."""
    for name in ("duties.csv", "units.csv", "volunteers.csv"):
        path = folder / name
        text = path.read_text("utf-8-sig")
        for old, new in HOSTILE.items():
            text = text.replace(old, new)
        path.write_text(text, "utf-8")
    units = folder / "units.csv"
    units.write_text(units.read_text("utf-8") + f"{TWIN},龙小双,13800000099\n", "utf-8")
    volunteers = folder / "volunteers.csv"
    row = f"TW001,龙小双,{TWIN},13800000099,是,,\n"
    volunteers.write_text(volunteers.read_text("utf-8") + row, "utf-8")


def test_hostile_unit_names_give_one_workbook_and_one_feed_each_inside_the_folder(
    sample_copy: Path, tmp_path: Path
) -> None:
    _rename_units(sample_copy)
    out = tmp_path / "out"
    checked = runner.invoke(cli.app, ["check", str(sample_copy)])
    assert checked.exit_code == 0, checked.output
    before = set(tmp_path.rglob("*"))
    result = runner.invoke(
        cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)]
    )
    assert result.exit_code in (0, 3), result.output
    units = ["局机关", *HOSTILE.values(), TWIN]
    made = set(tmp_path.rglob("*")) - before
    outside = {p.name for p in made if not p.is_relative_to(out)}
    assert outside <= {"out", "feed_tokens.csv", "feed_stamps.csv", ".roster.lock"}, outside
    assert all(len(p.name.encode()) <= 255 for p in made)
    workbooks = sorted((out / "excel").iterdir())
    assert len(workbooks) == len(units) + 1  # every unit's, and the master
    # Each workbook's title names its own unit; roster.xlsx is still the master.
    titles = {p.name: str(load_workbook(p).active["A1"].value) for p in workbooks}
    master = titles.pop("roster.xlsx")
    assert not any(master.startswith(u + " ") for u in units)
    owners = [[u for u in units if title.startswith(u + " ")] for title in titles.values()]
    assert sorted(o[0] for o in owners) == sorted(units) and all(len(o) == 1 for o in owners)
    assert len(list((out / "ical" / "units").iterdir())) == len(units)


def test_a_control_character_in_a_cell_is_refused_naming_the_cell(sample_copy: Path) -> None:
    path = sample_copy / "units.csv"
    path.write_text(path.read_text("utf-8-sig").replace("环卫所", "环卫\x00所"), "utf-8")
    result = runner.invoke(cli.app, ["check", str(sample_copy)])
    assert result.exit_code == 2
    assert "units.csv, row" in result.stderr
    assert "column 责任单位 (A)" in result.stderr
    assert "U+0000" in result.stderr
    assert "Traceback" not in result.output


def test_a_good_file_name_is_kept_as_it_is() -> None:
    assert file_stem("园林事务中心") == "园林事务中心"
    assert file_stem("五一路(蔡伦路口至金华路口)") == "五一路(蔡伦路口至金华路口)"


def test_the_names_of_devices_and_of_the_master_are_never_used_as_they_are() -> None:
    assert file_stem("CON") != "CON" and file_stem("nul.txt") != "nul.txt"
    assert unit_stems(["roster"])["roster"] != "roster"


def test_a_names_file_does_not_change_when_other_names_come_and_go() -> None:
    alone = file_stems(["环卫:所"])
    together = file_stems(["环卫:所", "环卫_所", "园林事务中心"])
    assert alone["环卫:所"] == together["环卫:所"]
    assert together["环卫_所"] == "环卫_所"


def test_names_that_differ_only_in_case_get_two_files() -> None:
    stems = file_stems(["Road A", "road a"])
    assert stems["Road A"].casefold() != stems["road a"].casefold()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=8, unique=True))
def test_any_names_give_distinct_bounded_file_names_inside_the_folder(names: list[str]) -> None:
    stems = unit_stems(names)
    assert len({s.casefold() for s in stems.values()}) == len(set(names))
    for stem in stems.values():
        assert stem not in ("", ".", "..") and not stem.startswith(".")
        assert "/" not in stem and "\\" not in stem and "\x00" not in stem
        assert len(stem.encode("utf-8")) <= MAX_BYTES + 9 + 9
        assert stem.casefold() != "roster"


def test_feeds_csv_lists_one_feed_file_per_volunteer(sample_copy: Path, tmp_path: Path) -> None:
    _rename_units(sample_copy)
    out = tmp_path / "out"
    runner.invoke(cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)])
    rows = list(csv.reader(io.StringIO((out / "feeds.csv").read_text("utf-8-sig"))))[1:]
    assert rows and all((out / row[3]).is_file() for row in rows)
