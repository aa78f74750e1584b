"""Benchmark: roster against Timefold Solver on the same synthetic city week; prints a table.

Usage (after `pip install -e '.[compare]'` and with a JDK 17 or later):
    python3 bench/compare.py                      # the city: 120 units, 6,000 volunteers, seed 1
    python3 bench/compare.py --units 20 --volunteers 1000

The city is `roster synth` (the same as bench/run.py's "city"), the week that of 2022-06-15.
Roster solves it through the application layer, as the command line does; its wall time (the
parts built and solved) becomes Timefold's spent limit, then ten times that. Timefold's model is
bench/timefold_model.py; both rosters are scored by bench/score.py from plain rows, which knows
neither solver. Each Timefold run is a process of its own (one JVM each, so the longer run does
not inherit the shorter one's warmed-up code).

Deterministic for a given seed on roster's side and in everything the table derives; Timefold is
seeded and reproducible move by move, but a spent limit stops it wherever the clock says, so its
rows can differ between runs (more on a busier machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from queue import Empty
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import score as referee

WEEK = date(2022, 6, 13)  # the Monday of the week of 2022-06-15
JDK = Path("/usr/lib/jvm/java-17-openjdk-amd64")
INSTALL = (
    "skipped: the Timefold comparison needs {missing}: pip install -e '.[compare]' "
    "and a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)"
)
HEADER = (
    "solver",
    "time limit s",
    "wall s",
    "seats unfilled",
    "leaders missing",
    "rule violations",
    "worst largest deviation h",
    "mean largest deviation h",
    "worst spread h",
    "own objective",
)


def java_version(java: Path) -> int | None:
    """The major version of a `java` executable, or None when it does not run."""
    try:
        done = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None
    found = re.search(r'version "(\d+)', done.stderr + done.stdout)
    return int(found.group(1)) if found else None


def find_jdk() -> Path | None:
    """A JDK home of version 17 or later: $JAVA_HOME, the Debian JDK 17, or `java` on PATH."""
    homes = [Path(os.environ["JAVA_HOME"])] if os.environ.get("JAVA_HOME") else []
    homes.append(JDK)
    on_path = shutil.which("java")
    if on_path:
        homes.append(Path(on_path).resolve().parent.parent)
    for home in homes:
        version = java_version(home / "bin" / "java")
        if version is not None and version >= 17:
            return home
    return None


def installed(name: str) -> bool:
    """Whether the package is installed, found without importing it (timefold's import loads its
    Java bindings)."""
    return importlib.util.find_spec(name) is not None


def missing() -> str | None:
    """What is missing to run Timefold (a sentence), or None when it can run."""
    absent = []
    if not installed("timefold"):
        absent.append("the timefold package")
    if find_jdk() is None:
        absent.append("a JDK 17 or later")
    return " and ".join(absent) or None


def week_rows(plan: Any, slots: Any, parts: Any) -> referee.Week:
    """The prepared week as the referee's plain rows: slots with their resolved unit."""
    units = {p.unit for p in parts}
    s = plan.settings
    return referee.Week(
        slots=tuple(
            referee.SlotRow(
                x.date,
                x.start,
                x.end,
                x.kind,
                x.area,
                x.units[0],
                x.min_people,
                x.max_people,
                x.leader_required,
            )
            for x in slots
        ),
        people=tuple(
            referee.PersonRow(
                v.id,
                v.unit,
                v.leader,
                round(plan.weekly_cap(v) * 60),
                frozenset(v.unavailable),
            )
            for v in plan.volunteers
            if v.unit in units
        ),
        leave=tuple(referee.LeaveRow(x.volunteer_id, x.start, x.end) for x in plan.leave),
        daily_cap=round(s.daily_cap_hours * 60),
        travel_buffer=s.travel_buffer_minutes,
    )


@dataclass(frozen=True)
class RosterRun:
    seconds: float
    picks: list[referee.Pick]
    fair: dict[str, float]
    objective: str


def run_roster(data: Path, seed: int, folder: Path) -> RosterRun:
    """Roster's solve of the week through the application layer; writes the plain rows."""
    from application import SolveRequest, prepare_roster, read_tables, solve_roster

    plan = read_tables(data)
    request = SolveRequest(plan, WEEK, WEEK + timedelta(days=6), seed=seed)
    began = time.perf_counter()
    prepared = prepare_roster(request)
    solved = solve_roster(request, prepared=prepared)
    seconds = time.perf_counter() - began
    slots, parts, _ = prepared
    referee.write_week(folder, week_rows(plan, slots, parts))
    picks = [referee.Pick(r.date, r.start, r.duty, r.area, r.volunteer_id) for r in solved.rows]
    fair = {v.id: part.fair[n] for part in parts for n, v in enumerate(part.volunteers)}
    return RosterRun(seconds, picks, fair, roster_objective(solved.result))


