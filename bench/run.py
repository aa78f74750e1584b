"""Benchmark: the whole pipeline (load, expand, solve, export) on a ladder of sizes; prints a table.

Usage (after installing the package):
    python3 bench/run.py                 # sample, city 1 week, city 4 weeks, re-plan
    python3 bench/run.py --campaign      # also the city's whole campaign, week by week
    python3 bench/run.py --province      # also a province (14 cities, 80,000 volunteers), 1 week
    python3 bench/run.py --fairness      # also the sample's and a 20-unit city's campaigns

Synthetic cities are written by `roster synth` (seed 1) into a temporary folder. Each case runs
in its own process, so its peak memory is its own. "greedy" columns are the baseline of
bench/greedy.py on the same parts.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import (
    OutputRequest,
    SolveRequest,
    prepare_roster,
    read_tables,
    solve_roster,
    write_outputs,
)
from bench.greedy import greedy
from roster.model import Leave
from roster.sample import sample_dir
from roster.synth import synth, write_city
from solver.parts import DayCache
from solver.rules import unfilled

WEEK = date(2022, 6, 13)
HEADER = (
    "case",
    "units",
    "volunteers",
    "slots",
    "person-slots",
    "variables",
    "load s",
    "build s",
    "solve s",
    "status",
    "fairness gap h",
    "export s",
    "total s",
    "peak MB",
    "gaps",
    "spread h",
    "greedy gaps",
    "greedy spread h",
)


def spread_of(part, chosen) -> float:
    """Largest spread (max − min deviation from the fair share) of a part's roster, in hours."""
    loads = part.loads(chosen)
    devs = [part.history_minutes[v] + x - part.fair[v] for v, x in enumerate(loads)]
    return (max(devs) - min(devs)) / 60 if devs else 0.0


def run_case(name: str, data: Path, first: date, last: date, out: Path, queue) -> None:
    began = time.perf_counter()
    plan = read_tables(data)
    loaded = time.perf_counter()
    request = SolveRequest(plan, first, last)
    prepared = prepare_roster(request)
    slots, parts, _ = prepared
    built = time.perf_counter()
    solved_roster = solve_roster(request, prepared=prepared)
    result = solved_roster.result
    solved = time.perf_counter()
    rows, gaps = solved_roster.rows, solved_roster.gaps
    write_outputs(OutputRequest(plan, rows, gaps, first, last, out, out))
    exported = time.perf_counter()
    greedy_gaps = 0
    greedy_spread = 0.0
    for part in parts:
        chosen = greedy(part)
        greedy_gaps += unfilled(part, chosen)
        greedy_spread = max(greedy_spread, spread_of(part, chosen))
    fairness_gap = max(
        (s.gap for p in result.parts for s in p.stages if s.name == "fairness"), default=0.0
    )
    queue.put(
        (
            name,
            len(plan.units),
            len(plan.volunteers),
            len(slots),
            sum(s.min_people for s in slots),
            sum(p.pairs for p in parts),
            f"{loaded - began:.1f}",
            f"{built - loaded:.1f}",
            f"{solved - built:.1f}",
            _status(result),
            f"{fairness_gap:.2f}",
            f"{exported - solved:.1f}",
            f"{exported - began:.1f}",
            f"{_peak():.0f}",
            result.missing + sum(s.leader_missing for s in result.shortfalls),
            f"{max((p.spread for p in result.parts), default=0) / 60:.1f}",
            greedy_gaps,
            f"{greedy_spread:.1f}",
        )
    )


