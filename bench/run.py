"""Benchmark: load, expand and solve the shipped sample over growing periods; print a table.

Usage (after installing the package): python3 bench/run.py
"""

from __future__ import annotations

import resource
import time
from datetime import date

from roster.readers import load
from roster.sample import sample_dir
from solver import Params, solve
from solver.solve import make_parts

CASES = [
    ("sample, 1 week", date(2022, 6, 13), date(2022, 6, 19)),
    ("sample, 4 weeks", date(2022, 6, 13), date(2022, 7, 10)),
]


def main() -> None:
    rows = []
    for name, first, last in CASES:
        t0 = time.perf_counter()
        plan = load(sample_dir())
        t1 = time.perf_counter()
        slots, parts, _ = make_parts(plan, first, last, Params())
        t2 = time.perf_counter()
        result = solve(plan, first, last, Params())
        t3 = time.perf_counter()
        gaps = max(
            (s.gap for p in result.parts for s in p.stages if s.name == "fairness"), default=0.0
        )
        rows.append(
            (
                name,
                len(plan.units),
                len(plan.volunteers),
                len(slots),
                sum(s.min_people for s in slots),
                sum(p.pairs for p in parts),
                f"{t1 - t0:.2f}",
                f"{t2 - t1:.2f}",
                f"{t3 - t2:.2f}",
                result.status.value,
                f"{gaps:.2f}",
                len(result.shortfalls),
                f"{max(p.spread for p in result.parts) / 60:.1f}",
            )
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    header = (
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
        "gaps",
        "max spread h",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")
    print(f"\npeak memory of the whole run (main process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