def roster_objective(result: Any) -> str:
    """Roster's own terms, as its stages report them (hours): people and leaders missing, the
    worst unit's largest deviation and spread, the largest deviations summed over the units (the
    same sum as Timefold's soft level 1, there in minutes), and the units proven optimal."""
    stages: dict[str, list[float]] = {}
    for p in result.parts:
        for stage in p.stages:
            stages.setdefault(str(stage.name), []).append(stage.objective)
    fairness, spread = stages.get("fairness", [0.0]), stages.get("spread", [0.0])
    optimal = sum(p.status.value == "optimal" for p in result.parts)
    return (
        f"demand {sum(stages.get('demand', [0])):.0f} missing; largest deviation "
        f"{max(fairness):.2f} h (Σ {sum(fairness):.1f} h); spread {max(spread):.2f} h "
        f"(Σ {sum(spread):.1f} h); {optimal}/{len(result.parts)} units optimal"
    )


def run_timefold(
    folder: Path,
    fair: dict[str, float],
    seconds: float,
    seed: int,
    out: Path,
    other: Path | None,
    queue: Any,
) -> None:
    """One Timefold solve in this (fresh) process; the roster goes to `out`. With `other`,
    afterwards Timefold's score of that roster too (roster's, so both are judged by both)."""
    jdk = find_jdk()
    if jdk is not None:
        os.environ["JAVA_HOME"] = str(jdk)
    from bench import timefold_model

    week = referee.read_week(folder)
    solved = timefold_model.solve(week, fair, seconds, seed)
    referee.write_roster(out, solved.picks)
    done = f"{solved.constructed}/{solved.seats} seats constructed"
    theirs = f"{solved.score}; {done}; {solved.moves} moves/s; setup {solved.setup:.1f} s"
    ours = timefold_model.evaluate(week, fair, referee.read_roster(other)) if other else ""
    queue.put((solved.seconds, theirs, ours))


def _isolated(timeout: float, target: Any, *args: Any) -> Any:
    """`target(*args, queue)` in a forked process (a JVM of its own); what it puts in the queue."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    try:
        row = queue.get(timeout=timeout)
    except Empty:
        process.kill()
        raise SystemExit(f"Timefold gave no roster within {timeout:.0f} s") from None
    process.join()
    return row


def _row(name: str, limit: str, wall: float, s: referee.Score, objective: str) -> tuple:
    return (
        name,
        limit,
        f"{wall:.1f}",
        s.unfilled,
        s.leaders_missing,
        s.violations_text(),
        f"{s.worst_deviation:.2f}",
        f"{s.mean_deviation:.2f}",
        f"{s.worst_spread:.2f}",
        objective,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=120)
    parser.add_argument("--volunteers", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1, help="the city's and both solvers' seed")
    parser.add_argument("--factors", default="1,10", help="Timefold's limits, × roster's time")
    args = parser.parse_args()
    absent = missing()
    if absent:
        print(INSTALL.format(missing=absent))
        return
    from roster.synth import synth, write_city

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_city(synth(args.units, args.volunteers, args.seed), root / "city")
        ours = run_roster(root / "city", args.seed, root / "week")
        referee.write_roster(root / "roster.csv", ours.picks)
        week = referee.read_week(root / "week")
        fair = referee.fair_shares(week)
        gap = max(abs(fair[k] - ours.fair[k]) for k in ours.fair)
        mine = referee.score(week, referee.read_roster(root / "roster.csv"))
        for n, factor in enumerate(float(x) for x in args.factors.split(",")):
            limit = ours.seconds * factor
            out = root / f"timefold{factor:g}.csv"
            other = root / "roster.csv" if n == 0 else None
            wall, objective, judged = _isolated(
                limit + 600, run_timefold, root / "week", ours.fair, limit, args.seed, out, other
            )
            if n == 0:
                own = f"{ours.objective}; Timefold's score of it {judged}"
                rows.append(_row("roster", "", ours.seconds, mine, own))
            theirs = referee.score(week, referee.read_roster(out))
            name = f"Timefold, {factor:g}× roster's time"
            rows.append(_row(name, f"{limit:.1f}", wall, theirs, objective))
            print(rows[-1], file=sys.stderr, flush=True)
    print(
        f"{args.units} units, {args.volunteers} volunteers, seed {args.seed}, {WEEK} to "
        f"{WEEK + timedelta(days=6)}: {len(week.slots)} slots, "
        f"{sum(s.min_people for s in week.slots)} seats; the referee's fair shares and roster's "
        f"differ by at most {gap:.6f} min"
    )
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")


if __name__ == "__main__":
    main()
