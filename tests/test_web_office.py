"""The office's pages of tables, volunteers and leave, through Django's test client against a real
workspace made from the sample (SQLite, or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from .conftest import SAMPLE, folder_to_workbook

PASSWORD = "Kx9-pass-word-77"
SHEETS = {
    "duties.csv": "责任分工表",
    "units.csv": "单位",
    "volunteers.csv": "志愿者",
    "leave.csv": "请假",
    "settings.toml": "设置",
}


@pytest.fixture
def site(workspace: tuple[Path, Any]) -> tuple[Path, Any]:
    """A workspace made from the sample, with an office account, a contact of 渣土所 and an
    inspector."""
    folder, ops = workspace
    ops.init(folder, SAMPLE)
    from web.users import add

    add("王芳", "office", "", PASSWORD)
    add("李伟", "unit", "渣土所", PASSWORD)
    add("赵敏", "inspector", "", PASSWORD)
    return folder, ops


def signed_in(name: str, csrf: bool = False) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=csrf, SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=name))
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def workbook(tmp_path: Path, name: str = "plan.xlsx") -> Path:
    return folder_to_workbook(SAMPLE, tmp_path / name, SHEETS)


def upload(client: Any, path: Path, name: str | None = None) -> Any:
    with path.open("rb") as f:
        data = io.BytesIO(f.read())
    data.name = name or path.name
    return client.post("/tables/", {"file": data})


def uploads_left(folder: Path) -> list[Path]:
    root = folder / "uploads"
    return list(root.iterdir()) if root.is_dir() else []


def versions() -> int:
    from workspace.models import TableVersion

    return int(TableVersion.objects.count())


# Tables ----------------------------------------------------------------------------------------


def test_a_workbook_is_shown_as_understood_and_imported_only_when_confirmed(
    site: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, ops = site
    office = signed_in("王芳")
    sent = upload(office, workbook(tmp_path))
    assert sent.status_code == 302 and sent["Location"] == "/tables/preview/"
    shown = office.get("/tables/preview/")
    text = page(shown)
    assert shown.status_code == 200
    assert "period 2021-09-27 to 2022-12-31" in text and "2876 slots in the period" in text
    assert "2021-10-01 – 10-07" in text and "国庆节放假" in text and "调休上班" in text
    assert "蔡池路与群英路交叉路口" in text and "周三 17:30–18:30 夏季" in text
    assert "渣土所" in text and "26%" in text  # a unit's summer load
    assert "6 leave entries, 2021-11-29 to 2022-07-03" in text
    assert versions() == 1  # nothing imported yet
    token = office.session["tables_upload"]
    done = office.post("/tables/confirm/", {"token": token})
    assert done.status_code == 200, page(done)
    assert "table version 2: 0 duty rows added, 0 removed" in page(done)
    from workspace.models import TableVersion

    latest = TableVersion.objects.order_by("-number").first()
    assert versions() == 2 and latest is not None
    assert latest.imported_by == "王芳" and latest.file_name == "plan.xlsx"
    assert "tables_upload" not in office.session and uploads_left(folder) == []
    assert ops.audit()[-1].who == "王芳"


def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_imported(
    site: tuple[Path, Any], tmp_path: Path
) -> None:
    book = workbook(tmp_path)
    wb = load_workbook(book)
    wb["责任分工表"]["E3"] = "25:00"
    wb["志愿者"]["D7"] = "123"
    wb.save(book)
    office = signed_in("王芳")
    upload(office, book)
    shown = page(office.get("/tables/preview/"))
    assert "2 errors: nothing was changed" in shown
    assert "<td>plan.xlsx</td><td>责任分工表</td><td>3</td><td>开始时间 (E)</td>" in shown
    assert "<td>plan.xlsx</td><td>志愿者</td><td>7</td><td>联系电话 (D)</td>" in shown
    assert (
        "no such time of day" in shown and "25:00" in shown and "HH:MM from 00:00 to 23:59" in shown
    )
    assert "Import these tables" not in shown
    refused = office.post("/tables/confirm/", {"token": office.session["tables_upload"]})
    assert refused.status_code == 400 and versions() == 1


def test_a_published_table_is_previewed_under_the_name_it_was_uploaded_as(
    site: tuple[Path, Any],
) -> None:
    text = SAMPLE.parent.parent / "tests" / "data" / "official" / "耒阳市城管局责任分工表.txt"
    office = signed_in("王芳")
    buffer = io.BytesIO(text.read_bytes())
    buffer.name = text.name
    assert office.post("/tables/", {"file": buffer}).status_code == 302
    shown = page(office.get("/tables/preview/"))
    assert f"File: {text.name}" in shown and ".zip" not in shown


def test_a_zip_of_the_data_folder_in_one_top_folder_is_the_same_tables(
    site: tuple[Path, Any],
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted(SAMPLE.iterdir()):
            z.write(path, f"leiyang/{path.name}")
        z.writestr("__MACOSX/leiyang/._duties.csv", b"\x00")
    office = signed_in("王芳")
    buffer.seek(0)
    buffer.name = "耒阳.zip"
    assert office.post("/tables/", {"file": buffer}).status_code == 302
    shown = page(office.get("/tables/preview/"))
    assert "File: leiyang.zip" not in shown and "File: 耒阳.zip" in shown
    assert "the very same tables as the current version" in shown
    done = office.post("/tables/confirm/", {"token": office.session["tables_upload"]})
    assert "the tables are unchanged (version 1)" in page(done) and versions() == 1


def test_a_zip_with_a_path_outside_its_folder_is_refused(site: tuple[Path, Any]) -> None:
    folder, _ = site
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted(SAMPLE.iterdir()):
            z.write(path, path.name)
        z.writestr("../../escaped.csv", b"x")
    buffer.seek(0)
    buffer.name = "data.zip"
    refused = signed_in("王芳").post("/tables/", {"file": buffer})
    assert refused.status_code == 400
    assert "the zip holds a path outside its folder" in page(refused)
    assert uploads_left(folder) == [] and not list(folder.parent.rglob("escaped.csv"))


def test_other_files_and_files_too_large_are_refused(
    site: tuple[Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = site
    office = signed_in("王芳")
    csv = upload(office, SAMPLE / "duties.csv")
    assert csv.status_code == 400 and "not a workbook or a zip of a data folder" in page(csv)
    from workspace import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD", 1000)
    large = upload(office, workbook(tmp_path))
    assert large.status_code == 400 and "the file is too large" in page(large)
    assert uploads_left(folder) == [] and "tables_upload" not in office.session


def zipped(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_zip_is_unpacked_within_bounds_and_old_uploads_are_swept(
    site: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from roster.errors import InputError
    from workspace import uploads

    tables = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    two = zipped({f"a/{k}": v for k, v in tables.items()} | {"b/duties.csv": b""})
    with pytest.raises(InputError, match="the zip holds several data folders"):
        uploads.save_upload("two.zip", [two.getvalue()])
    with pytest.raises(InputError, match="the zip holds no table files"):
        uploads.save_upload("none.zip", [zipped({"readme.txt": b"x"}).getvalue()])
    monkeypatch.setattr(uploads, "MAX_UNPACKED", 10_000)
    bomb = zipped(tables | {"holidays.csv": b"0" * 50_000})  # a few hundred bytes zipped
    assert len(bomb.getvalue()) < 20_000
    with pytest.raises(InputError, match="the zip unpacks to too much"):
        uploads.save_upload("bomb.zip", [bomb.getvalue()])
    monkeypatch.undo()
    token = uploads.save_upload("..\\..\\数据 (1).ZIP", [zipped(tables).getvalue()])
    kept = uploads.upload(token)
    assert kept.name == "数据_(1)" and sorted(p.name for p in kept.iterdir()) == sorted(tables)
    with pytest.raises(InputError, match="no longer here"):
        uploads.upload("../" + token)
    old = kept.parent
    os.utime(old, (0, 0))
    uploads.sweep()
    assert not old.exists()


def test_the_current_version_and_the_template_download(site: tuple[Path, Any]) -> None:
    office = signed_in("王芳")
    shown = page(office.get("/tables/"))
    assert "leiyang.zip" in shown and "Download the template" in shown
    got = office.get("/tables/template/")
    assert got.status_code == 200
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert got["Content-Disposition"] == (
        "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''"
        + quote("责任分工表模板.xlsx")
    )
    wb = load_workbook(io.BytesIO(got.content))
    assert "责任分工表" in wb.sheetnames and "志愿者" in wb.sheetnames


def test_the_tables_are_the_office_s_only(site: tuple[Path, Any], tmp_path: Path) -> None:
    unit = signed_in("李伟")
    assert unit.get("/tables/").status_code == 403
    assert upload(unit, workbook(tmp_path)).status_code == 403
    assert unit.get("/tables/template/").status_code == 403
    assert versions() == 1


# Volunteers ------------------------------------------------------------------------------------


def person(ops: Any, volunteer_id: str) -> Any:
    return next((v for v in ops.current_plan().volunteers if v.id == volunteer_id), None)


def test_the_office_adds_and_edits_a_volunteer(site: tuple[Path, Any]) -> None:
    _, ops = site
    office = signed_in("王芳")
    added = office.post(
        "/volunteers/add/",
        {
            "id": "YL099",
            "name": "柳新",
            "unit": "园林事务中心",
            "phone": "13800009999",
            "leader": "1",
            "unavailable": ["2", "5"],
        },
    )
    assert added.status_code == 302, page(added)
    new = person(ops, "YL099")
    assert new.name == "柳新" and new.leader and new.unavailable == frozenset({2, 5})
    listed = page(office.get("/volunteers/?q=柳新"))
    assert "YL099" in listed and "Wed, Sat" in listed and "★" in listed
    before = person(ops, "YL004")
    form = {
        "name": before.name,
        "unit": before.unit,
        "phone": "13800000099",
        "weekly_cap": "",
        "unavailable": ["2"],
    }
    if before.leader:
        form["leader"] = "1"
    changed = office.post("/volunteers/YL004/edit/", form)
    assert changed.status_code == 302, page(changed)
    after = person(ops, "YL004")
    assert after.phone == "13800000099" and after.unavailable == frozenset({2})
    assert after.name == before.name and after.leader == before.leader
    from workspace.models import Edit

    last = Edit.objects.order_by("-id").first()
    assert last is not None and last.made_by == "王芳"
    assert dict(last.values) == {"phone": "13800000099", "unavailable": "周三"}


def test_an_edit_the_tables_would_refuse_is_shown_on_the_form(site: tuple[Path, Any]) -> None:
    _, ops = site
    office = signed_in("王芳")
    before = person(ops, "YL004")
    bad = office.post(
        "/volunteers/YL004/edit/", {"name": before.name, "unit": before.unit, "phone": "123"}
    )
    assert bad.status_code == 400
    assert "not a phone number" in page(bad) and "<td>Phone</td>" in page(bad)
    assert person(ops, "YL004").phone == before.phone
    twice = office.post("/volunteers/add/", {"id": "YL004", "name": "甲", "unit": "局机关"})
    assert twice.status_code == 400 and "already there" in page(twice)
    same = {"name": before.name, "unit": before.unit, "phone": before.phone}
    if before.leader:
        same["leader"] = "1"
    same["unavailable"] = [str(d) for d in sorted(before.unavailable)]
    if before.weekly_cap_hours is not None:
        same["weekly_cap"] = f"{before.weekly_cap_hours:g}"
    unchanged = office.post("/volunteers/YL004/edit/", same)
    assert "Nothing changed" in page(unchanged)


def test_the_list_searches_and_is_capped(
    site: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = signed_in("王芳")
    every = page(office.get("/volunteers/"))
    assert "86 volunteers" in every and "JG001" in every and "ZT001" in every
    unit = page(office.get("/volunteers/?unit=渣土所"))
    assert "ZT001" in unit and "JG001" not in unit and "14 volunteers" in unit
    phone = page(office.get("/volunteers/?q=13800000073"))
    assert "ZT001" in phone and "1 volunteer<" in phone
    from web import office as pages

    monkeypatch.setattr(pages, "LIST_LIMIT", 10)
    capped = page(office.get("/volunteers/"))
    assert "10 of 86 volunteers shown" in capped and capped.count("/edit/") == 10


def test_a_unit_contact_sees_their_unit_only_and_edits_nothing(site: tuple[Path, Any]) -> None:
    _, ops = site
    unit = signed_in("李伟")
    shown = unit.get("/volunteers/?unit=局机关")
    text = page(shown)
    assert shown.status_code == 200 and "ZT001" in text and "JG001" not in text
    assert "/edit/" not in text and "/volunteers/add/" not in text
    assert unit.get("/volunteers/add/").status_code == 403
    refused = unit.post("/volunteers/ZT001/edit/", {"name": "改名", "unit": "渣土所"})
    assert refused.status_code == 403 and person(ops, "ZT001").name != "改名"
    assert unit.post("/volunteers/ZT001/remove/").status_code == 403
    assert signed_in("赵敏").get("/volunteers/").status_code == 403


def test_the_office_removes_a_volunteer(site: tuple[Path, Any]) -> None:
    _, ops = site
    removed = signed_in("王芳").post("/volunteers/ZT003/remove/")
    assert removed.status_code == 302 and person(ops, "ZT003") is None


# Leave -----------------------------------------------------------------------------------------


def test_the_office_adds_and_removes_leave(site: tuple[Path, Any]) -> None:
    _, ops = site
    office = signed_in("王芳")
    added = office.post(
        "/leave/",
        {"volunteer": "JG003", "first": "2022-06-15", "last": "2022-06-17", "reason": "病假"},
    )
    assert added.status_code == 302, page(added)
    entry = next(x for x, _ in ops.list_leave() if x.volunteer_id == "JG003")
    assert (entry.start, entry.end, entry.reason, entry.added_by) == (
        date(2022, 6, 15),
        date(2022, 6, 17),
        "病假",
        "王芳",
    )
    week = page(office.get("/leave/?week=2022-06-15")).split('<table class="leave">')[1]
    assert "JG003" in week and "黎娜" in week and "YL004" not in week  # 2021's leave
    assert office.post(f"/leave/{entry.id}/remove/").status_code == 302
    assert not [x for x, _ in ops.list_leave() if x.volunteer_id == "JG003"]


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"volunteer": "ZZ999", "first": "2022-06-15", "last": "2022-06-17"}, "no such volunteer"),
        (
            {"volunteer": "JG003", "first": "2022-06-17", "last": "2022-06-15"},
            "the leave ends before it starts",
        ),
        (
            {"volunteer": "JG003", "first": "2030-01-01", "last": "2030-01-02"},
            "is outside the campaign",
        ),
        ({"volunteer": "JG003", "first": "2022-13-01", "last": "2022-06-15"}, "no such date"),
    ],
)
def test_leave_that_cannot_be_is_refused_on_the_form(
    site: tuple[Path, Any], form: dict[str, str], said: str
) -> None:
    _, ops = site
    before = len(ops.list_leave())
    refused = signed_in("王芳").post("/leave/", form)
    assert refused.status_code == 400 and said in page(refused)
    assert len(ops.list_leave()) == before


def test_a_unit_contact_records_leave_for_their_unit_only(site: tuple[Path, Any]) -> None:
    _, ops = site
    unit = signed_in("李伟")
    mine = unit.post("/leave/", {"volunteer": "ZT002", "first": "2022-06-15", "last": "2022-06-15"})
    assert mine.status_code == 302
    other = unit.post(
        "/leave/", {"volunteer": "JG003", "first": "2022-06-15", "last": "2022-06-15"}
    )
    assert other.status_code == 403 and "not a volunteer of your unit" in page(other)
    entries = {x.volunteer_id: x for x, _ in ops.list_leave()}
    assert "ZT002" in entries and entries["ZT002"].added_by == "李伟"
    assert "JG003" not in entries
    listed = page(unit.get("/leave/")).split('<table class="leave">')[1]
    assert "ZT002" in listed and "YL004" not in listed  # the tables' leave of another unit
    assert unit.post(f"/leave/{entries['YL004'].id}/remove/").status_code == 403
    assert "YL004" in {x.volunteer_id for x, _ in ops.list_leave()}
    assert unit.post(f"/leave/{entries['ZT002'].id}/remove/").status_code == 302
    assert signed_in("赵敏").get("/leave/").status_code == 403


# CSRF ------------------------------------------------------------------------------------------


def test_a_form_posted_without_its_csrf_token_is_refused(
    site: tuple[Path, Any], tmp_path: Path
) -> None:
    _, ops = site
    office = signed_in("王芳", csrf=True)
    assert upload(office, workbook(tmp_path)).status_code == 403
    assert office.post("/tables/confirm/", {"token": "x" * 22}).status_code == 403
    leave = {"volunteer": "JG003", "first": "2022-06-15", "last": "2022-06-17"}
    assert office.post("/leave/", leave).status_code == 403
    add = {"id": "YL099", "name": "柳新", "unit": "园林事务中心"}
    assert office.post("/volunteers/add/", add).status_code == 403
    assert person(ops, "YL099") is None and versions() == 1
    # With the token the page gives, the same upload goes through.
    form = page(office.get("/tables/"))
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    with workbook(tmp_path, "again.xlsx").open("rb") as f:
        sent = office.post("/tables/", {"file": f, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302


def test_the_preview_names_who_the_import_would_add_and_remove(site: tuple[Path, Any]) -> None:
    import csv

    lines = (SAMPLE / "volunteers.csv").read_text("utf-8-sig").splitlines()
    rows = list(csv.reader(lines))
    gone = rows.pop()  # the last volunteer leaves the unit; a new one joins
    joined = [*gone]
    joined[0], joined[1] = "ZT099", "李新来"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([*rows, joined])
    tables = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    tables["volunteers.csv"] = out.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in tables.items():
            z.writestr(name, data)
    buffer.seek(0)
    buffer.name = "新名单.zip"
    office = signed_in("王芳")
    assert office.post("/tables/", {"file": buffer}).status_code == 302
    shown = page(office.get("/tables/preview/"))
    assert "What importing them changes" in shown
    assert f"{gone[1]}（{gone[0]}）" in shown and "李新来（ZT099）" in shown
    assert versions() == 1  # still nothing imported
