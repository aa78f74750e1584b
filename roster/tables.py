"""The input tables: their columns, Chinese and English headers, defaults and help text.

One source of truth for the readers (which header means which column), the Excel template
(headers, drop-down lists, the explanation sheet) and the README's column reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roster.i18n import N_
from roster.model import DayKind, HolidayPolicy, MakeupPolicy, Season


@dataclass(frozen=True)
class Column:
    key: str  # the English header, and the field name in the domain model
    zh: str  # the Chinese header the template writes
    help: str  # what goes in it, in Chinese, for the template's explanation sheet
    required: bool = False
    default: str = ""  # what a blank cell means, as shown to users (N_-marked where it has words)
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # the template's drop-down list


@dataclass(frozen=True)
class Table:
    name: str
    file: str  # the file name in a data folder
    sheets: tuple[str, ...]  # sheet names accepted in a workbook, the template's first
    columns: tuple[Column, ...]
    may_be_empty: bool = False

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def chinese_header(self, *leave_out: str) -> tuple[str, ...]:
        """The Chinese header a data folder's file is written with, but the columns `leave_out`
        (keys): the files roster makes (synth, import) write it."""
        return tuple(c.zh for c in self.columns if c.key not in leave_out)

    def header_map(self) -> dict[str, str]:
        """Normalized header spelling → column key."""
        out: dict[str, str] = {}
        for c in self.columns:
            for spelling in (c.key, c.zh, *c.aliases):
                out[normalize_header(spelling)] = c.key
        return out


def normalize_header(text: str) -> str:
    """Headers match ignoring case, spaces (the seed writes '时  间'), '*' marks and brackets."""
    text = re.sub(r"[\s\u3000*＊]+", "", str(text)).lower()
    return re.sub(r"[（(][^）)]*[）)]$", "", text) or text


SEASONS = {
    "all": Season.ALL,
    "全年": Season.ALL,
    "summer": Season.SUMMER,
    "夏季": Season.SUMMER,
    "夏": Season.SUMMER,
    "winter": Season.WINTER,
    "冬季": Season.WINTER,
    "冬": Season.WINTER,
}
HOLIDAY_POLICIES = {
    "skip": HolidayPolicy.SKIP,
    "不安排": HolidayPolicy.SKIP,
    "暂停": HolidayPolicy.SKIP,
    "run": HolidayPolicy.RUN,
    "照常": HolidayPolicy.RUN,
    "照常安排": HolidayPolicy.RUN,
    "按星期": HolidayPolicy.RUN,
    "rest": HolidayPolicy.REST,
    "按休息日": HolidayPolicy.REST,
    "按周末": HolidayPolicy.REST,
}
MAKEUP_POLICIES = {
    "workday": MakeupPolicy.WORKDAY,
    "按工作日": MakeupPolicy.WORKDAY,
    "calendar": MakeupPolicy.CALENDAR,
    "按星期": MakeupPolicy.CALENDAR,
    "按原星期": MakeupPolicy.CALENDAR,
}
DAY_KINDS = {
    "holiday": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "normal": DayKind.NORMAL,
    "正常": DayKind.NORMAL,
}

DUTY_KINDS = ("联社区", "包路口", "包路段", "包重点场所")

DUTIES = Table(
    "duties",
    "duties.csv",
    ("责任分工表", "duties", "责任分工"),
    (
        Column(
            "kind",
            "工作任务",
            "工作任务，如 联社区、包路口、包路段、包重点场所",
            True,
            aliases=("duty", "任务", "任务类型"),
            choices=DUTY_KINDS,
        ),
        Column(
            "area",
            "责任区域",
            "责任区域：社区、路口、路段或场所的名称",
            True,
            aliases=("区域", "地点"),
        ),
        Column(
            "unit",
            "责任单位",
            "责任单位；可由几个单位中选一个承担时，用“、”分隔列出",
            True,
            aliases=("units", "单位"),
        ),
        Column(
            "days",
            "时间",
            "哪些日子：每天、工作日、休息日、周末、周一、周一至周五、每月最后一个周五，"
            "或 RRULE:FREQ=MONTHLY;BYDAY=-1FR；多个用逗号分隔",
            True,
            aliases=("日期", "值班日", "星期", "weekdays"),
        ),
        Column("start", "开始时间", "开始时间，HH:MM，如 07:30", True, aliases=("开始", "from")),
        Column(
            "end",
            "结束时间",
            "结束时间，HH:MM，如 08:30（不跨午夜，最晚 24:00）",
            True,
            aliases=("结束", "to"),
        ),
        Column(
            "season",
            "季节",
            "全年、夏季或冬季（夏季起止见设置）",
            default=N_("all（全年）"),
            choices=("全年", "夏季", "冬季"),
        ),
        Column(
            "min_people",
            "最少人数",
            "每个时段至少需要的人数，如 8 或 八名",
            default="1",
            aliases=("人数", "要求人数", "最少", "min"),
        ),
        Column(
            "max_people",
            "最多人数",
            "每个时段最多安排的人数",
            default="同最少人数",
            aliases=("最多", "max"),
        ),
        Column(
            "leader_required",
            "需带队",
            "是否需要一名带队人员（带班领导）：是/否",
            default=N_("no（否）"),
            aliases=("带队", "leader"),
            choices=("是", "否"),
        ),
        Column(
            "holidays",
            "节假日",
            "法定节假日当天：不安排；按休息日（只安排周六、周日都有的时段）；或 照常（按星期）",
            default=N_("skip（不安排）"),
            aliases=("法定节假日", "holiday"),
            choices=("不安排", "按休息日", "照常"),
        ),
        Column(
            "makeup",
            "调休上班日",
            "调休上班的周六、周日：按工作日（只安排周一至周五都有的时段）或 按星期",
            default=N_("workday（按工作日）"),
            aliases=("调休",),
            choices=("按工作日", "按星期"),
        ),
        Column(
            "valid_from",
            "起始日期",
            "本行从哪天起有效（活动阶段），YYYY-MM-DD",
            default="活动开始日",
            aliases=("生效日期", "有效期起"),
        ),
        Column(
            "valid_to",
            "截止日期",
            "本行到哪天止有效，YYYY-MM-DD",
            default="活动结束日",
            aliases=("失效日期", "有效期止"),
        ),
        Column(
            "requirement",
            "要求",
            "志愿者要做什么、带什么（会写进日历提醒）",
            aliases=("requirements", "工作要求"),
        ),
    ),
)

UNITS = Table(
    "units",
    "units.csv",
    ("单位", "units", "责任单位"),
    (
        Column(
            "name",
            "责任单位",
            "单位名称，与责任分工表、志愿者表中的写法一致",
            True,
            aliases=("unit", "单位", "单位名称"),
        ),
        Column("contact", "联系人", "单位联系人"),
        Column("phone", "联系电话", "联系人电话", aliases=("电话",)),
    ),
)

VOLUNTEERS = Table(
    "volunteers",
    "volunteers.csv",
    ("志愿者", "volunteers"),
    (
        Column(
            "id",
            "编号",
            "志愿者编号，不可重复",
            True,
            aliases=("volunteer_id", "工号", "志愿者编号"),
        ),
        Column("name", "姓名", "姓名", True),
        Column("unit", "所属单位", "所属的责任单位", True, aliases=("责任单位", "单位")),
        Column("phone", "联系电话", "手机号码（带队人员必填）", aliases=("电话", "手机")),
        Column(
            "leader",
            "带队",
            "能否担任带队人员：是/否",
            default=N_("no（否）"),
            aliases=("带班领导", "是否带队", "leader"),
            choices=("是", "否"),
        ),
        Column(
            "weekly_cap_hours",
            "每周上限小时",
            "每周最多值班小时数",
            default=N_("设置中的 weekly_cap_hours"),
            aliases=("weekly_cap", "每周上限"),
        ),
        Column(
            "unavailable", "不可值班日", "固定不能值班的星期，如 周三、周六", aliases=("不可值班",)
        ),
    ),
)

LEAVE = Table(
    "leave",
    "leave.csv",
    ("请假", "leave"),
    (
        Column("volunteer_id", "编号", "请假志愿者的编号", True, aliases=("id", "志愿者编号")),
        Column("name", "姓名", "姓名（仅供核对，与编号不符时提示）"),
        Column("start", "开始日期", "请假开始日期（含当天）", True, aliases=("from", "起")),
        Column("end", "结束日期", "请假结束日期（含当天）", True, aliases=("to", "止")),
        Column("reason", "事由", "请假事由", aliases=("原因",)),
    ),
    may_be_empty=True,
)

HOLIDAYS = Table(
    "holidays",
    "holidays.csv",
    ("节假日调整", "holidays"),
    (
        Column("date", "日期", "日期，YYYY-MM-DD", True),
        Column(
            "kind",
            "类型",
            "节假日（放假）、调休上班 或 正常",
            True,
            aliases=("type",),
            choices=("节假日", "调休上班", "正常"),
        ),
        Column("name", "名称", "节日名称，如 国庆节"),
    ),
    may_be_empty=True,
)

SETTINGS = Table(
    "settings",
    "settings.toml",
    ("设置", "settings"),
    (
        Column("name", "活动名称", "活动名称，印在花名册标题上", aliases=("campaign",)),
        Column("start", "开始日期", "活动开始日期", True, aliases=("campaign_start",)),
        Column("end", "结束日期", "活动结束日期", True, aliases=("campaign_end",)),
        Column("timezone", "时区", "时区", default="Asia/Shanghai"),
        Column("summer_start", "夏季开始", "夏季作息开始（月-日）", default="05-01"),
        Column("summer_end", "夏季结束", "夏季作息结束（月-日，含当天）", default="09-30"),
        Column(
            "weekly_cap_hours",
            "每周上限小时",
            "每人每周最多值班小时数（志愿者表可单独设置）",
            default="6",
        ),
        Column("daily_cap_hours", "每日上限小时", "每人每天最多值班小时数", default="4"),
        Column(
            "travel_buffer_minutes",
            "路途间隔分钟",
            "同一人在两个不同区域的值班之间至少留出的分钟数",
            default="30",
        ),
        Column(
            "calendar_years",
            "自备日历年份",
            "节假日数据包未覆盖、已在节假日调整表中完整列出的年份，如 2027",
        ),
        Column(
            "feed_base_url",
            "订阅地址",
            "日历订阅文件（ical 文件夹）发布的网址，如 https://example.org/roster/ical",
        ),
        Column(
            "feed_refresh_hours",
            "订阅刷新小时",
            "手机日历每隔多少小时刷新一次订阅（部分日历应用自行决定）",
            default="2",
        ),
        Column(
            "reminder_minutes",
            "提醒提前分钟",
            "在日历中提前多少分钟提醒；不填则不提醒（许多日历应用会忽略订阅中的提醒）",
        ),
        Column(
            "sign_in_opens_minutes",
            "签到提前分钟",
            "带队人在值班开始前多少分钟可以开始签到",
            default="30",
        ),
        Column(
            "sign_in_closes_hours",
            "签到截止小时",
            "值班结束后多少小时内还可以补签到",
            default="24",
        ),
        Column(
            "yearly_target_hours",
            "服务时长目标",
            "每位志愿者每个日历年的服务时长目标（小时）；不填则不设目标",
        ),
        Column(
            "swaps_without_office",
            "换班无需审批",
            "同事接受换班后是否不经办公室确认即生效（是/否）",
            default="否",
        ),
    ),
)

# The key/value columns of a settings sheet in a workbook.
SETTINGS_SHEET = Table(
    "settings",
    "settings",
    ("设置", "settings"),
    (
        Column("key", "设置项", "设置项", True, aliases=("setting", "项目")),
        Column("value", "值", "值", True, aliases=("取值",)),
    ),
)

ALL_TABLES = (DUTIES, UNITS, VOLUNTEERS, LEAVE, HOLIDAYS)
