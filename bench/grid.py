"""Benchmark: the office's week grid of a city, as the browser asks for it; prints a table.

Usage (after installing the package):
    python3 bench/grid.py [--units 120] [--volunteers 6000] [--repeat 10]

A synthetic city (`roster synth --units N --volunteers M --seed 1`) is drafted for the week of
2022-06-15 in a fresh workspace and served by `roster serve` on 127.0.0.1. An office account
signs in, and the whole grid (every area, every day), one unit's grid, and the page of who could
take one seat are each fetched `--repeat` times: the time to the last byte, min/median/max.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.feeds import free_port
from bench.workspace import run

WEEK, MONDAY = "2022-06-15", "2022-06-13"
PASSWORD = "Bench-pass-9174"


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    form = {"csrfmiddlewaretoken": token.group(1), "username": "bench", "password": PASSWORD}
    request = urllib.request.Request(
        base + "/login/", urllib.parse.urlencode(form).encode(), headers={"Referer": base}
    )
    opener.open(request).read()
    return opener


def timed(opener: urllib.request.OpenerDirector, url: str, repeat: int) -> tuple[list[float], str]:
    times, body = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        with opener.open(url) as response:
            body = response.read().decode()
            assert response.status == 200, url
        times.append(time.perf_counter() - start)
    return times, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=120)
    parser.add_argument("--volunteers", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        city, ws = Path(tmp) / "city", Path(tmp) / "ws"
        units, people = str(args.units), str(args.volunteers)
        run("synth", "--out", str(city), "--units", units, "--volunteers", people, "--seed", "1")
        run("init", str(ws), "--tables", str(city))
        run("plan", "--week", WEEK, "--workspace", str(ws))
        run("user", "add", "bench", "--role", "office", "--password-stdin", "--workspace", str(ws),
            stdin=PASSWORD)  # fmt: skip
        port = free_port()
        env = {**os.environ, "ROSTER_LANG": "zh"}
        command = [sys.executable, "-m", "roster", "serve", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--workspace", str(ws)], env=env, stdout=subprocess.PIPE
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/login/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            opener = sign_in(base)
            grid, body = timed(opener, f"{base}/week/{MONDAY}/", args.repeat)
            areas = body.count('<th scope="row">')
            seats = body.count('class="seat"')
            unit = re.search(r"<option>([^<]+)</option>", body)
            assert unit, "no unit in the grid's list"
            one, _ = timed(
                opener,
                f"{base}/week/{MONDAY}/?unit={urllib.parse.quote(unit.group(1))}",
                args.repeat,
            )
            seat = re.search(r'href="(/week/[^"]+/seat/\?[^"]+)"', body)
            assert seat, "no seat link in the grid"
            swap, _ = timed(opener, base + seat.group(1).replace("&amp;", "&"), args.repeat)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"City: {args.units} units, {args.volunteers} volunteers; the week of {WEEK}, drafted")
    print(f"Grid: {areas} areas × 7 days, {seats} seats, {len(body.encode()) // 1024} KB of HTML")
    print()
    print(f"{'page':<34} {'min s':>7} {'median s':>9} {'max s':>7}")
    for name, times in (
        ("the whole city's grid", grid),
        ("one unit's grid", one),
        ("who could take one seat", swap),
    ):
        print(f"{name:<34} {min(times):7.3f} {statistics.median(times):9.3f} {max(times):7.3f}")


if __name__ == "__main__":
    main()
