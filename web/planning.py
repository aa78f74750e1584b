"""Plan a week, fix it, publish it: the office's pages over `workspace.drafts` and `workspace.jobs`.

The solve runs in a background job; its page follows the job unit by unit. The draft is shown as a
grid (areas down, days across); a seat links to who could take it instead, with the roster
checker's reasons for the others. Publishing shows whom the change concerns first, then every
notice to send.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from roster.days import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from roster.errors import InputError
from roster.i18n import CHINESE, language, tr
from roster.model import hhmm
from web.access import office_only
from web.addresses import feed_address
from workspace import config, drafts, jobs, notices
from workspace import operations as ops
from workspace.models import Job, WeekVersion


def _monday(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
    return day - timedelta(days=day.weekday())


def _problems(request: HttpRequest, error: InputError) -> None:
    for p in error.problems:
        messages.error(request, " ".join(x for x in (p.message, p.expected) if x))


@office_only
def weeks(request: HttpRequest) -> HttpResponse:
    """Choose a week to plan; the weeks drafted or published so far."""
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("week", ""))
        except ValueError:
            messages.error(request, tr("a date such as 2022-06-15"))
            return redirect("week")
        try:
            job = jobs.start_plan(config.folder(), day)
        except InputError as error:
            _problems(request, error)
            return redirect("week")
        return redirect(reverse("week-grid", args=[job.monday.isoformat()]) + f"?job={job.pk}")
    plan = ops.current_plan()
    today = date.today()
    suggested = min(max(today, plan.settings.start), plan.settings.end)
    published = drafts.published_last()
    if published is not None:  # the week after the one published last
        suggested = min(published.monday + timedelta(days=7), plan.settings.end)
    versions = WeekVersion.objects.order_by("-monday", "number")
    by_week: dict[date, list[WeekVersion]] = {}
    for v in versions:
        by_week.setdefault(v.monday, []).append(v)
    listed = [
        {
            "monday": monday,
            "draft": any(v.number == WeekVersion.DRAFT for v in vs),
            "published": max((v.number for v in vs), default=0),
        }
        for monday, vs in by_week.items()
    ]
    return render(
        request,
        "web/weeks.html",
        {
            "suggested": suggested,
            "weeks": listed,
            "job": jobs.busy(),
            "plan": plan,
            "period": tr(
                "The campaign runs from {start} to {end}.",
                start=plan.settings.start,
                end=plan.settings.end,
            ),
        },
    )


@office_only
def job_state(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress, for the page that waits for it."""
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    return JsonResponse(
        {
            "state": job.state,
            "done": job.done,
            "total": job.total,
            "units": job.units,
            "message": job.message,
        }
    )


def _day_labels(days: tuple[date, ...]) -> list[str]:
    names = WEEKDAY_NAMES_ZH if language() == CHINESE else WEEKDAY_NAMES_EN
    return [f"{names[d.weekday()]} {d.month}/{d.day}" for d in days]


@office_only
def week_grid(request: HttpRequest, monday: str) -> HttpResponse:
    """The week's draft (or, with none, its latest published version) as a grid."""
    week = _monday(monday)
    job = Job.objects.filter(pk=request.GET.get("job") or 0, monday=week).first()
    if job is not None and job.state in (Job.WAITING, Job.RUNNING):
        return render(request, "web/week_job.html", {"job": job, "monday": week})
    version = drafts.week_version(week)
    heading = tr("The week of {first} to {last}", first=week, last=week + timedelta(days=6))
    s = ops.current_plan().settings
    outside = version is None and (week + timedelta(days=6) < s.start or week > s.end)
    context: dict[str, Any] = {
        "monday": week,
        "job": job,
        "version": version,
        "heading": heading,
        "outside": tr(
            "This week is outside the campaign ({start} to {end}): nothing to plan.",
            start=s.start,
            end=s.end,
        )
        if outside
        else "",
    }
    if version is not None:
        unit = request.GET.get("unit", "")
        shown = drafts.grid(version, unit)
        context.update(
            grid=shown,
            unit=unit,
            units=sorted(set(version.rows.values_list("unit", flat=True))),
            labels=_day_labels(shown.days),
            draft=version.number == WeekVersion.DRAFT,
            published=ops.latest(week),
            status=_status(version, shown),
        )
    return render(request, "web/week.html", context)


def _status(version: WeekVersion, shown: drafts.Grid) -> str:
    if version.number == WeekVersion.DRAFT:
        return tr(
            "Draft, not published yet: {gaps} gaps, {locks} locked seats.",
            gaps=shown.gaps,
            locks=shown.locks,
        )
    return tr("Published version {number}: {gaps} gaps.", number=version.number, gaps=shown.gaps)


@office_only
def seat(request: HttpRequest, monday: str) -> HttpResponse:
    """Who could take this seat instead of its holder; the checker's reason for everyone else."""
    week = _monday(monday)
    key, person = request.GET.get("slot", ""), request.GET.get("person", "")
    try:
        row, found = drafts.seat_candidates(config.folder(), week, key, person)
    except InputError as error:
        _problems(request, error)
        return redirect("week-grid", monday=week.isoformat())
    locked = drafts.is_locked(week, row)
    return render(
        request,
        "web/seat.html",
        {
            "monday": week,
            "row": row,
            "when": f"{row.date} {hhmm(row.start)}–{hhmm(row.end)}",
            "able": [(c, _hours(c.minutes)) for c in found if not c.reasons],
            "unable": [c for c in found if c.reasons],
            "locked": locked,
        },
    )


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


