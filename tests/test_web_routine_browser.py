"""The office's weekly routine in a real browser (tests/browser.py: the server, the browser): new
tables uploaded, checked and imported; a week planned while its page follows the job; a seat given
to someone else, the week published and its notices copied and downloaded; a unit's workbook
downloaded. Every test signs in afresh; the module shares one server and its workspace, each test
working on a week of its own."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import FloatRect, Locator, Page, Route, ViewportSize

from roster.assignments import unprefixed
from roster.i18n import CHINESE, ntr, speaking
from roster.model import hhmm
from roster.tables import DUTIES, LEAVE, SETTINGS, UNITS, VOLUNTEERS
from workspace.notices import CHANGE_COLUMNS

from . import browser as harness
from .browser import (
    MONDAY,
    OFFICE,
    PASSWORD,
    SUNDAY,
    UNIT,
    Served,
    beside_the_browser,
    roster,
    said,
    screenshot,
    sign_in,
    table_rows,
)
from .conftest import SAMPLE, folder_to_workbook

# The harness's fixtures, by the names the tests ask for: one server, one browser for the module.
served, browser, page = harness.served, harness.browser, harness.page

PLANNED_DAY = date(2022, 6, 22)  # a Wednesday: the week form takes any day of its week
PLANNED = date(2022, 6, 20)  # its Monday
REDRAFTED = date(2022, 6, 27)  # published, then drafted again for the office to fix
# The sample's tables as sheets named as the template names them.
SHEETS = {t.file: t.sheets[0] for t in (DUTIES, UNITS, VOLUNTEERS, LEAVE, SETTINGS)}
UPLOADED = "耒阳创文责任分工.xlsx"
README_PICTURE = "web-week-grid-zh"  # docs/web-week-grid-zh.png, the README's grid
README_VIEW = ViewportSize(width=1400, height=900)


# What the workspace holds, read beside the browser ---------------------------------------------


def table_versions() -> list[tuple[int, str, str]]:
    """Each table version's number, file name and importer, oldest first."""
    from workspace.models import TableVersion

    def read() -> list[tuple[int, str, str]]:
        versions = TableVersion.objects.order_by("number")
        return list(versions.values_list("number", "file_name", "imported_by"))

    return beside_the_browser(read)


@dataclass(frozen=True)
class Week:
    """A version of a week as the workspace holds it (its draft, or its latest published)."""

    number: int
    rows: list[Any]
    gaps: list[Any]
    locks: list[Any]


def week(monday: date, draft: bool) -> Week:
    from workspace.models import Lock, WeekVersion
    from workspace.operations import latest

    def read() -> Week:
        if draft:
            version = WeekVersion.objects.get(monday=monday, number=WeekVersion.DRAFT)
        else:
            found = latest(monday)
            assert found is not None, monday
            version = found
        return Week(
            version.number,
            list(version.rows.all()),
            list(version.gaps.all()),
            list(Lock.objects.filter(monday=monday)),
        )

    return beside_the_browser(read)


def changes(monday: date) -> tuple[int, list[Any]]:
    """The week's last publish: its number and whom it told what."""
    from workspace.operations import week_changes

    def read() -> tuple[int, list[Any]]:
        version, told = week_changes(monday)
        return version.number, told

    return beside_the_browser(read)


def slot_key(row: Any) -> str:
    """The key a seat's link names its slot by (the workspace's own, from an Assignment)."""
    from roster.assignments import AssignmentRow

    return AssignmentRow(
        date=row.date, start=row.start, area=row.area, volunteer_id="", end=0, duty=row.duty
    ).slot_key


def sample_column(file: str, column: str) -> set[str]:
    """Every value of a column of one of the sample's tables."""
    with (SAMPLE / file).open(encoding="utf-8-sig", newline="") as f:
        return {row[column] for row in csv.DictReader(f)}


# What the pages show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A seat of a draft's grid as the page shows it: slot and person from its link, its text."""

    slot: str
    person: str
    name: str
    leader: bool  # ★
    locked: bool  # sup.lock


