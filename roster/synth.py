"""`roster synth`: a deterministic synthetic city (or province) in the normal input format.

For benchmarks and demonstrations at a scale no real table is published at. Realistic rather than
uniform: unit sizes are skewed (a few large bureaus, many small offices), each unit's weekly demand
is its size times a random load, and the mix of duties follows the seed's table: community visits
(4 h, leader), intersections (8 people in a morning and an evening window, leader), road segments
(1 h, 2 people) and parks (daily evening window, three weekend windows). Some areas list two
candidate units; a few percent of volunteers have leave; about one in eight leads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from roster.fileio import csv_text, write_text
from roster.i18n import tr
from roster.tables import DUTIES

START, END = date(2021, 9, 27), date(2022, 12, 31)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DEPARTMENTS = _words(
    "城管局 住建局 教育局 卫健局 财政局 税务局 公安分局 交通运输局 文旅广体局 "
    "民政局 人社局 自然资源局 生态环境分局 市场监管局 应急管理局 水利局 "
    "农业农村局 商务局 统计局 审计局 司法局 退役军人事务局 医保局 供销社 "
    "总工会 团委 妇联 科协 残联 工商联 发改局 工信局 园林中心 环卫所 "
    "市政中心 供水公司 燃气公司 供电公司 邮政公司 移动公司"
)
DISTRICTS = _words("市 东城区 西城区 南城区 北城区 高新区 经开区 新城区 老城区 滨江区")
WORDS = _words(
    "和平 建设 解放 人民 幸福 光明 新华 东风 朝阳 长安 文化 胜利 红旗 "
    "团结 民主 友谊 金桥 青山 白云 桂花 书院 状元 南岳 蔡伦 雁城 湘江 "
    "耒水 莲花 梅园 竹林 松柏 枫林 石鼓 珠晖 蒸湘 华新 金龙 凤凰 龙泉 "
    "玉泉 清泉 春晖 晨曦 育才 兴隆 振兴 开元 太平 永安 广德 宝盖 双桥 "
    "三湘 五一"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞红建文辉鑫波宁斌宇浩凯琳晨欣雪婷"
CITIES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"

REQUIREMENT = {
    "联社区": "不少于2人去一次联点社区，每次确保4小时以上在社区履行联社区工作。",
    "包路口": "至少安排八名志愿者上岗，劝导行人闯红灯、非机动车越线等不文明行为，疏导交通。",
    "包路段": "打扫环境卫生，参与文明劝导，帮助提升市民素质。",
    "包重点场所": "打扫环境卫生，劝导不文明行为，参与治安巡防。",
}
DUTY_HEADER = DUTIES.chinese_header("valid_from", "valid_to")
WEEKDAYS = ("每周一", "每周二", "每周三", "每周四", "每周五")


@dataclass
class City:
    """The tables of a synthetic city, as rows ready for CSV."""

    name: str
    units: list[tuple[str, str, str]] = field(default_factory=list)
    volunteers: list[tuple[str, ...]] = field(default_factory=list)
    duties: list[tuple[str, ...]] = field(default_factory=list)
    leave: list[tuple[str, str, str, str, str]] = field(default_factory=list)


class _Names:
    """Unique names from word lists, numbered once the combinations run out."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, make: str) -> str:
        name, n = make, 2
        while name in self.used:
            name = f"{make}{n}"
            n += 1
        self.used.add(name)
        return name


