"""What the solver and the application layer say reads in Chinese by default, as a clerk would
write it, and in English with ROSTER_LANG=en: the reasons of the gaps, the conflicts of --strict,
the roster checker's violations, the status words and the refusals of a hand-edited roster."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from application import RotateRequest, SolveRequest, check_roster, rotate_links, solve_roster
from application.outputs import OutputRequest, write_conflicts, write_tables
from roster.assignments import AssignmentRow
from roster.errors import InputError
from roster.i18n import speaking
from roster.model import Leave, Plan, Volunteer
from solver import Params, Status, explain, refute, rules
from solver.parts import Part
from solver.prepare import make_parts
from solver.solve import _solve_one, _start_worker, _unpack, solve
from tests.solver_helpers import MONDAY, duty, make_plan, one_person_two_slots, part_of, people

from .conftest import english_words, read_rows

WEDNESDAY = date(2022, 6, 15)
WEEK = (date(2022, 6, 13), date(2022, 6, 19))
GARDEN = "园林事务中心"
CROSSING = "蔡池路与群英路交叉路口"

# The issue's example, word for word: the sample's intersection on 2022-06-15 07:30.
EXAMPLE = (
    "2022-06-15 07:30–08:30 蔡池路与群英路交叉路口 需 8 人，园林事务中心 只有 6 人有空："
    "孙桂（病假）、周志军（事假）请假"
)


def _eight_gardeners(plan: Plan) -> Plan:
    """园林事务中心 down to its first 8 volunteers; 周志军 is away all week (事假, in the
    sample) and 孙桂 falls ill on Wednesday: 6 of 8 are free for the intersection's 8 seats."""
    keep = set(sorted(v.id for v in plan.volunteers if v.unit == GARDEN)[:8])
    assert {"YL004", "YL007"} <= keep  # 孙桂 and 周志军
    volunteers = tuple(v for v in plan.volunteers if v.unit != GARDEN or v.id in keep)
    leave = tuple(
        x for x in plan.leave if not x.volunteer_id.startswith("YL") or x.volunteer_id in keep
    )
    ill = Leave("YL004", WEDNESDAY, WEDNESDAY, "病假")
    return replace(plan, volunteers=volunteers, leave=(*leave, ill))


def _thirteen_on_leave(plan: Plan) -> Plan:
    """All 20 of 园林事务中心, 13 of them ill on Wednesday besides 周志军's week away."""
    garden = [v.id for v in plan.volunteers if v.unit == GARDEN and v.id != "YL007"]
    ill = tuple(Leave(vid, WEDNESDAY, WEDNESDAY, "病假") for vid in garden[:13])
    return replace(plan, leave=(*plan.leave, *ill))


def _crossing_gap(plan: Plan, strict: bool = False):
    solved = solve_roster(SolveRequest(plan, *WEEK, strict=strict, workers=1))
    return solved, [g for g in solved.gaps if g.area == CROSSING and g.start == 7 * 60 + 30]


def _values(plan: Plan) -> list[str]:
    """The data a text may quote: names, units, areas, duties, leave reasons."""
    return [
        *(v.name for v in plan.volunteers),
        *(u.name for u in plan.units),
        *(d.area for d in plan.duties),
        *(d.kind for d in plan.duties),
        *(x.reason for x in plan.leave),
    ]


def test_a_gap_reason_reads_in_chinese_as_the_issue_writes_it(
    sample_plan: Plan, tmp_path: Path
) -> None:
    plan = _eight_gardeners(sample_plan)
    with speaking("zh_Hans"):
        solved, (gap,) = _crossing_gap(plan)
        out = tmp_path / "out"
        out.mkdir()
        request = OutputRequest(plan, solved.rows, solved.gaps, *WEEK, out, out)
        _, shortfalls = write_tables(request)
    assert gap.reason == EXAMPLE
    rows = read_rows(shortfalls)
    assert [r[-1] for r in rows if r[4] == CROSSING and r[1] == "07:30"] == [EXAMPLE]


def test_the_same_gap_reads_in_english(sample_plan: Plan) -> None:
    with speaking("en"):
        _, (gap,) = _crossing_gap(_eight_gardeners(sample_plan))
    assert gap.reason == (
        "园林事务中心 has only 6 volunteers free on 2022-06-15 07:30–08:30 "
        "at 蔡池路与群英路交叉路口, 8 needed; 2 on leave: 孙桂 (病假)、周志军 (事假)"
    )


