"""The message catalog: extract the English texts, keep the Chinese catalog in step, compile it.

    python3 scripts/catalog.py update    # add new texts (untranslated), drop ones no longer used
    python3 scripts/catalog.py check     # what is untranslated, or lost a placeholder (exit 1)
    python3 scripts/catalog.py compile   # write django.mo from django.po
    python3 scripts/catalog.py merge OTHER.po ...   # take their translations of texts ours lacks

The tests run the same checks (tests/test_roster_i18n.py). Needs Babel (the test extra).
"""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("roster", "solver", "exports", "official", "application", "cli", "workspace", "web")
PO = ROOT / "roster" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"tr": None, "ntr": (1, 2), "N_": None}
# Fixed, so that updating an unchanged catalog changes no byte.
STAMP = datetime(2026, 12, 2, tzinfo=UTC)
# `{% translate "…" %}` in the web pages' templates (plain texts only; sentences with values are
# built in the views with tr()).
TRANSLATE_TAG = re.compile(r'{%\s*translate\s+"([^"]+)"\s*%}')
FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^}]*)?\}")


def extracted() -> dict[str, tuple[str, ...]]:
    """Every text of the source, as msgid -> (msgid, plural?) in order of first appearance."""
    out: dict[str, tuple[str, ...]] = {}
    for package in PACKAGES:
        found = extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=(),
            strip_comment_tags=True,
        )
        for _file, _line, message, _comments, _context in found:
            texts = (message,) if isinstance(message, str) else tuple(message)
            out.setdefault(texts[0], texts)
    for template in sorted((ROOT / "web" / "templates").rglob("*.html")):
        for message in TRANSLATE_TAG.findall(template.read_text(encoding="utf-8")):
            out.setdefault(message, (message,))
    return out


def read_catalog(path: Path = PO) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="zh_Hans", domain="django")


def fields(text: str) -> set[str]:
    return set(FIELD.findall(text))


def problems(catalog: Catalog, source: dict[str, tuple[str, ...]]) -> list[str]:
    """Untranslated or fuzzy texts, lost or invented placeholders, texts no longer in the source."""
    out = []
    for msgid, texts in source.items():
        message = catalog.get(msgid)
        strings = () if message is None else message.string
        strings = (strings,) if isinstance(strings, str) else tuple(strings)
        if message is None or not all(strings) or message.fuzzy:
            out.append(f"untranslated: {msgid!r}")
            continue
        wanted = set().union(*(fields(t) for t in texts))
        if len(texts) > 1:
            wanted.add("n")
        for text in strings:
            if fields(text) - wanted or (fields(texts[0]) - {"n"}) - fields(text):
                out.append(f"placeholders differ: {msgid!r} -> {text!r}")
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and key not in source:
            out.append(f"no longer used: {key!r}")
    return out


def compiled(catalog: Catalog) -> bytes:
    """The `.mo` of a catalog (the tests compare what it translates, not its bytes)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update() -> None:
    source = extracted()
    old = read_catalog() if PO.exists() else Catalog(locale="zh_Hans", domain="django")
    new = Catalog(
        locale="zh_Hans",
        domain="django",
        project="roster",
        version="1",
        header_comment="# Chinese (zh-Hans) texts of roster: the command line, the files it "
        "writes, the web pages.",
        last_translator="roster",
        language_team="zh_Hans",
        creation_date=STAMP,
        revision_date=STAMP,
        msgid_bugs_address="roster",
        fuzzy=False,
    )
    for msgid, texts in source.items():
        before = old.get(msgid)
        string: str | tuple[str, ...] = "" if len(texts) == 1 else ("",)
        if before is not None:
            string = before.string
        key = msgid if len(texts) == 1 else texts
        new[msgid] = Message(key, string)
    buffer = io.BytesIO()
    write_po(buffer, new, width=0, omit_header=False, no_location=True, sort_output=True)
    PO.write_bytes(buffer.getvalue())


def merge(others: list[str]) -> None:
    """Fill untranslated texts from other copies of the catalog (branches translated apart)."""
    ours = read_catalog()
    for other in others:
        for message in read_catalog(Path(other)):
            mine = ours.get(message.id if isinstance(message.id, str) else message.id[0])
            if mine is None or not message.string:
                continue
            strings = (mine.string,) if isinstance(mine.string, str) else mine.string
            if not all(strings):
                mine.string = message.string
    buffer = io.BytesIO()
    write_po(buffer, ours, width=0, omit_header=False, no_location=True, sort_output=True)
    PO.write_bytes(buffer.getvalue())


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "merge":
        merge(argv[2:])
    elif command == "compile":
        MO.write_bytes(compiled(read_catalog()))
    elif command == "check":
        found = problems(read_catalog(), extracted())
        print("\n".join(found) or "the catalog is complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
