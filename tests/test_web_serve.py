"""`roster serve` as a phone and a browser meet it: a real waitress server on 127.0.0.1 serving a
workspace with a published week of the sample; accounts made with `roster user add`."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli

from .conftest import SAMPLE

runner = CliRunner()
WEEK = "2022-06-15"
PASSWORD = "Kx9-pass-word-77"


def run(folder: Path, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(cli.app, [*args, "--workspace", str(folder)], input=stdin)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(workspace: tuple[Path, Any]) -> Iterator[dict[str, Any]]:
    folder, _ = workspace
    assert run(folder, "init", "--tables", str(SAMPLE)).exit_code == 0
    assert run(folder, "plan", "--week", WEEK).exit_code == 0
    assert run(folder, "publish", "--week", WEEK).exit_code == 0
    added = run(
        folder, "user", "add", "王芳", "--role", "office", "--password-stdin", stdin=PASSWORD
    )
    assert added.exit_code == 0, added.output
    unit = run(
        folder, "user", "add", "李伟", "--role", "unit", "--unit", "渣土所", "--password-stdin",
        stdin=PASSWORD,
    )  # fmt: skip
    assert unit.exit_code == 0, unit.output
    links = list(csv.DictReader(io.StringIO(run(folder, "links").stdout)))
    port = free_port()
    env = {**os.environ, "ROSTER_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-m", "roster", "serve", "--port", str(port), "--workspace", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login/", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    try:
        yield {"base": base, "links": links, "folder": folder, "server": server}
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_a_feed_is_fetched_then_not_modified(served: dict[str, Any]) -> None:
    person = next(x for x in served["links"] if x["kind"] == "volunteer")
    url = served["base"] + "/" + person["path"].replace("ical/volunteers/", "ical/")
    status, headers, body = get(url)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR") and headers["ETag"] and headers["Last-Modified"]
    again, _, empty = get(url, {"If-None-Match": headers["ETag"]})
    assert again == 304 and empty == b""
    since, _, _ = get(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert since == 304


def test_every_kind_of_feed_opens_by_its_token_alone(served: dict[str, Any]) -> None:
    for kind in ("city", "unit", "area", "volunteer"):
        link = next(x for x in served["links"] if x["kind"] == kind)
        token = Path(link["path"]).stem
        status, _, body = get(f"{served['base']}/ical/{token}.ics")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR"), kind


def test_an_unknown_token_gets_the_same_404(served: dict[str, Any]) -> None:
    first = get(served["base"] + "/ical/AAAAAAAAAAAAAAAAAAAAAA.ics")
    second = get(served["base"] + "/ical/not-a-token.ics")
    assert first[0] == second[0] == 404 and first[2] == second[2]


def test_a_feed_is_gzipped_when_asked(served: dict[str, Any]) -> None:
    import gzip

    city = next(x for x in served["links"] if x["kind"] == "city")
    url = f"{served['base']}/ical/{Path(city['path']).stem}.ics"
    status, headers, body = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"BEGIN:VCALENDAR")


class Browser:
    """A session with cookies, posting forms with their CSRF token as a browser does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.base + path, data=data)
        if form is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode()

    def sign_in(self, name: str, password: str) -> tuple[int, str, str]:
        _, _, page = self.open("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page
        form = {"csrfmiddlewaretoken": token.group(1), "username": name, "password": password}
        return self.open("/login/", form)


def test_the_office_signs_in_and_sees_the_week(served: dict[str, Any]) -> None:
    browser = Browser(served["base"])
    status, url, _ = browser.open("/")
    assert url.endswith("/login/?next=/")  # a page needs a sign-in
    status, url, page = browser.sign_in("王芳", PASSWORD)
    assert status == 200 and url.endswith("/"), page
    assert "The week of 2022-06-13 to 2022-06-19" in page and "version 1 published" in page
    assert "渣土所" in page


def test_a_wrong_password_is_refused(served: dict[str, Any]) -> None:
    _, url, page = Browser(served["base"]).sign_in("王芳", "wrong")
    assert url.endswith("/login/") and "Wrong name or password." in page


def test_a_form_without_its_csrf_token_is_refused(served: dict[str, Any]) -> None:
    status, _, page = Browser(served["base"]).open(
        "/login/", {"username": "王芳", "password": PASSWORD}
    )
    assert status == 403 and "This form was not accepted" in page and "Nothing was changed" in page


def test_a_unit_contact_sees_their_unit_and_not_another(served: dict[str, Any]) -> None:
    browser = Browser(served["base"])
    browser.sign_in("李伟", PASSWORD)
    from urllib.parse import quote

    own = browser.open("/unit/" + quote("渣土所") + "/")
    other = browser.open("/unit/" + quote("局机关") + "/")
    assert own[0] == 200 and "渣土所" in own[2]
    assert "week of 2022-06-13 to 2022-06-19, version 1" in own[2] and "Our roster" in own[2]
    assert "2022-06-15 Wed" in own[2]
    assert other[0] == 403 and "局机关" not in other[2]
    unknown = browser.open("/unit/" + quote("渣土所") + "/?week=2022-07-20")  # never published
    assert unknown[0] == 200 and "That week has not been published." in unknown[2]


def test_a_weak_password_or_a_unit_contact_without_unit_is_refused(
    workspace: tuple[Path, Any],
) -> None:
    folder, _ = workspace
    assert run(folder, "init", "--tables", str(SAMPLE)).exit_code == 0
    weak = run(folder, "user", "add", "赵敏", "--role", "office", "--password-stdin", stdin="123")
    assert weak.exit_code == 2 and "the password is too weak" in weak.output
    nounit = run(
        folder, "user", "add", "赵敏", "--role", "unit", "--unit", "无此单位", "--password-stdin",
        stdin=PASSWORD,
    )  # fmt: skip
    assert nounit.exit_code == 2 and "unknown unit" in nounit.output
    listed = run(folder, "user", "list")
    assert "赵敏" not in listed.output


def test_the_demo_serves_the_sample_with_a_login_it_prints(tmp_path: Path) -> None:
    port = free_port()
    # The demo is a folder of its own with its own SQLite file, whatever server the tests use.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"ROSTER_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-m", "roster", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        assert lines[0].startswith(f"serving at http://127.0.0.1:{port}/"), lines
        name, password = re.findall(r"sign in as (\S+), password (\S+)", lines[1])[0]
        assert "week of 2022-06-13 to 2022-06-19 is planned and published" in lines[2]
        assert "roster-demo/demo_login.txt" in lines[2]
        status, _, page = Browser(f"http://127.0.0.1:{port}").sign_in(name, password)
        assert status == 200 and "version 1 published" in page
        assert (tmp_path / "roster-demo" / "demo_login.txt").stat().st_mode & 0o077 == 0
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_rotated_link_stops_opening_its_feed(served: dict[str, Any]) -> None:
    person = next(x for x in served["links"] if x["kind"] == "volunteer")
    old = f"{served['base']}/ical/{Path(person['path']).name}"
    assert get(old)[0] == 200
    assert run(served["folder"], "rotate", person["volunteer_id"]).exit_code == 0
    time.sleep(2.5)  # the server renews its index of feeds every two seconds
    assert get(old)[0] == 404
    links = list(csv.DictReader(io.StringIO(run(served["folder"], "links").stdout)))
    new = next(x for x in links if x["volunteer_id"] == person["volunteer_id"])
    assert get(f"{served['base']}/ical/{Path(new['path']).name}")[0] == 200


def test_sign_in_is_locked_after_five_wrong_passwords(served: dict[str, Any]) -> None:
    browser = Browser(served["base"])
    for _ in range(4):
        assert "Wrong name or password." in browser.sign_in("王芳", "wrong-password")[2]
    assert browser.sign_in("王芳", "wrong-password")[0] in (403, 429)  # the fifth locks
    status, _, page = browser.sign_in("王芳", PASSWORD)  # even the right one, for a while
    assert status in (403, 429) and "week of" not in page
    assert "Too many wrong passwords" in page and "15 minutes" in page  # the site's own page
    other = Browser(served["base"]).sign_in("李伟", PASSWORD)  # another account is not locked
    assert other[0] == 200 and other[1].endswith("/")


def test_a_killed_server_loses_no_change_it_confirmed(served: dict[str, Any]) -> None:
    browser = Browser(served["base"])
    browser.sign_in("王芳", PASSWORD)
    _, _, page = browser.open("/leave/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "volunteer": "ZT003",
        "first": "2022-06-20",
        "last": "2022-06-26",
        "reason": "探亲",
    }
    status, url, page = browser.open("/leave/", form)
    assert status == 200 and url.endswith("/leave/") and "ZT003 from 2022-06-20" in page
    served["server"].kill()  # as kill -9: no shutdown of any kind
    served["server"].wait(timeout=10)
    listed = run(served["folder"], "leave", "list")
    assert listed.exit_code == 0, listed.output
    assert "ZT003" in listed.stdout and "2022-06-20" in listed.stdout and "探亲" in listed.stdout
