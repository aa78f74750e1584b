"""iCalendar feeds for subscribed calendars (RFC 5545, RFC 7986): per volunteer, unit, area, city.

Each slot's event body (times, summary, location, description, reminder) is serialized once
and shared by every feed that carries the slot; only UID and the two timestamps differ
per event. The VTIMEZONE is built once. Timestamps come from `FeedState`: they move only when an
event's body changes, so an unchanged roster re-exports to identical bytes. The events' words are
Chinese, or English with ROSTER_LANG=en; names, areas and units are as the tables spell them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from icalendar import Timezone
from icalendar.prop import vDuration

from exports.feedstate import FeedState
from exports.names import file_stems, unit_stems
from exports.view import RosterView, Team, weekday_name
from roster.i18n import join, ntr, tr
from roster.model import Settings, hhmm

PRODID = "-//roster//volunteer duty roster 志愿者排班//ZH"
CRLF = b"\r\n"


def report_reminder() -> str:
    """The last line of every event: report the duty on the volunteer platform, sign in and out."""
    return tr(
        "Please report this duty on the volunteer service platform ({app}), and sign in and out "
        "on time.",
        app="APP",
    )


def _sep() -> str:
    """Between a duty and its area in a title: ｜ in Chinese."""
    return tr(" | ")


def _title(team: Team) -> str:
    return f"{team.duty}{_sep()}{team.area}"


@dataclass(frozen=True)
class Feed:
    path: str  # relative to the ical folder, e.g. "units/局机关.ics"
    name: str
    data: bytes


_SPECIAL = re.compile(r"[\\;,\r\n]")


def _escape(value: str) -> str:
    """RFC 5545 TEXT escaping, the replacements in icalendar's order (its `vText.to_ical`);
    most values (names, areas) have nothing to escape and are returned as they are."""
    if not _SPECIAL.search(value):
        return value
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _uid(namespace: bytes, name: str) -> str:
    """`str(uuid.uuid5(namespace, name))` without the UUID objects: one per event of every
    feed, 90,000 in a province's export."""
    digest = bytearray(hashlib.sha1(namespace + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _fold(line: str) -> bytes:
    """A content line folded as icalendar folds it (RFC 5545 3.1): pieces of at most 74 octets,
    cut between characters, never right after a backslash or a caret (an escape stays whole).
    Done on the line's bytes at once: icalendar's loop over each character took most of the time
    of a city's feeds."""
    data = line.encode()
    if len(data) < 75:
        return data + CRLF
    pieces = []
    at = 0
    while len(data) - at >= 75:
        end = at + 74
        while data[end] & 0xC0 == 0x80:  # inside a character's UTF-8 bytes
            end -= 1
        if end - at > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[at:end])
        at = end
    pieces.append(data[at:])
    return b"\r\n ".join(pieces) + CRLF


def _line(name: str, value: str) -> bytes:
    """A TEXT property line, byte for byte as icalendar writes it (checked against it in the
    tests)."""
    return _fold(f"{name}:{_escape(value)}")


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    return f"PT{minutes // 60}H{minutes % 60}M" if minutes % 60 else f"PT{minutes // 60}H"


class FeedWriter:
    """Builds every feed of a roster view. Create one per export."""

    def __init__(self, view: RosterView, settings: Settings, state: FeedState) -> None:
        self.view = view
        self.settings = settings
        self.state = state
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"roster:{view.campaign}")
        self.refresh = _duration(settings.feed_refresh_hours)
        # Built once, for the whole campaign: the same bytes in every feed and every week.
        first = min([settings.start, *(t.date for t in view.teams)])
        last = max([settings.end, *(t.date for t in view.teams)])
        self.vtimezone = Timezone.from_tzid(
            view.timezone, first_date=first, last_date=last + timedelta(days=1)
        ).to_ical()
        self.bodies: dict[str, bytes] = {}
        self.stamps: dict[str, str] = {}
        for team in view.teams:
            body = self._body(team)
            self.bodies[team.key] = body
            self.stamps[team.key] = state.stamp(team.key, hashlib.sha256(body).hexdigest())

    def _body(self, team: Team) -> bytes:
        """Everything about the slot that every feed shows the same way, in the property order
        icalendar writes; formatted here because icalendar's per-line machinery took most of a
        city's export time (the lines are checked by two parsers in the tests)."""
        start = datetime.combine(team.date, _clock(team.start))
        end = datetime.combine(team.date, _clock(team.end % 1440))
        if team.end >= 1440:
            end += timedelta(days=1)
        tz = self.view.timezone
        lines = [
            _line("SUMMARY", _title(team)),
            f"DTSTART;TZID={tz}:{start:%Y%m%dT%H%M%S}\r\n".encode(),
            f"DTEND;TZID={tz}:{end:%Y%m%dT%H%M%S}\r\n".encode(),
            b"CATEGORIES:%s\r\n" % ",".join(_escape(c) for c in (team.duty, team.unit)).encode(),
            _line("DESCRIPTION", describe(team)),
            _line("LOCATION", team.area),
            b"STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n",
        ]
        if self.settings.reminder_minutes is not None:
            lines += [
                b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n",
                _line("DESCRIPTION", f"{_title(team)} {hhmm(team.start)}"),
                b"TRIGGER:%s\r\n"
                % vDuration(timedelta(minutes=-self.settings.reminder_minutes)).to_ical(),
                b"END:VALARM\r\n",
            ]
        return b"".join(lines)

    def _event(self, scope: str, team: Team) -> bytes:
        uid = _uid(self.namespace.bytes, f"{scope}|{team.key}")
        stamp = self.stamps[team.key]
        # A changed event carries a higher SEQUENCE, so calendars take it as a new revision.
        sequence = self.state.sequences.get(team.key, 0)
        revision = b"SEQUENCE:%d\r\n" % sequence if sequence else b""
        return b"BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:%s\r\nLAST-MODIFIED:%s\r\n%s%sEND:VEVENT\r\n" % (
            uid.encode(),
            stamp.encode(),
            stamp.encode(),
            revision,
            self.bodies[team.key],
        )

    def _calendar(self, name: str, path: str, events: list[bytes]) -> bytes:
        head = [
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
            _line("PRODID", PRODID),
            b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
            _line("NAME", name),
            _line("X-WR-CALNAME", name),
            _line("X-WR-TIMEZONE", self.view.timezone),
            b"REFRESH-INTERVAL;VALUE=DURATION:%s\r\n" % self.refresh.encode(),
            b"X-PUBLISHED-TTL:%s\r\n" % self.refresh.encode(),
        ]
        if self.settings.feed_base_url:
            url = feed_url(self.settings.feed_base_url, path)
            head.append(_fold(f"SOURCE;VALUE=URI:{_escape(url)}"))
        if events:
            head.append(self.vtimezone)
        return b"".join(head) + b"".join(events) + b"END:VCALENDAR\r\n"

    def feeds(
        self, tokens: dict[str, str], shared: Mapping[tuple[str, str], str] | None = None
    ) -> Iterator[Feed]:
        """City, unit, area and per-volunteer feeds, one at a time: written as they come, the
        feeds of a city never sit in memory together. `tokens` maps volunteer id to token;
        `shared`, if given, (kind, name) to the token of the city's, a unit's or an area's feed,
        which is then its file name (and every area of it has a feed, with or without duties)."""
        prefix = self.view.campaign or tr("Volunteer duty roster")
        teams = self.view.teams
        shared_events = {t.key: self._event("slot", t) for t in teams}
        by_unit: dict[str, list[Team]] = defaultdict(list)
        by_area: dict[str, list[Team]] = defaultdict(list)
        by_person: dict[str, list[Team]] = defaultdict(list)
        for t in teams:
            by_unit[t.unit].append(t)
            by_area[t.area].append(t)
            for m in t.members:
                by_person[m.id].append(t)
        city = f"city/{shared[('city', '')]}.ics" if shared else "all.ics"
        yield Feed(city, prefix, self._calendar(prefix, city, list(shared_events.values())))
        units = sorted(set(self.view.units) | by_unit.keys())
        stems = unit_stems(units)
        for unit in units:
            key = ("unit", unit)
            stem = shared[key] if shared and key in shared else stems[unit]
            path = f"units/{stem}.ics"
            name = f"{unit}{_sep()}{prefix}"
            events = [shared_events[t.key] for t in by_unit.get(unit, [])]
            yield Feed(path, name, self._calendar(name, path, events))
        areas = set(by_area) | {n for k, n in (shared or {}) if k == "area"}
        area_stems = file_stems(areas)
        for area in sorted(areas):
            if shared and ("area", area) in shared:
                path = f"areas/{shared[('area', area)]}.ics"
            else:
                path = f"areas/{area_stems[area]}.ics"
            name = f"{area}{_sep()}{prefix}"
            events = [shared_events[t.key] for t in by_area.get(area, [])]
            yield Feed(path, name, self._calendar(name, path, events))
        names = {v[0]: v[1] for v in self.view.volunteers}
        for vid, token in sorted(tokens.items()):
            path = f"volunteers/{token}.ics"
            name = tr("My duties | {name}", name=names.get(vid, ""))
            events = [self._event(token, t) for t in by_person.get(vid, [])]
            yield Feed(path, name, self._calendar(name, path, events))


