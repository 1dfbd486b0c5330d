"""Are this tree's outputs those of another motifcli tree? For pure-performance changes.

    PYTHONPATH=$PWD python benchmarks/compare_outputs.py --before /tmp/speed6/before --pop909 100-149 \\
        --extra /work/shared/data/bps_motif_dev/.../01-1.mid --chorale bach/bwv1.6 --workers 2

Runs ``motif annotate FILES -o OUT -f midi -f json [--workers W]`` from each tree (same interpreter,
``PYTHONPATH`` set to the tree) and compares every output file: MIDI byte for byte, JSON as parsed
documents after removing what names the tree (the model card's ``path``) and nothing else, and
as text with each tree's folder replaced (phase 7: the layout must not change either). A
music21 chorale (``--chorale``) is exported from music21's corpus to MusicXML first and also
written as MusicXML. Prints one line per differing file and a total; exit 1 if any differ.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(tree: Path, files: list[str], out: Path, formats: list[str], workers: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree))
    args = [sys.executable, "-m", "motifcli", "annotate", *files, "-o", str(out)]
    for f in formats:
        args += ["-f", f]
    args += ["--workers", str(workers)]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tree, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: motif annotate failed ({proc.returncode}): {proc.stderr[-1500:]}")


def normalised(path: Path) -> object:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data.get("model"), dict):
        data["model"].pop("path", None)
    return data


def text_of(path: Path, tree: Path) -> str:
    """The JSON text with the tree's folder (in the model card's path) replaced: the layout too must match."""
    return path.read_text(encoding="utf-8").replace(json.dumps(str(tree))[1:-1], "TREE")


def compare(a: Path, b: Path, trees: tuple[Path, Path] | None = None) -> tuple[int, list[str]]:
    """(files compared, relative paths of those that differ or exist on one side only). With
    ``trees`` (a's and b's), JSON files must also have the same text once the trees' folders are
    replaced (not only the same parsed document)."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    bad = []
    for rel in sorted(names):
        x, y = a / rel, b / rel
        if not (x.is_file() and y.is_file()):
            bad.append(f"{rel} (only in one tree)")
        elif rel.suffix == ".json":
            if normalised(x) != normalised(y):
                bad.append(str(rel))
            elif trees is not None and text_of(x, trees[0]) != text_of(y, trees[1]):
                bad.append(f"{rel} (same document, different text)")
        elif x.read_bytes() != y.read_bytes():
            bad.append(str(rel))
    return len(names), bad


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--pop909", default="100-149", help="song numbers FIRST-LAST ('' for none)")
    parser.add_argument("--extra", nargs="*", default=[], help="more MIDI/MusicXML files")
    parser.add_argument("--chorale", nargs="*", default=[], help="music21 corpus names, e.g. bach/bwv1.6")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from benchmarks.workers import data_root

    files: list[str] = []
    if args.pop909:
        first, last = (int(x) for x in args.pop909.split("-"))
        files += [str(p) for n in range(first, last + 1) if (p := data_root() / f"{n:03d}" / f"{n:03d}.mid").is_file()]
    files += args.extra
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        xml_files = []
        if args.chorale:
            import music21

            for name in args.chorale:
                dest = tmp_path / "in" / (name.replace("/", "_") + ".musicxml")
                dest.parent.mkdir(parents=True, exist_ok=True)
                music21.corpus.parse(name).write("musicxml", fp=str(dest))
                xml_files.append(str(dest))
        bad: list[str] = []
        compared = 0
        for group, formats in ((files, ["midi", "json"]), (xml_files, ["musicxml", "midi", "json"])):
            if not group:
                continue
            outs = {}
            for name, tree in (("this", REPO), ("before", args.before.resolve())):
                outs[name] = tmp_path / f"{name}-{formats[0]}"
                run(tree, group, outs[name], formats, args.workers)
            count, differing = compare(outs["this"], outs["before"], (REPO, args.before.resolve()))
            compared += count
            bad += differing
        total = len(files) + len(xml_files)
        for line in bad:
            print("differs:", line)
        print(f"{total} inputs, {compared} output files compared, {len(bad)} differing")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