def run_replan(name: str, data: Path, first: date, last: date, queue) -> None:
    """Solve four weeks, give one busy volunteer two days of leave, re-plan with --previous."""
    plan = read_tables(data)
    rows = solve_roster(SolveRequest(plan, first, last)).rows
    victim = rows[len(rows) // 2]
    leave = Leave(victim.volunteer_id, victim.date, victim.date + timedelta(days=1), "病假")
    sick = replace(plan, leave=(*plan.leave, leave))
    began = time.perf_counter()
    replanned = solve_roster(SolveRequest(sick, first, last, previous=rows))
    seconds = time.perf_counter() - began
    again, new = replanned.result, replanned.rows
    changed = len(set(rows) ^ set(new))
    broken = sum(1 for r in rows if r.volunteer_id == leave.volunteer_id and leave.covers(r.date))
    queue.put(
        (
            name,
            len(plan.units),
            len(plan.volunteers),
            len(again.slots),
            sum(s.min_people for s in again.slots),
            "",
            "",
            "",
            f"{seconds:.1f}",
            _status(again),
            f"{broken} broken, {changed} rows changed",
            "",
            "",
            f"{_peak():.0f}",
            again.missing,
            "",
            "",
            "",
        )
    )


def run_campaign(
    name: str,
    data: Path,
    out: Path,
    first: date | None,
    count: int | None,
    queue,
) -> None:
    """`count` weeks from the week of `first` (default: the whole campaign), each with the weeks
    before it as history; then the fairness within each unit at the end (`_fairness_at_end`)."""
    began = time.perf_counter()
    plan = read_tables(data)
    history: tuple = ()
    start = first or plan.settings.start
    monday = start - timedelta(days=start.weekday())
    weeks = 0
    gaps = 0
    worst_gap = 0.0
    statuses = set()
    latest: dict[str, object] = {}  # per unit, its part in the last week it had duties
    longest: dict[str, int] = {}  # per unit, its longest duty in minutes
    cache = DayCache()  # the history grows by a week each time: only its new days and rows are read
    while monday <= plan.settings.end and (count is None or weeks < count):
        sunday = monday + timedelta(days=6)
        week = solve_roster(SolveRequest(plan, monday, sunday, history=history), cache=cache)
        result = week.result
        if weeks % 10 == 0:
            print(f"  campaign week {weeks}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
        history = (*history, *week.rows)
        gaps += result.missing
        worst_gap = max(
            [worst_gap, *(s.gap for p in result.parts for s in p.stages if s.name == "fairness")]
        )
        statuses.add(_status(result))
        for p in result.parts:
            latest[p.unit] = p
            for a in p.assignments:
                longest[p.unit] = max(longest.get(p.unit, 0), a.slot.minutes)
        weeks += 1
        monday += timedelta(days=7)
    solved = time.perf_counter()
    fairness = _fairness_at_end(plan, list(latest.values()), longest)
    print(f"  {name}: {fairness}", file=sys.stderr)
    queue.put(
        (
            f"{name} ({weeks} weeks)",
            len(plan.units),
            len(plan.volunteers),
            "",
            len(history),
            "",
            "",
            "",
            f"{solved - began:.1f}",
            "/".join(sorted(statuses)),
            f"{worst_gap:.2f}",
            "",
            f"{solved - began:.1f}",
            f"{_peak():.0f}",
            gaps,
            fairness,
            "",
            "",
        )
    )


def _fairness_at_end(plan, parts: list, longest: dict[str, int]) -> str:
    """Within each unit, at the end (history included): the spread of hours among volunteers of
    the same availability (same unavailable weekdays, no leave, same weekly cap, same leader
    flag), among the leaders and among the others, against the unit's longest duty; and the
    leaders' average excess over an even share against the excess their seats force."""
    on_leave = {x.volunteer_id for x in plan.leave}
    within = 0
    worst_leaders, worst_others, worst_over = 0.0, 0.0, 0.0
    excess_met = excess_near = 0
    for p in parts:
        groups: dict[tuple, list[float]] = {}
        for h in p.hours:
            v = h.volunteer
            if v.id not in on_leave:
                key = (tuple(sorted(v.unavailable)), v.weekly_cap_hours, v.leader)
                groups.setdefault(key, []).append((h.history_minutes + h.minutes) / 60)
        lead = max((_span(x) for k, x in groups.items() if k[2]), default=0.0)
        rest = max((_span(x) for k, x in groups.items() if not k[2]), default=0.0)
        within += max(lead, rest) * 60 <= longest.get(p.unit, 60) + 1e-6
        worst_leaders, worst_others = max(worst_leaders, lead), max(worst_others, rest)
        leaders = [h for h in p.hours if h.volunteer.leader]
        if leaders:
            excess = sum(
                h.history_minutes
                + h.minutes
                - (h.fair_minutes if h.even_minutes is None else h.even_minutes)
                for h in leaders
            ) / len(leaders)
            over = (excess - p.forced_excess) / 60
            worst_over = max(worst_over, over)
            excess_met += over <= 1e-6
            excess_near += over * 60 <= longest.get(p.unit, 60) + 1e-6
        else:
            excess_met += 1
            excess_near += 1
    return (
        f"same availability: {within}/{len(parts)} units ≤ longest duty, worst among leaders "
        f"{worst_leaders:.1f} h, among the others {worst_others:.1f} h; leaders' excess ≤ forced "
        f"in {excess_met}/{len(parts)} units, ≤ forced + longest duty in {excess_near}, worst "
        f"{worst_over:+.1f} h over it"
    )


def _span(values: list[float]) -> float:
    return max(values) - min(values) if values else 0.0


def _status(result) -> str:
    counts: dict[str, int] = {}
    for p in result.parts:
        counts[p.status.value] = counts.get(p.status.value, 0) + 1
    return " ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _isolated(target, *args) -> tuple:
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=target, args=(*args, queue))
    process.start()
    row = queue.get()
    process.join()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaign", action="store_true")
    parser.add_argument("--province", action="store_true")
    parser.add_argument(
        "--fairness",
        action="store_true",
        help="also the sample's and a 20-unit city's campaigns, week by week, with fairness",
    )
    parser.add_argument("--only-extra", action="store_true", help="skip the sample and city cases")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        city = root / "city"
        write_city(synth(120, 6000, 1), city)
        four = WEEK + timedelta(days=27)
        cases = [
            ("sample, 1 week", sample_dir(), WEEK, WEEK + timedelta(days=6)),
            ("city, 1 week", city, WEEK, WEEK + timedelta(days=6)),
            ("city, 4 weeks", city, WEEK, four),
        ]
        for n, (name, data, first, last) in enumerate([] if args.only_extra else cases):
            rows.append(_isolated(run_case, name, data, first, last, root / f"out{n}"))
            print(rows[-1], file=sys.stderr, flush=True)
        if not args.only_extra:
            rows.append(_isolated(run_replan, "city, 4 weeks, re-plan one leave", city, WEEK, four))
            print(rows[-1], file=sys.stderr, flush=True)
        if args.campaign:
            rows.append(
                _isolated(run_campaign, "city campaign", city, root / "campaign", None, None)
            )
            print(rows[-1], file=sys.stderr, flush=True)
        if args.fairness:
            small = root / "city20"
            write_city(synth(20, 1000, 1), small)
            runs = [
                ("sample campaign", sample_dir(), None, None),
                ("20-unit city, from 2021-09-27", small, date(2021, 9, 27), 13),
                ("20-unit city campaign", small, None, None),
            ]
            for name, data, first, count in runs:
                rows.append(_isolated(run_campaign, name, data, root / "fair", first, count))
                print(rows[-1], file=sys.stderr, flush=True)
        if args.province:
            province = root / "province"
            write_city(synth(1680, 80000, 1, cities=14), province)
            rows.append(
                _isolated(
                    run_case,
                    "province, 1 week",
                    province,
                    WEEK,
                    WEEK + timedelta(days=6),
                    root / "outp",
                )
            )
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")


if __name__ == "__main__":
    main()
