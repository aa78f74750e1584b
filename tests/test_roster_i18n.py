"""The message catalog: every text a user reads has its Chinese, with the same placeholders.

The texts are extracted from the source the way `python3 scripts/catalog.py update` does (Babel),
and compared with `roster/locale/zh_Hans/LC_MESSAGES/django.po`; the compiled `django.mo` must say
what the `.po` says. Besides these, every message the other tests build is rendered once more in
Chinese with the same values (tests/conftest.py), and the run fails when one of them has no
translation or lets an English word through.
"""

from __future__ import annotations

import ast
import gettext
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roster import i18n
from roster.errors import Problem, Source
from roster.i18n import join, ntr, speaking, tr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import catalog  # noqa: E402  (scripts/catalog.py, the catalog's own tool)


@pytest.fixture(scope="module")
def po():
    return catalog.read_catalog()


@pytest.fixture(scope="module")
def source() -> dict[str, tuple[str, ...]]:
    return catalog.extracted()


def test_every_text_of_the_source_is_translated_with_its_placeholders(po, source) -> None:
    assert catalog.problems(po, source) == []


def test_the_check_notices_a_missing_translation_and_a_lost_placeholder(po) -> None:
    source = {"{count} error(s) in the input:": ("{count} error(s) in the input:",)}
    lost = catalog.Catalog(locale="zh_Hans", domain="django")
    lost.add("{count} error(s) in the input:", "输入中有错误：")
    assert catalog.problems(lost, source) == [
        "placeholders differ: '{count} error(s) in the input:' -> '输入中有错误：'"
    ]
    empty = catalog.Catalog(locale="zh_Hans", domain="django")
    assert catalog.problems(empty, source) == ["untranslated: '{count} error(s) in the input:'"]


def test_the_compiled_catalog_says_what_the_po_file_says(po) -> None:
    with catalog.MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert mo.gettext(message.id) == message.string, message.id
        else:
            assert mo.ngettext(message.id[0], message.id[1], 2) == message.string[0]


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        named = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if named and node.func.id in ("tr", "ntr", "N_") and node.args:  # type: ignore[attr-defined]
            yield node


def test_every_translated_text_is_a_literal_the_extraction_can_read() -> None:
    """An f-string or a formatted text inside tr() would never reach the catalog."""
    bad = []
    for package in catalog.PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
                texts = call.args[:2] if call.func.id == "ntr" else call.args[:1]  # type: ignore[attr-defined]
                for arg in texts:
                    literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                    named = call.func.id == "tr" and isinstance(arg, ast.Name | ast.Attribute)  # type: ignore[attr-defined]
                    if not (literal or named):
                        bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert bad == []


def test_chinese_is_the_default_and_roster_lang_en_chooses_english() -> None:
    code = "from roster.i18n import tr; print(tr('error'))"
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_LANG"}
    chinese = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    env["ROSTER_LANG"] = "en"
    english = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (chinese.stdout, english.stdout) == ("错误\n", "error\n")


def test_a_problem_reads_in_chinese_and_keeps_the_value_as_written() -> None:
    source = Source("volunteers.csv", 5, columns=(("unit", "所属单位 (C)"),))
    problem = Problem("unknown unit", source, "unit", "城管大队", "one of: 局机关")
    with speaking("zh"):
        text = str(problem)
    assert text.startswith("volunteers.csv，第 5 行，所属单位 (C) 列：")
    assert "“城管大队”" in text


def test_fields_are_filled_after_translation_so_data_is_never_translated(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "recorder", None)  # the plural below is this test's own
    with speaking("zh"):
        assert tr("row {row}", row="error") == "第 error 行"
        assert join(["甲", "乙"]) == "甲、乙"
    with speaking("en"):
        assert join(["甲", "乙"]) == "甲, 乙"
        assert ntr("{n} error(s)", "{n} error(s)", 2) == "2 error(s)"


def test_the_language_switch_is_undone_after_the_block() -> None:
    before = i18n.language()
    with speaking("zh"):
        assert i18n.language() == i18n.CHINESE
    assert i18n.language() == before
