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
