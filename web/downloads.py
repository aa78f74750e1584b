"""The downloads page: each published week's workbooks, each unit's calendar link, and a printable
sheet per unit of its volunteers' personal links as QR codes.

The office gets everything; a unit contact their own unit's workbooks, link and sheet (another
unit's is 403); an inspector none of it (403). The sheet names people with their personal links,
so it is as private as a workbook. A workbook or sheet is looked up among the week's (the plan's)
own units, never opened by a name taken from the address: an unknown name is 404.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import SafeString, mark_safe

from roster.i18n import tr
from web.access import allowed, office_only, role_of, unit_visible
from web.addresses import feed_address
from web.models import Profile
from workspace.handouts import (
    PublishedWeek,
    download_name,
    published_week,
    published_weeks,
    unit_feeds,
    unit_links,
)

WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@allowed(Profile.OFFICE, Profile.UNIT)
def downloads(request: HttpRequest) -> HttpResponse:
    """The published weeks, newest first, with the workbooks the reader may have; the units'
    calendar links and their QR sheets."""
    role, mine = role_of(request)
    office = role == Profile.OFFICE
    weeks = [
        {
            "monday": w.monday.isoformat(),
            "title": tr(
                "week of {first} to {last}, version {number}",
                first=w.monday,
                last=w.sunday,
                number=w.number,
            ),
            "master": office and w.master is not None,
            "units": [u for u in w.workbooks if office or u == mine],
        }
        for w in published_weeks()
    ]
    feeds = [
        (x.unit, feed_address(request, x.path, x.url))
        for x in unit_feeds()
        if office or x.unit == mine
    ]
    context: dict[str, Any] = {"weeks": weeks, "feeds": feeds, "office": office}
    return render(request, "web/downloads.html", context)


def _week(week: str) -> PublishedWeek:
    found = published_week(week)
    if found is None:
        raise Http404
    return found


@office_only
def master_workbook(request: HttpRequest, week: str) -> HttpResponse:
    """The week's master workbook, every unit in it: the office's alone."""
    found = _week(week)
    if found.master is None:
        raise Http404
    return _attachment(found.master, *download_name(found, None))


@allowed(Profile.OFFICE, Profile.UNIT)
def unit_workbook(request: HttpRequest, week: str, unit: str) -> HttpResponse:
    """One unit's workbook of the week; 404 for a unit the week does not have."""
    found = _week(week)
    book = found.workbooks.get(unit)
    if book is None:
        raise Http404
    unit_visible(request, unit)
    return _attachment(book, *download_name(found, unit))


def _attachment(book: Path, name: str, fallback: str) -> FileResponse:
    """A workbook saved under `name`: RFC 6266 `filename*` (RFC 5987, UTF-8) for today's
    browsers, `filename` in ASCII for the others."""
    try:
        handle = book.open("rb")
    except FileNotFoundError:  # a publish swapped the week's folder in the meantime
        raise Http404 from None
    response = FileResponse(handle, content_type=WORKBOOK)
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


def qr_code(text: str) -> SafeString:
    """`text` as a QR code, inline SVG. segno writes the SVG itself (a path of the modules and
    nothing of `text`), which is why it alone is marked safe."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=3))


@allowed(Profile.OFFICE, Profile.UNIT)
def qr_sheet(request: HttpRequest, unit: str) -> HttpResponse:
    """The unit's printable sheet: its own calendar's link, then a card per volunteer to cut out
    and hand over, with the personal link as a QR code and written out."""
    found = unit_links(unit)
    if found is None:
        raise Http404
    unit_visible(request, unit)
    own = feed_address(request, found.unit.path, found.unit.url)
    cards = []
    for person in found.volunteers:
        address = feed_address(request, person.path, person.url)
        cards.append((person.name, address, qr_code(address.webcal)))
    context = {
        "unit": unit,
        "title": tr("{unit}: the volunteers' duty calendars", unit=unit),
        "campaign": found.campaign,
        "own": own,
        "own_qr": qr_code(own.webcal),
        "cards": cards,
    }
    return render(request, "web/qr_sheet.html", context)


urlpatterns = [
    path("downloads/", downloads, name="downloads"),
    path("downloads/qr/<path:unit>/", qr_sheet, name="qr-sheet"),
    path("downloads/week/<str:week>/", master_workbook, name="download-master"),
    path("downloads/week/<str:week>/<path:unit>/", unit_workbook, name="download-workbook"),
]
