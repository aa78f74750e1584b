"""A volunteer's own page and what they ask for on it, from the browser's side: the next duties
with the leader's phone (no other), the secret link that rotates, leave asked for and approved
(the week drafted again with the fewest changes) or declined, and a duty handed to a colleague the
roster checker allows. A real workspace and database; Django's client."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from .conftest import SAMPLE

WEEK = date(2022, 6, 13)
SUNDAY = date(2022, 6, 19)
AT = "2022-06-13T06:00"  # "now" for the pages: the Monday morning of the published week
PASSWORD = "Kx9-pass-word-77"
PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def _workspace(folder: Path, ops: Any, tables: Path) -> Any:
    """The tables' workspace with the week planned and published, and a signed-in office."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile
    from workspace import config

    ops.init(folder, tables)
    config.migrate()
    ops.plan_week(folder, WEEK)
    ops.publish_week(folder, WEEK)
    user = get_user_model().objects.create_user("王芳", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.OFFICE)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.fixture
def office(workspace: tuple[Path, Any]) -> tuple[Any, Path, Any]:
    folder, ops = workspace
    return _workspace(folder, ops, SAMPLE), folder, ops


@pytest.fixture
def lenient(workspace: tuple[Path, Any], tmp_path: Path) -> tuple[Any, Path, Any]:
    """The same, in a campaign whose accepted swaps need no office (swaps_without_office)."""
    folder, ops = workspace
    tables = tmp_path / "tables"
    shutil.copytree(SAMPLE, tables)
    with (tables / "settings.toml").open("a", encoding="utf-8") as f:
        f.write('\nswaps_without_office = "是"\n')
    return _workspace(folder, ops, tables), folder, ops


def anonymous() -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def page_of(volunteer_id: str) -> str:
    from workspace import personal

    return f"/me/{personal.page_token(volunteer_id)}/"


def show(client: Any, volunteer_id: str, at: str = AT) -> str:
    response = client.get(page_of(volunteer_id), {"at": at})
    assert response.status_code == 200
    return str(response.content.decode())


def published_rows(ops: Any) -> tuple[Any, ...]:
    return tuple(ops._rows(ops.latest(WEEK)))


def draft_rows(ops: Any) -> tuple[Any, ...]:
    from workspace.models import WeekVersion

    return tuple(ops._rows(WeekVersion.objects.get(monday=WEEK, number=0)))


def plain_seat(ops: Any, unit: str, day: date | None = None, led: bool = True) -> Any:
    """A seat of the published week that is not its slot's leader's, on `day` if given, in a slot
    that has a leader when `led`."""
    rows = published_rows(ops)
    leaders = {r.slot_key for r in rows if r.leader}
    return next(
        r
        for r in rows
        if r.unit == unit
        and not r.leader
        and (day is None or r.date == day)
        and (not led or r.slot_key in leaders)
    )


def wait(client: Any, job: int) -> dict[str, Any]:
    for _ in range(600):
        state = client.get(f"/jobs/{job}/").json()
        if state["state"] in ("done", "failed"):
            return dict(state)
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def publish(client: Any) -> None:
    response = client.post(f"/week/{WEEK}/publish/")
    assert response.status_code == 302
    assert response["Location"].endswith("/notices/")


# The page --------------------------------------------------------------------------------------


