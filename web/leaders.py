"""The leaders' sign-in sheet (`/me/<token>/sign-in/?slot=`, no password: the volunteer's own page
secret), the service hours (`/hours/`) and the report for the volunteer app
(`/hours/report.xlsx`), over `workspace.attendance`.

The sheet answers 404 for an unknown token or a slot no published roster has, 403 for a slot the
volunteer does not lead; outside its window it shows when it opens or closed and refuses saving.
The office sees every unit's hours and asks the planner to prefer who is behind; a unit contact
sees their own unit's. `?at=` chooses the moment taken for "now" (a past campaign, the tests).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from roster.errors import InputError
from roster.i18n import tr
from roster.model import hhmm
from web.access import allowed, office_only, role_of, unit_visible
from web.models import Profile
from workspace import attendance, personal
from workspace import operations as ops
from workspace.models import Attendance

WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problems(request: HttpRequest, error: InputError) -> None:
    for p in error.problems:
        messages.error(request, str(p))


def _at(request: HttpRequest) -> str:
    return request.POST.get("at") or request.GET.get("at") or ""


def _clock(minutes: int | None) -> str:
    return "" if minutes is None else hhmm(minutes)


# The sign-in sheet -----------------------------------------------------------------------------


def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """The team of a slot the volunteer leads, to mark present, late or absent, with walk-ins."""
    person = personal.volunteer_of(token)
    if person is None:
        raise Http404
    sheet = attendance.find_sheet(request.GET.get("slot", ""))
    if sheet is None:
        raise Http404
    if person.id not in sheet.leaders:
        raise PermissionDenied
    plan = ops.current_plan()
    at = _at(request)
    now = personal.local_now(plan, at)
    status = 200
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            marks = attendance.read_marks(sheet, form)
            with ops.acting(f"{person.name}（{person.id}）"):
                attendance.record(sheet, marks, person.id, now)
        except InputError as error:
            _problems(request, error)
            status = 400 if sheet.window(now) == "open" else 403
        else:
            credited = sum(attendance.credited(sheet.start, sheet.end, m.state, m.arrived, m.left)
                           for m in marks)  # fmt: skip
            messages.success(
                request,
                tr(
                    "Saved: {people} people, {hours} hours credited.",
                    people=len(marks),
                    hours=f"{credited / 60:.2f}",
                ),
            )
            query = urlencode({"slot": sheet.key, **({"at": at} if at else {})})
            return redirect(reverse("sign-in", args=[token]) + "?" + query)
    return render(request, "web/sign_in.html", _sheet_context(sheet, form, now, at), status=status)


def _sheet_context(
    sheet: attendance.Sheet, form: dict[str, str], now: Any, at: str
) -> dict[str, Any]:
    """The sheet's lines as the form shows them: what was posted, else what was recorded."""
    team = []
    for m in sheet.team:
        r = m.record
        vid = m.volunteer_id
        team.append(
            {
                "id": vid,
                "name": m.name,
                "leader": m.leader,
                "on_leave": m.on_leave,
                "state": form.get(f"state-{vid}", r.state if r else Attendance.PRESENT),
                "arrived": form.get(f"arrived-{vid}", _clock(r.arrived) if r else ""),
                "left": form.get(f"left-{vid}", _clock(r.left) if r else ""),
                "credited": f"{r.credited / 60:.2f}" if r else "",
            }
        )
    walk_ins = []
    recorded = list(sheet.walk_ins)
    for n in range(len(recorded) + attendance.WALK_IN_ROWS):
        r = recorded[n] if n < len(recorded) else None
        walk_ins.append(
            {
                "n": n,
                "id": form.get(f"walkin-{n}", r.volunteer_id if r else ""),
                "for": form.get(f"walkin-{n}-for", r.stands_for if r else ""),
                "arrived": form.get(f"walkin-{n}-arrived", _clock(r.arrived) if r else ""),
                "left": form.get(f"walkin-{n}-left", _clock(r.left) if r else ""),
            }
        )
    window = sheet.window(now)
    return {
        "sheet": sheet,
        "team": team,
        "walk_ins": walk_ins,
        "others": sheet.others,
        "open": window == "open",
        "window": attendance.window_text(sheet, now),
        "recorded": any(m.record for m in sheet.team) or bool(recorded),
        "at": at,
        "states": [
            (Attendance.PRESENT, tr("Present")),
            (Attendance.LATE, tr("Late")),
            (Attendance.ABSENT, tr("Absent")),
        ],
    }


# Service hours ---------------------------------------------------------------------------------


def _unit_of(request: HttpRequest) -> str:
    """The unit whose hours are shown: a unit contact's own; the office's choice ('' all)."""
    role, mine = role_of(request)
    asked = request.GET.get("unit", "").strip()
    if role == Profile.UNIT:
        if asked and asked != mine:
            unit_visible(request, asked)
        return mine
    if asked and asked not in {u.name for u in ops.current_plan().units}:
        raise Http404
    return asked


