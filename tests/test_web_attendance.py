"""Leaders and hours from the browser's side: the sign-in sheet (the leader's alone, within its
window), the hours credited by it, the service-hours page, who is behind the yearly target, the
planner asked to prefer them, and the report for the volunteer app (报备) compared with the
recorded rows. A real workspace and database; Django's client."""

from __future__ import annotations

import html
import io
import re
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import SAMPLE

WEEK = date(2022, 6, 13)
NEXT = date(2022, 6, 20)
DAY = date(2022, 6, 15)
PASSWORD = "Kx9-pass-word-77"
TARGET = 2  # hours a year: by 2022-06-15, 2 × 166 ÷ 365 h = 55 minutes


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
def office(workspace: tuple[Path, Any], tmp_path: Path) -> tuple[Any, Path, Any]:
    """The sample, with a yearly target of TARGET hours, its week of 2022-06-13 published."""
    folder, ops = workspace
    tables = tmp_path / "tables"
    shutil.copytree(SAMPLE, tables)
    with (tables / "settings.toml").open("a", encoding="utf-8") as f:
        f.write(f"\nyearly_target_hours = {TARGET}\n")
    return _workspace(folder, ops, tables), folder, ops


def contact(unit: str) -> Any:
    """A signed-in contact of `unit`."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile

    user = get_user_model().objects.create_user("李伟", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.UNIT, unit=unit)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def anonymous() -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def token_of(volunteer_id: str) -> str:
    """A page secret given to the volunteer directly."""
    from workspace.models import PageToken

    token = f"page-{volunteer_id}-secret-token-0123456789"
    PageToken.objects.get_or_create(
        volunteer_id=volunteer_id, defaults={"token": token, "rotated_at": "2022-06-01T00:00Z"}
    )
    return token


def big_slot(ops: Any) -> list[Any]:
    """The team (leader first) of the first slot of 2022-06-15 with a leader and 3 or more."""
    teams: dict[str, list[Any]] = defaultdict(list)
    for r in ops._rows(ops.latest(WEEK)):
        if r.date == DAY:
            teams[r.slot_key].append(r)
    team = next(t for t in teams.values() if any(r.leader for r in t) and len(t) >= 3)
    return sorted(team, key=lambda r: (not r.leader, r.volunteer_id))


def at(row: Any, minutes: int) -> str:
    """The moment `minutes` after the slot's start, as `?at=` takes it."""
    from datetime import datetime

    moment = datetime.combine(row.date, datetime.min.time()) + timedelta(
        minutes=row.start + minutes
    )
    return moment.strftime("%Y-%m-%dT%H:%M")


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def sheet_url(token: str) -> str:
    return f"/me/{token}/sign-in/"


def outsider(ops: Any, team: list[Any]) -> Any:
    """A volunteer of the team's unit not on the team."""
    ids = {r.volunteer_id for r in team}
    return next(v for v in ops.current_plan().volunteers_of(team[0].unit) if v.id not in ids)


# credited ------------------------------------------------------------------------------------


def test_credited_is_the_time_signed_in_within_the_window(workspace: tuple[Path, Any]) -> None:
    from workspace.attendance import credited  # Django configured by `workspace` for the models

    start, end = 7 * 60 + 30, 8 * 60 + 30
    assert credited(start, end, "present", None, None) == 60  # the whole slot
    assert credited(start, end, "late", 7 * 60 + 50, None) == 40  # from the arrival
    assert credited(start, end, "present", None, 8 * 60 + 10) == 40  # left early
    assert credited(start, end, "late", 7 * 60 + 45, 8 * 60 + 15) == 30  # both
    assert credited(start, end, "absent", 7 * 60 + 30, 8 * 60 + 30) == 0  # absent: nothing
    assert credited(start, end, "present", 7 * 60, None) == 60  # came early: from the start
    assert credited(start, end, "present", 6 * 60, 10 * 60) == 60  # never beyond the window
    assert credited(start, end, "late", 9 * 60, 10 * 60) == 0  # came after the end
    assert credited(start, end, "present", 6 * 60, 7 * 60) == 0  # left before the start


