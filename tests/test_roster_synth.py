"""`roster synth`: a deterministic synthetic city that `roster check` accepts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli import main as cli
from roster.readers import load
from roster.synth import synth, write_city

runner = CliRunner()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_writes_the_same_city_and_another_seed_another(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        result = runner.invoke(
            cli.app,
            [
                "synth",
                "--units",
                "12",
                "--volunteers",
                "400",
                "--seed",
                str(seed),
                "--out",
                str(tmp_path / name),
            ],
        )
        assert result.exit_code == 0, result.output
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a")["duties.csv"] != _tree(tmp_path / "c")["duties.csv"]


def test_a_synthetic_city_passes_roster_check(tmp_path: Path) -> None:
    write_city(synth(12, 400, 1), tmp_path / "city")
    result = runner.invoke(cli.app, ["check", str(tmp_path / "city")])
    assert result.exit_code == 0, result.output
    plan = load(tmp_path / "city")
    assert len(plan.units) == 12 and len(plan.volunteers) == 400
    assert not [w for w in plan.warnings if "unknown" in w.message]


def test_the_city_is_realistic_not_uniform() -> None:
    city = synth(120, 6000, 1)
    sizes: dict[str, int] = {}
    for v in city.volunteers:
        sizes[v[2]] = sizes.get(v[2], 0) + 1
    assert len(sizes) == 120 and sum(sizes.values()) == 6000
    assert max(sizes.values()) > 3 * min(sizes.values())  # a few large bureaus, many small
    kinds = {d[0] for d in city.duties}
    assert kinds == {"联社区", "包路口", "包路段", "包重点场所"}
    assert any(d[0] == "包路口" and d[7] == "8" for d in city.duties)
    assert any("、" in d[2] for d in city.duties)  # areas with two candidate units
    leaders = sum(v[4] == "是" for v in city.volunteers)
    assert 0.08 < leaders / 6000 < 0.25
    assert 0.01 < len(city.leave) / 6000 < 0.06


def test_a_province_prefixes_units_by_city() -> None:
    city = synth(28, 600, 1, cities=14)
    prefixes = {u[0][:2] for u in city.units}
    assert len(prefixes) == 14


def test_too_few_volunteers_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        cli.app, ["synth", "--units", "10", "--volunteers", "20", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
