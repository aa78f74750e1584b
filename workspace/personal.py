"""A volunteer's own page and what they ask for on it: leave, and a colleague to take a duty.

The page is opened by a secret of its own (`PageToken`, no password), never the feed's token, so
rotating one does not break the other. It shows the volunteer's duties from the latest published
version of each week, their team's names and their leader's phone (no other phone).

Leave asked for waits for the office: approved, it becomes a `LeaveEntry` and every week it touches
that was drafted or published is drafted again (the planner keeps the published roster as far as
the rules allow, so only the volunteer's seats move). A swap is offered only to colleagues the
roster checker allows; the colleague accepts, the office confirms (unless the campaign's
`swaps_without_office` lets it through), and the seat changes in the week's draft, made from the
published version if the week has none. Calendars change when the office publishes the week.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, QuerySet

from application.rosters import Candidate, candidates
from roster.assignments import AssignmentRow
from roster.errors import InputError, Problem, Source
from roster.i18n import tr
from roster.model import Plan, Volunteer, hhmm
from workspace import drafts, jobs
from workspace import operations as ops
from workspace.models import (
    Assignment,
    Job,
    LeaveRequest,
    PageToken,
    SwapRequest,
    TableVersion,
    WeekVersion,
)

REASON_LENGTH = 200  # LeaveRequest.reason and .note
OPEN_SWAPS = (SwapRequest.ASKED, SwapRequest.ACCEPTED)


def new_page_token() -> str:
    """192 random bits, longer than a feed's token and drawn apart from it."""
    return secrets.token_urlsafe(24)


# Tokens ----------------------------------------------------------------------------------------


def page_token(volunteer_id: str) -> str:
    """The volunteer's page secret, made the first time it is needed."""
    found = PageToken.objects.filter(volunteer_id=volunteer_id).first()
    if found is not None:
        return found.token
    with transaction.atomic():
        made, _ = PageToken.objects.get_or_create(
            volunteer_id=volunteer_id,
            defaults={"token": new_page_token(), "rotated_at": ops._now()},
        )
    return made.token


def page_tokens(volunteer_ids: list[str]) -> dict[str, str]:
    """Every one's page secret at once (a unit's sheet), the missing ones made."""
    have = dict(
        PageToken.objects.filter(volunteer_id__in=volunteer_ids).values_list(
            "volunteer_id", "token"
        )
    )
    missing = [
        PageToken(volunteer_id=v, token=new_page_token(), rotated_at=ops._now())
        for v in volunteer_ids
        if v not in have
    ]
    with transaction.atomic():
        PageToken.objects.bulk_create(missing)
    have.update({t.volunteer_id: t.token for t in missing})
    return have


def rotate_page(volunteer_id: str) -> str:
    """A new secret for the volunteer's page: the old link opens nothing from now on."""
    volunteer_of_id(volunteer_id)
    token = new_page_token()
    with ops._locked():
        PageToken.objects.update_or_create(
            volunteer_id=volunteer_id, defaults={"token": token, "rotated_at": ops._now()}
        )
        ops._audit("rotate page", volunteer_id)
    return token


def volunteer_of_id(volunteer_id: str) -> Volunteer:
    """The plan's volunteer, or the problem of an unknown id."""
    for v in ops.current_plan().volunteers:
        if v.id == volunteer_id:
            return v
    raise InputError(
        [
            Problem(
                tr("no such volunteer"),
                Source(tr("Volunteers")),
                "ID",
                volunteer_id,
                tr("an id (编号) from the volunteers table"),
            )
        ]
    )


def volunteer_of(token: str) -> Volunteer | None:
    """Whose page `token` opens: None for an unknown or rotated token, or for someone who is no
    longer in the tables. One indexed look-up whatever the token."""
    people = ops.current_plan().volunteers  # read first, whatever the token, for even timing
    found = PageToken.objects.filter(token=token).values_list("volunteer_id", flat=True).first()
    return next((v for v in people if v.id == found), None) if found else None


def local_now(plan: Plan, text: str = "") -> datetime:
    """The campaign's local time now (naive), or the moment `text` names (ISO, for tests and
    for showing a past campaign); a text that is no time is ignored."""
    if text:
        try:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            pass
    return datetime.now(ZoneInfo(plan.settings.timezone)).replace(tzinfo=None)


# Duties ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mate:
    name: str
    leader: bool
    me: bool