# The sheet -----------------------------------------------------------------------------------


def test_the_sheet_is_the_leaders_alone(office: Any) -> None:
    _, _, ops = office
    team = big_slot(ops)
    leader, member = team[0], team[1]
    key, moment = leader.slot_key, at(leader, 10)
    page = anonymous().get(sheet_url(token_of(leader.volunteer_id)), {"slot": key, "at": moment})
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert all(r.volunteer_name in text for r in team) and leader.area in text
    assert (
        anonymous().get(sheet_url(token_of(member.volunteer_id)), {"slot": key}).status_code == 403
    )
    assert anonymous().get(sheet_url("no-such-token"), {"slot": key}).status_code == 404
    wrong = key.replace(leader.area, "nowhere")
    assert (
        anonymous().get(sheet_url(token_of(leader.volunteer_id)), {"slot": wrong}).status_code
        == 404
    )
    assert (
        anonymous().get(sheet_url(token_of(leader.volunteer_id)), {"slot": "junk"}).status_code
        == 404
    )


def test_the_sheet_opens_and_closes_with_its_window(office: Any) -> None:
    from workspace.models import Attendance

    _, _, ops = office
    team = big_slot(ops)
    leader = team[0]
    url = sheet_url(token_of(leader.volunteer_id))
    form = {f"state-{r.volunteer_id}": "present" for r in team}
    browser = anonymous()
    early = at(leader, -31)  # the sheet opens 30 minutes before the start
    page = browser.get(url, {"slot": leader.slot_key, "at": early}).content.decode()
    assert "The sheet opens at" in page
    refused = browser.post(url + f"?slot={leader.slot_key}", {**form, "at": early})
    assert refused.status_code == 403 and not Attendance.objects.exists()
    late = at(leader, leader.end - leader.start + 24 * 60 + 1)  # closes 24 hours after the end
    assert (
        "The sheet closed at"
        in browser.get(url, {"slot": leader.slot_key, "at": late}).content.decode()
    )
    assert browser.post(url + f"?slot={leader.slot_key}", {**form, "at": late}).status_code == 403
    assert not Attendance.objects.exists()
    opened = at(leader, -30)
    saved = browser.post(url + f"?slot={leader.slot_key}", {**form, "at": opened})
    assert saved.status_code == 302 and Attendance.objects.count() == len(team)


def test_saving_makes_exactly_those_records(office: Any) -> None:
    from workspace.attendance import credited
    from workspace.models import Attendance

    _, _, ops = office
    team = big_slot(ops)
    leader, late, absent = team[0], team[1], team[2]
    others = team[3:]
    walker = outsider(ops, team)
    ops.add_leave(absent.volunteer_id, DAY, DAY, "病假")
    s, e = leader.start, leader.end
    form = {f"state-{r.volunteer_id}": "present" for r in team}
    form |= {
        f"arrived-{leader.volunteer_id}": hm(s - 20),  # came early: credited from the start
        f"state-{late.volunteer_id}": "late",
        f"arrived-{late.volunteer_id}": hm(s + 25),
        f"state-{absent.volunteer_id}": "absent",
        f"arrived-{absent.volunteer_id}": hm(s),  # an absent person's times are not kept
        "walkin-0": walker.id,
        "walkin-0-for": absent.volunteer_id,
        "walkin-0-left": hm(e - 10),  # left early
        "at": at(leader, 5),
    }
    if others:
        form[f"left-{others[0].volunteer_id}"] = hm(e + 45)  # beyond the end: the end
    url = sheet_url(token_of(leader.volunteer_id)) + f"?slot={leader.slot_key}"
    response = anonymous().post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    got = {a.volunteer_id: a for a in Attendance.objects.all()}
    assert set(got) == {r.volunteer_id for r in team} | {walker.id}
    expected = {
        leader.volunteer_id: ("present", s - 20, None, e - s),
        late.volunteer_id: ("late", s + 25, None, e - s - 25),
        absent.volunteer_id: ("absent", None, None, 0),
        walker.id: ("present", None, e - 10, e - s - 10),
    }
    if others:
        expected[others[0].volunteer_id] = ("present", None, e + 45, e - s)
    for vid, (state, arrived, left, minutes) in expected.items():
        a = got[vid]
        assert (a.state, a.arrived, a.left, a.credited) == (state, arrived, left, minutes), vid
        assert a.credited == credited(s, e, a.state, a.arrived, a.left)
    for a in got.values():
        assert a.recorded_by == leader.volunteer_id
        assert (a.date, a.start, a.end, a.duty, a.area) == (DAY, s, e, leader.duty, leader.area)
        assert a.on_leave == (a.volunteer_id == absent.volunteer_id)
        assert a.walk_in == (a.volunteer_id == walker.id)
    assert got[walker.id].stands_for == absent.volunteer_id and got[walker.id].unit == leader.unit
    # Saved again, the slot's records are replaced, not added to.
    form.pop("walkin-0")
    assert anonymous().post(url, form).status_code == 302
    assert set(Attendance.objects.values_list("volunteer_id", flat=True)) == {
        r.volunteer_id for r in team
    }


