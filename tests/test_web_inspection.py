"""The inspectors' pages over a real workspace with a published week (2022-06-13 to 19): who is on
duty at a given time with the leaders' phones only, spot checks stored as entered, and the week's
ranking of the units recomputed here from the recorded rows, on the page and in the circular."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import SAMPLE

WEEK = date(2022, 6, 13)
PASSWORD = "Kx9-pass-word-77"


@pytest.fixture
def site(workspace: tuple[Path, Any]) -> dict[str, Any]:
    """The sample with its week of 2022-06-13 planned and published; signed-in clients of the
    office, an inspector and a unit contact."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile
    from workspace import config

    folder, ops = workspace
    ops.init(folder, SAMPLE)
    config.migrate()
    ops.plan_week(folder, WEEK)
    ops.publish_week(folder, WEEK)
    clients = {}
    for name, role, unit in (
        ("王芳", Profile.OFFICE, ""),
        ("周督查", Profile.INSPECTOR, ""),
        ("吴督查", Profile.INSPECTOR, ""),
        ("李伟", Profile.UNIT, "渣土所"),
    ):
        user = get_user_model().objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=user, role=role, unit=unit)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients[name] = client
    return {"ops": ops, "folder": folder, **clients}


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def slots_shown(page: str) -> list[tuple[str, str, str]]:
    """(when, duty, area) of each slot card on the on-duty page, in order."""
    cards = re.findall(
        r'<article class="duty-slot[^"]*">\s*<p class="time"><strong>([^<]+)</strong>.*?'
        r"<h2>([^<]+) · ([^<]+)</h2>",
        page,
        re.S,
    )
    return [(w, d, a) for w, d, a in cards]


def published(ops: Any) -> list[Any]:
    return list(ops._rows(ops.latest(WEEK)))


def expected_slots(ops: Any, at: datetime, hours: float) -> list[tuple[str, str, str]]:
    """Straight from the published rows: under way at `at`, or starting within `hours`."""
    until = at + timedelta(hours=hours)
    found = set()
    for r in published(ops):
        begins = datetime.combine(r.date, datetime.min.time()) + timedelta(minutes=r.start)
        ends = begins + timedelta(minutes=r.end - r.start)
        if begins <= at < ends or at < begins <= until:
            found.add((r.date, r.start, f"{r.date} {r.window}", r.duty, r.area))
    return [x[2:] for x in sorted(found, key=lambda x: (x[0], x[1], x[4], x[3]))]


def test_on_duty_lists_the_slots_under_way_and_starting_soon(site: dict[str, Any]) -> None:
    ops, inspector = site["ops"], site["周督查"]
    page = text(inspector.get("/duty/?at=2022-06-15T07:40"))
    # Wednesday 07:40: the crossing duty of 07:30–08:30 is under way, nothing else until 10:40.
    assert slots_shown(page) == [("2022-06-15 07:30–08:30", "包路口", "蔡池路与群英路交叉路口")]
    assert "under way" in page and "starts later" not in page
    team = [r for r in published(ops) if r.date == date(2022, 6, 15) and r.start == 450]
    assert len(team) == 8
    for r in team:
        assert r.volunteer_name in page
    # Friday 17:10, two hours ahead: seven road duties under way, three park duties at 19:00.
    at = datetime(2022, 6, 17, 17, 10)
    page = text(inspector.get("/duty/?at=2022-06-17T17:10&hours=2"))
    shown = slots_shown(page)
    assert shown == expected_slots(ops, at, 2) and len(shown) == 10
    assert page.count("starts later") == 3
    # One hour ahead: the 19:00 duties are not yet in view.
    assert len(slots_shown(text(inspector.get("/duty/?at=2022-06-17T17:10&hours=1")))) == 7
    # The night after the last duty of Sunday: nothing.
    page = text(inspector.get("/duty/?at=2022-06-19T21:00"))
    assert slots_shown(page) == [] and "Nobody is on duty in this time." in page


