"""An inspector on a phone, in a real browser (chromium at 390×844, the server in Chinese): who
is on duty at a time of the published week, a spot check recorded at a slot, and the office
finding it on the checks page and in the week's ranking (tests/browser.py: the server, the
browser)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from roster.i18n import CHINESE

from . import browser as harness
from .browser import (
    OFFICE,
    PASSWORD,
    Served,
    beside_the_browser,
    roster,
    said,
    screenshot,
    sign_in,
    sign_out,
    table_rows,
)

served, browser = harness.served, harness.browser
INSPECTOR = "周督查"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def crossing_team() -> tuple[list[str], set[str], set[str]]:
    """Wednesday 07:30's crossing duty as published: its people's names, its leaders' phones and
    the phones of the others on it."""
    from workspace.models import WeekVersion
    from workspace.operations import current_plan

    def read() -> tuple[list[str], set[str], set[str]]:
        week = WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).order_by("-made_at")[0]
        rows = list(week.rows.filter(date="2022-06-15", start=450))
        phones = {v.id: v.phone for v in current_plan().volunteers}
        leaders = {phones[r.volunteer_id] for r in rows if r.leader}
        others = {phones[r.volunteer_id] for r in rows if not r.leader} - {""}
        return [r.volunteer_name for r in rows], leaders, others

    return beside_the_browser(read)


def test_an_inspector_records_a_check_the_office_sees_it_and_the_ranking_counts_it(
    phone: Page, served: Served
) -> None:
    roster(served.folder, "user", "add", INSPECTOR, "--role", "inspector", "--password-stdin",
           stdin=PASSWORD)  # fmt: skip
    names, leader_phones, others = crossing_team()
    assert leader_phones and others
    sign_in(phone, served.base, INSPECTOR, PASSWORD)
    phone.click(f"header nav a:has-text('{said(CHINESE, 'On duty now')}')")
    assert phone.url == served.base + "/duty/"
    phone.goto(served.base + "/duty/?at=2022-06-15T07:40")
    cards = phone.locator("article.duty-slot")
    assert cards.count() == 1
    card = cards.first
    assert "蔡池路与群英路交叉路口" in card.inner_text() and "07:30–08:30" in card.inner_text()
    for name in names:
        assert name in card.inner_text()
    tapped = {a.get_attribute("href") for a in card.locator("a[href^='tel:']").all()}
    assert tapped == {f"tel:{p}" for p in leader_phones}
    content = phone.content()
    assert not [number for number in others if number in content]  # nobody else's phone
    # A phone's width: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "inspector-duty")

    card.locator("a", has_text=said(CHINESE, "Record a check")).click()
    phone.fill("input[name=present]", "6")
    phone.check("input[name=leader][value=yes]")
    phone.fill("textarea[name=remarks]", "两人未到岗")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click("form.check-form button[type=submit]")
    assert phone.url == served.base + "/duty/?at=2022-06-15T07:40"
    assert said(CHINESE, "failed") in phone.inner_text("ul.messages")
    assert "6" in phone.inner_text("ul.messages")
    sign_out(phone)

    sign_in(phone, served.base, OFFICE, PASSWORD)
    phone.goto(served.base + "/checks/")
    rows = table_rows(phone, "table.checks")
    assert len(rows) == 1
    found = rows[0]
    assert found[1] == "2022-06-15 07:30–08:30" and found[4] == "园林事务中心"
    assert found[5:9] == ["8", "6", said(CHINESE, "Yes"), said(CHINESE, "failed")]
    assert found[9] == "两人未到岗" and found[10] == INSPECTOR
    phone.goto(served.base + "/ranking/?week=2022-06-15")
    line = next(r for r in table_rows(phone, "table.ranking") if r[1] == "园林事务中心")
    assert (line[8], line[9]) == ("1", "1")  # one spot check, failed
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "ranking")
