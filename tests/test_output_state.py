"""Tampered state files (feed tokens, event stamps) are refused, naming the file and the row,
and nothing is written: no file outside the output folder, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import main as cli

runner = CliRunner()


@pytest.fixture
def solved(sample_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return sample_copy, out


def _again(data: Path, out: Path) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["solve", str(data), "--week", "2022-06-22", "--out", str(out)])
    return result.exit_code, result.stderr.replace("\n", " ")


def _tokens(data: Path) -> list[list[str]]:
    lines = (data / "feed_tokens.csv").read_text("utf-8").splitlines()
    return [line.split(",") for line in lines]


def _write(data: Path, rows: list[list[str]]) -> None:
    (data / "feed_tokens.csv").write_text("".join(",".join(r) + "\n" for r in rows), "utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_volunteers_on_one_token_are_refused_naming_both(solved: tuple[Path, Path]) -> None:
    data, out = solved
    rows = _tokens(data)
    rows[2][1] = rows[1][1]
    _write(data, rows)
    before = _files(out)
    code, err = _again(data, out)
    assert code == 2 and "Traceback" not in err
    assert (
        f"feed_tokens.csv, row 3, column token: one link for two volunteers: {rows[1][0]} (row 2)"
    )
    assert f"{rows[1][0]} (row 2) and {rows[2][0]}" in err
    assert _files(out) == before


def test_a_token_holding_path_characters_writes_nothing_outside_the_feeds(
    solved: tuple[Path, Path], tmp_path: Path
) -> None:
    data, out = solved
    rows = _tokens(data)
    rows[1][1] = "../../../escaped"
    _write(data, rows)
    code, err = _again(data, out)
    assert (
        code == 2 and "feed_tokens.csv, row 2, column token" in err and "'../../../escaped'" in err
    )
    assert not list(tmp_path.rglob("escaped*"))


def test_a_damaged_token_file_is_named_before_the_solve(
    solved: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = solved
    rows = _tokens(data)
    rows[1][1] = "not/a/token"
    _write(data, rows)
    import cli.solve

    def unreached(*args: object, **kwargs: object) -> None:
        raise AssertionError("solved before the state was read")

    monkeypatch.setattr(cli.solve, "solve_roster", unreached)
    code, err = _again(data, out)
    assert code == 2 and "feed_tokens.csv, row 2, column token" in err


def test_a_stamp_file_of_binary_garbage_is_refused_saying_what_to_do(
    solved: tuple[Path, Path],
) -> None:
    data, out = solved
    (data / "feed_stamps.csv").write_bytes(bytes(range(256)) * 8)
    code, err = _again(data, out)
    assert code == 2 and "Traceback" not in err and "internal error" not in err
    assert "feed_stamps.csv" in err and "delete it to start afresh" in err


def test_a_stamp_that_would_add_a_line_to_every_feed_is_refused(
    solved: tuple[Path, Path],
) -> None:
    data, out = solved
    path = data / "feed_stamps.csv"
    lines = path.read_text("utf-8").splitlines()
    slot, digest, _, sequence = lines[1].split(",")
    lines[1] = f'{slot},{digest},"20220612T000000Z\r\nATTENDEE:mailto:x@example.org",{sequence}'
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, err = _again(data, out)
    assert code == 2 and "feed_stamps.csv, row 2, column modified" in err
    assert not any(b"ATTENDEE" in p.read_bytes() for p in (out / "ical").rglob("*.ics"))
