"""Published responsibility tables for the tests, laid out as bureaus publish them.

`leiyang_docx` is the seed's table as its Word attachment: the title and the period above it,
numbered duty names, the 工作任务, 时间 and 要求 cells merged over the rows of their places, the
header typed again where the second page begins. The other three are fictional bureaus' tables
in other wording: daily patrols (.docx), monthly clean-ups (.xlsx with merged cells below a
merged title row) and weekend publicity (Excel's "Unicode text": UTF-16, tab-separated).
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

HEADER = ("工作任务", "时  间", "责任区域", "要  求", "责任单位")
PARK = (
    "①打扫环境卫生。做到责任区域无果皮纸屑、无砖瓦土石、无污泥积水、无油渍杂物，绿化带内无烟头、"
    "纸屑等垃圾废弃物。②参与文明劝导。对责任场所范围乱停乱放、乱摆乱占、乱搭乱建、乱挖乱种等各种"
    "不文明行为积极进行劝导。③帮助提升素质。④参与治安巡防。"
)
# (duty, time paragraphs, [(area, unit)], requirement)
LEIYANG = (
    (
        "一、联社区",
        ["每周一"],
        [("牌楼社区", "局机关")],
        "不少于2人去一次联点社区，每次确保4小时以上在社区履行联社区工作",
    ),
    (
        "二、包主要交通路口",
        ["每周三早上7:30至8:30，下午17:30至18:30（夏季）17:00至18:00（冬季）"],
        [("蔡池路与群英路交叉路口", "园林事务中心")],
        "至少安排八名志愿者上岗，统一配备服装、引导红旗、口哨",
    ),
    (
        "三、包重点场所",
        [
            "星期一至星期五：",
            "19:00至20:00，",
            "星期六至星期天：",
            "上午9:00至10:00，下午16:00至17:00、晚上19:00至20:00",
        ],
        [("马阜岭公园", "环卫所"), ("狮子岭公园", "市政服务中心"), ("西湖游园", "渣土所")],
        PARK,
    ),
    None,  # the header again: the second page
    (
        "四、包路段",
        ["每周五下午17:00至18:00（夏季）16:30至17:30（冬季）"],
        [
            ("马阜岭公园园区", "局机关"),
            ("狮子岭公园园区", "局机关"),
            ("西湖游园园区", "局机关"),
            ("五一路(蔡伦路口至金华路口)", "局机关"),
            ("双月路(群英路至蔡伦路)", "园林事务中心"),
            ("神农路(107国道至白云路口)", "市政服务中心"),
            ("神农路(城北路口至大桥路口)", "环卫所"),
        ],
        PARK,
    ),
)


def _text(cell: object, paragraphs: list[str]) -> None:
    cell.text = paragraphs[0]  # type: ignore[attr-defined]
    for more in paragraphs[1:]:
        cell.add_paragraph(more)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    props = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    props.append(mark)


def leiyang_docx(path: Path) -> Path:
    """The seed's table as the bureau's Word attachment."""
    document = docx.Document()
    document.add_paragraph("附件：耒阳市城管局“衡阳群众”耒阳志愿者联社区、促文明责任分工表")
    document.add_paragraph("耒阳市城管局“衡阳群众”耒阳志愿者联社区、促文明责任分工表")
    document.add_paragraph("（2021年9月20日至2022年12月31日）")
    rows = sum(1 if g is None else len(g[2]) for g in LEIYANG) + 1
    table = document.add_table(rows=rows, cols=5)
    table.style = "Table Grid"
    for i, text in enumerate(HEADER):
        table.cell(0, i).text = text
    _repeat_header(table.rows[0])
    r = 1
    for group in LEIYANG:
        if group is None:
            for i, text in enumerate(HEADER):
                table.cell(r, i).text = text
            r += 1
            continue
        duty, times, places, requirement = group
        first, last = r, r + len(places) - 1
        for column, paragraphs in ((0, [duty]), (1, times), (3, [requirement])):
            cell = (
                table.cell(first, column).merge(table.cell(last, column))
                if last > first
                else (table.cell(first, column))
            )
            _text(cell, paragraphs)
        for area, unit in places:
            table.cell(r, 2).text = area
            table.cell(r, 4).text = unit
            r += 1
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(str(path))
    return path


def patrols_docx(path: Path) -> Path:
    """Daily patrols, a fictional market bureau: 序号 column, other headers, Chinese times."""
    document = docx.Document()
    document.add_paragraph("青溪市市场监督管理局志愿者日常巡查责任分工表")
    document.add_paragraph("（2023年3月1日至2023年12月31日）")
    rows = [
        ("序号", "工作任务", "工作时间", "责任点位", "工作要求", "牵头单位"),
        (
            "1",
            "日常巡查",
            "每天上午9点至11点半，下午3点到5点",
            "青溪步行街",
            "每天派出4—5名志愿者巡查食品摊点",
            "市场科",
        ),
        (
            "2",
            "日常巡查",
            "工作日晚上7点半-8点半",
            "东门夜市",
            "每班不少于3人，劝导占道经营",
            "执法大队",
        ),
        ("3", "日常巡查", "每天早上7:00至8:00", "农贸市场", "检查活禽“三分离”", "市场科"),
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def cleanups_xlsx(path: Path) -> Path:
    """Monthly clean-ups, a fictional housing bureau: a merged title row, merged duty cells."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件"
    ws.append(["白沙县住房和城乡建设局每月环境卫生大扫除安排表"])
    ws.merge_cells("A1:E1")
    ws.append(["2024年1月1日至2024年12月31日"])
    ws.merge_cells("A2:E2")
    ws.append(["任务", "活动时间", "地点", "具体要求", "责任部门"])
    ws.append(
        ["(一)背街小巷大扫除", "每月最后一个周五下午", "解放巷", "组织十名干部职工清扫", "城建股"]
    )
    ws.append(["", "", "和平巷", "", "物业办"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("D4:D5")
    ws.append(
        ["(二)小区楼道清理", "每月第一个周一上午9:00至11:00", "翠园小区", "不少于6人", "城建股"]
    )
    wb.save(path)
    return path


def publicity_txt(path: Path, bad: bool = False) -> Path:
    """Weekend publicity, a fictional culture bureau, saved by Excel as "Unicode text"."""
    lines = [
        "红枫区文化旅游体育局文明宣传志愿服务安排",
        "（2023年5月1日至2023年10月31日）",
        "工作任务\t时间\t责任区域\t要求\t责任单位",
        "文明宣传\t周末上午9:00-11:00\t人民广场\t每次确保2小时以上，安排5名志愿者发放宣传册\t文化馆",
        "文明宣传\t双休日下午2点至4点\t滨江公园\t3名\t图书馆",
    ]
    if bad:
        lines.append("文明宣传\t每逢集日上午\t东关集市\t2人\t文化馆")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    return path