@dataclass(frozen=True)
class Duty:
    """One of the volunteer's published duties, with the team and who leads it."""

    monday: date
    row: AssignmentRow
    team: tuple[Mate, ...]  # the leader first
    leader_name: str
    leader_phone: str
    started: bool  # too late to hand on

    @property
    def key(self) -> str:
        return self.row.slot_key

    @property
    def leads(self) -> bool:
        return self.row.leader

    @property
    def when(self) -> str:
        return f"{self.row.date} {hhmm(self.row.start)}–{hhmm(self.row.end)}"


def _published_from(monday: date) -> dict[date, WeekVersion]:
    """The latest published version of each week from `monday` on."""
    out: dict[date, WeekVersion] = {}
    for v in WeekVersion.objects.filter(monday__gte=monday, number__gt=WeekVersion.DRAFT).order_by(
        "monday", "-number"
    ):
        out.setdefault(v.monday, v)
    return out


def duties(volunteer_id: str, now: datetime) -> list[Duty]:
    """The volunteer's duties from today on, each from its week's latest published version."""
    plan = ops.current_plan()
    phones = {v.id: v.phone for v in plan.volunteers}
    versions = _published_from(ops._monday(now.date()))
    by_id = {v.pk: v.monday for v in versions.values()}
    mine = list(
        Assignment.objects.filter(
            version_id__in=list(by_id), volunteer_id=volunteer_id, date__gte=now.date()
        ).order_by("date", "start", "area")
    )
    slots = {(r.version_id, r.date, r.start, r.duty, r.area) for r in mine}
    teams: dict[tuple[object, ...], list[Assignment]] = {}
    for r in Assignment.objects.filter(
        version_id__in={s[0] for s in slots}, date__in={s[1] for s in slots}
    ).order_by("-leader", "volunteer_id"):
        key = (r.version_id, r.date, r.start, r.duty, r.area)
        if key in slots:
            teams.setdefault(key, []).append(r)
    out = []
    for r in mine:
        team = teams[(r.version_id, r.date, r.start, r.duty, r.area)]
        leader = next((m for m in team if m.leader), None)
        out.append(
            Duty(
                by_id[r.version_id],
                _row(r),
                tuple(
                    Mate(m.volunteer_name, m.leader, m.volunteer_id == volunteer_id) for m in team
                ),
                leader.volunteer_name if leader else "",
                phones.get(leader.volunteer_id, "") if leader else "",
                datetime.combine(r.date, datetime.min.time()) + timedelta(minutes=r.start) <= now,
            )
        )
    return out


def _row(r: Assignment) -> AssignmentRow:
    return ops.assignment_row(r)


# Leave -----------------------------------------------------------------------------------------


def _problem(message: str, column: str = "", value: str = "", expected: str = "") -> InputError:
    return InputError(
        [Problem(message, Source(tr("Ask for leave")), column or None, value or None, expected)]
    )


def ask_leave(volunteer_id: str, first: date, last: date, reason: str, today: date) -> LeaveRequest:
    """Leave asked for on the volunteer's page, waiting for the office; refused when it ends
    before it starts, lies in the past or outside the campaign."""
    s = ops.current_plan().settings
    reason = reason.strip()
    if last < first:
        raise _problem(
            tr("the leave ends before it starts"),
            tr("To"),
            str(last),
            tr("a date on or after {first}", first=first),
        )
    if first < today:
        raise _problem(
            tr("the leave starts in the past"),
            tr("From"),
            str(first),
            tr("today ({today}) or later", today=today),
        )
    if first > s.end or last < s.start:
        raise _problem(
            tr("the leave is outside the campaign"),
            tr("From"),
            str(first),
            tr("dates from {first} to {last}", first=s.start, last=s.end),
        )
    if len(reason) > REASON_LENGTH:
        raise _problem(
            tr("the reason is too long"),
            tr("Reason"),
            reason[:20] + "…",
            tr("at most {n} characters", n=REASON_LENGTH),
        )
    with ops._locked():
        asked = LeaveRequest.objects.create(
            volunteer_id=volunteer_id, start=first, end=last, reason=reason, asked_at=ops._now()
        )
        ops._audit("leave ask", f"{asked.pk}: {volunteer_id} {first}–{last} {reason}".strip())
    return asked


def leave_asked(volunteer_id: str) -> list[LeaveRequest]:
    """The volunteer's requests for leave, newest first."""
    return list(LeaveRequest.objects.filter(volunteer_id=volunteer_id).order_by("-asked_at"))


def withdraw_leave(volunteer_id: str, pk: int) -> LeaveRequest:
    """The volunteer takes back a request the office has not decided yet."""
    with ops._locked():
        asked = _open_leave(pk, volunteer_id)
        asked.state = LeaveRequest.WITHDRAWN
        asked.save(update_fields=["state"])
        ops._audit("leave withdraw", f"{pk}: {volunteer_id}")
    return asked


