"""Benchmark: `roster serve` answering the calendar feeds of a city, under load; prints a table.

Usage (after installing the package; needs Debian's `wrk`):
    python3 bench/feeds.py [--volunteers 10000] [--seconds 20] [--connections 32]

A synthetic city (`roster synth --units 120 --volunteers N --seed 1`) is drafted and published
for the week of 2022-06-15 in a fresh workspace, served on 127.0.0.1, and `wrk` fetches every
personal feed in turn: first without an ETag (200 and the feed), then with the ETag each feed
was served with (304, no body). Requests per second and latency percentiles come from wrk.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workspace import run

WEEK = "2022-06-15"


def _roster(*args: str) -> str:
    return run(*args)[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lua(paths: list[str], etags: list[str] | None) -> str:
    """A wrk script that requests the paths in turn, with their ETags if given."""
    quoted = ",".join(f'"{p}"' for p in paths)
    lines = [f"local paths = {{{quoted}}}", "local i = 0"]
    if etags:
        lines.append("local etags = {" + ",".join(f"'{e}'" for e in etags) + "}")
    lines += ["request = function()", "  i = i % #paths + 1"]
    if etags:
        lines.append('  return wrk.format("GET", paths[i], {["If-None-Match"] = etags[i]})')
    else:
        lines.append('  return wrk.format("GET", paths[i])')
    lines.append("end")
    return "\n".join(lines) + "\n"


def wrk(
    base: str, script: Path, seconds: int, connections: int, threads: int = 2
) -> dict[str, str]:
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout
    out = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        out[f"p{pct}"] = re.search(rf"\s{pct}%\s+([\d.]+\w+)", text).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    out["errors"] = (errors.group(1) if errors else "0") + (
        f" ({socket_errors.group(1)})" if socket_errors else ""
    )
    out["requests"] = re.search(r"(\d+) requests in", text).group(1)  # type: ignore[union-attr]
    out["text"] = text
    return out


def published_city(tmp: Path, volunteers: int) -> tuple[Path, list[str]]:
    """A fresh workspace in `tmp` with a synthetic city of `volunteers` published for WEEK; the
    workspace and the path of every personal feed."""
    city, ws = tmp / "city", tmp / "ws"
    _roster(
        "synth",
        "--out",
        str(city),
        "--units",
        "120",
        "--volunteers",
        str(volunteers),
        "--seed",
        "1",
    )
    _roster("init", str(ws), "--tables", str(city))
    _roster("plan", "--week", WEEK, "--workspace", str(ws))
    _roster("publish", "--week", WEEK, "--workspace", str(ws))
    links = list(csv.DictReader(io.StringIO(_roster("links", "--workspace", str(ws)))))
    return ws, ["/ical/" + Path(x["path"]).name for x in links if x["kind"] == "volunteer"]


def start_server(ws: Path, log: IO[bytes] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`roster serve` of `ws` on a free port of 127.0.0.1, once it answers; its base address."""
    port = free_port()
    env = {**os.environ, "ROSTER_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-m", "roster", "serve", "--port", str(port), "--workspace", str(ws)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log if log is not None else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def learn_etags(base: str, paths: list[str]) -> list[str]:
    """Each feed fetched once, as a phone subscribing does: the ETag it is served with."""
    etags = []
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            etags.append(response.headers["ETag"].replace("'", ""))
    return etags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="roster-feeds-") as tmp:
        ws, paths = published_city(Path(tmp), args.volunteers)
        server, base = start_server(ws)
        try:
            etags = learn_etags(base, paths)
            rows = [("case", "feeds", "requests", "req/s", "p50", "p99", "errors")]
            for name, tags in (("200, feed sent", None), ("304, with ETag", etags)):
                script = Path(tmp) / "load.lua"
                script.write_text(lua(paths, tags), encoding="utf-8")
                r = wrk(base, script, args.seconds, args.connections)
                rows.append(
                    (
                        name,
                        str(len(paths)),
                        r["requests"],
                        r["rps"],
                        r["p50"],
                        r["p99"],
                        r["errors"],
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
