"""The Python the docs show runs, as written, against the bundled examples, so the docs cannot drift from the API.

Every ```python block of docs/cli.md's "Python" section and of README.md, and the code block of the package
docstring (``help(motifcli)``), is executed in order in one namespace per document, in a folder where the names
the snippets use are real files: ``song.mid`` (and ``a.mid``) is ``examples/pop909-101.mid``, ``b.mid``
``examples/pop909-202.mid``, ``examples/`` the bundled examples, ``out/`` an empty folder (``write`` needs the
folder to exist, as docs/cli.md says). Session 26 ran them by hand in a fresh venv (benchmarks/phase26-api26.md).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import motifcli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## `` heading."""
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start:] if end < 0 else text[start:end]


def docstring_block(doc: str) -> str:
    """The indented block after the first ``::`` of a docstring, dedented."""
    lines = doc.split("::\n", 1)[1].splitlines()
    block = []
    for line in lines[1:] if lines and not lines[0].strip() else lines:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line[4:])
    return "\n".join(block).strip() + "\n"


def blocks() -> dict[str, list[str]]:
    cli = section((REPO / "docs" / "cli.md").read_text(encoding="utf-8"), "## Python")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return {
        "docs/cli.md": FENCE.findall(cli),
        "README.md": FENCE.findall(readme),
        "motifcli/__init__.py": [docstring_block(motifcli.__doc__ or "")],
    }


def test_the_docs_show_python_to_run() -> None:
    found = blocks()
    assert len(found["docs/cli.md"]) >= 2 and len(found["README.md"]) >= 1  # the walk found the blocks
    assert "motifcli.annotate(" in found["motifcli/__init__.py"][0]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, example in (("song.mid", "pop909-101.mid"), ("a.mid", "pop909-101.mid"), ("b.mid", "pop909-202.mid")):
        shutil.copy(EXAMPLES / example, tmp_path / name)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("doc", ["docs/cli.md", "README.md", "motifcli/__init__.py"])
def test_the_docs_python_runs_as_written(doc: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": f"docs:{doc}"}
    for number, code in enumerate(blocks()[doc], 1):
        exec(compile(code, f"{doc} block {number}", "exec"), namespace)  # noqa: S102 - the docs' own code
    annotations = [v for v in namespace.values() if isinstance(v, motifcli.annotation.Annotation)]
    assert annotations and all(a.motifs for a in annotations)  # the snippets found motifs, not only ran
    if doc == "docs/cli.md":  # the writing block wrote what its comment says
        assert sorted(p.name for p in (workdir / "out").iterdir()) == [
            "song.motifs.json", "song.motifs.mid", "song.motifs.musicxml"]
    if doc == "README.md":  # the loop printed one line per occurrence
        printed = capsys.readouterr().out.splitlines()
        assert len(printed) == len(namespace["annotation"].occurrences)  # type: ignore[attr-defined]
        assert all(line.startswith("Motif ") for line in printed)
