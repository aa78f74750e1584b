"""Benchmark: the export alone (feeds and workbooks) of the synthetic city; prints a table.

Usage (after installing the package):
    python3 bench/export.py                  # the city's four weeks, 5 runs of each case
    python3 bench/export.py --weeks 1 --repeat 3

The city (`roster synth`, 120 units, 6,000 volunteers, seed 1) is solved once from the week of
2022-06-13; then its roster is exported `--repeat` times into a new folder each time ("fresh",
as `roster solve --out NEW` does), and `--repeat` times over the previous export ("again", an
unchanged roster exported once more, as a re-run does). Wall seconds are min / median / max; user
and system seconds are the process's and its workbook workers' (median), so the system column is
the kernel's share: mostly creating files. Run it under a profiler to see where the time goes:

    python3 -m cProfile -s tottime bench/export.py --repeat 1 | head -40
    strace -c -f -o /tmp/strace.txt python3 bench/export.py --repeat 1
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import OutputRequest, SolveRequest, read_tables, solve_roster, write_outputs
from roster.synth import synth, write_city

WEEK = date(2022, 6, 13)
HEADER = ("case", "runs", "wall s min", "median", "max", "user s", "sys s", "files changed")


def _cpu() -> tuple[float, float]:
    """User and system seconds of this process and of its children that have ended."""
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime


def _timed(request: OutputRequest) -> tuple[float, float, float, int]:
    user, system = _cpu()
    began = time.perf_counter()
    written = write_outputs(request)
    wall = time.perf_counter() - began
    user2, system2 = _cpu()
    assert written.export is not None
    return wall, user2 - user, system2 - system, written.export.files_changed


def _row(case: str, runs: list[tuple[float, float, float, int]]) -> tuple[str, ...]:
    walls = [r[0] for r in runs]
    return (
        case,
        str(len(runs)),
        f"{min(walls):.2f}",
        f"{statistics.median(walls):.2f}",
        f"{max(walls):.2f}",
        f"{statistics.median(r[1] for r in runs):.2f}",
        f"{statistics.median(r[2] for r in runs):.2f}",
        str(runs[-1][3]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1655000000")  # the same stamps in every run
    last = WEEK + timedelta(days=7 * args.weeks - 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_city(synth(120, 6000, 1), root / "city")
        plan = read_tables(root / "city")
        solved = solve_roster(SolveRequest(plan, WEEK, last))
        state = root / "state"
        state.mkdir()

        def request(out: Path) -> OutputRequest:
            return OutputRequest(plan, solved.rows, solved.gaps, WEEK, last, out, state)

        # Every fresh folder is kept until the end: removing thousands of files just before
        # creating thousands more slows the creating down (see the README's profile).
        fresh = [_timed(request(root / f"fresh{n}")) for n in range(args.repeat)]
        again = [_timed(request(root / "fresh0")) for _ in range(args.repeat)]
        rows = [
            _row(f"city, {args.weeks} weeks: into a new folder", fresh),
            _row(f"city, {args.weeks} weeks: again over the previous export", again),
        ]
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
