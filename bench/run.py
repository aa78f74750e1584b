"""Benchmark: the whole pipeline (load, expand, solve, export) on a ladder of sizes; prints a table.

Usage (after installing the package):
    python3 bench/run.py                 # sample, city 1 week, city 4 weeks, re-plan
    python3 bench/run.py --campaign      # also the city's whole campaign, week by week
    python3 bench/run.py --province      # also a province (14 cities, 80,000 volunteers), 1 week

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


def run_campaign(name: str, data: Path, out: Path, queue) -> None:
    """Every week of the campaign in turn, each with the weeks before it as history."""
    began = time.perf_counter()
    plan = read_tables(data)
    history: tuple = ()
    monday = plan.settings.start - timedelta(days=plan.settings.start.weekday())
    weeks = 0
    gaps = 0
    worst_gap = 0.0
    statuses = set()
    last_result = None
    cache = DayCache()  # the history grows by a week each time: only its new days are expanded
    while monday <= plan.settings.end:
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
        last_result = result
        weeks += 1
        monday += timedelta(days=7)
    solved = time.perf_counter()
    # Final spread of deviations within each unit, history included: the last week's parts;
    # and the same among the unit's leaders and among the others (leaders' seats can only go to
    # leaders, so where they are few they carry more than their share).
    final = last_result.parts if last_result else ()
    within = 0
    worst, worst_leaders, worst_others = 0.0, 0.0, 0.0
    for p in final:
        devs = [h.deviation for h in p.hours]
        lead = [h.deviation for h in p.hours if h.volunteer.leader]
        rest = [h.deviation for h in p.hours if not h.volunteer.leader]
        duty = max(a.slot.minutes for a in p.assignments) if p.assignments else 60
        within += _range(devs) * 60 <= duty
        worst = max(worst, _range(devs))
        worst_leaders = max(worst_leaders, _range(lead))
        worst_others = max(worst_others, _range(rest))
    print(
        f"  campaign: {within}/{len(final)} units within one duty's length; worst spread "
        f"{worst:.1f} h (among leaders {worst_leaders:.1f} h, among the others "
        f"{worst_others:.1f} h)",
        file=sys.stderr,
    )
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
            f"{worst:.1f} (leaders {worst_leaders:.1f}, others {worst_others:.1f}; "
            f"{within}/{len(final)} units ≤ one duty)",
            "",
            "",
        )
    )


def _range(devs: list[float]) -> float:
    return (max(devs) - min(devs)) / 60 if devs else 0.0


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
            rows.append(_isolated(run_campaign, "city campaign", city, root / "campaign"))
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
