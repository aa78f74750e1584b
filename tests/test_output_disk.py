"""A full disk and a read-only folder are named as such (exit 5), and the previous output stays.

The disk is a real one: a small tmpfs mounted in a mount namespace of the test's own
(`unshare --user --map-root-user --mount`), so nothing outside the test sees it.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLE

SCRIPT = r"""
set -u
here="$1"; size="$2"
mount -t tmpfs -o size="$size" tmpfs "$here/disk" || exit 99
cp -r "$here/data" "$here/disk/data"
solve() {
    ROSTER_LANG=en SOURCE_DATE_EPOCH=1655000000 "$PYTHON" -m roster solve "$here/disk/data" \
        --week "$1" --out "$here/disk/out" >/dev/null 2>>"$here/$2.txt"
    echo $? > "$here/$2.code"
}
solve 2022-06-08 first
(cd "$here/disk/out" && find . -type f ! -name .roster.lock -exec sha256sum {} + | sort) \
    > "$here/before.txt"
solve 2022-06-15 second
mount -o remount,ro "$here/disk"
solve 2022-06-15 third
(cd "$here/disk/out" && find . -type f ! -name .roster.lock -exec sha256sum {} + | sort) \
    > "$here/after.txt"
ls -a "$here/disk/out" > "$here/entries.txt"
"""


def _namespaces() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _namespaces(), reason="needs Linux mount namespaces (unshare -rm)")
def test_a_full_disk_then_a_read_only_one_are_named_and_the_previous_output_stays(
    tmp_path: Path,
) -> None:
    shutil.copytree(SAMPLE, tmp_path / "data")
    (tmp_path / "disk").mkdir()
    script = tmp_path / "run.sh"
    script.write_text(SCRIPT, "utf-8")
    # room for one export (about 650 kB on tmpfs) but not for a second one staged beside it
    done = subprocess.run(
        ["unshare", "-rm", "bash", str(script), str(tmp_path), "900k"],
        env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    first = (tmp_path / "first.code").read_text().strip()
    assert first == "0", (tmp_path / "first.txt").read_text()
    assert (tmp_path / "second.code").read_text().strip() == "5"
    full = (tmp_path / "second.txt").read_text()
    assert "the disk is full" in full and "the previous outputs are as they were" in full
    assert "internal error" not in full and "Traceback" not in full
    assert (tmp_path / "third.code").read_text().strip() == "5"
    read_only = (tmp_path / "third.txt").read_text()
    assert "read-only" in read_only and f"{tmp_path}/disk/out" in read_only
    assert (tmp_path / "after.txt").read_text() == (tmp_path / "before.txt").read_text()
    left = (tmp_path / "entries.txt").read_text().split()
    assert not [name for name in left if name.startswith(".roster-")]  # nothing half-made left


def test_no_permission_names_the_file_without_calling_it_a_write() -> None:
    """EACCES comes from reading a table as well as from writing an output."""
    from cli.main import cannot_write

    text = cannot_write(PermissionError(errno.EACCES, "Permission denied", "/data/duties.csv"))
    assert "no permission to open /data/duties.csv" in text and "could not write" not in text
    lock = cannot_write(OSError(errno.EROFS, "Read-only file system", "/mnt/out/.roster.lock"))
    assert "could not write /mnt/out:" in lock and "read-only" in lock
