"""A calendar feed's two addresses as people are handed them, made in this one place for every page.

`webcal://…` is what a phone's calendar subscribes to when the link is tapped or its QR code
scanned; the `https://…` form (`http://…` when the server is not behind HTTPS) is for a calendar's
"subscribe by address" box and for a browser. Both name the host the page was asked at, so a
sheet printed from the bureau's address carries that address, unless the plan's settings name a
`feed_base_url` (the feeds published elsewhere), which then wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import HttpRequest

from web.feeds import PREFIX, SUFFIX
from workspace import config


@dataclass(frozen=True)
class FeedAddress:
    webcal: str
    web: str


def feed_address(request: HttpRequest, path: str, url: str = "") -> FeedAddress:
    """The addresses of the feed at `path` (a link's `ical/<kind>/<token>.ics`, or the token),
    or of `url`, the link's address when the plan sets `feed_base_url`."""
    if url:
        scheme, _, rest = url.partition("://")
        return FeedAddress(f"webcal://{rest}", url if scheme != "webcal" else f"https://{rest}")
    token = PurePosixPath(path).name.removesuffix(SUFFIX)
    where = f"{request.get_host()}{PREFIX}{quote(token, safe='')}{SUFFIX}"
    secure = request.is_secure() or config.https()  # ROSTER_HTTPS=1: behind an HTTPS proxy
    return FeedAddress(f"webcal://{where}", f"{'https' if secure else 'http'}://{where}")
