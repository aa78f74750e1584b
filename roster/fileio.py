"""Atomic output: write beside the target, then rename, so a failure never leaves half a file."""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()


def usual_mode(path: Path, directory: bool = False) -> None:
    """The permissions a plain open() or mkdir would have given (mkstemp and mkdtemp make their
    files private, which a web server running as another user then cannot read)."""
    path.chmod((0o777 if directory else 0o666) & ~UMASK)


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    usual_mode(tmp_path)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path | str, text: str, encoding: str = "utf-8") -> None:
    write_bytes(target, text.encode(encoding))


def write_with(target: Path | str, save: Callable[[Path], None]) -> None:
    """Atomically write a file that a library saves by path (openpyxl's `save`, for one)."""
    with atomic_path(target) as tmp:
        save(tmp)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV table as text with '\n' line ends (the same bytes on every platform)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


LOCK = ".roster.lock"


@contextmanager
def folder_lock(folder: Path, waiting: Callable[[Path], None] = lambda _: None) -> Iterator[None]:
    """Hold `folder`'s lock while writing into it: a second roster writing there waits for the
    first (after `waiting(folder)` is told), so two runs never mix their files. The lock is the
    operating system's: it goes with the process, a killed run leaves nothing to clean up.
    A thread that holds it already may take it again."""
    folder.mkdir(parents=True, exist_ok=True)
    key = (threading.get_ident(), os.path.realpath(folder))
    if key in _held:
        yield
        return
    with open(folder / LOCK, "a+b") as handle:
        if not _try_lock(handle):
            waiting(folder)
            _lock(handle)
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
            _unlock(handle)


_held: set[tuple[int, str]] = set()  # (thread, folder) of the locks held in this process


if sys.platform == "win32":  # pragma: no cover - the office's Windows machines
    import msvcrt

    def _try_lock(handle: io.BufferedRandom) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(handle: io.BufferedRandom) -> None:
        while not _try_lock(handle):
            time.sleep(0.2)

    def _unlock(handle: io.BufferedRandom) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: io.BufferedRandom) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(handle: io.BufferedRandom) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: io.BufferedRandom) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