def test_on_duty_shows_the_leaders_phones_and_no_one_elses(site: dict[str, Any]) -> None:
    ops, inspector = site["ops"], site["周督查"]
    phones = {v.id: v.phone for v in ops.current_plan().volunteers}
    at = datetime(2022, 6, 17, 17, 10)
    page = text(inspector.get("/duty/?at=2022-06-17T17:10&hours=2"))
    shown = set(expected_slots(ops, at, 2))
    window = [r for r in published(ops) if (f"{r.date} {r.window}", r.duty, r.area) in shown]
    leaders = [r for r in window if r.leader]
    others = [r for r in window if not r.leader]
    assert leaders and others
    for r in leaders:
        assert f'href="tel:{phones[r.volunteer_id]}"' in page
    for r in others:
        assert phones[r.volunteer_id] not in page, r.volunteer_name
    # Every phone on the page is a leader's of the slots shown.
    tapped = set(re.findall(r'href="tel:([^"]+)"', page))
    assert tapped == {phones[r.volunteer_id] for r in leaders}


def test_on_duty_filters_by_area_and_by_unit(site: dict[str, Any]) -> None:
    inspector = site["周督查"]
    base = "/duty/?at=2022-06-17T17:10&hours=2"
    page = text(inspector.get(base + "&unit=局机关"))
    shown = slots_shown(page)
    assert len(shown) == 4 and all(d == "包路段" for _, d, _ in shown)
    assert '<option value="环卫所">' in page  # the other units stay to choose from
    page = text(inspector.get(base + "&area=西湖游园"))
    assert slots_shown(page) == [("2022-06-17 19:00–20:00", "包重点场所", "西湖游园")]
    page = text(inspector.get(base + "&area=西湖游园&unit=局机关"))
    assert slots_shown(page) == []


def test_on_duty_is_for_inspectors_and_the_office_with_the_city_feed(site: dict[str, Any]) -> None:
    ops = site["ops"]
    city = next(x for x in ops.links() if x.kind == "city")
    token = Path(city.path).name
    for name in ("周督查", "王芳"):
        page = text(site[name].get("/duty/?at=2022-06-15T07:40"))
        assert f"webcal://127.0.0.1/ical/{token}" in page
        assert "leader's phone" in page
        assert 'href="/duty/"' in page  # the header's link
    assert site["李伟"].get("/duty/").status_code == 403
    assert site["李伟"].get("/checks/").status_code == 403
    assert 'href="/duty/"' not in text(site["李伟"].get("/"))
    page = text(site["周督查"].get("/duty/?at=yesterday"))
    assert "not a date and time: yesterday" in page


def check_address(slot: Any) -> str:
    return (
        f"/duty/check/?date={slot.date}&start={slot.start}&duty={slot.duty}&area={slot.area}"
        "&at=2022-06-15T07:40"
    )


def test_a_spot_check_is_stored_as_entered_and_shown_to_the_office(
    site: dict[str, Any],
) -> None:
    from workspace.models import AuditEntry, SpotCheck

    ops, inspector = site["ops"], site["周督查"]
    page = text(inspector.get("/duty/?at=2022-06-15T07:40"))
    link = html.unescape(re.search(r'href="(/duty/check/[^"]+)"', page).group(1))  # type: ignore[union-attr]
    form = text(inspector.get(link))
    assert "People planned:" in form and '<strong class="planned">8</strong>' in form
    response = inspector.post(link, {"present": "6", "leader": "yes", "remarks": "两人未到岗"})
    assert response.status_code == 302 and response["Location"].startswith("/duty/?at=")
    check = SpotCheck.objects.get()
    assert (check.date, check.start, check.end) == (date(2022, 6, 15), 450, 510)
    assert (check.duty, check.area, check.unit) == (
        "包路口",
        "蔡池路与群英路交叉路口",
        "园林事务中心",
    )
    assert (check.planned, check.present, check.leader_present) == (8, 6, True)
    assert check.remarks == "两人未到岗" and check.inspector == "周督查" and not check.passed
    assert AuditEntry.objects.filter(action="spot check", who="周督查").exists()
    confirmed = text(inspector.get(response["Location"]))
    assert (
        "Check recorded: 包路口 at 蔡池路与群英路交叉路口 (园林事务中心), 6 of 8 present"
        in confirmed
    )
    # A second inspector's check of a Friday slot; it passes.
    slot = next(r for r in published(ops) if r.date == date(2022, 6, 17) and r.unit == "局机关")
    site["吴督查"].post(check_address(slot), {"present": "2", "leader": "yes", "remarks": ""})
    office = text(site["王芳"].get("/checks/"))
    rows = re.findall(r'<tr class="(passed|failed)">(.*?)</tr>', office, re.S)
    assert [r[0] for r in rows] == ["passed", "failed"]  # newest first
    assert "两人未到岗" in rows[1][1] and "周督查" in rows[1][1] and "吴督查" in rows[0][1]
    own = text(inspector.get("/checks/"))
    assert "两人未到岗" in own and "吴督查" not in own


