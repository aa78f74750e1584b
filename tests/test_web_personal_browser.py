"""A volunteer's own page in a real browser on a phone-sized screen (tests/browser.py: the server,
the browser): leave asked for, approved by the office, the week drafted again and published, and
the team changed on the page; two volunteers swap a duty (asked, accepted on the other's page,
confirmed by the office, published) and both pages show it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from roster.i18n import CHINESE

from . import browser as harness
from .browser import (
    MONDAY,
    OFFICE,
    PASSWORD,
    Served,
    beside_the_browser,
    said,
    screenshot,
    sign_in,
)

served, browser, page = harness.served, harness.browser, harness.page

AT = "2022-06-13T06:00"  # "now" for the pages: the Monday morning of the published week
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def connection_kept() -> Iterator[None]:
    """After the module (its browser closed), this thread's database handle is made again: the
    server's fixture re-pointed the database and dropped it, every call since went through
    `beside_the_browser`, and the next test's re-pointing (`config._reconfigure`) expects one."""
    yield
    from django.db import connections

    connections["default"]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Any]:
    """New phone-sized pages, each in a context of its own (one person each)."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


def published_rows() -> list[Any]:
    from workspace import operations as ops
    from workspace.models import WeekVersion

    def read() -> list[Any]:
        version = WeekVersion.objects.filter(monday=MONDAY, number__gt=0).order_by("-number")[0]
        return list(ops._rows(version))

    return beside_the_browser(read)


def own_page(served: Served, volunteer_id: str) -> str:
    from workspace import personal

    token = beside_the_browser(personal.page_token, volunteer_id)
    return f"{served.base}/me/{token}/?at={AT}"


def open_own(page: Page, address: str) -> None:
    page.goto(address)
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, "the page scrolls sideways on a phone"


def slot(page: Page, key: str) -> Any:
    return page.locator(f'article[data-slot="{key}"]')


def publish(office: Page, served: Served) -> None:
    office.goto(f"{served.base}/week/{MONDAY}/publish/")
    with office.expect_navigation():
        office.locator("form button.primary").first.click()
    assert office.url.endswith("/notices/")


def test_leave_asked_on_the_phone_approved_and_published_changes_the_team(
    phone: Any, page: Page, served: Served
) -> None:
    rows = published_rows()
    seat = next(r for r in rows if r.date.isoformat() >= "2022-06-16" and not r.leader
                and r.unit == "环卫所")  # fmt: skip
    mine = phone()
    open_own(mine, own_page(served, seat.volunteer_id))
    assert slot(mine, seat.slot_key).count() == 1
    mine.fill("input[name=start]", "2022-06-16")
    mine.fill("input[name=end]", "2022-06-19")
    mine.fill("input[name=reason]", "外出学习")
    with mine.expect_navigation():
        mine.click("section.leave button.primary")
    assert said(CHINESE, "waiting for the office") in mine.inner_text("ul.requests")
    screenshot(mine, "web-me-zh")

    sign_in(page, served.base, OFFICE, PASSWORD)
    page.goto(served.base + "/requests/")
    screenshot(page, "web-requests-zh")
    row = page.locator("table.leave tr", has_text="外出学习")
    with page.expect_navigation():
        row.locator('button[value="approve"]').click()
    with page.expect_navigation():
        page.click("p.job a")  # the week's page follows the job, then shows the draft
    page.wait_for_url(f"**/week/{MONDAY}/?job=*", wait_until="load")
    page.wait_for_selector("table.grid", timeout=60_000)
    publish(page, served)

    open_own(mine, own_page(served, seat.volunteer_id))
    assert slot(mine, seat.slot_key).count() == 0
    assert said(CHINESE, "approved") in mine.inner_text("ul.requests")
    team = {r.volunteer_id for r in published_rows() if r.slot_key == seat.slot_key}
    assert seat.volunteer_id not in team and team  # someone else has the seat


def test_two_volunteers_swap_a_duty_and_both_pages_show_it(
    phone: Any, page: Page, served: Served
) -> None:
    seat = next(r for r in published_rows() if r.date.isoformat() >= "2022-06-15"
                and not r.leader and r.unit == "市政服务中心")  # fmt: skip
    giver = phone()
    open_own(giver, own_page(served, seat.volunteer_id))
    with giver.expect_navigation():
        slot(giver, seat.slot_key).locator("a.ask").click()
    open_own(giver, giver.url)
    screenshot(giver, "web-me-swap-zh")
    first = giver.locator("button.colleague").first
    taker_name = first.inner_text().strip()
    taker_id = first.get_attribute("value")
    assert taker_id
    with giver.expect_navigation():
        first.click()
    assert taker_name in slot(giver, seat.slot_key).inner_text()  # "asked …: waiting"

    taker = phone()
    open_own(taker, own_page(served, taker_id))
    assert slot(taker, seat.slot_key).count() == 0
    with taker.expect_navigation():
        taker.locator("section.asked-of-me button[value=accept]").click()

    sign_in(page, served.base, OFFICE, PASSWORD)
    page.goto(served.base + "/requests/")
    with page.expect_navigation():
        page.locator("table.swaps tr", has_text=taker_name).locator(
            'button[value="confirm"]'
        ).click()
    assert page.locator("ul.messages li.success").count() == 1
    publish(page, served)

    open_own(giver, own_page(served, seat.volunteer_id))
    assert slot(giver, seat.slot_key).count() == 0
    open_own(taker, own_page(served, taker_id))
    card = slot(taker, seat.slot_key)
    assert card.count() == 1 and taker_name in card.inner_text()