def test_a_long_list_of_people_on_leave_names_eight_and_counts_the_rest(
    sample_plan: Plan,
) -> None:
    plan = _thirteen_on_leave(sample_plan)
    with speaking("zh_Hans"):
        _, (gap,) = _crossing_gap(plan)
    first, _, rest = gap.reason.partition("；")  # then the missing leader
    assert first == (
        "2022-06-15 07:30–08:30 蔡池路与群英路交叉路口 需 8 人，园林事务中心 只有 6 人有空："
        "谭平（病假）、汪桐新（病假）、杨辉（病假）、孙桂（病假）、史丽兰（病假）、钟娜（病假）、"
        "周志军（事假）、薛宁燕（病假）等另外 6 人请假"
    )
    assert rest == "需要带队人：3 名带队人中有 0 人有空，没空的是 谭平、汪桐新、杨辉"
    assert english_words(gap.reason, _values(plan)) == []


def test_a_travel_buffer_clash_says_there_is_no_time_to_travel() -> None:
    """One person on 路口甲 07:30–08:30; 路口乙 at 08:45 is 15 minutes away with a 30-minute
    travel buffer, at 08:00 it is at the same time."""
    too_close, same_time = one_person_two_slots("08:45"), one_person_two_slots("08:00")
    with speaking("zh_Hans"):
        (travel,) = explain.shortfalls(too_close, {0: [0]})
        (overlap,) = explain.shortfalls(same_time, {0: [0]})
    assert travel.reason == (
        "2022-06-15 08:45–09:45 路口乙 需 1 人，单位甲 有 1 人有空："
        "志愿者V1（路口甲 07:30–08:30）在别处另有值班，时间相隔太近，来不及赶过来"
    )
    assert overlap.reason == (
        "2022-06-15 08:00–09:00 路口乙 需 1 人，单位甲 有 1 人有空：志愿者V1同一时间另有值班"
    )
    with speaking("en"):
        (travel,) = explain.shortfalls(too_close, {0: [0]})
        (overlap,) = explain.shortfalls(same_time, {0: [0]})
    assert travel.reason.endswith(
        "; 1 on a duty elsewhere too close in time to travel between: 志愿者V1 (路口甲 07:30–08:30)"
    )
    assert "overlapping" not in travel.reason
    assert overlap.reason.endswith("; 1 on overlapping duties: 志愿者V1")


def _two_areas(b: str, **settings: object) -> Part:
    """A one-hour Wednesday duty at 路口甲 from 07:30 and another at 路口乙 from `b`."""
    end = f"{int(b[:2]) + 1:02d}{b[2:]}"
    return part_of(
        make_plan(
            people(2),
            [
                duty("每周三", "07:30", "08:30", area="路口甲"),
                duty("每周三", b, end, area="路口乙"),
            ],
            **settings,
        )
    )


def test_the_roster_checker_names_each_broken_rule_in_chinese() -> None:
    both = {(0, 0), (1, 0)}
    with speaking("zh_Hans"):
        (same_time,) = rules.check(_two_areas("08:00"), both)
        (too_close,) = rules.check(_two_areas("08:45"), both)
        (day,) = rules.check(_two_areas("17:30", daily_cap_hours=1), both)
    assert same_time.text == (
        "志愿者V1（V1）排在 2022-06-15 08:00–09:00 包路口 路口乙，"
        "与 2022-06-15 07:30–08:30 包路口 路口甲 时间重叠"
    )
    assert too_close.text == (
        "志愿者V1（V1）排在 2022-06-15 08:45–09:45 包路口 路口乙，"
        "与 2022-06-15 07:30–08:30 包路口 路口甲 相隔太近，来不及在两地之间赶路"
    )
    assert day.text == (
        "志愿者V1（V1）排在 2022-06-15 17:30–18:30 包路口 路口乙，"
        "使 2022-06-15 的值班达到 120 分钟，超过每日上限 60 分钟"
    )
    with speaking("en"):
        (same_time,) = rules.check(_two_areas("08:00"), both)
        (too_close,) = rules.check(_two_areas("08:45"), both)
    assert same_time.text.endswith(", which overlaps 2022-06-15 07:30–08:30 包路口 路口甲")
    assert too_close.text.endswith(
        ", which leaves too little time to travel from 2022-06-15 07:30–08:30 包路口 路口甲"
    )


def test_the_roster_checker_names_leave_weekdays_and_headcounts_in_chinese() -> None:
    vols = [
        Volunteer("V1", "甲", "单位甲"),
        Volunteer("V2", "乙", "单位甲", unavailable=frozenset({2})),
        Volunteer("V3", "丙", "单位甲"),
    ]
    away = (Leave("V3", WEDNESDAY, WEDNESDAY, "病假"),)
    part = part_of(make_plan(vols, [duty("每周三", "07:30", "08:30", max_people=1)], away))
    with speaking("zh_Hans"):
        texts = [v.text for v in rules.check(part, {(0, 0), (0, 1), (0, 2)}, rules.ALL)]
    assert texts == [
        "乙（V2）不能在周三值班，却排在 2022-06-15 07:30–08:30 包路口 路口甲",
        "丙（V3）请假（病假），却排在 2022-06-15 07:30–08:30 包路口 路口甲",
        "2022-06-15 07:30–08:30 包路口 路口甲 排了 3 人，超过最多人数 1",
    ]


