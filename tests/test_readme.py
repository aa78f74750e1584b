"""The README is the user's only manual: it must name every column and every command."""

from __future__ import annotations

from cli import main as cli
from roster.tables import ALL_TABLES, SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_column_in_chinese_and_english() -> None:
    for table in (*ALL_TABLES, SETTINGS):
        assert f"`{table.file}`" in README, table.file
        for column in table.columns:
            assert f"`{column.key}`" in README and column.zh in README, (table.name, column.key)
            for alias in column.aliases:
                assert alias in README, (table.name, alias)


def test_readme_documents_every_command() -> None:
    for command in cli.app.registered_commands:
        assert f"`roster {command.name or command.callback.__name__}" in README


def test_readme_commands_are_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```bash\n{ci}\n```" in README