def seats(page: Page) -> list[Seat]:
    lock = said(CHINESE, "locked")
    found = []
    for link in page.locator("table.grid a.seat").all():
        query = parse_qs(urlsplit(link.get_attribute("href") or "").query)
        text = link.inner_text().strip()
        locked = link.locator("sup.lock").count() == 1
        if locked:
            assert link.locator("sup.lock").inner_text() == lock
            text = text.removesuffix(lock)
        found.append(
            Seat(
                query["slot"][0],
                query["person"][0],
                text.removeprefix("★"),
                text.startswith("★"),
                locked,
            )
        )
    return found


def grid_areas(page: Page) -> list[tuple[str, str]]:
    """Each row of the grid as (area, unit): its heading cell's text, and the unit under it."""
    return [
        (th.evaluate("e => e.firstChild.textContent").strip(), th.locator("small").inner_text())
        for th in page.locator("table.grid tbody th[scope=row]").all()
    ]


def after_heading(page: Page, heading: str) -> Locator:
    """The table right after the <h3> that says `heading`."""
    return page.locator(f"h3:text-is('{heading}') + table")


def cell_rows(table: Locator) -> list[list[str]]:
    """The text of the cells (<td>) of each row, its header and total rows left out."""
    rows = table.locator("tr:not(.total)").all()
    cells = [[c.inner_text().strip() for c in r.locator("td").all()] for r in rows]
    return [r for r in cells if r]


def downloaded(page: Page, link: Locator) -> tuple[str, bytes]:
    """Click a link that sends a file: the name the browser saves it under, and its bytes."""
    with page.expect_download() as started:
        link.click()
    saved = started.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    """The values of the rows of a workbook's first sheet."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def below_header(
    rows: list[tuple[Any, ...]], first: str
) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """A sheet's header row (the one starting with `first`) and the rows under it."""
    at = next(n for n, row in enumerate(rows) if row and row[0] == first)
    return list(rows[at]), rows[at + 1 :]


# The week the office fixes by hand -------------------------------------------------------------


@pytest.fixture(scope="module")
def redrafted(served: Served) -> date:
    """REDRAFTED's week planned, published and planned again: a draft the same as its published
    version, so that publishing it after one replacement concerns exactly two people."""
    day = REDRAFTED.isoformat()
    roster(served.folder, "plan", "--week", day, codes=(0, 3))
    roster(served.folder, "publish", "--week", day)
    roster(served.folder, "plan", "--week", day, codes=(0, 3))
    return REDRAFTED


# The tests -------------------------------------------------------------------------------------


def test_an_uploaded_workbook_is_shown_as_understood_then_imported_as_a_new_version(
    page: Page, served: Served, tmp_path: Path
) -> None:
    book = folder_to_workbook(SAMPLE, tmp_path / UPLOADED, SHEETS)
    before = table_versions()
    sign_in(page, served.base, OFFICE, PASSWORD)
    page.click(f"header nav a:text-is('{said(CHINESE, 'Tables')}')")
    assert page.url == served.base + "/tables/"
    page.set_input_files("form.upload input[type=file]", str(book))
    with page.expect_navigation():
        page.click("form.upload button[type=submit]")
    assert page.url == served.base + "/tables/preview/"
    assert page.inner_text("main h1") == said(CHINESE, "Check the uploaded tables")
    assert page.locator("main p").first.inner_text() == said(CHINESE, "File: {name}", name=UPLOADED)

    duties = cell_rows(after_heading(page, said(CHINESE, "Duties 责任分工")))
    assert {row[1] for row in duties} == sample_column("duties.csv", "责任区域")
    assert {row[0] for row in duties} <= set(DUTIES.column("kind").choices)
    assert all(row[3] and int(row[-1]) > 0 for row in duties)  # windows, slots in the period
    heading = said(CHINESE, "Units: people and person-hours per ordinary week")
    units = cell_rows(after_heading(page, heading))
    assert {row[0].removesuffix(" *") for row in units} == sample_column("units.csv", "责任单位")
    assert sum(int(row[1]) for row in units) == len(sample_column("volunteers.csv", "编号"))
    assert all(row[-1].endswith("%") for row in units)  # each unit's summer load
    assert table_versions() == before  # nothing imported before it is confirmed
    screenshot(page, "tables-preview")

    with page.expect_navigation():
        page.click("form.confirm button.primary")
    number = before[-1][0] + 1
    assert page.inner_text("main h1") == said(CHINESE, "The tables were imported")
    result = said(
        CHINESE,
        "table version {number}: {added} duty rows added, {removed} removed",
        number=number,
        added=0,  # the same tables as the workspace's, from a workbook this time
        removed=0,
    )
    assert page.locator("main p").first.inner_text() == result
    assert table_versions() == [*before, (number, UPLOADED, OFFICE)]

    page.click(f"main a:text-is('{said(CHINESE, 'Back to the tables')}')")
    facts = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in page.locator("table.facts tr").all()
    }
    assert facts[said(CHINESE, "Version")] == str(number)
    assert facts[said(CHINESE, "File")] == UPLOADED
    assert facts[said(CHINESE, "Imported by")] == OFFICE


