"""The office's pages. Views read the workspace and render; they compute nothing themselves."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from roster.days import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from roster.i18n import CHINESE, language, ntr, tr
from roster.model import hhmm
from web.access import role_of, unit_visible
from web.addresses import feed_address
from web.middleware import CHOICES, COOKIE
from web.models import Profile
from workspace import drafts, ranking
from workspace.handouts import unit_feeds
from workspace.models import TableVersion
from workspace.operations import current_plan, latest


class Login(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """This week and next: staffed slots, each gap with its reason, leave, the last publish and
    whom the waiting draft would change. A unit contact sees their own unit's part."""
    role, unit = role_of(request)
    if TableVersion.objects.exists():
        mine = unit if role == Profile.UNIT else ""
        weeks = [drafts.overview(m, mine) for m in drafts.dashboard_weeks(date.today())]
        units = [] if mine else sorted({u.name for u in current_plan().units})
    else:
        weeks, units = [], []
    cards = [
        {"week": w, "title": _title(w), "summary": _summary(w), "draft": _draft(w)} for w in weeks
    ]
    context = {"cards": cards, "units": units, "ranking": _ranking() if weeks else None}
    return render(request, "web/dashboard.html", context)


def _ranking() -> dict[str, object] | None:
    """The latest week's ranking of the units: its first three and last three."""
    monday = ranking.latest_week(date.today())
    found = ranking.week_ranking(monday) if monday else None
    if found is None or not found.results:
        return None
    top, bottom = ranking.top_and_bottom(found.results)
    return {"period": ranking.period(found), "week": found.monday, "top": top, "bottom": bottom}


def _title(w: drafts.WeekOverview) -> str:
    return tr("The week of {first} to {last}", first=w.monday, last=w.sunday)


def _summary(w: drafts.WeekOverview) -> str:
    """One line: who published which version when, and how the week is staffed."""
    if not (w.published or w.draft):
        return ""
    published = (
        tr(
            "version {number} published by {who} at {when}",
            number=w.published.number,
            who=w.published.made_by,
            when=localtime(w.published.made_at).strftime("%Y-%m-%d %H:%M"),  # the campaign's zone
        )
        if w.published
        else tr("not published yet")
    )
    staffed = tr(
        "{slots} slots with people, {rows} assignments, {gaps} gaps",
        slots=w.slots,
        rows=w.seats,
        gaps=len(w.gaps),
    )
    return tr("{first}. {second}.", first=published, second=staffed)


def _draft(w: drafts.WeekOverview) -> str:
    if not w.draft:
        return ""
    return ntr(
        "a draft is waiting: it changes {n} person's duties",
        "a draft is waiting: it changes {n} people's duties",
        w.draft_changes,
    )


@login_required
def unit_roster(request: HttpRequest, name: str) -> HttpResponse:
    """One unit's roster of the week published last; another unit's contact is refused."""
    unit_visible(request, name)
    if name not in {u.name for u in current_plan().units}:
        raise Http404
    version = drafts.published_last()
    if request.GET.get("week"):  # any date of a published week
        try:
            day = date.fromisoformat(request.GET["week"])
        except ValueError:
            raise Http404 from None
        version = latest(day - timedelta(days=day.weekday()))
    rows = version.rows.filter(unit=name).order_by("date", "start", "area") if version else []
    names = WEEKDAY_NAMES_ZH if language() == CHINESE else WEEKDAY_NAMES_EN
    lines = [
        (
            f"{r.date} {names[r.date.weekday()]} {hhmm(r.start)}–{hhmm(r.end)}",
            r.duty,
            r.area,
            r.volunteer_name,
            r.leader,
        )
        for r in rows
    ]
    feed = next((x for x in unit_feeds() if x.unit == name), None)
    subscribe = feed_address(request, feed.path, feed.url) if feed else None
    title = (
        tr(
            "week of {first} to {last}, version {number}",
            first=version.monday,
            last=version.monday + timedelta(days=6),
            number=version.number,
        )
        if version
        else tr("That week has not been published.")
        if request.GET.get("week")
        else tr("No week has been published yet.")
    )
    context = {
        "name": name,
        "lines": lines,
        "version": version,
        "subscribe": subscribe,
        "title": title,
    }
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