@office_only
@require_POST
def replace_seat(request: HttpRequest, monday: str) -> HttpResponse:
    week = _monday(monday)
    key, person, taking = (request.POST.get(k, "") for k in ("slot", "person", "taking"))
    try:
        new = drafts.replace_person(config.folder(), week, key, person, taking)
    except InputError as error:
        _problems(request, error)
        return redirect(
            reverse("week-seat", args=[week.isoformat()])
            + f"?slot={quote(key)}&person={quote(person)}"
        )
    when = f"{new.date} {hhmm(new.start)}–{hhmm(new.end)}"
    messages.success(
        request,
        tr(
            "{name} takes the seat {when} {area} (locked: the next draft keeps it)",
            name=new.volunteer_name,
            when=when,
            area=new.area,
        ),
    )
    return redirect(reverse("week-grid", args=[week.isoformat()]) + f"?unit={quote(new.unit)}")


@office_only
@require_POST
def lock_seat(request: HttpRequest, monday: str) -> HttpResponse:
    week = _monday(monday)
    key, person = request.POST.get("slot", ""), request.POST.get("person", "")
    locked = request.POST.get("locked") == "1"
    try:
        drafts.set_lock(week, key, person, locked)
    except InputError as error:
        _problems(request, error)
    return redirect(
        reverse("week-seat", args=[week.isoformat()]) + f"?slot={quote(key)}&person={quote(person)}"
    )


@office_only
def publish(request: HttpRequest, monday: str) -> HttpResponse:
    """What publishing the draft would change and whom it concerns; confirm to publish."""
    week = _monday(monday)
    if request.method == "POST":
        if not WeekVersion.objects.filter(monday=week, number=WeekVersion.DRAFT).exists():
            return _published_already(request, week)
        try:
            done = ops.publish_week(config.folder(), week)
        except InputError as error:
            _problems(request, error)
            return redirect("week-publish", monday=week.isoformat())
        if done.same:
            messages.info(request, tr("the draft is the published version: nothing to publish"))
        else:
            messages.success(
                request,
                tr("version {number} published; tell these people", number=done.number),
            )
        return redirect("week-notices", monday=week.isoformat())
    if not WeekVersion.objects.filter(monday=week, number=WeekVersion.DRAFT).exists():
        return _published_already(request, week)
    try:
        preview = drafts.publish_preview(config.folder(), week)
    except InputError as error:
        _problems(request, error)
        return redirect("week-grid", monday=week.isoformat())
    people = [
        (c, [notices.duty(r) for r in c.added], [notices.duty(r) for r in c.removed])
        for c in preview.changes
    ]
    summary = tr(
        "{rows} assignments, {gaps} gaps. Published before: {published}.",
        rows=preview.rows,
        gaps=preview.gaps,
        published=tr("version {number}", number=preview.published)
        if preview.published
        else tr("never"),
    )
    return render(
        request,
        "web/publish.html",
        {
            "monday": week,
            "preview": preview,
            "people": people,
            "summary": summary,
            "whom": tr("Whom to tell ({n})", n=len(people)),
        },
    )


def _published_already(request: HttpRequest, week: date) -> HttpResponse:
    """No draft to publish (published from another tab, or the back button): say what is."""
    latest = ops.latest(week)
    if latest is None:
        messages.info(request, tr("This week has no draft to publish: draft it first."))
        return redirect("week-grid", monday=week.isoformat())
    messages.info(
        request,
        tr(
            "This week has no draft waiting: version {number} was published by {who}.",
            number=latest.number,
            who=latest.made_by,
        ),
    )
    return redirect("week-notices", monday=week.isoformat())


@office_only
def week_notices(request: HttpRequest, monday: str) -> HttpResponse:
    """Every notice of the week's last publish: to copy one by one, or to download at once."""
    week = _monday(monday)
    try:
        version, changes = ops.week_changes(week)
    except InputError as error:
        _problems(request, error)
        return redirect("week-grid", monday=week.isoformat())
    people = _with_links(request, changes)
    if request.GET.get("download") == "xlsx":
        table = [
            (*row[:-1], text) for row, (_, text) in zip(notices.cells(changes), people, strict=True)
        ]
        data = notices.workbook(table)
        name = tr("notices {monday} version {number}.xlsx", monday=week, number=version.number)
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="notices-{week}-v{version.number}.xlsx"; '
            f"filename*=UTF-8''{quote(name)}"
        )
        return response
    heading = tr(
        "Notices of the week of {monday}, version {number}", monday=week, number=version.number
    )
    return render(
        request,
        "web/notices.html",
        {"monday": week, "version": version, "people": people, "heading": heading},
    )


def _with_links(request: HttpRequest, changes: Any) -> list[tuple[Any, str]]:
    """Each notice with the person's own calendar link at its end (the notice says to look
    there), made from the address this page was opened at."""
    feeds = {x.volunteer_id: x for x in ops.links() if x.kind == "volunteer"}
    out = []
    for c in changes:
        link = feeds.get(c.volunteer_id)
        if link is None:
            out.append((c, c.notice))
            continue
        address = feed_address(request, link.path, link.url)
        out.append((c, tr("{notice} Link: {link}", notice=c.notice, link=address.web)))
    return out


urlpatterns = [
    path("week/", weeks, name="week"),
    path("jobs/<int:pk>/", job_state, name="job"),
    path("week/<str:monday>/", week_grid, name="week-grid"),
    path("week/<str:monday>/seat/", seat, name="week-seat"),
    path("week/<str:monday>/replace/", replace_seat, name="week-replace"),
    path("week/<str:monday>/lock/", lock_seat, name="week-lock"),
    path("week/<str:monday>/publish/", publish, name="week-publish"),
    path("week/<str:monday>/notices/", week_notices, name="week-notices"),
]
