"""Calendar feeds of the sample's week of 2022-06-13, read back by two independent parsers."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vText

from exports.feedstate import FeedState
from exports.ical import _escape, _fold, _line
from roster.assignments import AssignmentRow
from roster.i18n import speaking
from roster.model import Leave, Plan
from tests.conftest import read_rows
from tests.export_helpers import LATER, NOW, do_export, files, solved

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """These tests read the feeds' Chinese words (the default; the tests run in English)."""
    with speaking("zh_Hans"):
        yield


@pytest.fixture(scope="module")
def week(sample_plan: Plan):
    return solved(sample_plan)


@pytest.fixture
def exported(sample_plan: Plan, week, tmp_path: Path) -> Path:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state")
    return tmp_path / "out"


def feed_paths(out: Path) -> list[Path]:
    return sorted((out / "ical").rglob("*.ics"))


def parse_both(path: Path) -> tuple[list[tuple], list[tuple]]:
    """(uid, start, end, summary) of every event, by icalendar and by the `ical` package."""
    data = path.read_bytes()
    one = [
        (str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]))
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    ]
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    two = [(e.uid, e.dtstart, e.dtend, e.summary) for e in cal.events]
    return one, two


def expected_times(rows: tuple[AssignmentRow, ...]) -> Counter:
    return Counter(
        (
            datetime.combine(r.date, datetime.min.time(), SHANGHAI).replace(
                hour=r.start // 60, minute=r.start % 60
            ),
            datetime.combine(r.date, datetime.min.time(), SHANGHAI).replace(
                hour=r.end // 60, minute=r.end % 60
            ),
            f"{r.duty}｜{r.area}",
        )
        for r in rows
    )


def test_every_feed_parses_with_two_parsers_and_agrees(
    exported: Path, sample_plan: Plan, week
) -> None:
    paths = feed_paths(exported)
    areas = {r.area for r in week[0]} | {g.area for g in week[1]}
    units = len(sample_plan.units)
    assert len(paths) == 1 + units + len(areas) + len(sample_plan.volunteers)
    for path in paths:
        one, two = parse_both(path)
        assert one == two, path
        uids = [e[0] for e in one]
        assert len(uids) == len(set(uids)), f"duplicate UID in {path}"
        assert all(end > start for _, start, end, _ in one)
        assert all(start.utcoffset().total_seconds() == 8 * 3600 for _, start, _, _ in one)


def test_no_tzid_without_its_vtimezone(exported: Path) -> None:
    for path in feed_paths(exported):
        text = path.read_bytes().decode().replace("\r\n ", "")
        used = set(re.findall(r";TZID=([^:;]+)", text))
        defined = set(re.findall(r"^TZID:([^\r]+)\r$", text, flags=re.M))
        assert used <= defined, path
        assert text.count("BEGIN:VTIMEZONE") <= 1


def test_personal_feed_has_exactly_that_volunteers_duties(exported: Path, week) -> None:
    rows, _ = week
    links = {r[0]: r[3] for r in read_rows(exported / "feeds.csv")[1:]}
    assert len(links) == 86
    for vid, link in links.items():
        one, _ = parse_both(exported / link)
        mine = tuple(r for r in rows if r.volunteer_id == vid)
        assert Counter(e[1:] for e in one) == expected_times(mine), vid


def test_city_feed_has_one_event_per_slot_at_the_rosters_times(exported: Path, week) -> None:
    rows, gaps = week
    one, _ = parse_both(exported / "ical" / "all.ics")
    slots = {r.slot_key: r for r in rows}
    assert len(one) == len(slots) + len({g.slot_key for g in gaps} - slots.keys())
    assert set(expected_times(tuple(slots.values()))) <= {e[1:] for e in one}


def test_feed_links_are_tokens_not_names_or_ids(exported: Path, sample_plan: Plan) -> None:
    names = {p.name for p in (exported / "ical" / "volunteers").iterdir()}
    for v in sample_plan.volunteers:
        assert not any(v.id in n or v.name in n for n in names)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}\.ics", n) for n in names)
    # the mapping from names to links is not inside the published folder
    assert not (exported / "ical" / "feeds.csv").exists()


def test_shared_feeds_carry_only_leaders_phones(exported: Path, sample_plan: Plan) -> None:
    leaders = {v.phone for v in sample_plan.volunteers if v.leader}
    others = {v.phone for v in sample_plan.volunteers if not v.leader} - leaders
    for path in [exported / "ical" / "all.ics", *(exported / "ical" / "units").iterdir()]:
        text = path.read_bytes().decode().replace("\r\n ", "")
        phones = set(re.findall(r"1\d{10}", text))
        assert phones, path
        assert phones <= leaders and not phones & others


def test_calendar_properties_for_subscriptions(exported: Path) -> None:
    cal = icalendar.Calendar.from_ical((exported / "ical" / "all.ics").read_bytes())
    assert "耒阳" in str(cal["NAME"]) and cal["X-WR-CALNAME"] == cal["NAME"]
    text = (exported / "ical" / "all.ics").read_bytes().decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" in text
    assert "X-PUBLISHED-TTL:PT2H\r\n" in text
    event = next(iter(cal.walk("VEVENT")))
    assert "申请报备" in str(event["DESCRIPTION"])
    assert event["LOCATION"]
    assert "VALARM" not in text  # no reminder unless configured


