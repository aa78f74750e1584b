"""File names made from units' and areas' names: one file per name, inside its folder, on every
system the office uses (Windows and its WPS, macOS, Linux, a USB stick formatted FAT).

A name that is already a good file name is used as it is (`园林事务中心.xlsx`). Any other — path
separators, characters Windows refuses, control characters, a device name such as `CON`, a name
of the master workbook, more than `MAX_BYTES` — is cleaned and given a short digest of the
original, so that two names that clean to the same text still get two files, and a name's file
does not change when other names come and go.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Well under the 255 bytes most file systems allow, leaving room for `.xlsx`, the temporary
# files' prefixes and suffixes, and the digest.
MAX_BYTES = 120

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(c)[0] == "C" else c for c in text)
    return _UNSAFE.sub("_", text).strip("._ ")


def _cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", "ignore")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def file_stem(name: str, reserved: Iterable[str] = ()) -> str:
    """The file name (without suffix) of `name`; `reserved` are stems taken by other files."""
    clean = _clean(name)
    taken = {r.casefold() for r in reserved}
    plain = (
        clean == name
        and clean
        and len(clean.encode("utf-8")) <= MAX_BYTES
        and clean.split(".")[0].casefold() not in _DEVICES
        and clean.casefold() not in taken
    )
    return clean if plain else _digested(name)


def _digested(name: str) -> str:
    """The cleaned name, cut to fit, and a digest of the name as written."""
    base = _cut(_clean(name), MAX_BYTES - 9).rstrip("._ ") or "_"
    return f"{base}-{_digest(name)}"


def file_stems(names: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each name's stem, all different even where the file system ignores case."""
    reserved = tuple(reserved)
    stems = {name: file_stem(name, reserved) for name in sorted(set(names))}
    seen: dict[str, list[str]] = {}
    for name, stem in stems.items():
        seen.setdefault(stem.casefold(), []).append(name)
    for names_ in seen.values():
        if len(names_) > 1:  # differ only in case: each gets its digest
            for name in names_:
                stems[name] = _digested(name)
    return stems


MASTER = "roster"  # the master workbook, roster.xlsx, beside one workbook per unit


def unit_stems(units: Iterable[str]) -> dict[str, str]:
    """Units' file names, the same for their feeds and their workbooks."""
    return file_stems(units, reserved=(MASTER,))
