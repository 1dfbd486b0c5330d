"""What the docs point at is there: links, anchors, named files, modules and README's commands (session 28).

Seven branches merged in one session each appended to README.md, docs/*.md and the plugin's README; a paragraph
that names a moved file or a heading that was renamed reads fine and sends a reader nowhere. This checks, for the
documents a user reads:

- every relative Markdown link ``[text](path#anchor)`` names a file (or folder) that exists, and its anchor a
  heading of that file (GitHub's slug: lower case, punctuation dropped, spaces to hyphens);
- every repository path named in prose (``benchmarks/phase28-fiddle28.md``, ``motifcli/writers/runs.py``,
  ``tests/test_musescore.py::test_...``) exists, and so does every write-up named bare (``phase19-staff19.md``,
  which the docs mean as ``benchmarks/``'s);
- docs/architecture.md names every module of ``motifcli/`` (a module added without a line in "Rooms" or
  "Readers and writers" is a room nobody can find) and names none that is not there;
- every ``motif ...`` line of README.md's shell blocks parses with the current CLI (each option exists and its value
  has the option's type; nothing runs).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from motifcli.cli import app

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "plugins" / "musescore" / "README.md",
        REPO / "exported_models" / "README.md"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
TOP = ("benchmarks", "tests", "motifcli", "training", "docs", "plugins", "exported_models", "examples")
PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w./-]*\w)" % "|".join(TOP))
WRITE_UP = re.compile(r"(?<![\w/-])(phase\d+-[\w-]+\.md)")
SHELL = re.compile(r"^```(?:bash|sh|shell|console)\n(.*?)^```", re.S | re.M)


def _rel(doc: Path) -> str:
    return str(doc.relative_to(REPO))


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)  # no '#' of a code block
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}


def broken_links(doc: Path, text: str | None = None) -> list[str]:
    out = []
    for target in LINK.findall(doc.read_text(encoding="utf-8") if text is None else text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            out.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            out.append(f"{target} (no heading #{anchor} in {dest.relative_to(REPO)})")
    return out


def missing_paths(doc: Path, text: str | None = None) -> list[str]:
    text = doc.read_text(encoding="utf-8") if text is None else text
    out = []
    for name in sorted(set(PATH.findall(text))):
        path = name.split("::", 1)[0].rstrip(".")
        if not (REPO / path).exists():
            out.append(name)
    out += [name for name in sorted(set(WRITE_UP.findall(text))) if not (REPO / "benchmarks" / name).exists()]
    return out


def test_the_walk_finds_links_and_paths() -> None:
    """The patterns find what the docs hold (else every check below would pass on nothing)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/cli.md#bars" in LINK.findall(readme)
    assert "benchmarks/phase28-fiddle28.md" in PATH.findall(readme)
    assert "phase19-staff19.md" in WRITE_UP.findall(readme)
    assert slug("Collections: `--across`") == "collections---across"
    assert "bars" in anchors(REPO / "docs" / "cli.md")


def test_a_broken_link_or_path_is_found() -> None:
    """The checks fail where they should: a planted dead link, anchor, path and write-up name are each reported."""
    doc = REPO / "docs" / "planted.md"  # as if in docs/: links resolve from there
    text = ("# Planted\n[a](cli.md#no-such-heading) [b](gone.md) [c](cli.md#bars) [d](https://example.org/x)\n"
            "benchmarks/phase99-gone99.md, motifcli/writers/runs.py, phase98-gone98.md, phase28-fiddle28.md\n")
    assert broken_links(doc, text) == ["cli.md#no-such-heading (no heading #no-such-heading in docs/cli.md)",
                                       "gone.md (no such file)"]
    assert missing_paths(doc, text) == ["benchmarks/phase99-gone99.md", "phase98-gone98.md"]


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_relative_link_and_anchor_exists(doc: Path) -> None:
    assert not broken_links(doc), f"{_rel(doc)}: links to nothing: {broken_links(doc)}"


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_named_repository_path_exists(doc: Path) -> None:
    assert not missing_paths(doc), f"{_rel(doc)}: names files that are not there: {missing_paths(doc)}"


