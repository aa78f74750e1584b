"""What the feeds must remember between exports: volunteers' feed tokens and events' timestamps.

- `feed_tokens.csv` (volunteer_id, token): a volunteer's feed is `volunteers/<token>.ics`. Tokens
  are random (128 bits), so a URL cannot be guessed from a name or id, and they are kept so that a
  re-solve keeps every URL. Rotating a token (a phone lost, a link shared) gives a new URL; the old
  file disappears at the next export.
- `feed_stamps.csv` (slot, digest, modified, sequence): when each slot's event last changed, and
  how many times it changed since first published (its SEQUENCE). An unchanged event keeps its
  DTSTAMP/LAST-MODIFIED and SEQUENCE, so an unchanged feed keeps its bytes.

Both live beside the tables (the data folder, or the workbook's folder).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from roster.errors import InputError, Problem, Source
from roster.fileio import csv_text, write_text
from roster.i18n import N_, tr

TOKENS = "feed_tokens.csv"
STAMPS = "feed_stamps.csv"


def new_token() -> str:
    return secrets.token_urlsafe(16)


def stamp_of(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class FeedState:
    folder: Path
    now: datetime
    tokens: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, tuple[str, str]] = field(default_factory=dict)  # slot -> (digest, stamp)
    sequences: dict[str, int] = field(default_factory=dict)  # slot -> revisions since first
    changed: int = 0  # events whose stamp moved in this export

    @classmethod
    def load(cls, folder: Path, now: datetime) -> FeedState:
        """The state kept in `folder`; a file that is not as roster wrote it is refused, naming
        its rows, rather than trusted (a token becomes a file name and a link)."""
        state = cls(folder, now)
        problems: list[Problem] = []
        state._load_tokens(problems)
        state._load_stamps(problems)
        if problems:
            raise InputError(problems)
        return state

    def _load_tokens(self, problems: list[Problem]) -> None:
        owners: dict[str, tuple[str, int]] = {}
        for number, row in _rows(self.folder / TOKENS, ("volunteer_id", "token"), problems):
            vid, token = row["volunteer_id"], row["token"]
            source = Source(TOKENS, number)
            if not _TOKEN.fullmatch(token):
                problems.append(_damaged(source, "token", token, tr("a token made by roster")))
            elif token in owners:
                first, row_ = owners[token]
                message = tr(
                    "one link for two volunteers: {first} (row {row}) and {second}",
                    first=first,
                    row=row_,
                    second=vid,
                )
                problems.append(Problem(message, source, "token", token, tr(_ONE_EACH)))
            elif vid in self.tokens:
                message = tr("a second token for volunteer {vid}", vid=vid)
                problems.append(Problem(message, source, "volunteer_id", vid, tr(_ONE_EACH)))
            else:
                owners[token] = (vid, number)
                self.tokens[vid] = token

    def _load_stamps(self, problems: list[Problem]) -> None:
        columns = ("slot", "digest", "modified")
        for number, row in _rows(self.folder / STAMPS, columns, problems):
            sequence = row.get("sequence") or "0"
            bad = [
                (key, row[key])
                for key, pattern in (("digest", _DIGEST), ("modified", _STAMP))
                if not pattern.fullmatch(row[key])
            ]
            if not sequence.isdecimal():
                bad.append(("sequence", sequence))
            for key, value in bad:
                expected = tr("a value written by roster")
                problems.append(_damaged(Source(STAMPS, number), key, value, expected))
            if not bad:
                self.stamps[row["slot"]] = (row["digest"], row["modified"])
                if int(sequence):
                    self.sequences[row["slot"]] = int(sequence)

    def token_for(self, volunteer_id: str) -> str:
        if volunteer_id not in self.tokens:
            self.tokens[volunteer_id] = new_token()
        return self.tokens[volunteer_id]

    def rotate(self, volunteer_id: str) -> str:
        self.tokens[volunteer_id] = new_token()
        return self.tokens[volunteer_id]

    def stamp(self, slot: str, digest: str) -> str:
        """The slot event's timestamp: unchanged while its content is, else now."""
        old = self.stamps.get(slot)
        if old is not None and old[0] == digest:
            return old[1]
        stamp = stamp_of(self.now)
        if old is not None:
            self.sequences[slot] = self.sequences.get(slot, 0) + 1
        self.stamps[slot] = (digest, stamp)
        self.changed += 1
        return stamp

    def save(self) -> None:
        write_text(
            self.folder / TOKENS,
            csv_text(("volunteer_id", "token"), sorted(self.tokens.items())),
        )
        write_text(
            self.folder / STAMPS,
            csv_text(
                ("slot", "digest", "modified", "sequence"),
                ((k, d, s, self.sequences.get(k, 0)) for k, (d, s) in sorted(self.stamps.items())),
            ),
        )


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_STAMP = re.compile(r"\d{8}T\d{6}Z")
_ONE_EACH = N_(
    "one token per volunteer: delete the wrong row (that volunteer gets a new link at the next "
    "solve) and run again"
)


def _damaged(source: Source, column: str, value: str, expected: str) -> Problem:
    return Problem(
        tr("this file is written by roster and was changed"),
        source,
        column,
        value,
        expected + tr(" (delete the file to start afresh)"),
    )


def _rows(
    path: Path, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """The file's rows with their numbers; what cannot be read is added to `problems`."""
    if not path.is_file():
        return []
    afresh = tr("this file is written by roster; delete it to start afresh")
    try:
        text = path.read_bytes().decode("utf-8-sig")
        if "\x00" in text:
            raise ValueError
        table = list(csv.reader(io.StringIO(text)))
    except (ValueError, csv.Error):
        message = tr("this file is damaged: it is not a CSV table written by roster")
        problems.append(Problem(message, Source(path.name), expected=afresh))
        return []
    if not table:
        return []
    header, body = table[0], table[1:]
    missing = [c for c in columns if c not in header]
    if missing:
        message = tr("required columns are missing")
        expected = ",".join(columns) + " (" + afresh + ")"
        problems.append(Problem(message, Source(path.name, 1), ", ".join(missing), None, expected))
        return []
    rows = []
    for number, cells in enumerate(body, start=2):
        row = dict(zip(header, cells, strict=False))
        if any(not row.get(c) for c in columns):
            expected = tr("values for {columns}", columns=", ".join(columns))
            problems.append(
                Problem(
                    tr("incomplete row"),
                    Source(path.name, number),
                    None,
                    None,
                    expected + " (" + afresh + ")",
                )
            )
            continue
        rows.append((number, row))
    return rows
