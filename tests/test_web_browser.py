"""The pages in a real browser: Debian's chromium, driven by Playwright, against `roster serve` in
Chinese, as the office and a unit contact meet them (tests/browser.py: the server, the browser)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page

from roster.assignments import unprefixed
from roster.i18n import CHINESE, ENGLISH

from . import browser as harness
from .browser import (
    CONTACT,
    MONDAY,
    OFFICE,
    OTHER_UNIT,
    PASSWORD,
    SUNDAY,
    UNIT,
    Served,
    beside_the_browser,
    said,
    screenshot,
    sign_in,
    sign_out,
    table_rows,
)

# The harness's fixtures, by the names the tests ask for: one server, one browser for the module.
served, browser, page = harness.served, harness.browser, harness.page


def week_shown(page: Page) -> str:
    """The heading of the overview's first week (the week published last, the campaign over)."""
    return page.locator("main h1").first.inner_text()


def published() -> dict[str, Any]:
    """The week the overview shows, as the workspace holds it: its rows and gaps."""
    from workspace.models import WeekVersion

    def read() -> dict[str, Any]:
        week = WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).order_by("-made_at")[0]
        return {"rows": list(week.rows.all()), "gaps": list(week.gaps.all())}

    return beside_the_browser(read)


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_overview(
    page: Page, served: Served
) -> None:
    page.goto(served.base + "/")
    assert page.url == served.base + "/login/?next=/"  # every page needs a sign-in
    assert page.get_attribute("html", "lang") == "zh-hans"  # the server's language: Chinese
    sign_in(page, served.base, OFFICE, "not-the-password")
    assert page.url.startswith(served.base + "/login/")
    assert page.inner_text("p.error") == said(CHINESE, "Wrong name or password.")
    assert page.locator("header form.logout").count() == 0

    landed = sign_in(page, served.base, OFFICE, PASSWORD)
    assert landed.status == 200 and page.url == served.base + "/"
    assert page.locator("header nav a").first.inner_text() == "概览"
    assert MONDAY in week_shown(page) and SUNDAY in week_shown(page)
    gaps = published()["gaps"]
    assert gaps, "the week is meant to have gaps (渣土所 away on training)"
    shown = table_rows(page, "table.gaps")
    # The reason without its own when and where, shown in the columns beside it.
    expected = [
        [str(g.date), g.area, g.unit, unprefixed(g.reason, g.date, g.start, g.end, g.area)]
        for g in gaps
    ]
    assert all(row[3] != g.reason for row, g in zip(expected, gaps, strict=True))
    assert [[row[0].split()[0], *row[1:]] for row in shown] == expected
    assert all("集中培训" in row[3] for row in shown)  # the reason names the leave
    assert page.locator('header nav a[href="/tables/"]').count() == 1  # the office's own pages
    screenshot(page, "overview")


def test_the_language_switch_turns_the_pages_english_and_back(page: Page, served: Served) -> None:
    page.goto(served.base + "/login/")
    page.click("header form.language button")  # "English", before signing in
    assert page.url == served.base + "/login/" and page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == said(ENGLISH, "Sign in")

    sign_in(page, served.base, OFFICE, PASSWORD)  # the choice outlives the sign-in
    assert page.get_attribute("html", "lang") == "en" and MONDAY in week_shown(page)
    assert page.locator("header nav a").first.inner_text() == said(ENGLISH, "Overview")
    assert page.locator("table.gaps th").first.inner_text() == said(ENGLISH, "When")
    page.click(f"table.gaps a:text-is('{UNIT}')")  # another page keeps it
    assert page.url == f"{served.base}/unit/{quote(UNIT)}/"
    assert page.locator("th").first.inner_text() == said(ENGLISH, "When")

    page.click("header form.language button")  # "中文": the same page, in Chinese
    assert page.url == f"{served.base}/unit/{quote(UNIT)}/"
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.locator("th").first.inner_text() == said(CHINESE, "When")
    page.goto(served.base + "/")
    assert page.locator("table.gaps th").first.inner_text() == said(CHINESE, "When")
    cookie = {c["name"]: c for c in page.context.cookies()}["roster_lang"]
    assert cookie["value"] == "zh-hans" and cookie["expires"] > 0  # kept, not for the session


def test_a_unit_contact_opens_their_unit_and_not_another(page: Page, served: Served) -> None:
    landed = sign_in(page, served.base, CONTACT, PASSWORD)
    assert landed.status == 200 and MONDAY in week_shown(page)
    assert {row[2] for row in table_rows(page, "table.gaps")} == {UNIT}  # their unit's gaps only
    assert page.locator('header nav a[href="/tables/"]').count() == 0  # not the office's pages

    own = page.goto(f"{served.base}/unit/{quote(UNIT)}/")
    assert own is not None and own.status == 200 and UNIT in page.inner_text("main h1")
    rows = [r for r in published()["rows"] if r.unit == UNIT]
    names = sorted(row[3].removesuffix(" ★") for row in table_rows(page, "table"))
    assert names == sorted(r.volunteer_name for r in rows) and names

    other = page.goto(f"{served.base}/unit/{quote(OTHER_UNIT)}/")
    assert other is not None and other.status == 403
    assert page.locator("table").count() == 0 and OTHER_UNIT not in page.content()


def test_a_feed_is_fetched_then_not_modified(page: Page, served: Served) -> None:
    url = served.feed("unit", UNIT)  # by its token alone: no sign-in
    first = page.request.get(url)
    assert first.status == 200
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert first.body().startswith(b"BEGIN:VCALENDAR") and UNIT in first.text()
    etag = first.headers["etag"]
    again = page.request.get(url, headers={"If-None-Match": etag})
    assert again.status == 304 and again.body() == b""


def test_signing_out_ends_the_session(page: Page, served: Served) -> None:
    sign_in(page, served.base, OFFICE, PASSWORD)
    assert "sessionid" in {c["name"] for c in page.context.cookies()}
    sign_out(page)
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}
    page.goto(served.base + "/")
    assert page.url == served.base + "/login/?next=/"
    assert page.locator("header form.logout").count() == 0


def test_signing_out_lands_on_the_sign_in_page(page: Page, served: Served) -> None:
    sign_in(page, served.base, OFFICE, PASSWORD)
    landed = sign_out(page)
    assert landed.status == 200 and page.url.startswith(served.base + "/login/")
