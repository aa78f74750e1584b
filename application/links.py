"""Rotating personal feed links: a lost phone, a link passed on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from application.outputs import now
from exports.feedstate import FeedState
from roster.errors import InputError, Problem, Source
from roster.fileio import folder_lock
from roster.i18n import tr
from roster.model import Plan


@dataclass(frozen=True)
class RotateRequest:
    """New links for `volunteer_ids`, whose tokens are kept in `state_dir`."""

    plan: Plan
    state_dir: Path
    volunteer_ids: tuple[str, ...]
    source: str = ""  # where the plan came from, for messages


def rotate_links(request: RotateRequest) -> dict[str, str]:
    """Each volunteer's new token; the old ones stop working at the next export.

    Every unknown id is named (and nothing changes) before any token is touched.
    """
    known = {v.id for v in request.plan.volunteers}
    unknown = [v for v in request.volunteer_ids if v not in known]
    if unknown:
        raise InputError(
            [
                Problem(
                    tr("no such volunteer"),
                    Source(request.source),
                    "volunteer_id",
                    v,
                    expected=tr("an id (编号) from the volunteers table"),
                )
                for v in unknown
            ]
        )
    with folder_lock(request.state_dir):  # not while a solve is saving the same tokens
        state = FeedState.load(request.state_dir, now())
        tokens = {vid: state.rotate(vid) for vid in request.volunteer_ids}
        state.save()
    return tokens
