"""A team leader signs the team in on a phone-sized screen (tests/browser.py: the server, the
browser): one late, one absent, a walk-in from the unit; then the office's service-hours page and
the report for the volunteer app (报备) show exactly what was recorded."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from roster.i18n import CHINESE

from . import browser as harness
from .browser import (
    MONDAY,
    OFFICE,
    PASSWORD,
    SUNDAY,
    Served,
    beside_the_browser,
    said,
    screenshot,
    sign_in,
    table_rows,
)

served, browser, page = harness.served, harness.browser, harness.page

PHONE = {"width": 390, "height": 844}


def led_team() -> tuple[list[Any], Any]:
    """The team (leader first) of the first led slot of the week with three people or more, and
    a volunteer of its unit not on it."""
    from workspace import operations as ops
    from workspace.models import WeekVersion

    def read() -> tuple[list[Any], Any]:
        version = WeekVersion.objects.filter(monday=MONDAY, number__gt=0).order_by("-number")[0]
        teams: dict[str, list[Any]] = defaultdict(list)
        for r in ops._rows(version):
            teams[r.slot_key].append(r)
        team = next(t for t in teams.values() if any(r.leader for r in t) and len(t) >= 3)
        team.sort(key=lambda r: (not r.leader, r.volunteer_id))
        ids = {r.volunteer_id for r in team}
        unit = ops.current_plan().volunteers_of(team[0].unit)
        return team, next(v for v in unit if v.id not in ids)

    return beside_the_browser(read)


def give_token(volunteer_id: str) -> str:
    from workspace.models import PageToken

    token = f"leader-{volunteer_id}-page-secret-0123456789"
    PageToken.objects.update_or_create(
        volunteer_id=volunteer_id, defaults={"token": token, "rotated_at": "2022-06-01T00:00Z"}
    )
    return token


def records() -> dict[str, Any]:
    from workspace.models import Attendance

    return beside_the_browser(lambda: {a.volunteer_id: a for a in Attendance.objects.all()})


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def test_a_leader_signs_the_team_in_and_the_hours_and_report_show_it(
    browser: Browser, page: Page, served: Served
) -> None:
    team, walker = led_team()
    leader, late, absent = team[0], team[1], team[2]
    token = beside_the_browser(give_token, leader.volunteer_id)
    moment = datetime.combine(leader.date, datetime.min.time()) + timedelta(
        minutes=leader.start + 5
    )
    address = f"{served.base}/me/{token}/sign-in/?slot={leader.slot_key}&at={moment:%Y-%m-%dT%H:%M}"
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        phone.goto(address)
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert leader.area in phone.inner_text("p.slot")
        phone.check(f'input[name="state-{late.volunteer_id}"][value="late"]')
        phone.fill(f'input[name="arrived-{late.volunteer_id}"]', hm(leader.start + 20))
        phone.check(f'input[name="state-{absent.volunteer_id}"][value="absent"]')
        phone.select_option('select[name="walkin-0"]', walker.id)
        phone.select_option('select[name="walkin-0-for"]', absent.volunteer_id)
        screenshot(phone, "web-sign-in-zh")
        with phone.expect_navigation():
            phone.click("button.primary")
        # Everyone the whole slot (the walk-in in place of the absent one) but 20 minutes late.
        minutes = len(team) * (leader.end - leader.start) - 20
        text = "Saved: {people} people, {hours} hours credited."
        saved = said(CHINESE, text, people=len(team) + 1, hours=f"{minutes / 60:.2f}")
        assert saved in phone.inner_text("ul.messages")
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()

    got = records()
    slot = leader.end - leader.start
    assert set(got) == {r.volunteer_id for r in team} | {walker.id}
    assert (got[late.volunteer_id].state, got[late.volunteer_id].credited) == ("late", slot - 20)
    assert (got[absent.volunteer_id].state, got[absent.volunteer_id].credited) == ("absent", 0)
    assert got[walker.id].walk_in and got[walker.id].credited == slot
    assert {a.recorded_by for a in got.values()} == {leader.volunteer_id}

    sign_in(page, served.base, OFFICE, PASSWORD)
    page.goto(f"{served.base}/hours/?period=week&day={leader.date}")
    hours = {r[0]: r for r in table_rows(page, "table.hours") if r and r[0] in got}
    for vid, a in got.items():
        assert float(hours[vid][4]) == round(a.credited / 60, 2), vid
    screenshot(page, "web-hours-zh")

    response = page.request.get(f"{served.base}/hours/report.xlsx?from={MONDAY}&to={SUNDAY}")
    assert response.status == 200
    sheet = load_workbook(io.BytesIO(response.body())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "活动名称" and rows[0][-1] == "服务时长（小时）"
    reported = {r[8]: float(r[9]) for r in rows[1:]}
    assert reported == {v: round(a.credited / 60, 2) for v, a in got.items() if a.credited}
    assert absent.volunteer_id not in reported and walker.id in reported
