"""The current plan kept ready between commands: reading a city's tables again costs half a second
each time, unpickling what was read costs a twentieth.

The cache is a file in the workspace's `cache/` folder, named by a digest of what the plan is made
of (the table's hash, the leave, the edits) and of the domain's own code, so a change of either
reads the tables again; deleting the folder is always safe. Only this program writes it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path

import roster
from roster.fileio import write_bytes
from roster.model import Plan
from workspace import config

FOLDER = "cache"


@cache
def _code() -> str:
    """A digest of the domain's source: a new version of the records never reads an old pickle."""
    digest = hashlib.sha256()
    for path in sorted(Path(roster.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(key: tuple[str, ...], read: Callable[[], Plan]) -> Plan:
    """The plan of `key`, from the cache or from `read` (then kept for next time)."""
    name = hashlib.sha256(repr((key, _code())).encode()).hexdigest()[:32]
    folder = config.folder() / FOLDER
    path = folder / f"plan-{name}.pickle"
    if path.is_file():
        try:
            plan = pickle.loads(path.read_bytes())
            if isinstance(plan, Plan):
                return plan
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass  # a damaged or foreign file: read the tables again
    plan = read()
    for old in folder.glob("plan-*.pickle") if folder.is_dir() else ():
        old.unlink(missing_ok=True)
    write_bytes(path, pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    return plan