def _architecture_names() -> tuple[set[str], str]:
    """The module files docs/architecture.md names (paths as written, bare names too) and its discovery/ block."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = set(re.findall(r"(?<![\w.])((?:[\w]+/)*[\w]+\.py)\b", text))
    for folder, listed in re.findall(r"((?:readers|writers)/)(\w+\.py(?:, \w+\.py)+)", text):  # "writers/a.py, b.py"
        names |= {folder + name for name in listed.split(", ")}
    block = text[text.index("\n  discovery/ "):text.index("\n  annotation.py")]
    return names, block


def test_architecture_names_every_runtime_module() -> None:
    names, discovery_block = _architecture_names()
    missing = []
    for path in sorted((REPO / "motifcli").rglob("*.py")):
        rel = path.relative_to(REPO / "motifcli").as_posix()
        if rel == "discovery/__init__.py":  # the package's re-exports: the block's own heading line
            continue
        if rel.startswith("discovery/"):  # listed inside the discovery/ block by bare name
            if not re.search(r"(?<![\w/])" + re.escape(path.name), discovery_block):
                missing.append(rel)
        elif rel not in names and f"motifcli/{rel}" not in names:
            missing.append(rel)
    assert not missing, f"docs/architecture.md has no line for: {missing}"


def test_architecture_names_no_runtime_module_that_is_gone() -> None:
    """Each entry of the Rooms tree under motifcli/ and of "Readers and writers" is a file of the package."""
    lines = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("motifcli/ ")))
    end = lines.index(next(line for line in lines if line.startswith("training/ ")))
    entry = re.compile(r"  ([\w/]+\.py(?: / [\w/]+\.py)*)\s")
    heads = [m.group(1) for line in lines[start + 1:end] if (m := entry.match(line))]
    rw = lines.index("## Readers and writers")
    heads += [m.group(1) for line in lines[rw:] if (m := re.match(r"((?:readers|writers)/\w+\.py)\s", line))]
    assert len(heads) > 60  # the walk read the tree
    gone = [name for head in heads for name in head.split(" / ") if not (REPO / "motifcli" / name).exists()]
    assert not gone, f"docs/architecture.md names modules that are not in motifcli/: {gone}"


def readme_commands() -> list[str]:
    out = []
    for block in SHELL.findall((REPO / "README.md").read_text(encoding="utf-8")):
        for line in block.splitlines():
            command = re.split(r"\s+#", line, maxsplit=1)[0]
            out += [part.strip() for part in re.split(r"&&|;|\|", command) if part.strip().startswith("motif ")]
    return out


def test_readme_commands_parse_with_the_cli() -> None:
    commands = readme_commands()
    assert len(commands) >= 10 and "motif info" in commands  # the walk found the code blocks
    group = typer.main.get_command(app)
    for command in commands:
        args = shlex.split(command)[1:]
        sub = group.commands.get(args[0])  # type: ignore[attr-defined]
        assert sub is not None, f"README: no such command: {command}"
        sub.make_context(args[0], args[1:])  # raises a UsageError on an unknown option or a bad value


def test_every_benchmark_script_is_named_somewhere() -> None:
    """A benchmark script nobody names is a measurement nobody can find again: each is named in architecture.md
    or in a write-up under benchmarks/ (as a file or as ``python -m benchmarks.NAME``)."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "benchmarks").rglob("*.md")))
    scripts = sorted((REPO / "benchmarks").glob("*.py"))
    assert len(scripts) > 100
    unnamed = [p.name for p in scripts if p.stem != "__init__" and not re.search(r"\b%s\b" % re.escape(p.stem), text)]
    assert not unnamed, f"benchmark scripts no doc names: {unnamed}"


EXTERNAL_NAMES = {"tieForward"}  # MuseScore 3's plugin API, named in the plugin's README for what it lacks


def test_every_code_name_the_docs_quote_is_in_the_code() -> None:
    """A setting, function or module the docs quote in backticks (``texture_line_low``, ``shipped_model()``,
    ``musicxml_sides.BELOW_WORDS_SIZE``) is a name the code has: a rename leaves no quote behind. Only names
    that look like identifiers (an underscore or an inner capital) are checked; plain words are prose."""
    tops = ("motifcli", "training", "benchmarks", "plugins", "tests")
    code = "".join(p.read_text(encoding="utf-8", errors="ignore") for top in tops for p in (REPO / top).rglob("*")
                   if p.suffix in (".py", ".js", ".qml", ".sh", ".toml"))
    quoted = r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(\))?`"
    missing = []
    for doc in DOCS:
        for name in sorted(set(re.findall(quoted, doc.read_text(encoding="utf-8")))):
            last = name.split(".")[-1]
            if ("_" in last or any(c.isupper() for c in last[1:])) and last not in code and last not in EXTERNAL_NAMES:
                missing.append(f"{_rel(doc)}: {name}")
    assert len(code) > 1_000_000  # the walk read the code
    assert not missing, f"names the docs quote that no code has: {missing}"
