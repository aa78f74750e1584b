"""Units and volunteers changed one at a time, on top of the imported tables.

An edit keeps the fields as typed; `apply` reads them with the tables' own parsers and builds the
plan again, so an edit that the table would refuse (an unknown unit, a bad phone number, a
leader's seat no one can take) is refused the same way, naming the option.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from roster.errors import FieldError, InputError, Problem, Source
from roster.i18n import tr
from roster.model import Plan, Unit, Volunteer
from roster.readers import weekdays_of
from roster.values import parse_bool, parse_hours

VOLUNTEER_FIELDS = ("name", "unit", "phone", "leader", "weekly_cap_hours", "unavailable")
UNIT_FIELDS = ("contact", "phone")
UNIT, VOLUNTEER = "unit", "volunteer"
# The command's option for a field whose parser names it otherwise.
OPTIONS = {
    "weekly_cap_hours": "--weekly-cap",
    "days": "--unavailable",
    "unavailable": "--unavailable",
}
ADD, SET, REMOVE = "add", "set", "remove"


def command(kind: str, action: str) -> str:
    return f"roster {kind} {action}"


def _volunteer_fields(values: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, text in values.items():
        if key == "leader":
            out[key] = parse_bool(text, key, False)
        elif key == "weekly_cap_hours":
            out[key] = parse_hours(text, key) if text.strip() else None
        elif key == "unavailable":
            out[key] = weekdays_of(text) if text.strip() else frozenset()
        else:
            out[key] = text.strip()
    return out


def _apply_one(
    units: dict[str, Unit],
    people: dict[str, Volunteer],
    edit: tuple[str, str, str, dict[str, str]],
) -> None:
    kind, action, key, values = edit
    source = Source(command(kind, action))
    known = key in (units if kind == UNIT else people)
    if action == ADD and known:
        raise _refused(kind, action, key, tr("already there"), tr("another id or name"))
    if action in (SET, REMOVE) and not known:
        expected = tr("an id (编号) from the volunteers table") if kind == VOLUNTEER else ""
        raise _refused(kind, action, key, tr("no such entry"), expected or tr("a unit's name"))
    if kind == UNIT:
        if action == REMOVE:
            del units[key]
        elif action == ADD:
            units[key] = Unit(key, **values, source=source)
        else:
            units[key] = replace(units[key], **values, source=source)
        return
    if action == REMOVE:
        del people[key]
    elif action == ADD:
        people[key] = Volunteer(key, **_volunteer_fields(values), source=source)
    else:
        people[key] = replace(people[key], **_volunteer_fields(values), source=source)


def _refused(kind: str, action: str, key: str, message: str, expected: str) -> InputError:
    return InputError([Problem(message, Source(command(kind, action)), "ID", key, expected)])


def apply(plan: Plan, edits: Iterable[tuple[str, str, str, dict[str, str]]]) -> Plan:
    """`plan` with the edits made, in order; `InputError` names the first that does not fit."""
    units = {u.name: u for u in plan.units}
    people = {v.id: v for v in plan.volunteers}
    applied = False
    for edit in edits:
        applied = True
        try:
            _apply_one(units, people, edit)
        except FieldError as exc:
            kind, action, _, _ = edit
            raise InputError(
                [
                    Problem(
                        exc.message,
                        Source(command(kind, action)),
                        OPTIONS.get(exc.field, "--" + exc.field.replace("_", "-")),
                        exc.value,
                        exc.expected,
                    )
                ]
            ) from None
    if not applied:
        return plan
    known = set(people)
    leave = tuple(x for x in plan.leave if x.volunteer_id in known)
    return replace(
        plan,
        units=tuple(units.values()),
        volunteers=tuple(people.values()),
        leave=leave,
        warnings=(),
    )