def test_the_page_shows_the_next_duties_with_the_leaders_phone_and_no_other(office: Any) -> None:
    _, _, ops = office
    seat = plain_seat(ops, "市政服务中心")
    plan = ops.current_plan()
    phones = {v.id: v.phone for v in plan.volunteers}
    rows = published_rows(ops)
    mine = [r for r in rows if r.volunteer_id == seat.volunteer_id]
    page = show(anonymous(), seat.volunteer_id)
    leaders = set()
    for duty in mine:
        team = [r for r in rows if r.slot_key == duty.slot_key]
        assert f'data-slot="{duty.slot_key}"' in page
        card = page.split(f'data-slot="{duty.slot_key}"')[1].split("</article>")[0]
        for mate in team:
            assert mate.volunteer_name in card
            if mate.leader:
                assert f"★{mate.volunteer_name}" in card
                assert phones[mate.volunteer_id] in card
                leaders.add(phones[mate.volunteer_id])
    assert leaders  # the seat was chosen in a slot with a leader
    assert set(PHONE.findall(page)) == leaders
    # The subscribe button is the personal feed's webcal address, with its QR code.
    feed = next(x for x in ops.links() if x.volunteer_id == seat.volunteer_id)
    token = Path(feed.path).stem
    assert f'href="webcal://127.0.0.1/ical/{token}.ics"' in page
    assert "<svg" in page
    assert token not in page_of(seat.volunteer_id)  # the page's secret is not the feed's
    # Later in the week, the duties of the days gone are no longer listed.
    last = max(r.date for r in mine)
    later = show(anonymous(), seat.volunteer_id, f"{last + timedelta(days=1)}T06:00")
    assert "data-slot=" not in later


def test_a_leader_gets_a_link_to_the_sign_in_sheet_of_the_duty_they_lead(office: Any) -> None:
    from urllib.parse import quote

    _, _, ops = office
    led = next(r for r in published_rows(ops) if r.leader)
    page = show(anonymous(), led.volunteer_id)
    assert f"{page_of(led.volunteer_id)}sign-in/?slot={quote(led.slot_key)}" in page


def test_an_unknown_or_rotated_token_is_404_alike(office: Any) -> None:
    from workspace.models import PageToken

    client, _, ops = office
    seat = plain_seat(ops, "环卫所")
    old = page_of(seat.volunteer_id)
    made_up = "/me/" + "x" * 32 + "/"
    unknown = anonymous().get(made_up)
    assert unknown.status_code == 404
    assert anonymous().get(old).status_code == 200
    form = client.get(f"/volunteers/{seat.volunteer_id}/edit/").content.decode()
    assert f"http://127.0.0.1{old}" in form  # the office copies the link from here
    response = client.post(f"/me-rotate/{seat.volunteer_id}/")
    assert response.status_code == 302
    gone = anonymous().get(old)
    assert gone.status_code == 404  # the same page, but for its address and the form's secret
    assert bare(gone.content, old) == bare(unknown.content, made_up)
    assert anonymous().post(old + "leave/", {"start": "2022-06-15"}).status_code == 404
    new = page_of(seat.volunteer_id)
    assert new != old and anonymous().get(new).status_code == 200
    assert len(PageToken.objects.get(volunteer_id=seat.volunteer_id).token) >= 32
    assert anonymous().post(f"/me-rotate/{seat.volunteer_id}/").status_code == 302  # to login
    assert PageToken.objects.get(volunteer_id=seat.volunteer_id).token in new