def test_bad_lines_are_refused_with_every_problem_and_nothing_saved(office: Any) -> None:
    from workspace.models import Attendance

    _, _, ops = office
    team = big_slot(ops)
    leader, late = team[0], team[1]
    stranger = next(v for v in ops.current_plan().volunteers if v.unit != leader.unit)
    form = {f"state-{r.volunteer_id}": "present" for r in team}
    form |= {
        f"state-{late.volunteer_id}": "late",  # without its time
        f"left-{leader.volunteer_id}": "25:99",
        "walkin-0": stranger.id,
        "at": at(leader, 5),
    }
    url = sheet_url(token_of(leader.volunteer_id)) + f"?slot={leader.slot_key}"
    response = anonymous().post(url, form)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "a late arrival needs its time" in page and late.volunteer_name in page
    assert "not a time" in page and "25:99" in page
    assert f"not a volunteer of {leader.unit}" in page
    assert not Attendance.objects.exists()


def sign_team_in(ops: Any) -> tuple[list[Any], Any]:
    """The big slot signed in: the leader present, one late by 20 minutes, one absent, a walk-in;
    the team's others present."""
    team = big_slot(ops)
    leader = team[0]
    walker = outsider(ops, team)
    form = {f"state-{r.volunteer_id}": "present" for r in team}
    form |= {
        f"state-{team[1].volunteer_id}": "late",
        f"arrived-{team[1].volunteer_id}": hm(leader.start + 20),
        f"state-{team[2].volunteer_id}": "absent",
        "walkin-0": walker.id,
        "at": at(leader, 5),
    }
    url = sheet_url(token_of(leader.volunteer_id)) + f"?slot={leader.slot_key}"
    assert anonymous().post(url, form).status_code == 302
    return team, walker


# Hours ---------------------------------------------------------------------------------------


def page_table(page: str, css: str) -> dict[str, list[str]]:
    """The rows of the table of class `css`, by their ID cell."""
    table = page.split(f'<table class="{css}">')[1].split("</table>")[0]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            out[cells[1] if css == "behind" and cells[0] == "" else cells[0]] = cells
    return out


