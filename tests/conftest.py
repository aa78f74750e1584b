"""Shared fixtures: the shipped Leiyang sample, and copies of it to break on purpose."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from roster.model import Plan
from roster.readers import load

# The tests read English unless they ask for Chinese (`chinese` fixture); subprocesses inherit it.
os.environ["ROSTER_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "leiyang"


@pytest.fixture(scope="session")
def sample_plan() -> Plan:
    return load(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample data folder."""
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def edit_csv(sample_copy: Path) -> Callable[..., Path]:
    """edit_csv('volunteers.csv', row, column, value): set one cell (row 1 is the header)."""

    def edit(name: str, row: int, column: str, value: str) -> Path:
        path = sample_copy / name
        rows = read_rows(path)
        index = rows[0].index(column)
        while len(rows) < row:
            rows.append([""] * len(rows[0]))
        rows[row - 1][index] = value
        write_rows(path, rows)
        return sample_copy

    return edit


def folder_to_workbook(folder: Path, target: Path, sheet_names: dict[str, str]) -> Path:
    """The same tables as sheets of one workbook (cells typed as text, as after a paste)."""
    import tomllib

    wb = Workbook()
    wb.remove(wb.active)
    for file, sheet in sheet_names.items():
        if file == "settings.toml":
            ws = wb.create_sheet(sheet)
            ws.append(["设置项", "值"])
            for key, value in tomllib.loads((folder / file).read_text("utf-8")).items():
                ws.append([key, str(value)])
            continue
        ws = wb.create_sheet(sheet)
        for row in read_rows(folder / file):
            ws.append(row)
    wb.save(target)
    return target
