"""docs/architecture.md's one direction of flow, read from the source: which motifcli module may import which.

The run-time tests (test_cli, test_speed_smoke, test_settings_pipeline) see what one run imports; a
function-level import on a path those runs do not take escapes them. This reads every ``import`` of
every module (function-level ones included) with :mod:`ast`, so a layer crossing fails here on the
line that makes it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sklearn", "scipy", "training")  # the runtime never needs them (architecture.md, "Rooms")
# a writer may read discovery's settings type: notation_lines asks which tracks discovery separates into lines
WRITER_MAY_IMPORT = ("motifcli.discovery.types",)


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def imports() -> dict[str, set[str]]:
    """Module -> every module it imports, at any level of the file (relative imports resolved)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "motifcli").rglob("*.py")):
        name = _module(path)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        out = found.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                out.add(target)
                out.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _crossings(rule: str, importer: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return [f"{rule}: {m} imports {d}" for m, deps in imports().items() if m.startswith(importer)
            for d in sorted(deps) if d.startswith(forbidden) and not d.startswith(allowed)]


def test_the_walk_sees_the_package() -> None:
    found = imports()
    assert len(found) > 80 and "motifcli.discovery.core" in found
    assert "motifcli.discovery.types" in found["motifcli.discovery.core"]


def test_the_runtime_imports_no_torch_scikit_learn_scipy_or_training() -> None:
    bad = [f"{m} imports {d}" for m, deps in imports().items() for d in sorted(deps) if d.split(".")[0] in HEAVY]
    assert not bad, bad


def test_discovery_and_readers_import_no_writer_and_no_front_end() -> None:
    front = ("motifcli.writers", "motifcli.cli", "motifcli.batch", "motifcli.pipeline", "motifcli.run_report")
    bad = _crossings("discovery", "motifcli.discovery", front) + _crossings("readers", "motifcli.readers", front)
    assert not bad, bad


def test_writers_read_the_score_not_the_readers_or_discovery() -> None:
    """Writers take what they need from the Score and the Annotation (architecture.md, "Readers and
    writers"); the drum channel they share with the readers lives in score.py."""
    bad = _crossings("writers", "motifcli.writers",
                     ("motifcli.readers", "motifcli.discovery", "motifcli.grouping", "motifcli.cli", "motifcli.batch"),
                     WRITER_MAY_IMPORT)
    assert not bad, bad