def test_the_hours_page_sums_what_was_planned_and_recorded(office: Any) -> None:
    from workspace.models import Assignment, Attendance

    client, _, ops = office
    team, walker = sign_team_in(ops)
    page = client.get("/hours/", {"period": "week", "day": "2022-06-15"})
    assert page.status_code == 200
    rows = page_table(page.content.decode(), "hours")
    version = ops.latest(WEEK)
    planned: dict[str, int] = defaultdict(int)
    for r in Assignment.objects.filter(version=version):
        planned[r.volunteer_id] += r.end - r.start
    credited: dict[str, int] = defaultdict(int)
    for a in Attendance.objects.all():
        credited[a.volunteer_id] += a.credited
    assert set(rows) == {v.id for v in ops.current_plan().volunteers}
    for vid, cells in rows.items():
        assert float(cells[3]) == round(planned[vid] / 60, 2), vid
        assert float(cells[4]) == round(credited[vid] / 60, 2), vid
    assert float(rows[walker.id][4]) > 0 and float(rows[team[2].volunteer_id][4]) == 0
    # The month and the year hold the same records (one week published, one slot signed).
    for period in ("month", "year", "campaign"):
        other = page_table(
            client.get("/hours/", {"period": period, "day": "2022-06-15"}).content.decode(), "hours"
        )
        assert {k: v[4] for k, v in other.items()} == {k: v[4] for k, v in rows.items()}
    # Another week: nothing planned, nothing credited.
    empty = page_table(
        client.get("/hours/", {"period": "week", "day": "2022-06-22"}).content.decode(), "hours"
    )
    assert all(v[3] == v[4] == "0" for v in empty.values())


def test_a_unit_contact_sees_their_own_unit_only(office: Any) -> None:
    _, _, ops = office
    team, _ = sign_team_in(ops)
    unit = team[0].unit
    mine = contact(unit)
    rows = page_table(mine.get("/hours/", {"day": "2022-06-15"}).content.decode(), "hours")
    assert {r[2] for r in rows.values()} == {unit}
    other = next(u.name for u in ops.current_plan().units if u.name != unit)
    assert mine.get("/hours/", {"unit": other}).status_code == 403
    report = {"from": "2022-06-13", "to": "2022-06-19", "unit": other}
    assert mine.get("/hours/report.xlsx", report).status_code == 403
    assert (
        mine.post(
            "/hours/prefer/", {"volunteer": team[0].volunteer_id, "until": "2022-06-26"}
        ).status_code
        == 403
    )


def test_who_is_behind_the_target(office: Any) -> None:
    from workspace.attendance import expected_minutes
    from workspace.models import Attendance

    client, _, ops = office
    team, walker = sign_team_in(ops)
    expected = expected_minutes(TARGET, DAY)
    assert expected == round(TARGET * 60 * 166 / 365)
    page = client.get("/hours/", {"day": "2022-06-15"}).content.decode()
    behind = page_table(page, "behind")
    credited = {a.volunteer_id: a.credited for a in Attendance.objects.all()}
    want = {v.id for v in ops.current_plan().volunteers if credited.get(v.id, 0) < expected}
    assert set(behind) == want
    assert team[1].volunteer_id in want and team[2].volunteer_id in want  # late 20 min, absent
    assert team[0].volunteer_id not in want and walker.id not in want  # 60 minutes each
    assert "the days of 2022 so far" in html.unescape(page)


def test_without_a_target_nobody_is_behind(workspace: tuple[Path, Any]) -> None:
    folder, ops = workspace
    client = _workspace(folder, ops, SAMPLE)
    page = client.get("/hours/").content.decode()
    assert "sets no yearly target" in page and 'class="behind"' not in page


def planned_minutes(rows: Any, volunteer_id: str) -> int:
    return sum(r.end - r.start for r in rows if r.volunteer_id == volunteer_id)


def test_a_preferred_volunteer_gets_more_hours_in_the_next_draft(office: Any) -> None:
    from workspace.models import Preference

    client, folder, ops = office
    published = ops._rows(ops.latest(WEEK))
    plan = ops.current_plan()
    leaders = {v.id for v in plan.volunteers if v.leader}
    served = {v.id: planned_minutes(published, v.id) for v in plan.volunteers}
    before = ops.plan_week(folder, NEXT).solved.rows
    # The busiest of the first week, who the fairness then gives less the week after.
    chosen = max(
        (v for v in served if v not in leaders),
        key=lambda v: (served[v] - planned_minutes(before, v), v),
    )
    response = client.post(
        "/hours/prefer/", {"volunteer": chosen, "until": "2022-06-26", "back": "?day=2022-06-15"}
    )
    assert response.status_code == 302 and Preference.objects.get().volunteer_id == chosen
    after = ops.plan_week(folder, NEXT).solved.rows
    assert planned_minutes(after, chosen) > planned_minutes(before, chosen)
    cap = round(plan.weekly_cap(next(v for v in plan.volunteers if v.id == chosen)) * 60)
    assert planned_minutes(after, chosen) <= cap
    # A week after `until` drafts as without the preference; removed, the preference is gone.
    from workspace.preferences import preferred

    assert preferred(NEXT) == {chosen} and preferred(NEXT + timedelta(days=7)) == frozenset()
    client.post("/hours/prefer/remove/", {"volunteer": chosen})
    assert not Preference.objects.exists()


