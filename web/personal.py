"""A volunteer's own page (`/me/<token>/`, no password), what they ask for on it, and the office's
page of requests (`/requests/`).

The token is looked up once per request; an unknown or rotated one gets the same 404 as any other
address. Every form is a POST with CSRF (Django's works without a login) that redirects back to the
page, `?at=` (the moment the page takes for "now", to show a past campaign) carried along.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from roster.days import WEEKDAY_NAMES_EN, WEEKDAY_NAMES_ZH
from roster.errors import InputError
from roster.i18n import CHINESE, language, tr
from roster.model import Volunteer, hhmm
from web.access import allowed, office_only, role_of, unit_visible
from web.addresses import feed_address
from web.downloads import qr_code
from web.models import Profile
from workspace import config, personal
from workspace import operations as ops
from workspace.models import FeedToken, Job, LeaveRequest, SwapRequest


def _leave_state(x: LeaveRequest) -> str:
    return {
        LeaveRequest.ASKED: tr("waiting for the office"),
        LeaveRequest.APPROVED: tr("approved"),
        LeaveRequest.DECLINED: tr("declined"),
        LeaveRequest.WITHDRAWN: tr("withdrawn"),
    }[x.state]


def _swap_state(x: SwapRequest) -> str:
    return {
        SwapRequest.ASKED: tr("waiting for the colleague"),
        SwapRequest.ACCEPTED: tr("accepted, waiting for the office"),
        SwapRequest.DECLINED: tr("the colleague declined"),
        SwapRequest.CONFIRMED: tr("confirmed: in the next publish"),
        SwapRequest.REFUSED: tr("refused by the office"),
        SwapRequest.WITHDRAWN: tr("withdrawn"),
    }[x.state]


def _person(token: str) -> Volunteer:
    found = personal.volunteer_of(token)
    if found is None:
        raise Http404
    return found


def _at(request: HttpRequest) -> str:
    return request.POST.get("at") or request.GET.get("at") or ""


def _back(request: HttpRequest, token: str) -> HttpResponse:
    at = _at(request)
    return redirect(reverse("me", args=[token]) + (f"?{urlencode({'at': at})}" if at else ""))


def _problems(request: HttpRequest, error: InputError) -> None:
    for p in error.problems:
        messages.error(request, " ".join(x for x in (p.message, p.expected) if x))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _when(x: SwapRequest) -> str:
    return f"{x.date} {hhmm(x.start)}–{hhmm(x.end)}"


def me(request: HttpRequest, token: str) -> HttpResponse:
    """The volunteer's next duties, calendar, leave and swaps, on a phone."""
    person = _person(token)
    plan = ops.current_plan()
    now = personal.local_now(plan, _at(request))
    people = {v.id: v.name for v in plan.volunteers}
    swaps = personal.swaps_of(person.id)
    open_by_seat = {
        (personal.swap_key(s), s.giver): s for s in swaps if s.state in personal.OPEN_SWAPS
    }
    days = WEEKDAY_NAMES_ZH if language() == CHINESE else WEEKDAY_NAMES_EN
    duties = []
    for d in personal.duties(person.id, now):
        asked = open_by_seat.get((d.key, person.id))
        duties.append(
            {
                "duty": d,
                "day": days[d.row.date.weekday()],
                "asked": asked,
                "asked_text": tr(
                    "asked {name}: {state}",
                    name=people.get(asked.taker, asked.taker),
                    state=_swap_state(asked),
                )
                if asked
                else "",
                "sign_in": f"{reverse('me', args=[token])}sign-in/?slot={quote(d.key)}"
                if d.leads
                else "",
                "swap": f"{reverse('me-swap', args=[token])}?"
                + urlencode({"week": d.monday.isoformat(), "slot": d.key, "at": _at(request)}),
            }
        )
    feed = next(
        x for x in ops.links() if x.kind == FeedToken.VOLUNTEER and x.volunteer_id == person.id
    )
    address = feed_address(request, feed.path, feed.url)
    asked_of_me = [
        {"swap": s, "when": _when(s), "giver": people.get(s.giver, s.giver)}
        for s in swaps
        if s.taker == person.id and s.state == SwapRequest.ASKED
    ]
    mine = [
        {
            "swap": s,
            "when": _when(s),
            "taker": people.get(s.taker, s.taker),
            "state": _swap_state(s),
            "open": s.state in personal.OPEN_SWAPS,
        }
        for s in swaps
        if s.giver == person.id
    ]
    taken = [
        {
            "swap": s,
            "when": _when(s),
            "giver": people.get(s.giver, s.giver),
            "state": _swap_state(s),
        }
        for s in swaps
        if s.taker == person.id and s.state != SwapRequest.ASKED
    ]
    leave = [(x, _leave_state(x)) for x in personal.leave_asked(person.id)]
    context: dict[str, Any] = {
        "token": token,
        "person": person,
        "title": tr("{name}'s duties", name=person.name),
        "now": now,
        "at": _at(request),
        "duties": duties,
        "address": address,
        "qr": qr_code(address.webcal),
        "leave": leave,
        "asked_of_me": asked_of_me,
        "mine": mine,
        "taken": taken,
        "today": now.date().isoformat(),
    }
    return render(request, "web/me.html", context)


