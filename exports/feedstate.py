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
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from roster.errors import InputError, Problem, Source
from roster.fileio import csv_text, write_text

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
        state = cls(folder, now)
        for row in _rows(folder / TOKENS, ("volunteer_id", "token")):
            state.tokens[row["volunteer_id"]] = row["token"]
        for row in _rows(folder / STAMPS, ("slot", "digest", "modified")):
            state.stamps[row["slot"]] = (row["digest"], row["modified"])
            if (row.get("sequence") or "0").isdigit() and int(row.get("sequence") or 0):
                state.sequences[row["slot"]] = int(row["sequence"])
        return state

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


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    missing = [c for c in columns if c not in reader.fieldnames]
    if missing:
        raise InputError(
            [
                Problem(
                    "required columns are missing",
                    Source(path.name, 1),
                    ", ".join(missing),
                    expected=",".join(columns)
                    + " (this file is written by roster; delete it to start afresh)",
                )
            ]
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        if any(not row.get(c) for c in columns):
            raise InputError(
                [
                    Problem(
                        "incomplete row",
                        Source(path.name, number),
                        expected=f"values for {', '.join(columns)}",
                    )
                ]
            )
        rows.append(row)
    return rows
