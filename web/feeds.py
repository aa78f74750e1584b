"""`/ical/<token>.ics`: the calendar feeds phones subscribe to, from the week published last.

A token opens its one feed. Each answer carries an ETag (the feed's digest) and Last-Modified, so
a phone asking again with If-None-Match or If-Modified-Since gets `304` and no body; an unknown or
rotated token gets the same `404` as any other.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from workspace import config
from workspace.models import FeedToken, WeekVersion

FOLDERS = {
    FeedToken.VOLUNTEER: "volunteers",
    FeedToken.UNIT: "units",
    FeedToken.AREA: "areas",
    FeedToken.CITY: "city",
}
NOT_FOUND = "没有这个日历订阅 / no such calendar feed\n"


def _feed(token: str) -> tuple[bytes, datetime] | None:
    kind = FeedToken.objects.filter(token=token).values_list("kind", flat=True).first()
    version = WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).order_by("-made_at").first()
    if kind is None or version is None:
        return None
    path = (
        config.folder() / "published" / version.monday.isoformat() / "ical" / FOLDERS[kind]
    ) / f"{token}.ics"
    if not Path(path).is_file():
        return None
    return path.read_bytes(), version.made_at.astimezone(UTC)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = _feed(token)
    if found is None:
        return HttpResponse(NOT_FOUND, status=404, content_type="text/plain; charset=utf-8")
    data, modified = found
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    stamp = int(modified.timestamp())
    headers = {"ETag": etag, "Last-Modified": http_date(stamp), "Cache-Control": "no-cache"}
    match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if (match is not None and etag in match) or (match is None and since and since >= stamp):
        return HttpResponse(status=304, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        data = gzip.compress(data, mtime=0)
        headers["Content-Encoding"] = "gzip"
    headers["Vary"] = "Accept-Encoding"
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8", headers=headers)
    return response