def test_preferring_nobody_or_an_unknown_id_is_refused(office: Any) -> None:
    from workspace.models import Preference

    client, _, _ = office
    page = client.post("/hours/prefer/", {"until": "2022-06-26"}, follow=True).content.decode()
    assert "nobody chosen" in page
    page = client.post(
        "/hours/prefer/", {"volunteer": "NOBODY", "until": "2022-06-26"}, follow=True
    )
    assert "no such volunteer" in page.content.decode()
    page = client.post("/hours/prefer/", {"volunteer": "JG001", "until": "2030-01-01"}, follow=True)
    assert "outside the campaign" in page.content.decode()
    assert not Preference.objects.exists()


# The report for the volunteer app ------------------------------------------------------------


def report_rows(client: Any, **query: str) -> tuple[list[str], list[list[Any]]]:
    response = client.get("/hours/report.xlsx", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(c) for c in rows[0]], rows[1:]


def test_the_report_is_exactly_the_credited_records(office: Any) -> None:
    from roster.i18n import tr
    from workspace.attendance import REPORT_COLUMNS
    from workspace.models import Attendance

    client, _, ops = office
    team, _ = sign_team_in(ops)
    header, rows = report_rows(client, **{"from": "2022-06-13", "to": "2022-06-19", "unit": ""})
    assert header == [tr(c) for c in REPORT_COLUMNS]
    recorded = [a for a in Attendance.objects.all() if a.credited > 0]
    assert len(rows) == len(recorded) == len(team)  # the absent out, the walk-in in
    by_person = {(r[0], r[1], r[2], r[8]): r for r in rows}
    assert len(by_person) == len(rows)  # one row per person per activity
    names = {v.id: v.name for v in ops.current_plan().volunteers}
    for a in recorded:
        r = by_person[(f"{a.duty}·{a.area}", a.date.isoformat(), hm(a.start), a.volunteer_id)]
        assert r[3:8] == [hm(a.end), a.area, a.unit, names[a.recorded_by], a.volunteer_name]
        assert float(r[9]) == round(a.credited / 60, 2)
    assert team[2].volunteer_id not in {r[8] for r in rows}
    # Another unit, another period: none of these rows.
    other = next(u.name for u in ops.current_plan().units if u.name != team[0].unit)
    assert report_rows(client, **{"from": "2022-06-13", "to": "2022-06-19", "unit": other})[1] == []
    assert report_rows(client, **{"from": "2022-06-20", "to": "2022-06-26"})[1] == []
    # A unit contact gets their own unit's.
    _, theirs = report_rows(contact(team[0].unit), **{"from": "2022-06-13", "to": "2022-06-19"})
    assert sorted(map(str, theirs)) == sorted(map(str, rows))


def test_the_report_in_chinese_and_a_bad_period(office: Any) -> None:
    from roster.i18n import CHINESE, speaking

    client, _, ops = office
    sign_team_in(ops)
    with speaking(CHINESE):
        client.post("/language/", {"language": "zh-hans", "next": "/hours/"})
        header, _ = report_rows(client, **{"from": "2022-06-13", "to": "2022-06-19"})
    assert header == ["活动名称", "日期", "开始时间", "结束时间", "地点", "单位", "负责人", "姓名",
                      "志愿者编号", "服务时长（小时）"]  # fmt: skip
    client.post("/language/", {"language": "en", "next": "/hours/"})
    page = client.get("/hours/report.xlsx", {"from": "2022-06-19", "to": "2022-06-13"}, follow=True)
    assert "The report needs its period" in page.content.decode()
