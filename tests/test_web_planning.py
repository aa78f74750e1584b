"""Plan a week from the browser's side: the draft solved by a background job that reports each
unit, the grid, replacing a person from those the checker allows, locks kept by the next draft,
publishing with whom to tell, and the notices. A real workspace and database; Django's client."""

from __future__ import annotations

import html
import io
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import SAMPLE

WEEK = date(2022, 6, 13)
PASSWORD = "Kx9-pass-word-77"


@pytest.fixture
def office(workspace: tuple[Path, Any]) -> tuple[Any, Path, Any]:
    """A signed-in office client over a workspace made from the sample (nothing planned)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile
    from workspace import config

    folder, ops = workspace
    ops.init(folder, SAMPLE)
    config.migrate()
    user = get_user_model().objects.create_user("王芳", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.OFFICE)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client, folder, ops


def wait(client: Any, job: int) -> dict[str, Any]:
    for _ in range(600):
        state = client.get(f"/jobs/{job}/").json()
        if state["state"] in ("done", "failed"):
            return dict(state)
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def draft(client: Any) -> None:
    response = client.post("/week/", {"week": "2022-06-15"})
    assert response.status_code == 302
    job = int(re.search(r"job=(\d+)", response["Location"]).group(1))  # type: ignore[union-attr]
    state = wait(client, job)
    assert state["state"] == "done", state["message"]


def test_a_draft_is_planned_by_a_job_that_reports_every_unit(office: Any) -> None:
    client, _, ops = office
    response = client.post("/week/", {"week": "2022-06-15"})
    location = response["Location"]
    assert location.startswith("/week/2022-06-13/?job=")
    page = client.get(location)  # the waiting page (or the grid, had the job been quicker)
    assert page.status_code == 200
    state = wait(client, int(location.split("=")[1]))
    assert state["state"] == "done"
    units = {u.name for u in ops.current_plan().units}
    assert set(state["units"]) == units and state["done"] == state["total"] == len(units)
    assert all(text for text in state["units"].values())
    grid = client.get("/week/2022-06-13/").content.decode()
    assert "西湖游园" in grid and "★" in grid


def test_a_second_job_is_refused_while_one_runs(office: Any) -> None:
    from workspace.models import Job

    client, _, _ = office
    Job.objects.create(kind="plan", monday=WEEK, state=Job.RUNNING, made_by="李伟",
                       started="2022-06-10T08:00:00+08:00")  # fmt: skip
    response = client.post("/week/", {"week": "2022-06-15"}, follow=True)
    assert "being planned" in response.content.decode()
    assert Job.objects.count() == 1


def seat_of(ops: Any, volunteer: str | None = None) -> Any:
    from workspace.models import WeekVersion

    version = WeekVersion.objects.get(monday=WEEK, number=0)
    rows = [r for r in ops._rows(version) if not r.leader]
    return next(r for r in rows if volunteer in (None, r.volunteer_id))


def test_the_seat_page_lists_who_can_and_why_the_others_cannot(office: Any) -> None:
    client, _, ops = office
    draft(client)
    row = seat_of(ops)
    page = client.get(
        "/week/2022-06-13/seat/", {"slot": row.slot_key, "person": row.volunteer_id}
    ).content.decode()
    unit = [v for v in ops.current_plan().volunteers if v.unit == row.unit]
    # Everyone of the unit but the holder and their teammates is listed once, able or not.
    listed = [v.id for v in unit if re.search(rf"<small>{v.id}</small>", page)]
    team = {r.volunteer_id for r in ops._rows(seat_of_version(ops)) if r.slot_key == row.slot_key}
    assert set(listed) == {v.id for v in unit} - team
    unable = page.split("Who cannot, and why")[1] if "Who cannot, and why" in page else ""
    if unable:
        assert "cannot do" in unable or "overlap" in unable or "leave" in unable or "cap" in unable


def seat_of_version(ops: Any) -> Any:
    from workspace.models import WeekVersion

    return WeekVersion.objects.get(monday=WEEK, number=0)


def test_replacing_a_person_locks_the_seat_and_the_next_draft_keeps_it(office: Any) -> None:
    from application.rosters import candidates

    client, folder, ops = office
    draft(client)
    row = seat_of(ops)
    plan = ops.current_plan()
    rows = ops._rows(seat_of_version(ops))
    able = [c for c in candidates(plan, rows, WEEK, date(2022, 6, 19), row.slot_key,
                                  row.volunteer_id) if not c.reasons]  # fmt: skip
    taking = able[-1].volunteer  # the busiest who still can: not what a solver would pick
    response = client.post(
        "/week/2022-06-13/replace/",
        {"slot": row.slot_key, "person": row.volunteer_id, "taking": taking.id},
    )
    assert response.status_code == 302
    rows = ops._rows(seat_of_version(ops))
    assert any(r.slot_key == row.slot_key and r.volunteer_id == taking.id for r in rows)
    assert not any(r.slot_key == row.slot_key and r.volunteer_id == row.volunteer_id for r in rows)
    written = (folder / "drafts" / "2022-06-13" / "assignments.csv").read_text("utf-8-sig")
    assert taking.id in written
    draft(client)  # a new draft of the week keeps the lock
    rows = ops._rows(seat_of_version(ops))
    assert any(r.slot_key == row.slot_key and r.volunteer_id == taking.id for r in rows)
    grid = client.get("/week/2022-06-13/").content.decode()
    assert '<sup class="lock">' in grid


def test_a_replacement_the_rules_forbid_is_refused_with_the_reason(office: Any) -> None:
    client, _, ops = office
    draft(client)
    row = seat_of(ops)
    # Someone on leave that day cannot take the seat.
    other = next(
        v for v in ops.current_plan().volunteers
        if v.unit == row.unit and v.id != row.volunteer_id and not v.leader
        and row.date.weekday() not in v.unavailable
    )  # fmt: skip
    ops.add_leave(other.id, row.date, row.date, "出差")
    response = client.post(
        "/week/2022-06-13/replace/",
        {"slot": row.slot_key, "person": row.volunteer_id, "taking": other.id},
        follow=True,
    )
    assert "leave" in response.content.decode()
    rows = ops._rows(seat_of_version(ops))
    assert not any(r.slot_key == row.slot_key and r.volunteer_id == other.id for r in rows)


def test_publish_shows_whom_to_tell_then_every_notice_to_copy_or_download(office: Any) -> None:
    client, _, ops = office
    draft(client)
    page = client.get("/week/2022-06-13/publish/").content.decode()
    people = {r.volunteer_id for r in ops._rows(seat_of_version(ops))}
    assert f"Whom to tell ({len(people)})" in page
    assert page.count('class="primary"') == 2  # Publish at the top and at the end
    response = client.post("/week/2022-06-13/publish/")
    assert response["Location"] == "/week/2022-06-13/notices/"
    notices = client.get("/week/2022-06-13/notices/").content.decode()
    assert notices.count('class="copy"') == len(people)
    assert notices.count("Link: http://127.0.0.1/ical/") == len(people)
    download = client.get("/week/2022-06-13/notices/", {"download": "xlsx"})
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None and sheet.max_row == len(people) + 1
    assert ops.latest(WEEK).number == 1
    again = client.post("/week/2022-06-13/publish/", follow=True).content.decode()  # back, resend
    assert "version 1 was published by" in again and ops.latest(WEEK).number == 1


def test_the_grid_shows_gaps_in_red_with_their_reason(office: Any) -> None:
    client, _, ops = office
    plan = ops.current_plan()
    unit = "渣土所"
    for v in plan.volunteers:
        if v.unit == unit:
            ops.add_leave(v.id, date(2022, 6, 13), date(2022, 6, 19), "集中培训")
    draft(client)
    grid = client.get("/week/2022-06-13/", {"unit": unit}).content.decode()
    assert 'class="slot gap"' in grid
    assert "missing" in grid


def test_pages_of_the_week_are_the_office_s(office: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile

    user = get_user_model().objects.create_user("李伟", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.UNIT, unit="渣土所")
    contact = Client(HTTP_HOST="127.0.0.1")
    contact.force_login(user)
    for url in ("/week/", "/week/2022-06-13/", "/week/2022-06-13/publish/", "/jobs/1/"):
        assert contact.get(url).status_code == 403
    assert contact.post("/week/", {"week": "2022-06-15"}).status_code == 403


def test_the_dashboard_shows_the_week_and_the_next_and_what_the_draft_would_change(
    office: Any,
) -> None:
    client, folder, ops = office
    draft(client)
    people = {r.volunteer_id for r in ops._rows(seat_of_version(ops))}
    page = html.unescape(client.get("/").content.decode())
    # The campaign is over by the clock: the weeks shown are the one drafted and the next.
    assert "The week of 2022-06-13 to 2022-06-19" in page
    assert "The week of 2022-06-20 to 2022-06-26" in page
    assert "not published yet" in page
    assert f"it changes {len(people)} people's duties" in page
    ops.publish_week(folder, WEEK)
    ops.add_leave("ZT001", date(2022, 6, 14), date(2022, 6, 15), "病假")
    page = client.get("/").content.decode()
    assert "version 1 published by" in page and "a draft is waiting" not in page
    assert "病假" in page and "2022-06-14–2022-06-15" in page


def test_a_week_outside_the_campaign_says_so_and_offers_no_draft(office: Any) -> None:
    client, _, _ = office
    page = client.get("/week/2023-02-27/").content.decode()
    assert "outside the campaign (2021-09-27 to 2022-12-31)" in page
    assert "Draft this week" not in page
    refused = client.post("/week/", {"week": "2023-03-01"}, follow=True).content.decode()
    assert "outside the campaign" in refused


def test_pages_are_never_cached_and_a_dead_personal_link_says_what_to_do(office: Any) -> None:
    from django.test import Client

    client, _, _ = office
    assert client.get("/week/")["Cache-Control"] == "no-store"
    dead = Client(HTTP_HOST="127.0.0.1").get("/me/not-a-token/")
    assert dead.status_code == 404 and "Ask your unit's contact" in html.unescape(
        dead.content.decode()
    )
    assert dead["Cache-Control"] == "no-store"
