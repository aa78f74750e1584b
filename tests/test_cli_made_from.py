"""An output folder remembers the tables it was made from: `roster export DIR` never takes the
shipped sample in their place."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli import main as cli

from .conftest import read_rows, write_rows

runner = CliRunner()


def test_export_without_tables_uses_those_the_roster_was_made_from(
    sample_copy: Path, tmp_path: Path
) -> None:
    rows = read_rows(sample_copy / "volunteers.csv")
    name = rows[0].index("姓名")
    rows[1][name] = "钱丽萍"  # a clerk's own table: one name differs from the sample's
    write_rows(sample_copy / "volunteers.csv", rows)
    out = tmp_path / "out"
    solved = runner.invoke(
        cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)]
    )
    assert solved.exit_code == 0, solved.output
    assert (out / "made_from.txt").read_text(encoding="utf-8").strip() == str(sample_copy.resolve())
    exported = runner.invoke(cli.app, ["export", str(out)])
    assert exported.exit_code == 0, exported.output
    feeds = read_rows(out / "feeds.csv")
    assert "钱丽萍" in {r[1] for r in feeds}  # the clerk's table, not the sample


def test_export_refuses_a_folder_that_does_not_say_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        runner.invoke(cli.app, ["solve", "--week", "2022-06-15", "--out", str(out)]).exit_code == 0
    )
    (out / "made_from.txt").unlink()
    before = sorted(p.name for p in (out / "ical" / "volunteers").iterdir())
    result = runner.invoke(cli.app, ["export", str(out)])
    assert result.exit_code == 2
    assert "does not say which tables it was made from" in result.output
    assert f"roster export {out} DATA" in result.output
    assert sorted(p.name for p in (out / "ical" / "volunteers").iterdir()) == before
    shutil.rmtree(out)
    missing = runner.invoke(cli.app, ["export", str(out)])
    assert missing.exit_code == 2 and "roster solve --out" in missing.output