def test_a_bad_spot_check_is_refused_on_the_page(site: dict[str, Any]) -> None:
    from workspace.models import SpotCheck

    ops, inspector = site["ops"], site["周督查"]
    slot = next(r for r in published(ops) if r.date == date(2022, 6, 15))
    page = text(inspector.post(check_address(slot), {"present": "many", "leader": "yes"}))
    assert "people present: not a number of people: many" in page
    page = text(inspector.post(check_address(slot), {"present": "3"}))
    assert "leader present: choose yes or no" in page
    assert not SpotCheck.objects.exists()
    unknown = "/duty/check/?date=2022-06-15&start=1&duty=包路口&area=nowhere"
    assert inspector.get(unknown).status_code == 404


# The ranking -----------------------------------------------------------------------------------


def record(row: Any, state: str, *, on_leave: bool = False, walk_in: bool = False,
           who: str = "", credited: int | None = None) -> Any:  # fmt: skip
    from workspace.models import Attendance

    minutes = row.end - row.start if state != "absent" else 0
    return Attendance.objects.create(
        date=row.date, start=row.start, end=row.end, duty=row.duty, area=row.area, unit=row.unit,
        volunteer_id=who or row.volunteer_id, volunteer_name=row.volunteer_name, state=state,
        credited=minutes if credited is None else credited, walk_in=walk_in, on_leave=on_leave,
        recorded_by="leader", recorded_at=datetime(2022, 6, 17, 12, 0).astimezone(),
    )  # fmt: skip


def spot(row: Any, planned: int, present: int, leader: bool) -> Any:
    from workspace.models import SpotCheck

    return SpotCheck.objects.create(
        date=row.date, start=row.start, end=row.end, duty=row.duty, area=row.area, unit=row.unit,
        planned=planned, present=present, leader_present=leader, inspector="周督查",
        checked_at=datetime(2022, 6, 17, 12, 0).astimezone(),
    )  # fmt: skip


def recorded_week(ops: Any) -> None:
    """Sign-in records and spot checks of the week, as leaders and inspectors would make them."""
    rows = published(ops)

    def of(unit: str) -> list[Any]:
        return [r for r in rows if r.unit == unit]

    jg, yl, hw = of("局机关"), of("园林事务中心"), of("环卫所")
    for r in jg[:6]:
        record(r, "present")
    record(jg[6], "late", credited=30)
    record(jg[7], "absent")  # without leave
    record(jg[8], "absent", on_leave=True)
    for r in yl[:8]:
        record(r, "present")
    record(yl[8], "absent")
    record(yl[9], "absent")
    record(yl[10], "present", walk_in=True, who="YL099")  # a stand-in: no planned seat
    for r in hw[:4]:
        record(r, "present", credited=45)
    spot(jg[0], 2, 2, True)
    spot(yl[0], 8, 6, True)  # failed: too few
    spot(yl[9], 2, 2, False)  # failed: no leader
    spot(hw[0], 2, 1, True)  # failed
    # Outside the week: neither counts.
    from workspace.models import Attendance, SpotCheck

    Attendance.objects.create(
        date=date(2022, 6, 20), start=510, end=750, duty="联社区", area="牌楼社区", unit="局机关",
        volunteer_id="JG001", volunteer_name="钱丽平", state="absent", recorded_by="JG001",
        recorded_at=datetime(2022, 6, 20, 12, 0).astimezone(),
    )  # fmt: skip
    SpotCheck.objects.create(
        date=date(2022, 6, 12), start=1140, end=1200, duty="包重点场所", area="西湖游园",
        unit="渣土所", planned=2, present=0, leader_present=False, inspector="周督查",
        checked_at=datetime(2022, 6, 12, 19, 30).astimezone(),
    )  # fmt: skip


