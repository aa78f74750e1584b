"""Benchmark: the workspace against the file commands, as a user runs them; prints a table.

Usage (after installing the package):
    python3 bench/workspace.py              # a synthetic city week: solve vs plan + publish
    python3 bench/workspace.py --campaign   # also the sample's 66 weeks, planned and published

Every step is a whole `roster …` command in its own process (start-up, reading, the database and
the files included), timed `--repeat` times; the table gives the median. The city is
`roster synth --units 120 --volunteers 6000 --seed 1`; the week is that of 2022-06-15.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "leiyang"
WEEK = "2022-06-15"


def roster(*args: str, ok: tuple[int, ...] = (0, 3)) -> float:
    """Seconds one `roster` command took; stops the benchmark if it fails."""
    return run(*args, ok=ok)[0]


def run(*args: str, ok: tuple[int, ...] = (0, 3), stdin: str | None = None) -> tuple[float, str]:
    """Seconds one `roster` command took and what it printed; stops the benchmark if it fails."""
    env = {**os.environ, "ROSTER_LANG": "en"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "roster", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(f"roster {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def city_week(tmp: Path, repeat: int) -> list[tuple[str, ...]]:
    city = tmp / "city"
    roster("synth", "--out", str(city), "--units", "120", "--volunteers", "6000", "--seed", "1")
    solve, plan, publish = [], [], []
    for n in range(repeat):
        solve.append(roster("solve", str(city), "--week", WEEK, "--out", str(tmp / f"out{n}")))
        ws = tmp / f"ws{n}"
        roster("init", str(ws), "--tables", str(city))
        plan.append(roster("plan", "--week", WEEK, "--workspace", str(ws)))
        publish.append(roster("publish", "--week", WEEK, "--workspace", str(ws)))
    s, p, q = (statistics.median(x) for x in (solve, plan, publish))
    return [
        ("city week: roster solve (file)", f"{s:.1f}", "", "1.00"),
        ("city week: roster plan", f"{p:.1f}", "", f"{p / s:.2f}"),
        ("city week: roster publish", f"{q:.1f}", "", f"{q / s:.2f}"),
        (
            "city week: plan + publish",
            f"{p + q:.1f}",
            f"{size(tmp / 'ws0') / 1e6:.0f}",
            f"{(p + q) / s:.2f}",
        ),
    ]


IN_PROCESS = """
import sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
from application import OutputRequest, SolveRequest, read_tables, solve_roster, write_outputs
from workspace import config
city, ws, out = Path({city!r}), Path({ws!r}), Path({out!r})
day = date(2022, 6, 15)
start = time.perf_counter()
plan = read_tables(city)
first, last = date(2022, 6, 13), date(2022, 6, 19)
solved = solve_roster(SolveRequest(plan, first, last))
write_outputs(OutputRequest(plan, solved.rows, solved.gaps, first, last, out, city))
files = time.perf_counter() - start
config.configure(ws)
from workspace import operations
operations.open_workspace(ws)
start = time.perf_counter()
operations.plan_week(ws, day)
planned = time.perf_counter() - start
operations.publish_week(ws, day)
print(files, planned, time.perf_counter() - start)
"""


def in_process(tmp: Path, repeat: int) -> list[tuple[str, ...]]:
    """The same in one process each, start-up and the table's first reading excluded from the
    workspace's side: what the web application (a long-running server) will pay."""
    city = tmp / "city"
    results = []
    for n in range(repeat):
        ws = tmp / f"ip{n}"
        roster("init", str(ws), "--tables", str(city))
        script = IN_PROCESS.format(
            root=str(ROOT), city=str(city), ws=str(ws), out=str(tmp / f"ipo{n}")
        )
        env = {**os.environ, "ROSTER_LANG": "en"}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(done.stderr[-2000:])
        results.append([float(x) for x in done.stdout.split()])
    s, p, total = (statistics.median(r[i] for r in results) for i in range(3))
    return [
        ("in one process: solve + write (file)", f"{s:.1f}", "", "1.00"),
        ("in one process: plan", f"{p:.1f}", "", f"{p / s:.2f}"),
        ("in one process: plan + publish", f"{total:.1f}", "", f"{total / s:.2f}"),
    ]


def sample_campaign(tmp: Path) -> list[tuple[str, ...]]:
    ws = tmp / "campaign"
    roster("init", str(ws), "--tables", str(SAMPLE))
    monday, last = date(2021, 9, 27), date(2022, 12, 31)
    weeks = 0
    start = time.perf_counter()
    while monday <= last:
        roster("plan", "--week", monday.isoformat(), "--workspace", str(ws))
        roster("publish", "--week", monday.isoformat(), "--workspace", str(ws))
        weeks += 1
        monday += timedelta(days=7)
    seconds = time.perf_counter() - start
    database = ws / "roster.sqlite3"
    return [
        (
            f"sample campaign: {weeks} weeks planned and published",
            f"{seconds:.0f}",
            f"{size(ws) / 1e6:.0f} (database {database.stat().st_size / 1e6:.1f})",
            "",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaign", action="store_true", help="also the sample's campaign")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [("case", "s", "workspace MB", "× solve")]
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as tmp:
        rows += city_week(Path(tmp), args.repeat)
        rows += in_process(Path(tmp), args.repeat)
        if args.campaign:
            rows += sample_campaign(Path(tmp))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
