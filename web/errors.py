"""The pages of a refused request, in the site's layout and the reader's language: a form sent
from a page too old (CSRF), and a name locked after too many wrong passwords."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose page is too old (signed in again elsewhere, or left open for long)."""
    back = request.META.get("HTTP_REFERER", "")
    return render(request, "web/csrf.html", {"back": back}, status=403)
