"""--max-families, --min-notes and --sensitivity on polyphonic input mean what docs/cli.md says
(issue 10: "keep clear meanings"; phase15-formats15.md).

Keyboard reductions written by music21 (benchmarks/written_voices.py): Palestrina's Agnus Dei
(music21's palestrina/Agnus_01, its first four voices) and the chorale bwv1.6, as MIDI (a track per
staff, separated into its lines by discovery) and as MusicXML (written voices), through the library
call that ``motif annotate`` makes.

- ``max_families=n``: the n most salient families of the default run (the same statements, in the
  same order). Before phase 15 the cap reached discovery's greedy choice of voice families, so the
  reduction's most salient family was missing from ``--max-families 2``.
- ``min_notes=n``: no occurrence has fewer than n notes.
- ``sensitivity=0``: exact or transposed repeats only (every similarity 1); 1 accepts less similar ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import motifcli
from motifcli.annotation import Annotation

music21 = pytest.importorskip("music21")


@pytest.fixture(scope="module")
def reductions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from benchmarks.written_voices import reduction, vocal_parts

    folder = tmp_path_factory.mktemp("reductions")
    pieces = {"agnus": list(music21.corpus.parse("palestrina/Agnus_01").parts)[:4],
              "bwv1.6": vocal_parts(music21.corpus.parse("bach/bwv1.6"))}
    out = {}
    for name, parts in pieces.items():
        for form, suffix in (("midi", "mid"), ("musicxml", "musicxml")):
            out[f"{name}.{suffix}"] = folder / f"{name}-keys.{suffix}"
            reduction(parts).write(form, fp=str(out[f"{name}.{suffix}"]))
    return out


def statements(annotation: Annotation) -> list[list[tuple[tuple[int, int], ...]]]:
    """Each family's occurrences as their notes (track, index), families in the annotation's order."""
    return [[tuple((n.track, n.index) for n in o.notes) for o in m.occurrences] for m in annotation.motifs]


@pytest.mark.parametrize("piece", ["agnus.mid", "agnus.musicxml", "bwv1.6.mid", "bwv1.6.musicxml"])
def test_max_families_is_the_default_runs_most_salient(reductions: dict[str, Path], piece: str) -> None:
    score = motifcli.read_score(reductions[piece])
    full = motifcli.annotate(score)
    # two or more families, so that a cap below the default's count is tried (agnus.mid: 3 families over
    # 3 lines before session 16; 2 over all four voices since its upper staff is separated, phase16-midilines16.md)
    assert len(full.motifs) >= 2 and [m.rank for m in full.motifs] == list(range(1, len(full.motifs) + 1))
    for n in range(1, len(full.motifs) + 1):
        capped = motifcli.annotate(score, max_families=n)
        assert statements(capped) == statements(full)[:n], n
        assert [m.salience for m in capped.motifs] == [m.salience for m in full.motifs[:n]]


@pytest.mark.parametrize("piece", ["agnus.mid", "bwv1.6.musicxml"])
def test_min_notes_and_sensitivity_on_lines(reductions: dict[str, Path], piece: str) -> None:
    score = motifcli.read_score(reductions[piece])
    for n in (5, 6, 8):
        occurrences = [o for m in motifcli.annotate(score, min_notes=n).motifs for o in m.occurrences]
        assert (occurrences or n > 5) and all(len(o.notes) >= n for o in occurrences), n
    exact = [o.similarity for m in motifcli.annotate(score, sensitivity=0.0).motifs for o in m.occurrences]
    loose = [o.similarity for m in motifcli.annotate(score, sensitivity=1.0).motifs for o in m.occurrences]
    assert exact and all(s == pytest.approx(1.0) for s in exact)
    assert min(loose) < min(o.similarity for m in motifcli.annotate(score).motifs for o in m.occurrences) <= 1.0
