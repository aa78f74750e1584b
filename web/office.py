"""The office's pages of the tables, the volunteers and their leave.

Tables are the office's: a workbook or a data folder's zip is uploaded, kept under a random token
(the session holds the token, never a path), shown as `roster check` shows it, and imported only
when confirmed. Volunteers and leave: the office sees and edits everyone; a unit contact sees its
own unit's volunteers, records and removes their leave, and changes nothing else. Every change is
recorded as the signed-in person's (`acting`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from application import check_tables, read_tables
from application.solving import within_campaign
from roster.errors import InputError, Problem, Severity
from roster.i18n import ntr, tr
from roster.model import Plan
from web.access import allowed, office_only, role_of
from web.models import Profile
from workspace import uploads
from workspace.edits import ADD, REMOVE, SET, VOLUNTEER
from workspace.models import LeaveEntry, TableVersion
from workspace.operations import (
    Imported,
    acting,
    add_leave,
    current_plan,
    edit,
    import_difference,
    import_tables,
    list_leave,
    remove_leave,
)
from workspace.uploads import VolunteerForm, form_problems, problem_rows

LIST_LIMIT = 200  # rows of a list on one page; a city has thousands of volunteers
DATALIST_LIMIT = 2000  # volunteers offered as suggestions in the leave form
SESSION_UPLOAD = "tables_upload"  # the token of the upload waiting for confirmation
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _errors(problems: Iterable[Problem]) -> int:
    return sum(p.severity is Severity.ERROR for p in problems)


# Tables ----------------------------------------------------------------------------------------


class SizeLimit(FileUploadHandler):
    """Skips the rest of an upload past MAX_UPLOAD, so nothing larger reaches the disk."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = ""  # the name of the file that was too large

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > uploads.MAX_UPLOAD:
            self.exceeded = self.file_name or "?"
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _tables_page(
    request: HttpRequest, problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    versions = list(TableVersion.objects.defer("content").order_by("-number")[:10])
    context: dict[str, Any] = {
        "current": versions[0] if versions else None,
        "versions": versions,
        "pending": bool(request.session.get(SESSION_UPLOAD)),
        "problems": problem_rows(problems or ()),
        "problems_title": _problems_title(problems or ()),
        "limit": tr("At most {size} MB.", size=uploads.MAX_UPLOAD // (1024 * 1024)),
    }
    return render(request, "web/tables.html", context, status=status)


def _problems_title(problems: Iterable[Problem]) -> str:
    n = _errors(problems)
    if not n:
        return ""
    return ntr(
        "{n} error: nothing was changed. Correct the file as shown and upload it again.",
        "{n} errors: nothing was changed. Correct the file as shown and upload it again.",
        n,
    )


@csrf_exempt  # checked in _tables, once a file too large can be skipped unread
@office_only
def tables(request: HttpRequest) -> HttpResponse:
    """The current tables, their earlier versions, the upload form and the template's link."""
    limit = SizeLimit(request)
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _tables(request, limit)


@csrf_protect
def _tables(request: HttpRequest, limit: SizeLimit) -> HttpResponse:
    if request.method != "POST":
        return _tables_page(request)
    file = request.FILES.get("file")  # the upload is read here, through `limit`
    if limit.exceeded:
        refused = uploads.too_large(uploads.safe_name(limit.exceeded))
        return _tables_page(request, refused.problems, 400)
    if file is None:
        missing = Problem(tr("no file was chosen"), expected=tr("a workbook or a zip to upload"))
        return _tables_page(request, [missing], 400)
    try:
        token = uploads.save_upload(file.name or "", file.chunks())
    except InputError as exc:
        return _tables_page(request, exc.problems, 400)
    uploads.discard(request.session.get(SESSION_UPLOAD, ""))
    request.session[SESSION_UPLOAD] = token
    return redirect("tables-preview")


def _preview(
    request: HttpRequest, token: str, problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    """What was understood of the upload, or every problem found in it."""
    try:
        tables = uploads.upload(token)
    except InputError as exc:
        request.session.pop(SESSION_UPLOAD, None)
        return _tables_page(request, exc.problems)
    name = uploads.uploaded_name(tables)
    context: dict[str, Any] = {"token": token, "file": tr("File: {name}", name=name)}
    if problems is None:
        try:
            report = check_tables(read_tables(tables))
        except InputError as exc:
            problems = exc.problems
        else:
            context["facts"] = uploads.understood(report)
            context["same"] = uploads.same_as_current(tables)
            change = import_difference(tables)
            if change is not None and not context["same"]:
                context["change"] = _imported(change)
                context["change"]["title"] = tr(
                    "Importing them would add {added} duty rows and remove {removed}.",
                    added=change.duties_added,
                    removed=change.duties_removed,
                )
    context["problems"] = problem_rows(problems or ())
    context["problems_title"] = _problems_title(problems or ())
    return render(request, "web/tables_preview.html", context, status=status)


@office_only
def tables_preview(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_UPLOAD, "")
    if not token:
        return redirect("tables")
    return _preview(request, token)


@require_POST
@office_only
def tables_confirm(request: HttpRequest) -> HttpResponse:
    """Import the upload shown in the preview (the form names its token: an older tab's preview
    does not import a newer upload)."""
    token = request.session.get(SESSION_UPLOAD, "")
    if not token or request.POST.get("token") != token:
        messages.error(
            request, tr("This upload is no longer waiting to be imported; upload the file again.")
        )
        return redirect("tables")
    try:
        with acting(_user(request)):
            imported = import_tables(uploads.upload(token))
    except InputError as exc:
        return _preview(request, token, exc.problems, 400)
    uploads.discard(token)
    request.session.pop(SESSION_UPLOAD, None)
    return render(request, "web/tables_imported.html", _imported(imported))


def _imported(imported: Imported) -> dict[str, Any]:
    if imported.same:
        return {"same": tr("the tables are unchanged (version {number})", number=imported.number)}
    lists = []
    for label, names in (
        (tr("units added"), imported.units_added),
        (tr("units gone"), imported.units_gone),
        (tr("volunteers added"), imported.volunteers_added),
        (tr("volunteers gone"), imported.volunteers_gone),
    ):
        if names:
            more = len(names) - LIST_LIMIT
            rest = tr("… and {n} more", n=more) if more > 0 else ""
            lists.append((f"{label} ({len(names)})", names[:LIST_LIMIT], rest))
    edits = ""
    if imported.edits_kept or imported.edits_dropped:
        edits = tr(
            "edits made one by one: {kept} kept on top of the new tables, {dropped} "
            "dropped (they no longer fit them)",
            kept=imported.edits_kept,
            dropped=imported.edits_dropped,
        )
    return {
        "title": tr(
            "table version {number}: {added} duty rows added, {removed} removed",
            number=imported.number,
            added=imported.duties_added,
            removed=imported.duties_removed,
        ),
        "lists": lists,
        "edits": edits,
    }


@require_POST
@office_only
def tables_cancel(request: HttpRequest) -> HttpResponse:
    uploads.discard(request.session.pop(SESSION_UPLOAD, ""))
    messages.info(request, tr("The upload was discarded; nothing changed."))
    return redirect("tables")


@office_only
def tables_template(request: HttpRequest) -> HttpResponse:
    """The empty input workbook, as `roster template` writes it."""
    response = HttpResponse(uploads.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = uploads.attachment(
        uploads.TEMPLATE_NAME, uploads.TEMPLATE_ASCII
    )
    return response


# Volunteers ------------------------------------------------------------------------------------


def _volunteer_labels() -> dict[str, str]:
    """The form's labels by the names the operations give a field (option, column, key)."""
    labels = {
        "id": tr("ID"),
        "name": tr("Name"),
        "unit": tr("Unit"),
        "phone": tr("Phone"),
        "leader": tr("Leader"),
        "weekly_cap_hours": tr("Hours per week at most"),
        "unavailable": tr("Days they cannot do"),
    }
    options = {"ID": "id", "--id": "id", "--weekly-cap": "weekly_cap_hours"}
    options.update({"--" + k: k for k in ("name", "unit", "phone", "leader", "unavailable")})
    return labels | {option: labels[key] for option, key in options.items()}


@allowed(Profile.OFFICE, Profile.UNIT)
def volunteers(request: HttpRequest) -> HttpResponse:
    """The volunteers found by a search; a unit contact's own unit's only."""
    role, mine = role_of(request)
    plan = current_plan()
    text = request.GET.get("q", "").strip()
    unit = mine if role == Profile.UNIT else request.GET.get("unit", "").strip()
    rows, total = uploads.find_volunteers(plan, text, unit, LIST_LIMIT)
    if total > len(rows):
        count = tr(
            "{shown} of {total} volunteers shown; search to find the others.",
            shown=len(rows),
            total=total,
        )
    else:
        count = ntr("{n} volunteer", "{n} volunteers", total)
    context = {
        "rows": rows,
        "count": count,
        "q": text,
        "unit_filter": unit,
        "units": [u.name for u in plan.units] if role == Profile.OFFICE else [],
        "can_edit": role == Profile.OFFICE,
    }
    return render(request, "web/volunteers.html", context)


def _volunteer_form(
    request: HttpRequest,
    plan: Plan,
    form: VolunteerForm,
    adding: bool,
    problems: Iterable[Problem] = (),
    note: str = "",
    status: int = 200,
) -> HttpResponse:
    hours = f"{plan.settings.weekly_cap_hours:g}"
    context = {
        "form": form,
        "adding": adding,
        "title": tr("Add a volunteer")
        if adding
        else tr("{name} ({id})", name=form.name, id=form.id),
        "units": [u.name for u in plan.units],
        "problems": form_problems(problems, _volunteer_labels()),
        "note": note,
        "default_cap": tr("empty: the campaign's {hours} hours", hours=hours),
    }
    return render(request, "web/volunteer_form.html", context, status=status)


def _saved(request: HttpRequest, form: VolunteerForm) -> HttpResponse:
    messages.success(
        request,
        tr(
            "saved: {name} ({id}); plan the coming weeks again to include the change",
            name=form.name,
            id=form.id,
        ),
    )
    return redirect(reverse("volunteers") + "?" + urlencode({"q": form.id}))


@office_only
def volunteer_add(request: HttpRequest) -> HttpResponse:
    """A new volunteer, as `roster volunteer add` records one."""
    plan = current_plan()
    if request.method != "POST":
        return _volunteer_form(
            request, plan, VolunteerForm(unit=request.GET.get("unit", "")), adding=True
        )
    form = VolunteerForm.typed(
        request.POST.get("id", ""), request.POST, request.POST.getlist("unavailable")
    )
    problems = form.problems()
    if not problems:
        try:
            with acting(_user(request)):
                edit(VOLUNTEER, ADD, form.id, form.values(None))
        except InputError as exc:
            problems = exc.problems
        else:
            return _saved(request, form)
    return _volunteer_form(request, plan, form, True, problems, status=400)


@office_only
def volunteer_edit(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    """A volunteer's details changed, as `roster volunteer set` changes them: only the fields
    that differ from the current ones are recorded."""
    plan = current_plan()
    person = uploads.volunteer(plan, volunteer_id)
    if person is None:
        raise Http404
    before = VolunteerForm.of(person)
    if request.method != "POST":
        return _volunteer_form(request, plan, before, adding=False)
    form = VolunteerForm.typed(volunteer_id, request.POST, request.POST.getlist("unavailable"))
    problems = form.problems()
    values = form.values(before)
    if not problems and not values:
        note = tr("Nothing changed: the details are as they were.")
        return _volunteer_form(request, plan, form, False, note=note)
    if not problems:
        try:
            with acting(_user(request)):
                edit(VOLUNTEER, SET, volunteer_id, values)
        except InputError as exc:
            problems = exc.problems
        else:
            return _saved(request, form)
    return _volunteer_form(request, plan, form, False, problems, status=400)


@require_POST
@office_only
def volunteer_remove(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    """A volunteer who left, as `roster volunteer remove`; their published duties stay."""
    plan = current_plan()
    person = uploads.volunteer(plan, volunteer_id)
    if person is None:
        raise Http404
    try:
        with acting(_user(request)):
            edit(VOLUNTEER, REMOVE, volunteer_id, {})
    except InputError as exc:
        form = VolunteerForm.of(person)
        return _volunteer_form(request, plan, form, False, exc.problems, status=400)
    messages.success(
        request,
        tr(
            "removed: {name} ({id}); plan the coming weeks again",
            name=person.name,
            id=person.id,
        ),
    )
    return redirect("volunteers")


# Leave -----------------------------------------------------------------------------------------


def _leave_labels() -> dict[str, str]:
    """The form's labels by the names the operations give a field (`roster leave add`'s)."""
    return {
        "ID": tr("Volunteer"),
        "FROM": tr("First day"),
        "TO": tr("Last day"),
        "reason": tr("Reason"),
        "week": tr("Week of"),
    }


def _leave_page(
    request: HttpRequest,
    plan: Plan,
    unit: str,
    problems: Iterable[Problem] = (),
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The leave entries (of the week of ?week= if given), the form to add one."""
    problems = list(problems)
    week = request.GET.get("week", "").strip()
    day = None
    if week:
        try:
            day = uploads.form_date(week, "week")
        except InputError as exc:
            problems += exc.problems
    rows, total = uploads.leave_rows(list_leave(day), plan, unit, LIST_LIMIT)
    if total > len(rows):
        count = tr(
            "{shown} of {total} leave entries shown; choose a week to see the others.",
            shown=len(rows),
            total=total,
        )
    else:
        count = ntr("{n} leave entry", "{n} leave entries", total)
    people = plan.volunteers_of(unit) if unit else plan.volunteers
    s = plan.settings
    context = {
        "rows": rows,
        "count": count,
        "week": week,
        "form": form or {},
        "problems": form_problems(problems, _leave_labels()),
        "people": people if len(people) <= DATALIST_LIMIT else (),
        "campaign": tr("The campaign runs from {start} to {end}.", start=s.start, end=s.end),
    }
    return render(request, "web/leave.html", context, status=status)


def _leave_unit(request: HttpRequest) -> str:
    """The unit whose leave the person may see and record; "" for the office (every unit)."""
    role, mine = role_of(request)
    return mine if role == Profile.UNIT else ""


@allowed(Profile.OFFICE, Profile.UNIT)
def leave(request: HttpRequest) -> HttpResponse:
    """Leave entries, and a new one recorded (a unit contact's for their own unit only)."""
    plan = current_plan()
    unit = _leave_unit(request)
    if request.method != "POST":
        return _leave_page(request, plan, unit)
    form = {k: request.POST.get(k, "").strip() for k in ("volunteer", "first", "last", "reason")}
    problems: list[Problem] = uploads.reason_problems(form["reason"])
    days = []
    for key, option in (("first", "FROM"), ("last", "TO")):
        try:
            days.append(uploads.form_date(form[key], option))
        except InputError as exc:
            problems += exc.problems
    if problems:
        return _leave_page(request, plan, unit, problems, form, 400)
    first, last = days
    person = uploads.volunteer(plan, form["volunteer"])
    if unit and person is not None and person.unit != unit:
        refused = Problem(
            tr("not a volunteer of your unit"),
            column="ID",
            value=form["volunteer"],
            expected=tr("a volunteer of {unit}", unit=unit),
        )
        return _leave_page(request, plan, unit, [refused], form, 403)
    try:
        within_campaign(plan, first, last, "FROM")
        with acting(_user(request)):
            entry = add_leave(form["volunteer"], first, last, form["reason"])
    except InputError as exc:
        return _leave_page(request, plan, unit, exc.problems, form, 400)
    messages.success(
        request,
        tr(
            "leave {number}: {id} from {first} to {last}; plan the weeks it touches again",
            number=entry.id,
            id=entry.volunteer_id,
            first=entry.start,
            last=entry.end,
        ),
    )
    return redirect("leave")


@require_POST
@allowed(Profile.OFFICE, Profile.UNIT)
def leave_remove(request: HttpRequest, number: int) -> HttpResponse:
    """A leave entry removed; a unit contact's only of their own unit's volunteers."""
    unit = _leave_unit(request)
    if unit:
        owner = LeaveEntry.objects.filter(pk=number).values_list("volunteer_id", flat=True).first()
        person = uploads.volunteer(current_plan(), owner or "")
        if person is None or person.unit != unit:
            raise PermissionDenied
    try:
        with acting(_user(request)):
            entry = remove_leave(number)
    except InputError as exc:
        messages.error(request, tr("; ").join(p.message for p in exc.problems))
    else:
        messages.success(
            request,
            tr(
                "removed leave {number} of {id}; plan the weeks it touched again",
                number=number,
                id=entry.volunteer_id,
            ),
        )
    week = request.POST.get("week", "").strip()
    return redirect(reverse("leave") + ("?" + urlencode({"week": week}) if week else ""))


urlpatterns = [
    path("tables/", tables, name="tables"),
    path("tables/preview/", tables_preview, name="tables-preview"),
    path("tables/confirm/", tables_confirm, name="tables-confirm"),
    path("tables/cancel/", tables_cancel, name="tables-cancel"),
    path("tables/template/", tables_template, name="tables-template"),
    path("volunteers/", volunteers, name="volunteers"),
    path("volunteers/add/", volunteer_add, name="volunteer-add"),
    path("volunteers/<path:volunteer_id>/edit/", volunteer_edit, name="volunteer-edit"),
    path("volunteers/<path:volunteer_id>/remove/", volunteer_remove, name="volunteer-remove"),
    path("leave/", leave, name="leave"),
    path("leave/<int:number>/remove/", leave_remove, name="leave-remove"),
]
