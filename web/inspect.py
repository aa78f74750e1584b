"""The inspection group's pages: who is on duty now (phone-first), a spot check recorded from a
slot, the checks made so far, and the weekly ranking of the units (通报) with its printable
circular.

On duty and spot checks are the inspectors' and the office's; a unit contact gets 403 there. The
ranking is circulated to the whole system: every signed-in role may read it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from roster.errors import InputError
from roster.i18n import tr
from roster.model import hhmm
from web.access import allowed, role_of
from web.addresses import feed_address
from web.models import Profile
from workspace import inspection, ranking
from workspace.models import TableVersion
from workspace.operations import current_plan

WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_HOURS = 3


def _now(request: HttpRequest) -> datetime:
    """`?at=2022-06-15T07:40` (the campaign's local time) or the campaign's clock now; a bad
    value is said on the page and the clock used instead."""
    timezone = current_plan().settings.timezone
    text = request.GET.get("at", "").strip()
    if text:
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            messages.error(
                request, tr("not a date and time: {value} (such as 2022-06-15 07:40)", value=text)
            )
        else:
            if at.tzinfo is not None:
                at = at.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
            return at.replace(second=0, microsecond=0)
    return inspection.local_now(timezone).replace(second=0, microsecond=0)


def _hours(request: HttpRequest) -> float:
    text = request.GET.get("hours", "").strip()
    if not text:
        return DEFAULT_HOURS
    try:
        hours = float(text)
    except ValueError:
        hours = -1
    if not 0 <= hours <= inspection.MAX_HOURS:
        messages.error(
            request,
            tr(
                "hours ahead: {value} is not a number of hours from 0 to {most}",
                value=text,
                most=inspection.MAX_HOURS,
            ),
        )
        return DEFAULT_HOURS
    return hours


def _check_address(slot: inspection.DutySlot, at: str) -> str:
    query = {"date": slot.date.isoformat(), "start": slot.start, "duty": slot.duty}
    query |= {"area": slot.area} | ({"at": at} if at else {})
    return reverse("duty-check") + "?" + urlencode(query)


@allowed(Profile.OFFICE, Profile.INSPECTOR)
def duty(request: HttpRequest) -> HttpResponse:
    """The slots under way and those starting in the next hours, with each team and its leader's
    phone, narrowed by area or unit; the city feed to subscribe to."""
    if not TableVersion.objects.exists():
        return render(request, "web/duty.html", {"found": None})
    now = _now(request)
    hours = _hours(request)
    area, unit = request.GET.get("area", ""), request.GET.get("unit", "")
    found = inspection.on_duty(now, hours, area, unit)
    at = request.GET.get("at", "").strip()
    slots = [{"slot": s, "check": _check_address(s, at)} for s in found.slots]
    feed = inspection.city_feed()
    context: dict[str, Any] = {
        "found": found,
        "slots": slots,
        "area": area,
        "unit": unit,
        "at": at,
        "hours": f"{hours:g}",
        "window": tr(
            "Under way at {now} and starting until {until}",
            now=now.strftime("%Y-%m-%d %H:%M"),
            until=found.until.strftime("%Y-%m-%d %H:%M"),
        ),
        "feed": feed_address(request, feed.path, feed.url),
    }
    return render(request, "web/duty.html", context)


def _slot(request: HttpRequest) -> inspection.DutySlot:
    """The slot named by the address, as published; an unknown one is 404."""
    data = request.GET
    try:
        day = date.fromisoformat(data.get("date", ""))
        start = int(data.get("start", ""))
    except ValueError:
        raise Http404 from None
    slot = inspection.find_slot(day, start, data.get("duty", ""), data.get("area", ""))
    if slot is None:
        raise Http404
    return slot


@allowed(Profile.OFFICE, Profile.INSPECTOR)
def duty_check(request: HttpRequest) -> HttpResponse:
    """Record what was found at a slot: people present, the leader there or not, remarks."""
    slot = _slot(request)
    at = request.GET.get("at", "")
    back = reverse("duty") + (f"?at={quote(at, safe=':')}" if at else "")
    form = {"present": "", "leader": "", "remarks": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            present = inspection.people_present(form["present"])
            if form["leader"] not in ("yes", "no"):
                messages.error(request, tr("leader present: choose yes or no"))
            else:
                check = inspection.record_check(
                    slot,
                    present,
                    form["leader"] == "yes",
                    form["remarks"],
                    request.user.get_username(),
                )
                messages.success(request, _recorded(check))
                return redirect(back)
        except InputError as error:
            for p in error.problems:
                messages.error(request, " ".join(x for x in (p.message, p.expected) if x))
    context = {"slot": slot, "form": form, "back": back}
    return render(request, "web/duty_check.html", context)


def _recorded(check: Any) -> str:
    return tr(
        "Check recorded: {duty} at {area} ({unit}), {present} of {planned} present, "
        "{leader}; {verdict}.",
        duty=check.duty,
        area=check.area,
        unit=check.unit,
        present=check.present,
        planned=check.planned,
        leader=tr("leader present") if check.leader_present else tr("leader absent"),
        verdict=tr("passed") if check.passed else tr("failed"),
    )


@allowed(Profile.OFFICE, Profile.INSPECTOR)
def checks(request: HttpRequest) -> HttpResponse:
    """The spot checks, newest first: the office sees all, an inspector their own."""
    role, _ = role_of(request)
    mine = None if role == Profile.OFFICE else request.user.get_username()
    lines = [
        {
            "check": c,
            "when": f"{c.date} {hhmm(c.start)}–{hhmm(c.end)}",
            "at": c.checked_at.astimezone(ZoneInfo(current_plan().settings.timezone)).strftime(
                "%Y-%m-%d %H:%M"
            ),
        }
        for c in inspection.checks(mine)
    ]
    return render(request, "web/checks.html", {"lines": lines, "office": mine is None})


def _week(request: HttpRequest) -> date | None:
    text = request.GET.get("week", "").strip()
    if not text:
        return ranking.latest_week(date.today())
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@allowed(Profile.OFFICE, Profile.UNIT, Profile.INSPECTOR)
def ranking_page(request: HttpRequest) -> HttpResponse:
    """The week's ranking of the units, with how each column is computed, and its circular."""
    if not TableVersion.objects.exists():
        return render(request, "web/ranking.html", {"found": None})
    day = _week(request)
    found = ranking.week_ranking(day) if day else None
    if day and found is None:
        messages.error(request, tr("The week of {day} has not been published.", day=day))
    weeks = [(w.isoformat(), w + timedelta(days=6)) for w in ranking.ranked_weeks()]
    context: dict[str, Any] = {
        "found": found,
        "weeks": weeks,
        "chosen": found.monday.isoformat() if found else "",
        "title": ranking.title(current_plan().settings.name),
        "period": ranking.period(found) if found else "",
        "notes": [tr(n) for n in ranking.NOTES],
    }
    return render(request, "web/ranking.html", context)


@allowed(Profile.OFFICE, Profile.UNIT, Profile.INSPECTOR)
def ranking_report(request: HttpRequest) -> HttpResponse:
    """The week's ranking as a printable circular (xlsx)."""
    day = _week(request)
    found = ranking.week_ranking(day) if day else None
    if found is None:
        raise Http404
    content = ranking.circular(found, current_plan().settings.name)
    name = tr("ranking-{monday}.xlsx", monday=found.monday.isoformat())
    response = HttpResponse(content, content_type=WORKBOOK)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


urlpatterns = [
    path("duty/", duty, name="duty"),
    path("duty/check/", duty_check, name="duty-check"),
    path("checks/", checks, name="checks"),
    path("ranking/", ranking_page, name="ranking"),
    path("ranking/report.xlsx", ranking_report, name="ranking-report"),
]