def test_reminder_only_when_configured(sample_plan: Plan, week, tmp_path: Path) -> None:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "o", tmp_path / "s", reminder_minutes=30)
    cal = icalendar.Calendar.from_ical((tmp_path / "o" / "ical" / "all.ics").read_bytes())
    alarms = list(cal.walk("VALARM"))
    assert alarms and all(a.decoded("TRIGGER").total_seconds() == -1800 for a in alarms)


def test_uids_stay_when_solved_again_into_another_roster(
    sample_plan: Plan, week, tmp_path: Path
) -> None:
    rows, gaps = week
    someone = rows[0]  # on leave that day, so the re-solve gives another roster
    sick = replace(
        sample_plan,
        leave=(*sample_plan.leave, Leave(someone.volunteer_id, someone.date, someone.date)),
    )
    other_rows, other_gaps = solved(sick, seed=7)
    assert other_rows != rows
    do_export(sample_plan, rows, gaps, tmp_path / "a", tmp_path / "state")
    do_export(sample_plan, other_rows, other_gaps, tmp_path / "b", tmp_path / "state", LATER)

    def uids(path: Path) -> dict[tuple, str]:
        one, _ = parse_both(path)
        return {e[1:]: e[0] for e in one}

    assert uids(tmp_path / "a" / "ical" / "all.ics") == uids(tmp_path / "b" / "ical" / "all.ics")
    link = read_rows(tmp_path / "a" / "feeds.csv")[1][3]
    assert link == read_rows(tmp_path / "b" / "feeds.csv")[1][3]  # the same URL after a re-solve
    a, b = uids(tmp_path / "a" / link), uids(tmp_path / "b" / link)
    assert all(a[k] == b[k] for k in a.keys() & b.keys())


def test_unchanged_roster_re_exports_to_identical_bytes(
    sample_plan: Plan, week, tmp_path: Path
) -> None:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state", NOW)
    before = files(tmp_path / "out")
    state = do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state", LATER)
    assert files(tmp_path / "out") == before
    assert state.changed == 0


def test_a_changed_duty_changes_only_the_feeds_it_touches(
    sample_plan: Plan, week, tmp_path: Path
) -> None:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state", NOW)
    before = files(tmp_path / "out")
    links = {r[0]: r[3] for r in read_rows(tmp_path / "out" / "feeds.csv")[1:]}
    # Swap one park volunteer for a colleague of the same unit who is free that day.
    moved = next(r for r in rows if r.duty == "包重点场所" and not r.leader)
    busy = {r.volunteer_id for r in rows if r.date == moved.date}
    sub = next(v for v in sample_plan.volunteers if v.unit == moved.unit and v.id not in busy)
    changed_rows = tuple(
        replace(r, volunteer_id=sub.id, volunteer_name=sub.name) if r == moved else r for r in rows
    )
    do_export(sample_plan, changed_rows, gaps, tmp_path / "out", tmp_path / "state", LATER)
    after = files(tmp_path / "out")
    changed = {k for k in after if after[k] != before.get(k)}
    team = {r.volunteer_id for r in rows if r.slot_key == moved.slot_key} | {sub.id}
    expected_feeds = {
        "ical/all.ics",
        f"ical/units/{moved.unit}.ics",
        f"ical/areas/{moved.area}.ics",
        *(links[v] for v in team),
    }
    assert {k for k in changed if k.startswith("ical/")} == expected_feeds
    removed = parse_both(tmp_path / "out" / links[moved.volunteer_id])[0]
    assert not any(e[1].date() == moved.date and moved.area in e[3] for e in removed)
    new = parse_both(tmp_path / "out" / links[sub.id])[0]
    assert any(e[1].date() == moved.date and moved.area in e[3] for e in new)


def test_rotating_a_token_changes_only_that_link(sample_plan: Plan, week, tmp_path: Path) -> None:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state")
    first = {r[0]: r[3] for r in read_rows(tmp_path / "out" / "feeds.csv")[1:]}
    state = FeedState.load(tmp_path / "state", NOW)
    state.rotate("JG003")
    state.save()
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state")
    second = {r[0]: r[3] for r in read_rows(tmp_path / "out" / "feeds.csv")[1:]}
    assert {k for k in first if first[k] != second[k]} == {"JG003"}
    assert not (tmp_path / "out" / first["JG003"]).exists()
    assert (tmp_path / "out" / second["JG003"]).exists()


def test_lines_are_escaped_and_folded_as_icalendar_writes_them() -> None:
    """The feeds' own line writer against icalendar's, on texts full of what escaping and
    folding must get right: separators, backslashes, carets, newlines, 1- to 4-byte characters."""
    pieces = [*"ab ,;\\^\n\r:N", "\r\n", "\\N", "雷", "阳", "𠀀", "é", "，"]
    rnd = random.Random(7)
    texts = ["", "x" * 74, "x" * 75, "x" * 73 + "\\", "x" * 72 + "雷", "雷" * 40]
    texts += ["".join(rnd.choices(pieces, k=rnd.randint(0, 200))) for _ in range(3000)]
    for n, text in enumerate(texts):
        name = ("DESCRIPTION", "SUMMARY", "X-WR-CALNAME", "N")[n % 4]
        expected = Contentline.from_parts(name, Parameters(), vText(text)).to_ical() + b"\r\n"
        assert _line(name, text) == expected, (name, text)
        url = f"https://feeds.example/{text}"
        source = Contentline.from_parts("SOURCE", Parameters({"VALUE": "URI"}), url).to_ical()
        assert _fold(f"SOURCE;VALUE=URI:{_escape(url)}") == source + b"\r\n"
