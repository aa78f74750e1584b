"""The office's pages. Views read the workspace and render; they compute nothing themselves."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from roster.i18n import tr
from roster.model import hhmm
from web.access import role_of, unit_visible
from web.addresses import feed_address
from web.middleware import CHOICES, COOKIE
from web.models import Profile
from workspace.handouts import unit_feeds
from workspace.models import LeaveEntry, WeekVersion


class Login(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def _published_last() -> WeekVersion | None:
    return WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).order_by("-made_at").first()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The week published last: slots staffed, gaps with their reasons, leave, the draft."""
    role, unit = role_of(request)
    version = _published_last()
    context: dict[str, Any] = {"role": role, "unit": unit, "version": version}
    if version is not None:
        rows = version.rows.all()
        gaps = version.gaps.all()
        if role == Profile.UNIT:
            rows, gaps = rows.filter(unit=unit), gaps.filter(unit=unit)
        slots = Counter((r.date, r.start, r.area) for r in rows)
        sunday = version.monday + timedelta(days=6)
        draft = WeekVersion.objects.filter(monday=version.monday, number=WeekVersion.DRAFT).first()
        context.update(
            title=tr(
                "week of {first} to {last}, version {number}",
                first=version.monday,
                last=sunday,
                number=version.number,
            ),
            published=tr(
                "published by {who} at {when}",
                who=version.made_by,
                when=version.made_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            ),
            staffed=tr(
                "{slots} slots with people, {rows} assignments, {gaps} gaps",
                slots=len(slots),
                rows=len(rows),
                gaps=len(gaps),
            ),
            gaps=[
                (f"{g.date} {hhmm(g.start)}–{hhmm(g.end)}", g.area, g.unit, g.reason) for g in gaps
            ],
            leave=list(
                LeaveEntry.objects.filter(start__lte=sunday, end__gte=version.monday).order_by(
                    "start"
                )
            ),
            draft=draft,
            units=sorted(set(version.rows.values_list("unit", flat=True))),
        )
    return render(request, "web/dashboard.html", context)


@login_required
def unit_roster(request: HttpRequest, name: str) -> HttpResponse:
    """One unit's roster of the week published last; another unit's contact is refused."""
    unit_visible(request, name)
    version = _published_last()
    rows = version.rows.filter(unit=name).order_by("date", "start", "area") if version else []
    lines = [
        (f"{r.date} {hhmm(r.start)}–{hhmm(r.end)}", r.duty, r.area, r.volunteer_name, r.leader)
        for r in rows
    ]
    feed = next((x for x in unit_feeds() if x.unit == name), None)
    subscribe = feed_address(request, feed.path, feed.url) if feed else None
    context = {"name": name, "lines": lines, "version": version, "subscribe": subscribe}
    return render(request, "web/unit.html", context)


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switch in every page's header: remembered for a year, back to the page."""
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    response = HttpResponseRedirect(back)
    code = request.POST.get("language", "")
    if code in CHOICES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
