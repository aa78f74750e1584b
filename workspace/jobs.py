"""A week's draft planned beside the web server's requests, never inside one: a thread solves it
and records its progress unit by unit in a `Job` row, which the waiting page reads.

One job at a time (the solve takes every core). A server that stops mid-job leaves the row
running; the next start marks it failed (`abandon`), so nobody waits for it forever.
"""

from __future__ import annotations

import sys
import threading
import traceback
from datetime import date
from pathlib import Path

from django.db import connection, transaction

from roster.errors import InputError, Problem, Source
from roster.i18n import language, speaking, tr
from solver.result import PartResult
from workspace import operations as ops
from workspace.models import Job

PLAN = "plan"


def busy() -> Job | None:
    """The job under way, if any."""
    return Job.objects.filter(state__in=(Job.WAITING, Job.RUNNING)).first()


def start_plan(
    folder: Path, day: date, *more: date, seed: int = 0, time_limit: float = 10.0
) -> Job:
    """Start drafting the week of `day` (and of each of `more`, one after the other) in the
    background; refused while another job runs."""
    plan = ops.current_plan()
    days = [ops.week_of(d, plan)[0] for d in (day, *more)]
    monday = ops._monday(day)
    with transaction.atomic():
        running = busy()
        if running is not None:
            raise InputError(
                [
                    Problem(
                        tr(
                            "the week of {monday} is being planned (started by {who})",
                            monday=running.monday,
                            who=running.made_by,
                        ),
                        Source(tr("Plan a week")),
                        expected=tr("wait until it is done"),
                    )
                ]
            )
        job = Job.objects.create(kind=PLAN, monday=monday, made_by=ops.who(), started=ops._now())
    worker = threading.Thread(
        target=_run,
        args=(job.pk, folder, days, ops.who(), language(), seed, time_limit),
        name=f"plan-{monday}",
        daemon=True,
    )
    worker.start()
    return job


def _run(
    pk: int, folder: Path, days: list[date], who: str, lang: str, seed: int, time_limit: float
) -> None:
    units: dict[str, str] = {}

    def started(names: list[str]) -> None:
        units.clear()
        units.update({name: "" for name in names})
        Job.objects.filter(pk=pk).update(state=Job.RUNNING, total=len(names), done=0, units=units)

    def progress(result: PartResult) -> None:
        units[result.unit] = tr(
            "{rows} seats, {gaps} gaps",
            rows=len(result.assignments),
            gaps=len(result.shortfalls),
        )
        done = sum(1 for text in units.values() if text)
        Job.objects.filter(pk=pk).update(done=done, units=units)

    try:
        with ops.acting(who), speaking(lang):
            try:
                said = []
                for day in days:
                    drafted = ops.plan_week(
                        folder, day, seed=seed, time_limit=time_limit, progress=progress,
                        started=started,
                    )  # fmt: skip
                    said.append(
                        tr(
                            "{rows} assignments, {gaps} gaps; {kept} locks kept, {dropped} dropped",
                            rows=len(drafted.solved.rows),
                            gaps=len(drafted.solved.gaps),
                            kept=drafted.locks_kept,
                            dropped=drafted.locks_dropped,
                        )
                    )
                _finish(pk, Job.DONE, "\n".join(said))
            except InputError as error:
                _finish(pk, Job.FAILED, "\n".join(p.message for p in error.problems))
            except Exception as error:  # the page must learn that it stopped
                traceback.print_exc(file=sys.stderr)
                _finish(pk, Job.FAILED, tr("internal error: {error}", error=error))
    finally:
        connection.close()  # the thread's own connection


def _finish(pk: int, state: str, message: str) -> None:
    Job.objects.filter(pk=pk).update(state=state, message=message, finished=ops._now())


def abandon() -> int:
    """Mark the jobs a stopped server left under way as failed; how many there were."""
    return Job.objects.filter(state__in=(Job.WAITING, Job.RUNNING)).update(
        state=Job.FAILED,
        message=tr("the server stopped before the job was done"),
        finished=ops._now(),
    )