@require_POST
def me_leave(request: HttpRequest, token: str) -> HttpResponse:
    """Leave asked for: dates and reason."""
    person = _person(token)
    now = personal.local_now(ops.current_plan(), _at(request))
    first, last = _date(request.POST.get("start", "")), _date(request.POST.get("end", ""))
    if first is None or last is None:
        messages.error(request, tr("a date such as 2022-06-15"))
        return _back(request, token)
    try:
        personal.ask_leave(person.id, first, last, request.POST.get("reason", ""), now.date())
    except InputError as error:
        _problems(request, error)
    else:
        messages.success(request, tr("asked; the office will answer on this page"))
    return _back(request, token)


@require_POST
def me_leave_withdraw(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    return _withdraw(request, token, pk, personal.withdraw_leave)


def _withdraw(
    request: HttpRequest, token: str, pk: int, withdraw: Callable[[str, int], object]
) -> HttpResponse:
    """Withdraw one of the person's own open requests (leave or swap)."""
    person = _person(token)
    try:
        withdraw(person.id, pk)
    except InputError as error:
        _problems(request, error)
    else:
        messages.success(request, tr("request withdrawn"))
    return _back(request, token)


def me_swap(request: HttpRequest, token: str) -> HttpResponse:
    """Ask a colleague to take a duty: only those the roster checker allows are offered."""
    person = _person(token)
    plan = ops.current_plan()
    now = personal.local_now(plan, _at(request))
    data = request.POST if request.method == "POST" else request.GET
    monday, key = _date(data.get("week", "")), data.get("slot", "")
    if monday is None:
        raise Http404
    try:
        if request.method == "POST":
            with ops.acting(f"{person.name}（{person.id}）"):
                personal.ask_swap(person.id, monday, key, data.get("taker", ""), now)
            messages.success(request, tr("asked; your colleague answers on their own page"))
            return _back(request, token)
        seat = personal.published_seat(person.id, monday, key, now)
        able = personal.colleagues(person.id, monday, key, now)
    except InputError as error:
        _problems(request, error)
        return _back(request, token)
    context = {
        "token": token,
        "person": person,
        "at": _at(request),
        "monday": monday.isoformat(),
        "key": key,
        "when": f"{seat.date} {hhmm(seat.start)}–{hhmm(seat.end)}",
        "seat": seat,
        "able": able,
        "title": tr("Ask a colleague to take a duty"),
    }
    return render(request, "web/me_swap.html", context)


@require_POST
def me_swap_answer(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The colleague accepts or declines."""
    person = _person(token)
    accept = request.POST.get("answer") == "accept"
    try:
        with ops.acting(f"{person.name}（{person.id}）"):
            answered = personal.answer_swap(config.folder(), person.id, pk, accept)
    except InputError as error:
        _problems(request, error)
        return _back(request, token)
    if answered.problem:
        messages.error(
            request,
            tr("accepted, but the swap cannot go in: {reason}", reason=answered.problem),
        )
    elif answered.swap.state == SwapRequest.CONFIRMED:
        messages.success(request, tr("accepted: the duty is yours from the next publish"))
    elif accept:
        messages.success(request, tr("accepted; the office confirms it"))
    else:
        messages.success(request, tr("declined"))
    return _back(request, token)


@require_POST
def me_swap_withdraw(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    return _withdraw(request, token, pk, personal.withdraw_swap)


# The office ------------------------------------------------------------------------------------


@allowed(Profile.OFFICE, Profile.UNIT)
def requests_page(request: HttpRequest) -> HttpResponse:
    """Leave and swaps waiting: the office decides; a unit contact sees their unit's, read-only."""
    role, unit = role_of(request)
    office = role == Profile.OFFICE
    mine = "" if office else unit
    people = personal.names()

    def who(volunteer_id: str) -> str:
        v = people.get(volunteer_id)
        return f"{v.name}（{v.unit}）" if v else volunteer_id

    leave = [{"x": x, "who": who(x.volunteer_id)} for x in personal.open_leave(mine)]
    swaps = [
        {
            "x": s,
            "when": _when(s),
            "giver": who(s.giver),
            "taker": who(s.taker),
            "state": _swap_state(s),
            "reasons": personal.swap_reasons(s) if s.state == SwapRequest.ACCEPTED else (),
        }
        for s in personal.open_swaps(mine)
    ]
    old_leave, old_swaps = personal.decided(mine)
    job = Job.objects.filter(pk=request.GET.get("job") or 0).first() if office else None
    context: dict[str, Any] = {
        "office": office,
        "leave": leave,
        "swaps": swaps,
        "old_leave": [
            {"x": x, "who": who(x.volunteer_id), "state": _leave_state(x)} for x in old_leave
        ],
        "old_swaps": [
            {
                "x": s,
                "when": _when(s),
                "giver": who(s.giver),
                "taker": who(s.taker),
                "state": _swap_state(s),
            }
            for s in old_swaps
        ],
        "sheets": [u.name for u in ops.current_plan().units] if office else [unit],
        "job": job,
        "job_link": f"{reverse('week-grid', args=[job.monday.isoformat()])}?job={job.pk}"
        if job
        else "",
    }
    return render(request, "web/requests.html", context)


@office_only
@require_POST
def decide_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (leave recorded, the weeks it touches drafted again) or decline, with a note."""
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "approve":
            done = personal.approve_leave(config.folder(), pk, note)
        else:
            personal.decline_leave(pk, note)
            messages.success(request, tr("declined; the volunteer sees your note"))
            return redirect("requests")
    except InputError as error:
        _problems(request, error)
        return redirect("requests")
    weeks = ", ".join(m.isoformat() for m in done.weeks)
    if done.job is not None:
        messages.success(
            request,
            tr("approved; drafting the week of {weeks} again, then publish it", weeks=weeks),
        )
        return redirect(reverse("requests") + f"?job={done.job.pk}")
    if done.problem:
        messages.error(
            request,
            tr(
                "approved, but the week of {weeks} could not be drafted now: {reason}; "
                "plan it again on its page",
                weeks=weeks,
                reason=done.problem,
            ),
        )
    else:
        messages.success(request, tr("approved; no week drafted or published yet is concerned"))
    return redirect("requests")


@office_only
@require_POST
def decide_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (the week's draft gets the change, the rules checked again) or refuse."""
    try:
        if request.POST.get("decision") == "confirm":
            swap = personal.confirm_swap(config.folder(), pk)
            messages.success(
                request,
                tr(
                    "confirmed: the draft of the week of {monday} has the change; publish it",
                    monday=swap.monday,
                ),
            )
        else:
            personal.refuse_swap(pk)
            messages.success(request, tr("refused"))
    except InputError as error:
        _problems(request, error)
    return redirect("requests")


@allowed(Profile.OFFICE, Profile.UNIT)
def page_links(request: HttpRequest, unit: str) -> HttpResponse:
    """A unit's printable sheet of its volunteers' own pages, each with its QR code."""
    plan = ops.current_plan()
    if unit not in {u.name for u in plan.units}:
        raise Http404
    unit_visible(request, unit)
    people = [v for v in sorted(plan.volunteers, key=lambda v: v.id) if v.unit == unit]
    tokens = personal.page_tokens([v.id for v in people])
    cards = []
    for v in people:
        link = _page_address(request, tokens[v.id])
        cards.append((v.name, link, qr_code(link)))
    context = {
        "unit": unit,
        "title": tr("{unit}: the volunteers' own pages", unit=unit),
        "campaign": plan.settings.name,
        "cards": cards,
    }
    return render(request, "web/me_links.html", context)


def _page_address(request: HttpRequest, token: str) -> str:
    """The page's full address, at the host the office asked at."""
    secure = request.is_secure() or config.https()
    return f"{'https' if secure else 'http'}://{request.get_host()}{reverse('me', args=[token])}"


def page_address(request: HttpRequest, volunteer_id: str) -> str:
    """A volunteer's page address, its secret made on first need (the volunteer's edit page)."""
    return _page_address(request, personal.page_token(volunteer_id))


@office_only
@require_POST
def rotate_page(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    """A new secret for the volunteer's page (a link shared, a phone lost)."""
    try:
        personal.rotate_page(volunteer_id)
    except InputError as error:
        _problems(request, error)
        return redirect("volunteers")
    messages.success(request, tr("a new page link is made; the old one opens nothing now"))
    return redirect("volunteer-edit", volunteer_id=volunteer_id)


urlpatterns = [
    path("me/<str:token>/", me, name="me"),
    path("me/<str:token>/leave/", me_leave, name="me-leave"),
    path("me/<str:token>/leave/<int:pk>/withdraw/", me_leave_withdraw, name="me-leave-withdraw"),
    path("me/<str:token>/swap/", me_swap, name="me-swap"),
    path("me/<str:token>/swap/<int:pk>/answer/", me_swap_answer, name="me-swap-answer"),
    path("me/<str:token>/swap/<int:pk>/withdraw/", me_swap_withdraw, name="me-swap-withdraw"),
    path("requests/", requests_page, name="requests"),
    path("requests/leave/<int:pk>/", decide_leave, name="requests-leave"),
    path("requests/swap/<int:pk>/", decide_swap, name="requests-swap"),
    path("me-links/<path:unit>/", page_links, name="me-links"),
    path("me-rotate/<path:volunteer_id>/", rotate_page, name="me-rotate"),
]