def test_strict_conflicts_read_in_chinese_in_conflicts_txt(
    sample_plan: Plan, tmp_path: Path
) -> None:
    plan = _eight_gardeners(sample_plan)
    with speaking("zh_Hans"):
        solved, _ = _crossing_gap(plan, strict=True)
        path = write_conflicts(tmp_path, solved.result.conflicts)
    assert solved.infeasible
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "duties.csv，第 3 行：包路口 蔡池路与群英路交叉路口 2022-06-15 07:30–08:30 需 8 人，"
        "园林事务中心 有 6 人有空：孙桂（病假）、周志军（事假）请假",
        "duties.csv，第 4 行：包路口 蔡池路与群英路交叉路口 2022-06-15 17:30–18:30 需 8 人，"
        "园林事务中心 有 6 人有空：孙桂（病假）、周志军（事假）请假",
    ]
    with speaking("en"):
        solved, _ = _crossing_gap(plan, strict=True)
    assert solved.result.conflicts[0] == (
        "duties.csv, row 3: 包路口 蔡池路与群英路交叉路口 needs 8 people on 2022-06-15 "
        "07:30–08:30; 园林事务中心 has 6 volunteers free on 2022-06-15 07:30–08:30, 8 needed; "
        "2 on leave: 孙桂 (病假)、周志军 (事假)"
    )


def test_a_conflict_found_by_counting_hours_reads_in_chinese(sample_plan: Plan) -> None:
    """Every weekly cap of 渣土所 at 1 h: 14 h for the 22 h of its park that week."""
    capped = tuple(
        replace(v, weekly_cap_hours=1.0) if v.unit == "渣土所" else v
        for v in sample_plan.volunteers
    )
    plan = replace(sample_plan, volunteers=capped)
    _, parts, _ = make_parts(plan, *WEEK, Params(workers=1, strict=True))
    (part,) = [p for p in parts if p.unit == "渣土所"]
    with speaking("zh_Hans"):
        (text,) = explain.counting_conflicts(part, refute.shortages(part))
    assert text.startswith(
        "渣土所 在 2022-06-13 起的那一周共需值班 22 小时（duties.csv 第 14、15、16、17 行），"
        "但它的 14 名志愿者最多只能出 14 小时：吕静杰、崔超、"
    )
    assert text.endswith("每周上限 1 小时")
    assert english_words(text, _values(plan)) == []


def _leader_tied_up() -> Part:
    """The one leader fills their 2-hour cap with Monday's and Tuesday's leader seats; Wednesday
    needs two and only 乙 can do Wednesdays: every count passes, the relaxation refutes."""
    vols = [
        Volunteer("V1", "甲", "单位甲", leader=True, weekly_cap_hours=2.0),
        Volunteer("V2", "乙", "单位甲", weekly_cap_hours=1.0),
        Volunteer("V3", "丙", "单位甲", weekly_cap_hours=1.0, unavailable=frozenset(range(1, 7))),
    ]
    seats = [
        duty("每周一", "08:00", "09:00", area="路口甲", leader_required=True),
        duty("每周二", "08:00", "09:00", area="路口甲", leader_required=True),
        duty("每周三", "08:00", "09:00", area="路口乙", min_people=2, max_people=2),
    ]
    return part_of(make_plan(vols, seats))


def test_the_relaxations_and_the_time_limits_conflicts_read_in_chinese() -> None:
    part = _leader_tied_up()
    with speaking("zh_Hans"):
        (relaxed,) = explain.relaxation_conflict(part)
        gaps = explain.shortfalls(part, {0: [0], 1: [0], 2: [1]})
        (unproven,) = explain.unstaffed(part, gaps)
        (nothing,) = explain.unstaffed(part, ())
    assert relaxed == (
        "单位甲 从 2022-06-13 到 2022-06-15 无法排满所有岗位：即使把每个人的时间按比例拆开分配，"
        "也满足不了所有规则；志愿者的工时上限、请假和不能值班的日子、时间冲突的值班，加上带队岗位"
        "只能由带队人担任，留下的余地太小：乙每周上限 1 小时；甲每周上限 2 小时；"
        "丙不能在周二、周三值班"
    )
    assert unproven == (
        "在限定时间内没能排满（并未证明排不满；加大 --time-limit 也许能找到排班）："
        "包路口 路口乙 2022-06-15 08:00–09:00：需 2 人，只排到 1 人；"
        "2022-06-15 08:00–09:00 路口乙 需 2 人，单位甲 有 2 人有空："
        "丙不能在周三值班；甲已到每日或每周工时上限"
    )
    assert nothing.endswith("：单位甲：完全没有找到排班")


