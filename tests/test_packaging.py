"""``pip install .`` ships every package of the runtime and training: a subpackage missing from
pyproject.toml's list works in the source tree and an editable install, and fails only for users
(``--unit note`` once failed that way: motifcli.discovery was not listed)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_package_of_the_tree_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("motifcli", "training")
        for init in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert "motifcli.readers" in found and "motifcli" in found  # the walk found the tree
    assert found <= listed, f"packages not shipped by pip install .: {sorted(found - listed)}"


def test_no_doc_installs_motif_from_pypi_by_name() -> None:
    """motif is installed from its source folder (README: ``pip install .``); ``motif`` on PyPI is an
    unrelated project (a 2015 module, 0.0.11), so ``pip install motif`` in a doc installs the wrong thing
    (the MuseScore plugin's install steps said so)."""
    import re

    # the docs a user follows (benchmarks/ write-ups may quote the old line as a found defect)
    # (named folders, not a walk of the clone: a virtual environment inside it holds other projects' files)
    docs = [REPO / "README.md"] + [p for top in ("docs", "plugins", "exported_models", "training", "examples")
                                   for p in (REPO / top).rglob("*.md")]
    bare = re.compile(r"\bpipx? install (?:-U |--upgrade )?motif(?:==[\w.]+)?(?=[\s`'\"),;]|$)")
    found = [f"{p.relative_to(REPO)}:{i}" for p in docs
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert len(docs) > 5 and not found, found


def test_the_wheel_ships_py_typed_for_a_users_type_checker(tmp_path: Path) -> None:
    """PEP 561: without ``motifcli/py.typed`` in the installed package, mypy and an IDE treat every
    ``motifcli`` name as ``Any`` ("module is installed, but missing library stubs or py.typed marker")
    and a notebook user's misspelt keyword or wrong argument type is never flagged."""
    import subprocess
    import sys
    import zipfile

    import pytest

    pytest.importorskip("setuptools", minversion="77")  # the build backend pyproject names, built without isolation

    import shutil

    source = tmp_path / "src"  # built from a copy: setuptools writes build/ and *.egg-info beside the sources
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("motifcli", "training"):
        shutil.copytree(REPO / folder, source / folder, ignore=skip)
    (source / "exported_models").mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "NOTICE", "exported_models/README.md",
                 "exported_models/motif-default.onnx"):
        shutil.copy(REPO / name, source / name)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(source)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    wheel = next(tmp_path.glob("motif-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "motifcli/__init__.py" in names and "motifcli/_models/motif-default.onnx" in names  # the wheel is whole
    assert "motifcli/py.typed" in names, sorted(n for n in names if n.startswith("motifcli/"))[:10]