def feed_url(base: str, path: str) -> str:
    from urllib.parse import quote

    return f"{base.rstrip('/')}/{quote(path)}"


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def describe(team: Team) -> str:
    """The event's description: the requirement, the team, the leader's phone, the reminder.

    Only the leader's phone is given: the same text goes into unit, area and city feeds.
    """
    when = f"{team.date.isoformat()} {weekday_name(team.date)} {hhmm(team.start)}–{hhmm(team.end)}"
    lines = [
        f"{when}{_sep()}{_title(team)}",
        tr("Unit: {unit}", unit=team.unit),
    ]
    leader = team.leader
    if leader is not None:
        phone = tr(" ({phone})", phone=leader.phone) if leader.phone else ""
        lines.append(tr("Leader: {name}{phone}", name=leader.name, phone=phone))
    names = join([m.name for m in team.members]) or tr("(none yet)")
    lines.append(
        ntr(
            "Team ({n} person): {names}",
            "Team ({n} people): {names}",
            len(team.members),
            names=names,
        )
    )
    if team.missing:
        lines.append(ntr("{n} more person needed", "{n} more people needed", team.missing))
    if team.requirement:
        lines.append(tr("Requirement: {requirement}", requirement=team.requirement))
    lines.append(report_reminder())
    return "\n".join(lines)


__all__ = ["Feed", "FeedWriter", "describe", "feed_url"]