def test_status_words_say_what_is_proven_in_chinese_and_stay_as_they_were_in_english() -> None:
    with speaking("zh_Hans"):
        chinese = {s: s.label for s in Status}
    with speaking("en"):
        english = {s: s.label for s in Status}
    assert chinese[Status.OPTIMAL] == "已证明不可能更公平"
    assert chinese[Status.FEASIBLE] == "找到的方案，未证明最优"
    assert all(english_words(text) == [] for text in chinese.values())
    assert english == {s: s.value for s in Status}


def _row(start: str, area: str, volunteer: str, line: int, leader: bool = False) -> AssignmentRow:
    h, m = map(int, start.split(":"))
    return AssignmentRow(
        MONDAY,
        h * 60 + m,
        area,
        volunteer,
        h * 60 + m + 60,
        "包路口",
        "单位甲",
        leader=leader,
        line=line,
    )


def test_a_hand_edited_roster_is_refused_in_chinese() -> None:
    vols = [*people(2), Volunteer("W1", "外单位的人", "单位乙")]
    plan = make_plan(
        vols,
        [
            duty("周一", "07:00", "08:00", area="路口甲"),
            duty("周一", "07:00", "08:00", "路口乙", units=("单位乙",)),
        ],
    )
    rows = [
        _row("07:00", "路口甲", "V1", 2, leader=True),
        _row("07:00", "路口甲", "V1", 3),
        _row("07:00", "路口甲", "W1", 4),
        _row("07:00", "路口甲", "ZZ9", 5),
        _row("06:00", "路口甲", "V2", 6),
    ]
    with speaking("zh_Hans"):
        problems = [str(p) for p in check_roster(plan, rows, MONDAY, MONDAY, "assignments.csv")]
    assert problems == [
        "assignments.csv，第 2 行，leader 列：志愿者V1 不是带队人：实际为 “1”；"
        "应为 只有带队为“是”的志愿者，leader 才能填 1",
        "assignments.csv，第 3 行，volunteer_id 列：志愿者V1 在这个班次上出现了两次：实际为 “V1”；"
        "应为 每人每个班次只写一行（第 2 行已经有了）",
        "assignments.csv，第 4 行，volunteer_id 列：外单位的人 是另一个单位（单位乙）的志愿者："
        "实际为 “W1”；应为 单位甲 的志愿者（路口甲 由 单位甲 负责）",
        "assignments.csv，第 5 行，volunteer_id 列：没有这位志愿者：实际为 “ZZ9”；"
        "应为 志愿者表中的编号",
        "assignments.csv，第 6 行，date 列：责任分工表中没有这个班次："
        "实际为 “2022-06-13 06:00–07:00 包路口 路口甲”；应为 责任分工表中 2022-06-13 至 2022-06-13 "
        "之间的值班时段；请对照 `roster slots` 核对 date、start、end、duty 和 area",
    ]


def test_rotating_the_link_of_an_unknown_volunteer_is_refused_in_chinese(
    sample_plan: Plan, tmp_path: Path
) -> None:
    with speaking("zh_Hans"), pytest.raises(InputError) as refused:
        rotate_links(RotateRequest(sample_plan, tmp_path, ("ZZ999",), "volunteers.csv"))
    (problem,) = refused.value.problems
    with speaking("zh_Hans"):
        text = str(problem)
    assert (
        text
        == "volunteers.csv，volunteer_id 列：没有这位志愿者：实际为 “ZZ999”；应为 志愿者表中的编号"
    )


def test_a_part_solved_in_a_worker_process_speaks_the_callers_language(
    sample_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker started afresh (as on Windows) reads only ROSTER_LANG; the caller's language is
    sent when it starts."""
    monkeypatch.setenv("ROSTER_LANG", "en")
    plan = _eight_gardeners(sample_plan)
    params = Params(workers=1)
    _, parts, _ = make_parts(plan, *WEEK, params)
    (part,) = [p for p in parts if p.unit == GARDEN]
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=((), "zh_Hans"),
    ) as pool:
        result = _unpack(part, pool.submit(_solve_one, (0, part, params)).result())
    (first, *_) = result.shortfalls
    assert first.reason == EXAMPLE


def test_the_whole_solve_in_chinese_leaves_no_english_word(sample_plan: Plan) -> None:
    plan = _eight_gardeners(sample_plan)
    with speaking("zh_Hans"):
        result = solve(plan, *WEEK, Params())
    reasons = [s.reason for s in result.shortfalls]
    assert reasons and all(english_words(r, _values(plan)) == [] for r in reasons)
