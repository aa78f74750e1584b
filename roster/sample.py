"""Where the shipped sample (the seed's Leiyang table) lives, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

from roster.i18n import tr

_HERE = Path(__file__).resolve().parent


def sample_dir() -> Path:
    """The sample data folder: inside the installed package, else `data/leiyang` of the checkout."""
    for candidate in (_HERE / "_sample" / "leiyang", _HERE.parent / "data" / "leiyang"):
        if (candidate / "duties.csv").is_file():
            return candidate
    raise FileNotFoundError(tr("the sample data (data/leiyang) is not installed with this package"))