def _open_leave(pk: int, volunteer_id: str = "") -> LeaveRequest:
    found = LeaveRequest.objects.filter(pk=pk).first()
    if found is None or (volunteer_id and found.volunteer_id != volunteer_id):
        raise _problem(tr("no such request"), expected=tr("a request of this page"))
    if found.state != LeaveRequest.ASKED:
        raise _problem(
            tr("the request was already decided: {state}", state=found.get_state_display()),
            expected=tr("an open request (reload the page)"),
        )
    return found


@dataclass(frozen=True)
class Approved:
    request: LeaveRequest
    job: Job | None  # drafting the weeks again; None: no week to draft, or it could not start
    weeks: tuple[date, ...]  # the Mondays drafted again
    problem: str  # why drafting did not start, if it did not


def weeks_touched(first: date, last: date) -> list[date]:
    """The Mondays of the weeks from `first` to `last` that have a draft or a published version,
    within the campaign."""
    s = ops.current_plan().settings
    first, last = max(first, s.start), min(last, s.end)
    mondays = []
    monday = ops._monday(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    made = set(WeekVersion.objects.filter(monday__in=mondays).values_list("monday", flat=True))
    return [m for m in mondays if m in made]


def approve_leave(folder: Path, pk: int, note: str = "") -> Approved:
    """The leave recorded (`add_leave`, as who is acting) and linked to the request; then every
    week it touches that was drafted or published is drafted again, in the background."""
    with ops._locked():
        asked = _open_leave(pk)
        entry = ops.add_leave(asked.volunteer_id, asked.start, asked.end, asked.reason)
        asked.state = LeaveRequest.APPROVED
        asked.entry = entry
        asked.note = note.strip()[:REASON_LENGTH]
        asked.decided_by, asked.decided_at = ops.who(), ops._now()
        asked.save()
        ops._audit("leave approve", f"{pk}: {asked.volunteer_id} → {entry.pk}")
    weeks = weeks_touched(asked.start, asked.end)
    if not weeks:
        return Approved(asked, None, (), "")
    s = ops.current_plan().settings
    days = [max(m, s.start) for m in weeks]
    try:
        job = jobs.start_plan(folder, days[0], *days[1:])
    except InputError as error:
        return Approved(asked, None, tuple(weeks), " ".join(p.message for p in error.problems))
    return Approved(asked, job, tuple(weeks), "")


def decline_leave(pk: int, note: str) -> LeaveRequest:
    """The office says no, with a word the volunteer reads on their page."""
    with ops._locked():
        asked = _open_leave(pk)
        asked.state = LeaveRequest.DECLINED
        asked.note = note.strip()[:REASON_LENGTH]
        asked.decided_by, asked.decided_at = ops.who(), ops._now()
        asked.save()
        ops._audit("leave decline", f"{pk}: {asked.volunteer_id} {asked.note}")
    return asked


# Swaps -----------------------------------------------------------------------------------------


def _swap_problem(message: str, expected: str = "") -> InputError:
    return InputError([Problem(message, Source(tr("Ask a colleague")), expected=expected)])


def published_seat(volunteer_id: str, monday: date, key: str, now: datetime) -> AssignmentRow:
    """The volunteer's seat `key` in the week's latest published version, not begun by `now`."""
    for r in ops._rows(ops.latest(monday)):
        if r.slot_key == key and r.volunteer_id == volunteer_id:
            begins = datetime.combine(r.date, datetime.min.time()) + timedelta(minutes=r.start)
            if begins <= now:
                raise _swap_problem(tr("the duty has begun"), tr("a duty that has not begun yet"))
            return r
    raise _swap_problem(
        tr("that duty is not yours in the published roster"),
        tr("one of the duties on this page (reload it)"),
    )


def colleagues(volunteer_id: str, monday: date, key: str, now: datetime) -> list[Candidate]:
    """The colleagues the roster checker allows to take the seat, over the week's latest published
    version (no rule of anyone else broken: on leave, another duty, a cap); the least busy first."""
    published_seat(volunteer_id, monday, key, now)
    plan = ops.current_plan()
    first, last = ops.week_of(monday, plan)
    rows = ops._rows(ops.latest(monday))
    return [c for c in candidates(plan, rows, first, last, key, volunteer_id) if not c.reasons]


def ask_swap(giver: str, monday: date, key: str, taker: str, now: datetime) -> SwapRequest:
    """The volunteer asks `taker` to take the seat; refused for a colleague the checker does not
    allow, or while the seat already has a request open."""
    seat = published_seat(giver, monday, key, now)
    if taker not in {c.volunteer.id for c in colleagues(giver, monday, key, now)}:
        raise _swap_problem(
            tr("that colleague cannot take this duty"), tr("one of the colleagues offered")
        )
    with ops._locked():
        if _open_swaps(seat, giver).exists():
            raise _swap_problem(
                tr("this duty already has a request open"),
                tr("withdraw it first, or wait for the answer"),
            )
        swap = SwapRequest.objects.create(
            monday=monday,
            date=seat.date,
            start=seat.start,
            end=seat.end,
            duty=seat.duty,
            area=seat.area,
            unit=seat.unit,
            giver=giver,
            taker=taker,
            asked_at=ops._now(),
        )
        ops._audit("swap ask", f"{swap.pk}: {key} {giver} → {taker}")
    return swap


def _open_swaps(seat: AssignmentRow, giver: str) -> QuerySet[SwapRequest]:
    return SwapRequest.objects.filter(
        date=seat.date,
        start=seat.start,
        duty=seat.duty,
        area=seat.area,
        giver=giver,
        state__in=OPEN_SWAPS,
    )


def swap_key(swap: SwapRequest) -> str:
    return AssignmentRow(
        date=swap.date, start=swap.start, area=swap.area, volunteer_id="", end=0, duty=swap.duty
    ).slot_key


def swaps_of(volunteer_id: str) -> list[SwapRequest]:
    """Every swap the volunteer asked for or was asked, newest first."""
    mine = Q(giver=volunteer_id) | Q(taker=volunteer_id)
    return list(SwapRequest.objects.filter(mine).order_by("-asked_at"))


def withdraw_swap(giver: str, pk: int) -> SwapRequest:
    """The giver takes the request back while it has not gone in."""
    with ops._locked():
        swap = SwapRequest.objects.filter(pk=pk, giver=giver).first()
        if swap is None or swap.state not in OPEN_SWAPS:
            raise _swap_problem(tr("no open request of yours"), tr("reload the page"))
        swap.state = SwapRequest.WITHDRAWN
        swap.save(update_fields=["state"])
        ops._audit("swap withdraw", f"{pk}")
    return swap


@dataclass(frozen=True)
class Answered:
    swap: SwapRequest
    problem: str  # why an accepted swap let through without the office did not go in


def answer_swap(folder: Path, taker: str, pk: int, accept: bool) -> Answered:
    """The colleague accepts or declines; accepted, the swap goes in at once when the campaign
    lets swaps through without the office, else it waits for the office."""
    with ops._locked():
        swap = SwapRequest.objects.filter(pk=pk, taker=taker).first()
        if swap is None or swap.state != SwapRequest.ASKED:
            raise _swap_problem(tr("no request waiting for your answer"), tr("reload the page"))
        swap.state = SwapRequest.ACCEPTED if accept else SwapRequest.DECLINED
        swap.answered_at = ops._now()
        swap.save(update_fields=["state", "answered_at"])
        ops._audit("swap accept" if accept else "swap decline", f"{pk}")
    if accept and ops.current_plan().settings.swaps_without_office:
        try:
            swap = confirm_swap(folder, pk)
        except InputError as error:
            return Answered(swap, " ".join(p.message for p in error.problems))
    return Answered(swap, "")


def swap_reasons(swap: SwapRequest) -> tuple[str, ...]:
    """Why the accepted swap could not go in now (nothing: it can): checked against the week's
    draft if it has one, else its latest published version."""
    plan = ops.current_plan()
    draft = WeekVersion.objects.filter(monday=swap.monday, number=WeekVersion.DRAFT).first()
    rows = ops._rows(draft) if draft else ops._rows(ops.latest(swap.monday))
    key = swap_key(swap)
    if not any(r.slot_key == key and r.volunteer_id == swap.giver for r in rows):
        return (tr("the giver is no longer on that duty in the week's roster"),)
    try:
        first, last = ops.week_of(swap.monday, plan)
        found = {c.volunteer.id: c for c in candidates(plan, rows, first, last, key, swap.giver)}
    except (InputError, KeyError):
        return (tr("the duty is no longer in the tables"),)
    chosen = found.get(swap.taker)
    if chosen is None:
        return (tr("the colleague cannot take this duty"),)
    return chosen.reasons


def confirm_swap(folder: Path, pk: int) -> SwapRequest:
    """The accepted swap goes into the week's draft (made from the published version when the week
    has none): the rules are checked again, and a swap they no longer allow is refused with the
    reason, the request staying accepted."""
    with ops._locked():
        swap = SwapRequest.objects.filter(pk=pk).first()
        if swap is None or swap.state != SwapRequest.ACCEPTED:
            raise _swap_problem(tr("no accepted swap to confirm"), tr("reload the page"))
        reasons = swap_reasons(swap)
        if reasons:
            raise InputError(
                [
                    Problem(r, Source(tr("Ask a colleague")), "volunteer_id", swap.taker)
                    for r in reasons
                ]
            )
        made = not WeekVersion.objects.filter(monday=swap.monday, number=0).exists()
        try:
            if made:
                draft_from_published(folder, swap.monday)
            drafts.replace_person(folder, swap.monday, swap_key(swap), swap.giver, swap.taker)
        except BaseException:
            if made:  # the transaction takes the draft back; its files go too
                shutil.rmtree(folder / ops.DRAFTS / swap.monday.isoformat(), ignore_errors=True)
            raise
        swap.state = SwapRequest.CONFIRMED
        swap.decided_by, swap.decided_at = ops.who(), ops._now()
        swap.save(update_fields=["state", "decided_by", "decided_at"])
        ops._audit("swap confirm", f"{pk}")
    return swap


def refuse_swap(pk: int) -> SwapRequest:
    """The office does not let an accepted swap in."""
    with ops._locked():
        swap = SwapRequest.objects.filter(pk=pk).first()
        if swap is None or swap.state != SwapRequest.ACCEPTED:
            raise _swap_problem(tr("no accepted swap to refuse"), tr("reload the page"))
        swap.state = SwapRequest.REFUSED
        swap.decided_by, swap.decided_at = ops.who(), ops._now()
        swap.save(update_fields=["state", "decided_by", "decided_at"])
        ops._audit("swap refuse", f"{pk}")
    return swap


def draft_from_published(folder: Path, monday: date) -> WeekVersion:
    """A draft of the week that is its latest published version, rows and gaps alike, with its
    files written as a planned draft's are: a hand-made change then has a draft to go into."""
    plan = ops.current_plan()
    with ops._locked():
        if WeekVersion.objects.filter(monday=monday, number=WeekVersion.DRAFT).exists():
            raise _swap_problem(
                tr("the week of {monday} has a draft already", monday=monday),
                tr("change that draft"),
            )
        published = ops.latest(monday)
        if published is None:
            raise _swap_problem(
                tr("the week of {monday} has not been published", monday=monday),
                tr("a published week"),
            )
        table = TableVersion.objects.order_by("-number").first()
        assert table is not None
        rows = ops._rows(published)
        draft = WeekVersion.objects.create(
            monday=monday,
            number=WeekVersion.DRAFT,
            table=table,
            made_by=ops.who(),
            made_at=ops._now(),
            seats=len(rows),
            complete=published.complete,
            summary=tr("made from version {number}", number=published.number),
        )
        ops._save_rows(draft, rows, ops._gaps(published))
        drafts._rewrite(folder, plan, draft, rows)
        ops._audit("draft", f"{monday}: from {published.number}")
    return draft


# The office's view -----------------------------------------------------------------------------


def names() -> dict[str, Volunteer]:
    return {v.id: v for v in ops.current_plan().volunteers}


def open_leave(unit: str = "") -> list[LeaveRequest]:
    """Leave waiting for the office, oldest first; `unit` narrows it to one unit's people."""
    people = names()
    asked = LeaveRequest.objects.filter(state=LeaveRequest.ASKED).order_by("asked_at")
    return [x for x in asked if not unit or getattr(people.get(x.volunteer_id), "unit", "") == unit]


def open_swaps(unit: str = "") -> list[SwapRequest]:
    """Swaps asked or accepted, oldest first; `unit` narrows it to one unit's."""
    found = SwapRequest.objects.filter(state__in=OPEN_SWAPS).order_by("asked_at")
    return list(found.filter(unit=unit) if unit else found)


def decided(unit: str = "", limit: int = 20) -> tuple[list[LeaveRequest], list[SwapRequest]]:
    """The requests decided last, for the office to look back at."""
    people = names()
    leave = [
        x
        for x in LeaveRequest.objects.exclude(state=LeaveRequest.ASKED).order_by("-asked_at")[
            : limit * 5
        ]
        if not unit or getattr(people.get(x.volunteer_id), "unit", "") == unit
    ][:limit]
    swaps = SwapRequest.objects.exclude(state__in=OPEN_SWAPS).order_by("-asked_at")
    return leave, list((swaps.filter(unit=unit) if unit else swaps)[:limit])
