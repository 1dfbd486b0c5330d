"""Issue 11 "Done when": no module of motifcli/ over 500 lines (small modules with one job each)."""

from __future__ import annotations

from pathlib import Path

MOTIFCLI = Path(__file__).resolve().parents[1] / "motifcli"
LIMIT = 500
# Known debt, named so that it cannot grow unnoticed (none today).
PENDING: dict[str, int] = {}


def test_no_runtime_module_over_500_lines() -> None:
    sizes = {str(p.relative_to(MOTIFCLI)): len(p.read_text(encoding="utf-8").splitlines())
             for p in MOTIFCLI.rglob("*.py")}
    assert len(sizes) > 20 and "batch.py" in sizes  # the walk found the package
    over = {name: n for name, n in sizes.items() if n > PENDING.get(name, LIMIT)}
    assert not over, f"modules over {LIMIT} lines: {over}"
