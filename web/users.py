"""The web's accounts: Django's users with a role (office, unit contact, inspector)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from roster.errors import InputError, Problem, Source
from roster.i18n import tr
from web.models import Profile
from workspace.operations import current_plan

ROLES = (Profile.OFFICE, Profile.UNIT, Profile.INSPECTOR)


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    unit: str
    active: bool


def _refuse(message: str, option: str, value: str, expected: str) -> InputError:
    return InputError([Problem(message, Source("roster user add"), option, value, expected)])


def add(name: str, role: str, unit: str, password: str) -> Account:
    """A new account; a unit contact needs a unit of the tables, a password Django accepts."""
    if role not in ROLES:
        raise _refuse(tr("no such role"), "--role", role, "office, unit, inspector")
    if role == Profile.UNIT and unit not in {u.name for u in current_plan().units}:
        raise _refuse(tr("unknown unit"), "--unit", unit, tr("a unit from the units table"))
    users = get_user_model()
    if users.objects.filter(username=name).exists():
        raise _refuse(tr("the account exists already"), "NAME", name, tr("another name"))
    try:
        validate_password(password)
    except ValidationError as exc:
        raise _refuse(
            tr("the password is too weak"), "--password", "…", " ".join(exc.messages)
        ) from None
    with transaction.atomic():
        user = users.objects.create_user(username=name, password=password)
        Profile.objects.create(user=user, role=role, unit=unit if role == Profile.UNIT else "")
    return Account(name, role, unit, True)


def accounts() -> list[Account]:
    return [
        Account(p.user.get_username(), p.role, p.unit, p.user.is_active)
        for p in Profile.objects.select_related("user").order_by("user__username")
    ]


def disable(name: str) -> None:
    """The account can no longer sign in; its sessions end at their next request."""
    users = get_user_model()
    changed = users.objects.filter(username=name).update(is_active=False)
    if not changed:
        raise InputError(
            [Problem(tr("no such account"), Source("roster user disable"), "NAME", name)]
        )
