"""`/ical/<token>.ics`: the calendar feeds phones subscribe to, from the week published last.

A token opens its one feed. Each answer carries an ETag (the feed's digest) and Last-Modified, so
a phone asking again with If-None-Match or If-Modified-Since gets `304` and no body; an unknown or
rotated token gets the same `404` as any other.

Feeds are answered before Django's middleware (no session, no cookie, nothing to protect) from an
index kept in memory: a feed is read and hashed once per published version, and the version
published last (and the last rotation of a link) is looked up at most every `FeedIndex.ttl`
seconds, so a `304` costs a dictionary lookup. A new publish or a rotated link is served within
that time.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from functools import cached_property
from typing import Any

from django.db.models import Max
from django.utils.http import http_date, parse_http_date_safe

from workspace import config
from workspace.models import FeedToken, WeekVersion

NOT_FOUND = "没有这个日历订阅 / no such calendar feed\n".encode()
PREFIX, SUFFIX = "/ical/", ".ics"


@dataclass(frozen=True)
class Feed:
    data: bytes
    etag: str
    stamp: int  # when its week was published, seconds

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.data, mtime=0)


class FeedIndex:
    """Token → feed of the version published last, filled as feeds are asked for."""

    ttl = 2.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple[int, str, int, str] | None = None  # (id, monday, published, rotated)
        self.checked = 0.0
        self.feeds: dict[str, Feed] = {}

    def _current(self) -> tuple[int, str, int, str] | None:
        now = time.monotonic()
        if now - self.checked > self.ttl:
            latest = (
                WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT)
                .order_by("-made_at")
                .values_list("id", "monday", "made_at")
                .first()
            )
            rotated = FeedToken.objects.aggregate(last=Max("rotated_at"))["last"]
            version = (
                None
                if latest is None
                else (
                    latest[0],
                    latest[1].isoformat(),
                    int(latest[2].astimezone(UTC).timestamp()),
                    str(rotated),  # a rotated link stops working as soon as the index is renewed
                )
            )
            with self.lock:
                if version != self.version:
                    self.version, self.feeds = version, {}
                self.checked = now
        return self.version

    def get(self, token: str) -> Feed | None:
        version = self._current()
        if version is None:
            return None
        feed = self.feeds.get(token)
        if feed is not None:
            return feed
        kind = FeedToken.objects.filter(token=token).values_list("kind", flat=True).first()
        if kind is None:
            return None
        path = (
            config.folder()
            / "published"
            / version[1]
            / "ical"
            / FeedToken.FOLDERS[kind]
            / f"{token}.ics"
        )
        if not path.is_file():
            return None
        data = path.read_bytes()
        feed = Feed(data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"', version[2])
        self.feeds[token] = feed
        return feed


INDEX = FeedIndex()


def answer(
    token: str, method: str, headers: Callable[[str], str | None]
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a feed request (`headers` reads the request's)."""
    feed = INDEX.get(token)
    if feed is None:
        return 404, [("Content-Type", "text/plain; charset=utf-8")], NOT_FOUND
    out = [
        ("ETag", feed.etag),
        ("Last-Modified", http_date(feed.stamp)),
        ("Cache-Control", "no-cache"),
        ("Vary", "Accept-Encoding"),
    ]
    match = headers("If-None-Match")
    since = parse_http_date_safe(headers("If-Modified-Since") or "")
    if (match is not None and feed.etag in match) or (
        match is None and since and since >= feed.stamp
    ):
        return 304, out, b""
    body = feed.data
    if "gzip" in (headers("Accept-Encoding") or ""):
        body = feed.gzipped
        out.append(("Content-Encoding", "gzip"))
    out += [("Content-Type", "text/calendar; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
    return 200, out, b"" if method == "HEAD" else body


REASONS = {
    200: "200 OK",
    304: "304 Not Modified",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
}


def wsgi(django: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The application: feeds answered here, everything else by Django."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not (path.startswith(PREFIX) and path.endswith(SUFFIX)):
            return django(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response(REASONS[405], [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        token = path[len(PREFIX) : -len(SUFFIX)]

        def header(name: str) -> str | None:
            value = environ.get("HTTP_" + name.upper().replace("-", "_"))
            return None if value is None else str(value)

        status, headers, body = answer(token, method, header)
        start_response(REASONS[status], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return application