def test_planning_a_week_shows_each_units_progress_and_ends_on_its_grid(
    page: Page, served: Served
) -> None:
    sign_in(page, served.base, OFFICE, PASSWORD)
    polled: list[Any] = []

    def follow(route: Route) -> None:
        """Each answer the planning page polls for, read on its way to the page."""
        answer = route.fetch()
        polled.append(answer.json())
        route.fulfill(response=answer)

    page.route("**/jobs/*/", follow)
    page.click(f"header nav a:text-is('{said(CHINESE, 'Plan a week')}')")
    assert page.url == served.base + "/week/"
    page.fill("#id_week", PLANNED_DAY.isoformat())
    with page.expect_navigation() as landed:
        page.click("main form.inline button[type=submit]")
    assert landed.value.status == 200
    grid = f"{served.base}/week/{PLANNED}/"
    assert page.url.startswith(grid + "?job=")  # the Wednesday's week: its Monday's page
    units = sorted(sample_column("units.csv", "责任单位"))
    body = landed.value.text()  # the page as served: its script may leave it for the grid
    if 'id="job"' in body:  # the job still running when its page was made
        assert "<progress" in body
        assert said(CHINESE, "Planning the week of") in body
        names = re.findall(r"<tr><td>([^<]+)</td><td>", body.split('id="units"')[1])
        assert sorted(names) in ([], units)  # none yet while it waits to start
        screenshot(page, "week-progress")
    page.wait_for_selector("table.grid", timeout=60_000)  # the job done, the page reloads
    assert page.url.startswith(grid + "?job=")
    if polled:  # what the page followed: every unit, one by one, to the end
        assert polled[-1]["state"] == "done"
        assert polled[-1]["done"] == polled[-1]["total"] == len(units)
        assert sorted(polled[-1]["units"]) == units and all(polled[-1]["units"].values())
        done = f"{said(CHINESE, 'Drafted:')} {polled[-1]['message']}"
        assert page.locator("main p.ok").inner_text() == done
    assert page.locator("main p.ok").inner_text().startswith(said(CHINESE, "Drafted:"))

    draft = week(PLANNED, draft=True)
    areas = {(r.area, r.unit) for r in draft.rows} | {(g.area, g.unit) for g in draft.gaps}
    assert grid_areas(page) == sorted(areas)  # one row per area, in order
    shown = seats(page)
    expected = [(r.volunteer_name, r.leader) for r in draft.rows]
    assert sorted((s.name, s.leader) for s in shown) == sorted(expected)  # ★: the leaders
    assert any(s.leader for s in shown) and not any(s.locked for s in shown)
    assert {(s.slot, s.person) for s in shown} == {
        (slot_key(r), r.volunteer_id) for r in draft.rows
    }
    headings = [th.inner_text() for th in page.locator("table.grid thead th").all()]
    assert len(headings) == 8 and headings[3].endswith("6/22")  # the area, then each day