def by_hand(ops: Any) -> dict[str, dict[str, Any]]:
    """Each unit's columns straight from the tables: Assignment and Gap rows of the published
    version, Attendance and SpotCheck rows of the week."""
    from workspace.models import Attendance, SpotCheck

    version = ops.latest(WEEK)
    week = (WEEK, WEEK + timedelta(days=6))
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: dict(
            slots=set(), gaps=set(), seats=0, attended=0, absent=0, checks=0, failed=0, minutes=0
        )
    )
    for a in version.rows.all():
        out[a.unit]["slots"].add((a.date, a.start, a.duty, a.area))
        out[a.unit]["seats"] += 1
        came = Attendance.objects.filter(
            date=a.date, start=a.start, duty=a.duty, area=a.area, volunteer_id=a.volunteer_id,
            state__in=["present", "late"],
        ).exists()  # fmt: skip
        out[a.unit]["attended"] += came
    for g in version.gaps.all():
        out[g.unit]["slots"].add((g.date, g.start, g.duty, g.area))
        out[g.unit]["gaps"].add((g.date, g.start, g.duty, g.area))
    for x in Attendance.objects.filter(date__range=week):
        out[x.unit]["absent"] += x.state == "absent" and not x.on_leave
        out[x.unit]["minutes"] += x.credited
    for c in SpotCheck.objects.filter(date__range=week):
        out[c.unit]["checks"] += 1
        out[c.unit]["failed"] += not (c.present >= c.planned and c.leader_present)
    return out


def test_the_ranking_is_what_was_recorded_number_for_number(site: dict[str, Any]) -> None:
    from workspace import ranking

    ops = site["ops"]
    recorded_week(ops)
    hand = by_hand(ops)
    result = ranking.week_ranking(date(2022, 6, 15))
    assert result is not None and result.version == 1
    assert {r.unit for r in result.results} == set(hand)
    for r in result.results:
        h = hand[r.unit]
        assert r.slots == len(h["slots"]) and r.staffed == len(h["slots"] - h["gaps"])
        assert (r.seats, r.attended) == (h["seats"], h["attended"])
        assert r.absent_without_leave == h["absent"]
        assert (r.checks, r.checks_failed) == (h["checks"], h["failed"])
        assert r.credited_minutes == h["minutes"]
    # The numbers made above, said once more plainly.
    units = {r.unit: r for r in result.results}
    jg, yl, hw = units["局机关"], units["园林事务中心"], units["环卫所"]
    assert (jg.seats, jg.attended, jg.absent_without_leave, jg.checks_failed) == (10, 7, 1, 0)
    assert jg.credited_minutes == 2 * 240 + 4 * 60 + 30
    assert (yl.seats, yl.attended, yl.absent_without_leave, yl.checks_failed) == (18, 8, 2, 2)
    assert (hw.seats, hw.attended, hw.checks_failed, hw.credited_minutes) == (24, 4, 1, 180)
    assert units["渣土所"].checks == 0  # its check was of the week before
    # The order: 局机关 70 %, 园林 44 %, 环卫所 17 %, then 渣土所 and 市政 at 0 % (tied).
    order = [r.unit for r in result.results]
    assert order[:3] == ["局机关", "园林事务中心", "环卫所"]
    assert [r.rank for r in result.results] == [1, 2, 3, 4, 4]


