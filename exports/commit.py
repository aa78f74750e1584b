"""An output folder's files replaced together, or not at all, even when the process is killed.

`assignments.csv`, `shortfalls.csv`, `feeds.csv`, `ical/` and `excel/` belong together: feeds.csv
lists the files of ical/, the workbooks show the rows of assignments.csv. They are first written
into a staging folder beside them (`.roster-staging-…`); nothing of the previous output changes
while that is going on, and a run killed then leaves only the staging folder, removed at the next
run. Committing renames the staging folder to `.roster-commit` (one atomic step, after which
the new output counts as written) and then moves each entry into place. A run killed during those
few renames leaves `.roster-commit`; the next roster command that writes or reads the folder
finishes the moves first (`recover`), so the folder holds the previous output or the complete new
one, never a mixture.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from roster.faults import point
from roster.fileio import usual_mode

STAGING = ".roster-staging-"
COMMIT = ".roster-commit"
DONE = ".roster-done-"
MANIFEST = "ENTRIES"  # the names the commit replaces, one per line, written last
OLD = ".old"  # inside the commit folder: what the moves replaced


def recover(out_dir: Path) -> bool:
    """Finish an interrupted commit and remove what an interrupted run left; True if a commit
    was finished (the folder then holds the output of the run that was interrupted)."""
    if not out_dir.is_dir():
        return False
    finished = False
    commit = out_dir / COMMIT
    if (commit / MANIFEST).is_file():
        _apply(out_dir)
        finished = True
    elif commit.exists():  # a commit folder without its list: never got that far
        shutil.rmtree(commit, ignore_errors=True)
    for path in out_dir.iterdir():
        if path.name.startswith((STAGING, DONE)):
            shutil.rmtree(path, ignore_errors=True)
    return finished


class Stage:
    """A staging folder; write the new entries into `path`, then `commit()`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
        usual_mode(self.path, directory=True)

    def commit(self) -> None:
        """Put every entry of the staging folder in its place in the output folder."""
        names = sorted(p.name for p in self.path.iterdir())
        manifest = self.path / MANIFEST
        with open(manifest, "w", encoding="utf-8") as f:
            f.write("".join(n + "\n" for n in names))
            f.flush()
            os.fsync(f.fileno())
        point("export:staged")
        os.replace(self.path, self.out_dir / COMMIT)
        point("export:committed")
        _apply(self.out_dir)


def _apply(out_dir: Path) -> None:
    """Move each listed entry of the commit folder into place; each step may be repeated, so a
    run killed here is finished by the next one."""
    commit = out_dir / COMMIT
    names = (commit / MANIFEST).read_text(encoding="utf-8").split()
    old = commit / OLD
    old.mkdir(exist_ok=True)
    for name in names:
        new = commit / name
        if not new.exists() and not new.is_symlink():
            continue  # moved already
        target = out_dir / name
        if new.is_dir() and (target.exists() or target.is_symlink()):
            os.replace(target, old / name)  # a folder cannot replace a folder in one step
            point(f"export:aside:{name}")
        elif target.is_dir() and not target.is_symlink():
            os.replace(target, old / name)
        os.replace(new, target)
        point(f"export:moved:{name}")
    done = Path(tempfile.mkdtemp(prefix=DONE, dir=out_dir))
    os.replace(commit, done / "commit")
    shutil.rmtree(done, ignore_errors=True)
    point("export:cleaned")


@contextmanager
def staged(out_dir: Path) -> Iterator[Stage]:
    """A staging folder in `out_dir`, removed afterwards unless committed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    stage = Stage(out_dir)
    try:
        yield stage
    finally:
        shutil.rmtree(stage.path, ignore_errors=True)