def bare(page: bytes, address: str) -> str:
    text = page.decode().replace(address, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


# Leave -----------------------------------------------------------------------------------------


def test_leave_approved_drafts_the_week_again_and_only_their_seats_move(office: Any) -> None:
    from workspace.models import LeaveEntry, LeaveRequest

    client, _, ops = office
    rows = published_rows(ops)
    # Someone with a duty from Wednesday on, not leading it.
    seat = next(r for r in rows if r.date >= date(2022, 6, 15) and not r.leader)
    who = seat.volunteer_id
    volunteer = anonymous()
    response = volunteer.post(
        page_of(who) + "leave/",
        {"start": "2022-06-15", "end": "2022-06-19", "reason": "出差", "at": AT},
    )
    assert response.status_code == 302 and "at=" in response["Location"]
    asked = LeaveRequest.objects.get(volunteer_id=who)
    assert asked.state == LeaveRequest.ASKED
    assert "waiting for the office" in show(volunteer, who)
    listed = client.get("/requests/").content.decode()
    assert f'data-leave="{asked.pk}"' in listed and "出差" in listed
    response = client.post(f"/requests/leave/{asked.pk}/", {"decision": "approve"})
    job = int(re.search(r"job=(\d+)", response["Location"]).group(1))  # type: ignore[union-attr]
    assert f"/week/{WEEK}/?job={job}" in client.get(response["Location"]).content.decode()
    assert wait(client, job)["state"] == "done"
    asked.refresh_from_db()
    assert asked.state == LeaveRequest.APPROVED and asked.decided_by == "王芳"
    entry = LeaveEntry.objects.get(pk=asked.entry_id)
    assert (entry.volunteer_id, entry.start, entry.end) == (who, date(2022, 6, 15), SUNDAY)
    after = draft_rows(ops)
    assert not any(r.volunteer_id == who and r.date >= date(2022, 6, 15) for r in after)
    before = {(r.slot_key, r.volunteer_id) for r in rows}
    now = {(r.slot_key, r.volunteer_id) for r in after}
    left = {k for k, v in before - now}
    assert {v for _, v in before - now} == {who}  # nobody else lost a seat
    assert {k for k, _ in now - before} <= left  # and seats were filled only where they left
    publish(client)
    page = show(volunteer, who)
    assert seat.slot_key not in page and "approved" in page
    team = {r.volunteer_id for r in published_rows(ops) if r.slot_key == seat.slot_key}
    assert who not in team


def test_leave_declined_changes_nothing_and_the_note_shows(office: Any) -> None:
    from workspace.models import LeaveEntry, LeaveRequest, WeekVersion

    client, _, ops = office
    seat = plain_seat(ops, "环卫所")
    volunteer = anonymous()
    volunteer.post(
        page_of(seat.volunteer_id) + "leave/",
        {"start": "2022-06-16", "end": "2022-06-16", "reason": "", "at": AT},
    )
    asked = LeaveRequest.objects.get(volunteer_id=seat.volunteer_id)
    entries = LeaveEntry.objects.count()
    client.post(f"/requests/leave/{asked.pk}/", {"decision": "decline", "note": "人手不足，请调班"})
    asked.refresh_from_db()
    assert asked.state == LeaveRequest.DECLINED
    assert LeaveEntry.objects.count() == entries
    assert not WeekVersion.objects.filter(monday=WEEK, number=0).exists()
    page = show(volunteer, seat.volunteer_id)
    assert "declined" in page and "人手不足，请调班" in page
    assert f'data-slot="{seat.slot_key}"' in page


def test_bad_leave_is_refused_on_the_page_and_an_open_request_withdrawn(office: Any) -> None:
    from workspace.models import LeaveRequest

    _, _, ops = office
    who = plain_seat(ops, "局机关", led=False).volunteer_id
    volunteer = anonymous()
    url = page_of(who) + "leave/"
    for start, end in (("2022-06-16", "2022-06-15"), ("2022-06-10", "2022-06-12"), ("x", "y")):
        page = volunteer.post(url, {"start": start, "end": end, "at": AT}, follow=True)
        assert page.status_code == 200 and 'class="error"' in page.content.decode()
    assert not LeaveRequest.objects.exists()
    volunteer.post(url, {"start": "2022-06-17", "end": "2022-06-17", "at": AT})
    asked = LeaveRequest.objects.get()
    volunteer.post(page_of(who) + f"leave/{asked.pk}/withdraw/", {"at": AT})
    asked.refresh_from_db()
    assert asked.state == LeaveRequest.WITHDRAWN


# Swaps -----------------------------------------------------------------------------------------


def allowed(ops: Any, seat: Any) -> set[str]:
    from application.rosters import candidates

    plan = ops.current_plan()
    found = candidates(plan, published_rows(ops), WEEK, SUNDAY, seat.slot_key, seat.volunteer_id)
    return {c.volunteer.id for c in found if not c.reasons}


def offered(client: Any, seat: Any) -> set[str]:
    page = client.get(
        page_of(seat.volunteer_id) + "swap/",
        {"week": WEEK.isoformat(), "slot": seat.slot_key, "at": AT},
    ).content.decode()
    return set(re.findall(r'name="taker" value="([^"]+)"', page))


def ask(client: Any, seat: Any, taker: str) -> Any:
    return client.post(
        page_of(seat.volunteer_id) + "swap/",
        {"week": WEEK.isoformat(), "slot": seat.slot_key, "taker": taker, "at": AT},
    )


def test_only_colleagues_the_checker_allows_are_offered(office: Any) -> None:
    from workspace.models import SwapRequest

    _, _, ops = office
    seat = plain_seat(ops, "渣土所", date(2022, 6, 15), led=False)  # ZT004 is on leave that day
    giver = anonymous()
    names = offered(giver, seat)
    assert names and names == allowed(ops, seat)
    assert "ZT004" not in names
    unit = {v.id for v in ops.current_plan().volunteers if v.unit == "渣土所"}
    assert names < unit
    assert ask(giver, seat, "ZT004").status_code == 302
    assert ask(giver, seat, "JG001").status_code == 302  # another unit's
    assert not SwapRequest.objects.exists()


def test_a_swap_asked_accepted_and_confirmed_goes_into_the_draft(office: Any) -> None:
    from workspace.models import SwapRequest, WeekVersion

    client, folder, ops = office
    seat = plain_seat(ops, "市政服务中心")
    giver, colleague = anonymous(), anonymous()
    taker = sorted(offered(giver, seat))[0]
    assert ask(giver, seat, taker).status_code == 302
    swap = SwapRequest.objects.get()
    assert swap.state == SwapRequest.ASKED and (swap.giver, swap.taker) == (
        seat.volunteer_id,
        taker,
    )
    assert "waiting for the colleague" in show(giver, seat.volunteer_id)
    theirs = show(colleague, taker)
    assert f'data-swap="{swap.pk}"' in theirs and "Accept" in theirs
    colleague.post(page_of(taker) + f"swap/{swap.pk}/answer/", {"answer": "accept", "at": AT})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.ACCEPTED
    listed = client.get("/requests/").content.decode()
    assert f'data-swap="{swap.pk}"' in listed and 'value="confirm"' in listed
    assert not WeekVersion.objects.filter(monday=WEEK, number=0).exists()
    client.post(f"/requests/swap/{swap.pk}/", {"decision": "confirm"})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.CONFIRMED
    before, after = published_rows(ops), draft_rows(ops)
    pairs = {(r.slot_key, r.volunteer_id) for r in after}
    assert (seat.slot_key, taker) in pairs and (seat.slot_key, seat.volunteer_id) not in pairs
    assert {(r.slot_key, r.volunteer_id) for r in before} - pairs == {
        (seat.slot_key, seat.volunteer_id)
    }
    written = (folder / "drafts" / WEEK.isoformat() / "assignments.csv").read_text("utf-8-sig")
    assert taker in written
    publish(client)
    assert f'data-slot="{seat.slot_key}"' not in show(giver, seat.volunteer_id)
    assert f'data-slot="{seat.slot_key}"' in show(colleague, taker)


def test_a_swap_the_rules_no_longer_allow_is_refused_with_the_reason(office: Any) -> None:
    from workspace.models import SwapRequest

    client, _, ops = office
    seat = plain_seat(ops, "环卫所")
    giver, colleague = anonymous(), anonymous()
    taker = sorted(offered(giver, seat))[0]
    ask(giver, seat, taker)
    swap = SwapRequest.objects.get()
    colleague.post(page_of(taker) + f"swap/{swap.pk}/answer/", {"answer": "accept", "at": AT})
    ops.add_leave(taker, seat.date, seat.date, "病假")  # since: the taker is away that day
    page = client.post(f"/requests/swap/{swap.pk}/", {"decision": "confirm"}, follow=True)
    text = page.content.decode()
    assert "leave" in text
    swap.refresh_from_db()
    assert swap.state == SwapRequest.ACCEPTED
    assert "leave" in client.get("/requests/").content.decode().split(f'data-swap="{swap.pk}"')[1]
    client.post(f"/requests/swap/{swap.pk}/", {"decision": "refuse"})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.REFUSED
    assert "refused by the office" in show(giver, seat.volunteer_id)


def test_a_declined_swap_changes_nothing(office: Any) -> None:
    from workspace.models import SwapRequest, WeekVersion

    _, _, ops = office
    seat = plain_seat(ops, "园林事务中心")
    giver, colleague = anonymous(), anonymous()
    assert "YL007" not in offered(giver, seat)  # on leave all week
    taker = sorted(offered(giver, seat))[0]
    ask(giver, seat, taker)
    swap = SwapRequest.objects.get()
    colleague.post(page_of(taker) + f"swap/{swap.pk}/answer/", {"answer": "decline", "at": AT})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.DECLINED
    assert not WeekVersion.objects.filter(monday=WEEK, number=0).exists()
    assert "the colleague declined" in show(giver, seat.volunteer_id)


def test_with_swaps_without_office_an_accepted_swap_goes_in_at_once(lenient: Any) -> None:
    from workspace.models import SwapRequest

    client, _, ops = lenient
    assert ops.current_plan().settings.swaps_without_office
    seat = plain_seat(ops, "市政服务中心")
    giver, colleague = anonymous(), anonymous()
    taker = sorted(offered(giver, seat))[0]
    ask(giver, seat, taker)
    swap = SwapRequest.objects.get()
    colleague.post(page_of(taker) + f"swap/{swap.pk}/answer/", {"answer": "accept", "at": AT})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.CONFIRMED
    pairs = {(r.slot_key, r.volunteer_id) for r in draft_rows(ops)}
    assert (seat.slot_key, taker) in pairs and (seat.slot_key, seat.volunteer_id) not in pairs
    assert 'value="confirm"' not in client.get("/requests/").content.decode()


# The office's sheets and a unit contact ---------------------------------------------------------


def test_the_units_sheet_of_page_links_and_a_contacts_view_of_requests(office: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile

    client, _, ops = office
    sheet = client.get("/me-links/环卫所/").content.decode()
    people = [v for v in ops.current_plan().volunteers if v.unit == "环卫所"]
    assert sheet.count("<svg") == len(people)
    links = re.findall(r'<p class="link">(http://127\.0\.0\.1/me/[^<]+/)</p>', sheet)
    assert len(links) == len(people)
    assert anonymous().get(links[0].removeprefix("http://127.0.0.1")).status_code == 200
    assert client.get("/me-links/no-such-unit/").status_code == 404
    user = get_user_model().objects.create_user("李伟", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.UNIT, unit="环卫所")
    contact = Client(HTTP_HOST="127.0.0.1")
    contact.force_login(user)
    assert contact.get("/me-links/环卫所/").status_code == 200
    assert contact.get("/me-links/局机关/").status_code == 403
    mine, other = plain_seat(ops, "环卫所"), plain_seat(ops, "局机关", led=False)
    for seat in (mine, other):
        anonymous().post(
            page_of(seat.volunteer_id) + "leave/",
            {"start": "2022-06-18", "end": "2022-06-18", "at": AT},
        )
    seen = contact.get("/requests/").content.decode()
    assert seat_name(ops, mine) in seen and seat_name(ops, other) not in seen
    assert 'value="approve"' not in seen
    assert contact.post("/requests/leave/1/", {"decision": "approve"}).status_code == 403


def seat_name(ops: Any, seat: Any) -> str:
    return str(seat.volunteer_name)
