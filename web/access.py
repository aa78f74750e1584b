"""Who may open what: the signed-in person's role (office, unit contact, inspector) and unit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from web.models import Profile

View = Callable[..., HttpResponse]


def role_of(request: HttpRequest) -> tuple[str, str]:
    """(role, unit) of the signed-in person; a superuser is the office."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return Profile.OFFICE, ""
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None:
        raise PermissionDenied
    return profile.role, profile.unit


def allowed(*roles: str) -> Callable[[View], View]:
    """A view for signed-in people of `roles` only; the others get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request)[0] not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


office_only = allowed(Profile.OFFICE)


def unit_visible(request: HttpRequest, unit: str) -> None:
    """A unit contact sees their own unit only (403 for another's address)."""
    role, mine = role_of(request)
    if role == Profile.UNIT and mine != unit:
        raise PermissionDenied
    if role == Profile.INSPECTOR:
        raise PermissionDenied


def context(request: HttpRequest) -> dict[str, str]:
    """`role` and `unit` in every template (the header's links depend on them)."""
    if not request.user.is_authenticated:
        return {}
    try:
        role, unit = role_of(request)
    except PermissionDenied:
        return {}
    return {"role": role, "unit": unit}