def test_the_ranking_page_and_its_circular_hold_the_same_numbers(site: dict[str, Any]) -> None:
    from workspace import ranking

    ops = site["ops"]
    recorded_week(ops)
    result = ranking.week_ranking(WEEK)
    assert result is not None
    page = text(site["王芳"].get("/ranking/?week=2022-06-15"))
    table = re.search(r'<table class="ranking">(.*?)</table>', page, re.S).group(1)  # type: ignore[union-attr]
    lines = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    expected = [
        [str(r.rank), r.unit, str(r.slots), str(r.staffed), str(r.seats), str(r.attended),
         r.rate_text, str(r.absent_without_leave), str(r.checks), str(r.checks_failed),
         f"{r.credited_hours:.1f}"]
        for r in result.results
    ]  # fmt: skip
    assert lines == expected
    assert lines[0][:7] == ["1", "局机关", "5", "5", "10", "7", "70.0%"]
    assert "Attendance rate: attended ÷ planned seats." in page
    # A unit contact may read it (it is circulated); the overview shows the top and bottom three.
    assert site["李伟"].get("/ranking/").status_code == 200
    overview = text(site["王芳"].get("/"))
    assert "Weekly ranking" in overview and 'href="/ranking/?week=2022-06-13"' in overview

    response = site["王芳"].get("/ranking/report.xlsx?week=2022-06-15")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    campaign = ops.current_plan().settings.name
    assert values[0][0] == f"Circular on the volunteer service of {campaign}"
    assert values[1][0] == "Period: 2022-06-13 to 2022-06-19 (published roster version 1)"
    assert values[3][:3] == ["Rank", "Unit", "Slots planned"]
    body = values[4 : 4 + len(result.results)]
    assert body == [
        [r.rank, r.unit, r.slots, r.staffed, r.seats, r.attended,
         pytest.approx(r.rate, rel=1e-12) if r.seats else "—",
         r.absent_without_leave, r.checks, r.checks_failed, round(r.credited_hours, 2)]
        for r in result.results
    ]  # fmt: skip
    notes = [v[0] for v in values[4 + len(result.results) :] if v[0]]
    assert notes[0] == "Notes:" and len(notes) == 1 + len(ranking.NOTES)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert site["王芳"].get("/ranking/report.xlsx?week=2022-08-01").status_code == 404


def test_the_order_is_the_documented_one() -> None:
    from workspace.ranking import Check, Record, Seat, rank

    day = date(2022, 6, 15)

    def seats(unit: str, n: int) -> list[Seat]:
        return [Seat(unit, day, 450, "包路口", unit, f"{unit}{k}") for k in range(n)]

    def came(unit: str, n: int, minutes: int = 60) -> list[Record]:
        return [
            Record(unit, day, 450, "包路口", unit, f"{unit}{k}", "present", credited=minutes)
            for k in range(n)
        ]

    planned = seats("A", 4) + seats("B", 4) + seats("C", 4) + seats("D", 4) + seats("E", 4)
    records = came("A", 3) + came("B", 3) + came("C", 3) + came("D", 3, 30) + came("E", 4)
    records.append(Record("B", day, 450, "包路口", "B", "B3", "absent"))  # B: an absence
    records.append(Record("C", day, 450, "包路口", "C", "C3", "absent", on_leave=True))
    checks = [Check("C", False), Check("A", True)]  # C: a failed check
    result = rank(planned, [], records, [*checks, Check("F", True)])
    # E 100 %; A and D 75 %, no absence, no failure: A more hours; C 75 %, a failed check;
    # B 75 % with an absence without leave comes after C (absences before checks); F planned
    # nothing: last.
    assert [r.unit for r in result] == ["E", "A", "D", "C", "B", "F"]
    assert [r.rank for r in result] == [1, 2, 3, 4, 5, 6]
    assert result[-1].rate is None and result[-1].rate_text == "—"


def test_the_pages_say_so_before_any_tables(workspace: tuple[Path, Any]) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.models import Profile
    from workspace import config

    workspace[0].mkdir(parents=True)  # a database with no tables imported yet
    config.migrate()
    user = get_user_model().objects.create_user("周督查", password=PASSWORD)
    Profile.objects.create(user=user, role=Profile.INSPECTOR)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    assert "No tables yet" in text(client.get("/duty/"))
    assert "No week has been published yet." in text(client.get("/ranking/"))
    assert "No spot checks yet." in text(client.get("/checks/"))
    assert client.get("/ranking/report.xlsx").status_code == 404


def test_a_team_planned_without_a_leader_cannot_fail_for_want_of_one(site: dict[str, Any]) -> None:
    from workspace.models import SpotCheck

    ops, inspector = site["ops"], site["周督查"]
    rows = published(ops)
    teams: dict[Any, list[Any]] = {}
    for r in rows:
        teams.setdefault((r.date, r.start, r.duty, r.area), []).append(r)
    team = next(t for t in teams.values() if not any(r.leader for r in t))
    form = text(inspector.get(check_address(team[0])))
    assert "planned without a leader" in form and 'name="leader" value="no"' not in form
    inspector.post(check_address(team[0]), {"present": str(len(team)), "leader": "no"})
    check = SpotCheck.objects.get()
    assert check.leader_present and check.passed
