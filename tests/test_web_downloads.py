"""The downloads page, its workbooks and the printable QR sheets, for the office, a unit contact
and an inspector: one workspace with a published week of the sample for the whole module, pages
asked through Django's test client and, where a phone would follow a link, a real server."""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import segno
from openpyxl import load_workbook

from .conftest import SAMPLE
from .test_web_serve import PASSWORD, WEEK, Browser, free_port, get, run

MONDAY = "2022-06-13"
UNIT, OTHER = "渣土所", "局机关"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CARD = re.compile(
    r'<section class="card volunteer">\s*<strong class="name">(.*?)</strong>\s*'
    r'<div class="qr">(<svg.*?</svg>)</div>\s*<p class="link">(.*?)</p>\s*'
    r'<p class="link web">(.*?)</p>',
    re.S,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A workspace with the week of 2022-06-15 published and an account of each role."""
    from workspace import config

    folder = tmp_path_factory.mktemp("downloads") / "workspace"
    config.configure(folder, web=True)
    if os.environ.get("DATABASE_URL"):  # one database for every test: emptied first
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    for args in (
        ("init", "--tables", str(SAMPLE)),
        ("plan", "--week", WEEK),
        ("publish", "--week", WEEK),
    ):
        assert run(folder, *args).exit_code == 0, args
    for name, role in (("王芳", "office"), ("李伟", "unit"), ("赵敏", "inspector")):
        unit = ("--unit", UNIT) if role == "unit" else ()
        added = run(
            folder, "user", "add", name, "--role", role, *unit, "--password-stdin", stdin=PASSWORD
        )
        assert added.exit_code == 0, added.output
    return {"folder": folder}


def client(name: str | None) -> Any:
    """Django's test client, signed in as `name`, asking at the address the server listens on."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1:8000")
    if name is not None:
        browser.force_login(get_user_model().objects.get(username=name))
    return browser


def workbook_url(unit: str, week: str = MONDAY) -> str:
    return f"/downloads/week/{week}/{quote(unit, safe='')}/"


def sheet_url(unit: str) -> str:
    return f"/downloads/qr/{quote(unit, safe='')}/"


def names_in(data: bytes) -> set[str]:
    """Every text cell of a workbook (the roster sheet's names among them)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {
        v
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    }


def rows_of(unit: str | None = None) -> list[Any]:
    from workspace.operations import latest

    version = latest(date.fromisoformat(MONDAY))
    assert version is not None
    rows = version.rows.all()
    return list(rows.filter(unit=unit) if unit else rows)


def test_the_office_sees_every_week_every_workbook_and_every_units_link(site: Any) -> None:
    from workspace.operations import current_plan

    response = client("王芳").get("/downloads/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "week of 2022-06-13 to 2022-06-19, version 1" in page
    assert f'href="/downloads/week/{MONDAY}/"' in page  # the master workbook
    for unit in current_plan().units:
        assert f'href="{workbook_url(unit.name)}"' in page, unit.name
        assert f'href="{sheet_url(unit.name)}"' in page, unit.name
    assert page.count('href="webcal://127.0.0.1:8000/ical/') == len(current_plan().units)


def test_a_unit_contact_sees_their_own_units_workbook_and_link_only(site: Any) -> None:
    page = client("李伟").get("/downloads/").content.decode()
    assert workbook_url(UNIT) in page and sheet_url(UNIT) in page
    assert OTHER not in page and f'href="/downloads/week/{MONDAY}/"' not in page
    assert page.count('href="webcal://') == 1


def test_a_unit_workbook_downloads_with_its_chinese_name_and_holds_that_units_rows(
    site: Any,
) -> None:
    response = client("李伟").get(workbook_url(UNIT))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(f'{UNIT}_{MONDAY}.xlsx')}" in disposition
    assert f'filename="unit_{MONDAY}.xlsx"' in disposition  # for browsers without filename*
    cells = names_in(b"".join(response.streaming_content))
    own = {r.volunteer_name for r in rows_of(UNIT)}
    others = {r.volunteer_name for r in rows_of()} - own
    assert own and own <= cells
    assert not others & cells


def test_the_master_workbook_is_the_offices_alone(site: Any) -> None:
    url = f"/downloads/week/{MONDAY}/"
    assert client("李伟").get(url).status_code == 403
    assert client("赵敏").get(url).status_code == 403
    response = client("王芳").get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"roster_{MONDAY}.xlsx" in response["Content-Disposition"]
    cells = names_in(b"".join(response.streaming_content))
    assert {r.volunteer_name for r in rows_of()} <= cells


def test_another_units_workbook_and_sheet_are_refused_an_unknown_one_not_found(
    site: Any,
) -> None:
    contact = client("李伟")
    assert contact.get(workbook_url(OTHER)).status_code == 403
    assert contact.get(sheet_url(OTHER)).status_code == 403
    assert contact.get(workbook_url("无此单位")).status_code == 404
    assert contact.get(sheet_url("无此单位")).status_code == 404
    office = client("王芳")
    for unit in ("无此单位", "roster", "../../secret_key", f"../{UNIT}"):
        assert office.get(workbook_url(unit)).status_code == 404, unit
    for week in ("2022-06-14", "2022-06-20", "20220613", "..", "latest"):
        assert office.get(workbook_url(UNIT, week)).status_code == 404, week
        assert office.get(f"/downloads/week/{week}/").status_code == 404, week


def test_an_inspector_and_a_stranger_get_none_of_it(site: Any) -> None:
    inspector = client("赵敏")
    for url in ("/downloads/", workbook_url(UNIT), sheet_url(UNIT)):
        assert inspector.get(url).status_code == 403, url
        stranger = client(None).get(url)
        assert stranger.status_code == 302 and "/login/" in stranger["Location"], url


def test_the_unit_page_shows_its_subscribe_link(site: Any) -> None:
    from workspace.handouts import unit_feeds

    own = next(x for x in unit_feeds() if x.unit == UNIT)
    page = client("李伟").get(f"/unit/{quote(UNIT)}/").content.decode()
    assert f'href="webcal://127.0.0.1:8000/ical/{Path(own.path).stem}.ics"' in page
    assert sheet_url(UNIT) in page


def test_the_sheet_says_https_behind_https(site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_HTTPS", "1")
    page = client("李伟").get(sheet_url(UNIT)).content.decode()
    cards = CARD.findall(page)
    assert cards and all(web.startswith("https://127.0.0.1:8000/ical/") for *_, web in cards)
    assert all(webcal.startswith("webcal://127.0.0.1:8000/ical/") for _, _, webcal, _ in cards)


def test_the_feed_address_of_the_settings_wins(site: Any, tmp_path: Path) -> None:
    import shutil

    from workspace.operations import import_tables, links

    tables = tmp_path / "tables"
    shutil.copytree(SAMPLE, tables)
    with (tables / "settings.toml").open("a", encoding="utf-8") as f:
        f.write('\nfeed_base_url = "https://feeds.example.org/leiyang"\n')
    import_tables(tables)
    try:
        page = client("王芳").get(sheet_url(UNIT)).content.decode()
        person = next(x for x in links() if x.kind == "volunteer" and x.unit == UNIT)
        rest = person.url.removeprefix("https://")
        assert rest.startswith("feeds.example.org/leiyang/volunteers/")
        assert f"webcal://{rest}" in page and person.url in page
        assert "127.0.0.1" not in "".join(w for _, _, w, _ in CARD.findall(page))
    finally:
        import_tables(SAMPLE)


@pytest.fixture(scope="module")
def server(site: dict[str, Any]) -> Iterator[str]:
    """`roster serve` on the module's workspace, for following links as a phone does."""
    port = free_port()
    folder = str(site["folder"])
    process = subprocess.Popen(
        [sys.executable, "-m", "roster", "serve", "--port", str(port), "--workspace", folder],
        env={**os.environ, "ROSTER_LANG": "en"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login/", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_qr_sheet_has_a_card_per_volunteer_whose_code_is_the_link_that_opens_their_feed(
    server: str,
) -> None:
    from workspace.operations import current_plan, links

    browser = Browser(server)
    assert browser.sign_in("李伟", PASSWORD)[0] == 200
    status, _, page = browser.open(sheet_url(UNIT))
    assert status == 200
    host = server.removeprefix("http://")
    people = [x for x in links() if x.kind == "volunteer" and x.unit == UNIT]
    cards = CARD.findall(page)
    assert len(cards) == len(people) == sum(v.unit == UNIT for v in current_plan().volunteers)
    for (name, svg, webcal, web), person in zip(cards, people, strict=True):
        token = Path(person.path).stem
        assert html.unescape(name) == person.name
        assert webcal == f"webcal://{host}/ical/{token}.ics"
        assert web == f"http://{host}/ical/{token}.ics"
        assert svg == segno.make(webcal, error="m").svg_inline(scale=3)  # the code is the link
        status, headers, body = get(web)
        assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert body.startswith(b"BEGIN:VCALENDAR")
    unit = next(x for x in links() if x.kind == "unit" and x.unit == UNIT)
    assert f"webcal://{host}/ical/{Path(unit.path).stem}.ics" in page
    assert "The unit's calendar" in page and "Scan the code" in page