def _day(text: str, fallback: date) -> date | None:
    if not text:
        return fallback
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@allowed(Profile.OFFICE, Profile.UNIT)
def hours(request: HttpRequest) -> HttpResponse:
    """Planned and credited hours per volunteer over a period; who is behind the yearly target."""
    unit = _unit_of(request)
    plan = ops.current_plan()
    s = plan.settings
    today = personal.local_now(plan, _at(request)).date()
    today = min(max(today, s.start), s.end)
    day = _day(request.GET.get("day", ""), today)
    if day is None:
        messages.error(request, tr("a date such as 2022-06-15"))
        day = today
    kind = request.GET.get("period", attendance.WEEK)
    period = attendance.period_of(kind, day, plan)
    rows = attendance.hours(period.first, period.last, unit)
    behind = attendance.behind_target(day, unit)
    office = role_of(request)[0] == Profile.OFFICE
    target = s.yearly_target_hours
    report = {"from": period.first.isoformat(), "to": period.last.isoformat(), "unit": unit}
    context: dict[str, Any] = {
        "unit": unit,
        "units": [u.name for u in plan.units] if office else [],
        "office": office,
        "day": day.isoformat(),
        "kind": period.kind,
        "periods": [
            (attendance.WEEK, tr("The week")),
            (attendance.MONTH, tr("The month")),
            (attendance.CAMPAIGN, tr("The campaign")),
            (attendance.YEAR, tr("The calendar year")),
        ],
        "title": tr("Service hours, {period}", period=period.label),
        "rows": rows,
        "planned": round(sum(r.planned for r in rows) / 60, 2),
        "credited": round(sum(r.credited for r in rows) / 60, 2),
        "target": f"{target:g}",
        "target_line": (
            tr(
                "Yearly target: {hours} hours per volunteer; by {day} that is {expected} hours "
                "(the target × the days of {year} so far ÷ the days of {year}).",
                hours=f"{target:g}",
                day=day,
                expected=f"{attendance.expected_minutes(target, day) / 60:.2f}".rstrip("0").rstrip(
                    "."
                ),
                year=day.year,
            )
            if target
            else tr("The campaign sets no yearly target (服务时长目标): nobody is behind.")
        ),
        "behind": behind,
        "behind_count": tr("{n} volunteers behind the target.", n=len(behind or [])),
        "preferences": attendance.preferences(unit),
        "until": min(day + timedelta(weeks=4), s.end).isoformat(),
        "report": "?" + urlencode(report),
        "back": "?" + request.GET.urlencode() if request.GET else "",
    }
    return render(request, "web/hours.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the hours page the form was sent from."""
    back = request.POST.get("back", "")
    if not back.startswith("?") or "//" in back:
        back = ""
    return redirect(reverse("hours") + back)


@require_POST
@office_only
def prefer(request: HttpRequest) -> HttpResponse:
    """The office asks the planner to prefer the volunteers ticked in the weeks to come."""
    until = _day(request.POST.get("until", ""), date.min)
    if until in (None, date.min):
        messages.error(request, tr("a date such as 2022-06-15"))
        return _back(request)
    assert until is not None
    try:
        n = attendance.prefer(request.POST.getlist("volunteer"), until)
    except InputError as error:
        _problems(request, error)
    else:
        messages.success(
            request,
            tr(
                "{n} volunteers preferred in the drafts up to the week of {until}; plan those "
                "weeks (again) for it to take effect.",
                n=n,
                until=until,
            ),
        )
    return _back(request)


@require_POST
@office_only
def unprefer(request: HttpRequest) -> HttpResponse:
    """A preference removed: the next drafts count the volunteer's hours as for anyone."""
    attendance.unprefer(request.POST.get("volunteer", ""))
    return _back(request)


def _from_to(request: HttpRequest) -> tuple[date, date] | None:
    """The report's `?from=&to=`, both dates and in order; None otherwise."""
    try:
        first = date.fromisoformat(request.GET.get("from", ""))
        last = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return None
    return (first, last) if first <= last else None


@allowed(Profile.OFFICE, Profile.UNIT)
def report(request: HttpRequest) -> HttpResponse:
    """The report for the volunteer app (报备) as xlsx: `?from=&to=` (dates), `&unit=`."""
    unit = _unit_of(request)
    asked = _from_to(request)
    if asked is None:
        messages.error(
            request, tr("The report needs its period: from and to, dates such as 2022-06-13.")
        )
        return redirect("hours")
    first, last = asked
    book = attendance.report_workbook(attendance.report_rows(first, last, unit))
    name = tr("service report {first} to {last}", first=first, last=last)
    if unit:
        name = f"{unit} {name}"
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", f"report-{first}-{last}") + ".xlsx"
    response = HttpResponse(book, content_type=WORKBOOK)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name + '.xlsx', safe='')}"
    )
    return response


urlpatterns = [
    path("me/<str:token>/sign-in/", sign_in, name="sign-in"),
    path("hours/", hours, name="hours"),
    path("hours/prefer/", prefer, name="hours-prefer"),
    path("hours/prefer/remove/", unprefer, name="hours-unprefer"),
    path("hours/report.xlsx", report, name="hours-report"),
]
