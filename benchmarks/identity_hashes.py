"""Are this tree's families and meter estimates those of another tree? sha1 of repr, one line per case.

    PYTHONPATH=$TREE python benchmarks/identity_hashes.py families OUT.txt   # BPS tune+test, POP909 val+test,
                                                                           # 3 chorales, 10 MTC songs; kept ablations
    PYTHONPATH=$TREE python benchmarks/identity_hashes.py sets OUT.txt       # the families' cases, order ignored
    PYTHONPATH=$TREE python benchmarks/identity_hashes.py options OUT.txt    # kept options off their defaults
    PYTHONPATH=$TREE python benchmarks/identity_hashes.py meter OUT.txt      # MTC tune, POP909 100-129, 3 chorales
    diff BEFORE.txt AFTER.txt

Run once with ``PYTHONPATH`` (and the working folder) set to each tree, e.g. a ``git archive`` of the
base commit in /tmp, then diff. Prints hashes only, never scores (the test pieces are hashed, not
scored). Session 8 (tidy8, benchmarks/phase8-tidy8.md): removing the rejected options changed none.
``sets`` hashes each case's families as a set (statements, coverage, notes per statement; no label,
salience or order): the same reported families in another order (phase14-rank14.md) hash the same.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

CHORALES = ("bach/bwv1.6", "bach/bwv11.6", "bach/bwv130.6")


def sha(x: object) -> str:
    """sha1 of repr; a meter estimate with the fields its repr leaves out (downbeats, sections, scores).
    An occurrence's ``inverted=False``, ``time_scale=1.0`` and ``retrograde=False`` (session 18) are left out,
    so trees before them hash the same."""
    if hasattr(x, "downbeats") and hasattr(x, "sections"):
        x = (x, x.downbeats, x.sections, sorted(getattr(x, "scores", {}).items()))
    return hashlib.sha1(repr(x).replace(", retrograde=False)", ")").replace(", time_scale=1.0)", ")").replace(", inverted=False)", ")").encode()).hexdigest()


def chorales() -> list[tuple[str, object]]:
    import music21

    import motifcli

    tmp = Path(tempfile.mkdtemp())
    out = []
    for name in CHORALES:
        dest = tmp / (name.replace("/", "_") + ".musicxml")
        music21.corpus.parse(name).write("musicxml", fp=str(dest))
        out.append((name, motifcli.read_score(dest)))
    return out


def families(emit) -> None:
    from benchmarks.motif_corpora import load_corpus, mtc_names
    from motifcli.discovery import DiscoverySettings, discover
    from motifcli.model import LazyModel

    lazy = LazyModel()  # as the CLI hands it
    for split in ("tune", "test"):
        for p in load_corpus("bps", split):
            emit(f"bps-{split}-{p.name}", discover(p.score, lazy))
            if split == "tune":
                emit(f"bps-{split}-{p.name}-notranspose", discover(p.score, None, DiscoverySettings(transpose=False)))
                emit(f"bps-{split}-{p.name}-nomodel", discover(p.score))
    for split in ("val", "test"):
        for p in load_corpus("pop909", split):
            emit(f"pop-{split}-{p.name}", discover(p.score, lazy))
            if split == "val":
                emit(f"pop-{split}-{p.name}-texoff", discover(p.score, lazy, DiscoverySettings(texture_model="off")))
    for name, score in chorales():
        emit(f"chorale-{name}", discover(score, lazy))
    for p in load_corpus("mtc", names=mtc_names()[:10]):
        emit(f"mtc-{p.name}", discover(p.score, lazy))


def options(emit) -> None:
    import motifcli
    from benchmarks.motif_corpora import load_corpus
    from motifcli.discovery import DiscoverySettings, discover

    model = motifcli.load_model()
    runs = {
        "model_tol1.5": (model, DiscoverySettings(model_tolerance=1.5)),
        "grow0": (None, DiscoverySettings(grow_share=0.0)),
        "novariants": (None, DiscoverySettings(use_variants=False)),
        "cells_off_texture_off": (None, DiscoverySettings(short_cells=0, texture=False)),
        "grow_vary0_growall_off": (None, DiscoverySettings(grow_vary=0, grow_all=False)),
    }
    for p in load_corpus("bps", "tune") + load_corpus("pop909", names=["021", "022"]):
        for key, (m, settings) in runs.items():
            emit(f"{p.corpus}-{p.name}-{key}", discover(p.score, m, settings))


def meter(emit) -> None:
    from benchmarks.motif_corpora import load_corpus
    from benchmarks.workers import data_root
    from motifcli.meter import estimate_meter
    from motifcli.readers.midi import read_midi

    for p in load_corpus("mtc", "tune"):
        score = read_midi(p.path)
        emit(f"mtc-{p.name}", (estimate_meter(score), score.meter_map))
    for n in range(100, 130):
        score = read_midi(data_root() / f"{n:03d}" / f"{n:03d}.mid")
        emit(f"pop-{n}", (estimate_meter(score), score.meter_map))
    for name, score in chorales():
        emit(f"chorale-{name}", (estimate_meter(score), score.meter_map))  # type: ignore[arg-type]


def main() -> None:
    what, dest = sys.argv[1], sys.argv[2]
    with open(dest, "w", encoding="utf-8") as out:
        def emit(name: str, x: object) -> None:
            if isinstance(x, tuple) and len(x) == 2 and not isinstance(x[0], (list, tuple)):
                line = f"{name} {sha(x[0])} {sha(x[1])}"
            else:
                line = f"{name} {sha(x)} n={len(x)}"  # type: ignore[arg-type]
            out.write(line + "\n")
            out.flush()

        def emit_set(name: str, found: list) -> None:  # order, labels and saliences left out
            emit(name, sorted(repr((f.occurrences, f.coverage, f.notes_per_occurrence)).replace(", time_scale=1.0)", ")").replace(", inverted=False)", ")")
                              for f in found))

        {"families": families, "sets": lambda _: families(emit_set), "options": options, "meter": meter}[what](emit)


if __name__ == "__main__":
    main()