def _sizes(rng: random.Random, units: int, volunteers: int) -> list[int]:
    """Skewed unit sizes (lognormal), at least 6 each, summing to `volunteers`."""
    weights = [rng.lognormvariate(0, 0.7) for _ in range(units)]
    floor = min(6, volunteers // units)
    spare = volunteers - floor * units
    sizes = [floor + int(spare * w / sum(weights)) for w in weights]
    for i in range(volunteers - sum(sizes)):
        sizes[i % units] += 1
    return sizes


def synth(units: int, volunteers: int, seed: int, cities: int = 1) -> City:
    """A city of `units` units and `volunteers` volunteers (split over `cities` when > 1)."""
    if units < 1 or volunteers < 6 * units:
        raise ValueError(tr("need at least one unit and 6 volunteers per unit"))
    rng = random.Random(seed)
    city = City("示范市创建全国文明城市志愿服务" if cities == 1 else "示范省创建文明城市志愿服务")
    areas = _Names()
    sizes = _sizes(rng, units, volunteers)
    number = 0
    unit_names: list[str] = []
    for u in range(units):
        prefix = f"{CITIES[u * cities // units]}市" if cities > 1 else ""
        per = len(DEPARTMENTS)
        district = DISTRICTS[(u // per) % len(DISTRICTS)]
        name = f"{prefix}{district}{DEPARTMENTS[u % per]}"
        if u >= per * len(DISTRICTS):
            name += str(u // (per * len(DISTRICTS)) + 1)
        unit_names.append(name)
    for u, (name, size) in enumerate(zip(unit_names, sizes, strict=True)):
        people = []
        for k in range(size):
            number += 1
            vid = f"V{number:06d}"
            person = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
            leader = k < 2 or rng.random() < 0.1
            cap = rng.choice(("4", "8")) if rng.random() < 0.1 else ""
            roll = rng.random()
            busy = "周六、周日" if roll < 0.06 else rng.choice("一二三四五") if roll < 0.1 else ""
            busy = f"周{busy}" if len(busy) == 1 else busy
            phone = f"139{number:08d}"
            people.append((vid, person, name, phone, "是" if leader else "", cap, busy))
        prefix = name[:2] if cities > 1 else ""
        before = len(city.duties)
        _duties(rng, city, areas, name, size, unit_names[(u + 1) % units], prefix)
        # A unit appoints enough team leaders for the duties that need one: a leader can lead one
        # 4-hour visit a week within the weekly cap, and intersection windows need one each.
        visits = sum(1 for d in city.duties[before:] if d[0] == "联社区")
        crossings = len({d[1] for d in city.duties[before:] if d[0] == "包路口"})
        wanted = min(size, visits + crossings + 2)
        leaders = sum(p[4] == "是" for p in people)
        for k, p in enumerate(people):
            if leaders >= wanted:
                break
            if p[4] != "是" and not p[5]:
                people[k] = (*p[:4], "是", *p[5:])
                leaders += 1
        city.volunteers.extend(people)
        city.units.append((name, people[0][1], people[0][3]))
    _leave(rng, city)
    return city


def _duties(
    rng: random.Random,
    city: City,
    areas: _Names,
    unit: str,
    size: int,
    neighbour: str,
    prefix: str,
) -> None:
    """Areas for one unit until its weekly demand reaches its size times a random load."""
    target = size * rng.uniform(0.5, 1.3)  # person-hours per week
    demand = 0.0
    kinds = ["联社区"]  # every unit visits a community
    while demand < target:
        if demand == 0.0 and kinds == ["联社区"]:
            kind = "联社区"
            kinds = []
        else:
            roll = rng.random()
            kind = (
                "包路口"
                if roll < 0.15 and size >= 24
                else "包重点场所"
                if roll < 0.35
                else "联社区"
                if roll < 0.55
                else "包路段"
            )
        word = rng.choice(WORDS)
        units = f"{unit}、{neighbour}" if rng.random() < 0.05 and neighbour != unit else unit
        if kind == "联社区":
            area = areas.take(f"{prefix}{word}社区")
            start = rng.choice(("08:30", "14:30"))
            end = "12:30" if start == "08:30" else "18:30"
            city.duties.append(
                _row(kind, area, unit, rng.choice(WEEKDAYS), start, end, "全年", 2, True)
            )
            demand += 8
        elif kind == "包路口":
            other = rng.choice(WORDS)
            area = areas.take(f"{prefix}{word}路与{other}路交叉路口")
            day = rng.choice(WEEKDAYS)
            city.duties.append(_row(kind, area, unit, day, "07:30", "08:30", "全年", 8, True))
            city.duties.append(_row(kind, area, unit, day, "17:30", "18:30", "夏季", 8, True))
            city.duties.append(_row(kind, area, unit, day, "17:00", "18:00", "冬季", 8, True))
            demand += 16
        elif kind == "包路段":
            a, b = rng.sample(WORDS, 2)
            area = areas.take(f"{prefix}{word}路({a}路口至{b}路口)")
            day = rng.choice(WEEKDAYS)
            city.duties.append(_row(kind, area, units, day, "17:00", "18:00", "夏季", 2, False))
            city.duties.append(_row(kind, area, units, day, "16:30", "17:30", "冬季", 2, False))
            demand += 2
        else:
            area = areas.take(f"{prefix}{word}{rng.choice(('公园', '广场'))}")
            rows = (
                ("周一至周五", "19:00", "20:00"),
                ("周六、周日", "09:00", "10:00"),
                ("周六、周日", "16:00", "17:00"),
                ("周六、周日", "19:00", "20:00"),
            )
            for days, start, end in rows:
                city.duties.append(
                    _row(kind, area, units, days, start, end, "全年", 2, False, "按休息日")
                )
            demand += 22


def _row(
    kind: str,
    area: str,
    units: str,
    days: str,
    start: str,
    end: str,
    season: str,
    people: int,
    leader: bool,
    holidays: str = "不安排",
) -> tuple[str, ...]:
    return (
        kind,
        area,
        units,
        days,
        start,
        end,
        season,
        str(people),
        str(people),
        "是" if leader else "否",
        holidays,
        "按工作日",
        REQUIREMENT[kind],
    )


def _leave(rng: random.Random, city: City) -> None:
    """About 3% of volunteers take 1–10 days of leave somewhere in the campaign."""
    days = (END - START).days
    reasons = ("病假", "事假", "外出培训", "年休假")
    for vid, name, *_ in city.volunteers:
        if rng.random() < 0.03:
            first = START + timedelta(days=rng.randrange(days))
            last = min(END, first + timedelta(days=rng.randrange(10)))
            city.leave.append((vid, name, first.isoformat(), last.isoformat(), rng.choice(reasons)))


def write_city(city: City, out: Path) -> None:
    """The city as a data folder: the CSV tables and settings.toml."""
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "units.csv", csv_text(("责任单位", "联系人", "联系电话"), city.units))
    write_text(
        out / "volunteers.csv",
        csv_text(
            ("编号", "姓名", "所属单位", "联系电话", "带队", "每周上限小时", "不可值班日"),
            city.volunteers,
        ),
    )
    write_text(out / "duties.csv", csv_text(DUTY_HEADER, city.duties))
    write_text(
        out / "leave.csv", csv_text(("编号", "姓名", "开始日期", "结束日期", "事由"), city.leave)
    )
    write_text(
        out / "settings.toml",
        "# "
        + tr("A synthetic city written by roster synth; every name and number is made up.")
        + "\n"
        f'name = "{city.name}"\nstart = {START.isoformat()}\nend = {END.isoformat()}\n'
        'timezone = "Asia/Shanghai"\nweekly_cap_hours = 6\ndaily_cap_hours = 4\n'
        "travel_buffer_minutes = 30\n",
    )
