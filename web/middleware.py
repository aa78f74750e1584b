"""Each request in its reader's language: the one chosen in the page's header (a cookie), else the
server's (ROSTER_LANG, Chinese by default). The command line's catalog and Django's are one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from roster.i18n import speaking
from workspace.operations import acting

COOKIE = "roster_lang"
CHOICES = ("zh-hans", "en")


def chosen(request: HttpRequest) -> str:
    """The Django code of the request's language."""
    wanted = request.COOKIES.get(COOKIE, "")
    return wanted if wanted in CHOICES else settings.LANGUAGE_CODE


class Language:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = chosen(request)
        with speaking("en" if code == "en" else "zh_Hans"), translation.override(code):
            request.LANGUAGE_CODE = code
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", code)
            # Pages name people and carry personal links: never kept by a shared phone's cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class Acting:
    """Whatever a signed-in person's request changes is recorded as theirs (audit, made_by)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with acting(user.get_username()):
            return self.get_response(request)