def test_replacing_a_person_locks_the_seat_and_publishing_tells_both(
    page: Page, served: Served, redrafted: date
) -> None:
    before = week(redrafted, draft=True)
    last = week(redrafted, draft=False).number  # the version the draft was made after
    sign_in(page, served.base, OFFICE, PASSWORD)
    page.goto(f"{served.base}/week/{redrafted}/")
    first = seats(page)[0]
    page.locator("table.grid a.seat").first.click()
    assert page.url.startswith(f"{served.base}/week/{redrafted}/seat/?")
    assert page.inner_text("main h1").removesuffix(" ★") == first.name
    put = said(CHINESE, "Put in this seat")
    able = page.locator(f"table.candidates:not(.unable) tr:has(button:text-is('{put}'))")
    assert able.count() > 0
    taker = able.first.locator("td").first
    taking = taker.locator("small").inner_text()  # the volunteer's id
    name = taker.inner_text().removesuffix(taking).strip().removesuffix("★").strip()
    reasons = page.locator("table.candidates.unable td:nth-child(2)").all()
    assert all(r.inner_text().strip() for r in reasons)  # whoever cannot, says why
    with page.expect_navigation():
        able.first.locator("button").click()

    after = week(redrafted, draft=True)
    row = next(r for r in after.rows if r.volunteer_id == taking and slot_key(r) == first.slot)
    assert page.url == f"{served.base}/week/{redrafted}/?unit={quote(row.unit)}"
    when = f"{row.date} {hhmm(row.start)}–{hhmm(row.end)}"
    told = said(
        CHINESE,
        "{name} takes the seat {when} {area} (locked: the next draft keeps it)",
        name=name,
        when=when,
        area=row.area,
    )
    assert page.inner_text("ul.messages li.success") == told
    now = {(s.slot, s.person): s for s in seats(page)}
    assert (first.slot, first.person) not in now
    assert now[(first.slot, taking)].name == name and now[(first.slot, taking)].locked
    assert [(x.volunteer_id, x.date, x.area) for x in after.locks] == [(taking, row.date, row.area)]
    assert len(after.rows) == len(before.rows)

    page.click(f"main a.button:text-is('{said(CHINESE, 'Publish…')}')")
    assert page.url == f"{served.base}/week/{redrafted}/publish/"
    whom = table_rows(page, "table.changes")
    assert sorted(r[1].split()[-1] for r in whom) == sorted([first.person, taking])
    gains = {r[1].split()[-1]: (r[3], r[4]) for r in whom}
    assert gains[taking][0] and not gains[taking][1]  # gains the seat, loses nothing
    assert gains[first.person][1] and not gains[first.person][0]
    # The one seat (a leader joining a team that has none leads it: "（带队）" on their side).
    lead = said(CHINESE, " (leader)")
    assert gains[taking][0].removesuffix(lead) == gains[first.person][1].removesuffix(lead)
    with page.expect_navigation():
        page.click("main form button.primary")

    number, notices = changes(redrafted)
    assert number == last + 1
    assert page.url == f"{served.base}/week/{redrafted}/notices/"
    published = said(CHINESE, "version {number} published; tell these people", number=number)
    assert page.inner_text("ul.messages li.success") == published
    listed = table_rows(page, "table.notices")
    shown = {r[1]: r[3] for r in listed}  # by name: the notice to send
    assert sorted(shown) == sorted([first.name, name]) and len(notices) == 2
    assert all(shown[c.volunteer_name].startswith(c.notice) for c in notices)
    assert page.locator("table.notices button.copy").count() == 2
    screenshot(page, "notices")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.base)
    copy = page.locator("table.notices button.copy").first
    copy.click()
    page.wait_for_selector("table.notices button.copy.copied")
    assert page.evaluate("navigator.clipboard.readText()") == listed[0][3]

    link = page.locator("main a.button[href='?download=xlsx']")
    saved, data = downloaded(page, link)
    assert saved == said(
        CHINESE, "notices {monday} version {number}.xlsx", monday=redrafted, number=number
    )
    header, rows = below_header(sheet_rows(data), said(CHINESE, CHANGE_COLUMNS[0]))
    assert header == [said(CHINESE, h) for h in CHANGE_COLUMNS]
    by_id = {r[1]: r for r in rows if r[1]}
    assert sorted(by_id) == sorted([first.person, taking])
    assert all(shown[r[2]] == r[6] for r in by_id.values())  # the notices the page shows


