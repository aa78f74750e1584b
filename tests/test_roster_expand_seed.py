"""Calendar expansion on real dates of the Leiyang campaign (2021-09-27 to 2022-12-31)."""

from __future__ import annotations

from datetime import date

from roster.expand import Slot, expand
from roster.model import Plan

ROADS = {
    "马阜岭公园园区",
    "狮子岭公园园区",
    "西湖游园园区",
    "五一路(蔡伦路口至金华路口)",
    "双月路(群英路至蔡伦路)",
    "神农路(107国道至白云路口)",
    "神农路(城北路口至大桥路口)",
}
PARKS = {"马阜岭公园", "狮子岭公园", "西湖游园"}


def day(plan: Plan, d: date, kind: str | None = None) -> list[Slot]:
    return [s for s in expand(plan, d, d) if kind is None or s.kind == kind]


def windows(slots: list[Slot]) -> list[str]:
    return sorted({s.window for s in slots})


def test_winter_wednesday_has_the_intersection_at_0730_and_1700(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2021, 12, 1), "包路口")
    assert windows(slots) == ["07:30–08:30", "17:00–18:00"]
    assert all(s.min_people == 8 and s.leader_required for s in slots)
    assert {s.units for s in slots} == {("园林事务中心",)}


def test_summer_wednesday_has_the_intersection_at_0730_and_1730(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2022, 6, 15), "包路口")
    assert windows(slots) == ["07:30–08:30", "17:30–18:30"]


def test_winter_friday_has_the_seven_road_segments_at_1630(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2021, 12, 3), "包路段")
    assert {s.area for s in slots} == ROADS
    assert windows(slots) == ["16:30–17:30"]


def test_summer_friday_has_the_seven_road_segments_at_1700(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2022, 6, 17), "包路段")
    assert {s.area for s in slots} == ROADS
    assert windows(slots) == ["17:00–18:00"]


def test_saturday_has_each_park_at_0900_1600_1900(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2022, 6, 18), "包重点场所")
    for park in PARKS:
        assert windows([s for s in slots if s.area == park]) == [
            "09:00–10:00",
            "16:00–17:00",
            "19:00–20:00",
        ]


def test_weekday_evening_has_each_park_at_1900_only(sample_plan: Plan) -> None:
    slots = day(sample_plan, date(2022, 6, 14), "包重点场所")
    assert {s.area for s in slots} == PARKS
    assert windows(slots) == ["19:00–20:00"]


def test_monday_has_the_four_hour_community_visit(sample_plan: Plan) -> None:
    (visit,) = day(sample_plan, date(2022, 6, 13), "联社区")
    assert (visit.area, visit.window, visit.min_people) == ("牌楼社区", "08:30–12:30", 2)


def test_nothing_before_the_campaign_starts_or_after_it_ends(sample_plan: Plan) -> None:
    slots = expand(sample_plan, date(2021, 9, 1), date(2023, 1, 31))
    assert min(s.date for s in slots) == date(2021, 9, 27)
    assert max(s.date for s in slots) == date(2022, 12, 31)
    assert expand(sample_plan, date(2021, 9, 20), date(2021, 9, 26)) == ()
    assert expand(sample_plan, date(2023, 1, 1), date(2023, 1, 7)) == ()


def test_national_day_holiday_skips_weekday_duties_and_runs_parks_as_rest_days(
    sample_plan: Plan,
) -> None:
    # 2021-10-01..07 is the National Day holiday. The intersection (Wed 10-06), the road segments
    # (Fri 10-01) and the community visit (Mon 10-04) say 不安排; the parks say 按休息日 and so
    # keep their weekend windows even on the weekdays of the holiday.
    for d in (date(2021, 10, n) for n in range(1, 8)):
        slots = day(sample_plan, d)
        assert {s.kind for s in slots} == {"包重点场所"}, d
        assert windows(slots) == ["09:00–10:00", "16:00–17:00", "19:00–20:00"], d
        assert all(s.holiday == "国庆节" for s in slots)


def test_makeup_saturday_follows_the_working_day_pattern(sample_plan: Plan) -> None:
    # Saturday 2021-10-09 is a make-up working day (调休上班): the parks run their Mon–Fri
    # evening window, not their Saturday windows.
    slots = day(sample_plan, date(2021, 10, 9))
    assert {s.kind for s in slots} == {"包重点场所"}
    assert windows(slots) == ["19:00–20:00"]


def test_ordinary_saturday_after_the_makeup_day_is_a_weekend_again(sample_plan: Plan) -> None:
    assert windows(day(sample_plan, date(2021, 10, 16))) == [
        "09:00–10:00",
        "16:00–17:00",
        "19:00–20:00",
    ]


def test_slots_are_sorted_and_keyed_stably(sample_plan: Plan) -> None:
    slots = expand(sample_plan, date(2022, 6, 13), date(2022, 6, 19))
    assert list(slots) == sorted(slots)
    keys = [s.key for s in slots]
    assert len(keys) == len(set(keys))
    assert "2022-06-15T07:30/包路口/蔡池路与群英路交叉路口" in keys