def test_a_units_workbook_downloads_from_the_downloads_page_with_that_units_week(
    page: Page, served: Served
) -> None:
    published = week(date.fromisoformat(MONDAY), draft=False)
    sign_in(page, served.base, OFFICE, PASSWORD)
    page.click(f"header nav a:text-is('{said(CHINESE, 'Downloads')}')")
    assert page.url == served.base + "/downloads/"
    title = said(
        CHINESE,
        "week of {first} to {last}, version {number}",
        first=MONDAY,
        last=SUNDAY,
        number=published.number,
    )
    listed = page.locator(f"section.week:has(h3:text-is('{title}')) ul.workbooks a")
    assert UNIT in [a.inner_text() for a in listed.all()]
    saved, data = downloaded(page, listed.filter(has_text=UNIT))
    assert saved == f"{UNIT}_{MONDAY}.xlsx"

    header, rows = below_header(sheet_rows(data), said(CHINESE, "Date"))
    column = {name: header.index(said(CHINESE, name)) for name in ("Date", "Start", "Area")}
    column |= {name: header.index(said(CHINESE, name)) for name in ("Leader", "Volunteer")}

    def at(row: tuple[Any, ...], name: str) -> Any:
        return row[column[name]]

    dated = [r for r in rows if isinstance(at(r, "Date"), datetime)]
    found = {
        (at(r, "Date").date(), at(r, "Start").strftime("%H:%M"), at(r, "Area"), at(r, "Volunteer"))
        for r in dated
    }
    ours = [r for r in published.rows if r.unit == UNIT]
    people = {(r.date, hhmm(r.start), r.area, r.volunteer_name) for r in ours}
    with speaking(CHINESE):
        short = {
            (
                g.date,
                hhmm(g.start),
                g.area,
                ntr("{n} missing", "{n} missing", g.needed - g.assigned),
            )
            for g in published.gaps
            if g.unit == UNIT and g.needed > g.assigned
        }
    assert ours and short  # the unit's seats and its gaps (its people away that week)
    assert found == people | short
    leaders = {at(r, "Volunteer") for r in dated if at(r, "Leader") == said(CHINESE, "yes")}
    assert leaders == {r.volunteer_name for r in ours if r.leader}
    assert len(dated) == len(ours) + len(short)  # nothing of another unit, nothing twice


def test_the_week_grid_shows_the_leaders_and_each_gap_with_its_reason(
    page: Page, served: Served
) -> None:
    published = week(date.fromisoformat(MONDAY), draft=False)
    page.set_viewport_size(README_VIEW)
    sign_in(page, served.base, OFFICE, PASSWORD)
    page.goto(f"{served.base}/week/{MONDAY}/")
    assert page.inner_text("main h1") == said(
        CHINESE, "The week of {first} to {last}", first=MONDAY, last=SUNDAY
    )
    assert page.locator("table.grid a.seat").count() == 0  # published: nothing to click
    gaps = page.locator("table.grid .slot.gap")
    assert gaps.count() == len(published.gaps) > 0
    why = [w.inner_text() for w in page.locator("table.grid .slot.gap .why").all()]
    assert all(
        any(unprefixed(g.reason, g.date, g.start, g.end, g.area) in w for w in why)
        for g in published.gaps
    )
    assert all("集中培训" in w for w in why)  # the leave that left 渣土所 short
    leaders = page.locator("table.grid .seat").filter(has_text="★")
    assert leaders.count() == sum(r.leader for r in published.rows) > 0
    color = page.evaluate("getComputedStyle(document.querySelector('.slot.gap .why')).color")
    red, green, blue = (int(n) for n in color.removeprefix("rgb(").removesuffix(")").split(","))
    assert red > 150 and green < 80 and blue < 80, color  # the reason in red
    screenshot(page, "week-grid")

    page.select_option("#id_unit", UNIT)  # the unit filter: its areas alone, gaps and all
    page.wait_for_url(f"{served.base}/week/{MONDAY}/?unit={quote(UNIT)}")
    ours = {(r.area, r.unit) for r in published.rows if r.unit == UNIT}
    assert grid_areas(page) == sorted(ours)
    assert page.locator("table.grid .slot.gap").count() == sum(
        g.unit == UNIT for g in published.gaps
    )
    folder = os.environ.get("ROSTER_SCREENSHOTS")
    if folder:  # the README's picture: the unit's row, its leaders and its gaps, and no more
        box = page.locator("table.grid").bounding_box()
        assert box is not None
        bottom = min(box["y"] + box["height"] + 16, README_VIEW["height"])
        clip = FloatRect(x=0, y=0, width=README_VIEW["width"], height=bottom)
        page.screenshot(path=str(Path(folder) / f"{README_PICTURE}.png"), clip=clip)
