"""Short rhythmic cells (motifcli.discovery.cells): 2-3-note groups whose intervals vary, found by rhythm."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.candidates import build_lines
from motifcli.discovery.cells import bounded, cell_keys
from motifcli.score import Note, Score, Track
from motifcli.voices import UPPER, Voice

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
# one dotted cell (two eighths and a quarter: up, then down) with other intervals at every statement
CELL_STEPS = [(3, -2), (5, -4), (2, -1), (7, -3), (4, -5), (1, -2), (6, -6), (3, -1)]


def _chorale() -> Path:
    music21 = pytest.importorskip("music21")
    return Path(str(music21.corpus.getWork("bwv1.6")))


def _plant_cells(score: Score) -> tuple[Score, list[set[tuple[int, int]]]]:
    """A new track: the cell in pairs (2 beats apart, rests between), four pairs spread over the piece."""
    end = float(score.end_beat)
    index = max(t.index for t in score.tracks) + 1
    notes: list[Note] = []
    planted: list[set[tuple[int, int]]] = []
    for k, (up, down) in enumerate(CELL_STEPS):
        start = float(np.floor((k // 2 + 1) * end / 5)) + 2.0 * (k % 2)
        first, base = len(notes), 64 + (k % 3)
        notes += [Note(start, start + 0.5, base), Note(start + 0.5, start + 1.0, base + up),
                  Note(start + 1.0, start + 1.5, base + up + down)]
        planted.append({(index, i) for i in range(first, len(notes))})
    return dataclasses.replace(score, tracks=[*score.tracks, Track(index=index, name="CELLS", notes=notes)]), planted


def _holding_all(families: list[Family], planted: list[set[tuple[int, int]]]) -> list[Family]:
    out = []
    for f in families:
        sets = {frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences}
        if all(frozenset(p) in sets for p in planted):
            out.append(f)
    return out


def _voice(onsets: list[float], durations: list[float], pitches: list[int]) -> Voice:
    on = np.asarray(onsets, dtype=float)
    return Voice(0, UPPER, np.arange(len(on)), on, on + np.asarray(durations), np.asarray(pitches, dtype=np.int64))


def test_a_cell_with_varying_intervals_is_one_family_only_through_the_cell_route() -> None:
    score, planted = _plant_cells(read_score(_chorale()))
    # the chorale's own 3-note cell (7 statements) is a family beside the planted one; its 2-note pairs (12-13
    # statements) are under cell_pair_statements since phase 26
    hits = _holding_all(discover(score), planted)
    assert hits, "no family holds all eight planted cell statements, note for note"
    assert hits[0].notes_per_occurrence == 3
    assert not _holding_all(discover(score, settings=DiscoverySettings(short_cells=0)), planted)


def test_cells_only_add_families() -> None:
    score, _ = _plant_cells(read_score(_chorale()))
    plain = discover(score, settings=DiscoverySettings(short_cells=0))
    with_cells = discover(score)
    assert len(with_cells) > len(plain)
    occs = lambda fs: {frozenset((n.track, n.index) for n in o.notes) for f in fs for o in f.occurrences}  # noqa: E731
    assert occs(plain) <= occs(with_cells)
    added = [f for f in with_cells if f.notes_per_occurrence < DiscoverySettings().min_notes]
    assert added, "the planted cell gave no family below min_notes"


def test_running_notes_form_no_cell_and_a_rest_bounds_one() -> None:
    even = build_lines([_voice([0.5 * k for k in range(16)], [0.5] * 16, [60 + (k % 5) for k in range(16)])])
    assert not bounded(even, 3, 0.5)[1:13].any()  # the line's own ends count as gaps
    # eighth, eighth, quarter, then a rest: the three notes are a group; a window across the rest is not
    cells = build_lines([_voice([0, 0.5, 1, 2, 2.5, 3, 4], [0.5] * 7, [60, 64, 62, 65, 67, 66, 60])])
    ok = bounded(cells, 3, 0.5)
    assert ok[0] and ok[3] and not ok[1] and not ok[2]
    keys = cell_keys(cells, 3)
    assert keys[0] == keys[3] != -1  # other intervals, same rhythm and contour


def test_performed_timing_gets_no_cells() -> None:
    score = read_score(POP)
    assert discover(score) == discover(score, settings=DiscoverySettings(short_cells=0))


def test_the_cli_shows_cells_by_default_and_an_explicit_min_notes_bounds_them(tmp_path: Path) -> None:
    """What the benchmarks score (cells of 2-3 notes) is what `motif annotate` writes by default;
    `--min-notes 4` leaves every occurrence at 4 notes or more, cells included."""
    import json
    import subprocess
    import sys

    chorale = _chorale()
    sizes: dict[str, list[int]] = {}
    for name, extra in (("default", []), ("four", ["--min-notes", "4"])):
        out = tmp_path / name
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(chorale), "-o", str(out),
                        "--format", "json", *extra], check=True, capture_output=True)
        report = json.loads(next(out.glob("*.json")).read_text())
        sizes[name] = [len(o["notes"]) for m in report["motifs"] for o in m["occurrences"]]
    assert min(sizes["default"]) in (2, 3)
    assert min(sizes["four"]) >= 4
    assert len(sizes["four"]) < len(sizes["default"])


def test_a_dominant_figure_does_not_hide_the_other_cells() -> None:
    """A floor relative to the piece's best (``relative_salience``, 0.05 before phase 20) judged a cell by
    how dominant another figure is: with 300 two-note statements in a bass track (score 600, floor 30) the
    planted 3-note cell (8 statements, score 24) was dropped. Off by default: the cell is a family."""
    score, planted = _plant_cells(read_score(_chorale()))
    end, index = float(score.end_beat), max(t.index for t in score.tracks) + 1
    ups = [1, 3, 2, 5, 4, 7, 2, 6, 3, 1, 5, 4]  # a rising 2-note figure, other intervals, a rest after each
    notes = [n for k in range(300) for n in (Note(end + 2.0 * k, end + 2.0 * k + 0.5, 48 + (k * 5) % 7),
                                             Note(end + 2.0 * k + 0.5, end + 2.0 * k + 1.0, 48 + (k * 5) % 7 + ups[k % 12]))]
    score = dataclasses.replace(score, tracks=[*score.tracks, Track(index=index, name="FIGURE", notes=notes)])
    cells_track = index - 1
    planted_sets = {frozenset(p) for p in planted}

    def planted_family(settings: DiscoverySettings) -> list[Family]:
        return [f for f in discover(score, settings=settings) if f.notes_per_occurrence == 3
                and sum(frozenset((n.track, n.index) for n in o.notes) in planted_sets for o in f.occurrences) >= 6]

    assert DiscoverySettings().relative_salience == 0.0
    found = planted_family(DiscoverySettings())
    assert found and all(o.track == cells_track for o in found[0].occurrences)
    assert not planted_family(DiscoverySettings(relative_salience=0.05))


def test_cells_may_keep_statements_nested_in_longer_motifs() -> None:
    """``cell_free_of_lines=False`` (an option, phase20-est20.md): a cell's statements on notes of line families
    stay (a cell sounds inside the theme too), those on another cell's notes still go. bwv1.6: more cell
    statements than by default, no note in two cell families."""
    score = read_score(_chorale())

    def cells(settings: DiscoverySettings) -> list[Family]:
        return [f for f in discover(score, settings=settings) if f.notes_per_occurrence < DiscoverySettings().min_notes]

    plain, nested = cells(DiscoverySettings()), cells(DiscoverySettings(cell_free_of_lines=False))
    assert sum(len(f.occurrences) for f in nested) > sum(len(f.occurrences) for f in plain)
    notes = [{(n.track, n.index) for o in f.occurrences for n in o.notes} for f in nested]
    assert all(not (a & b) for i, a in enumerate(notes) for b in notes[i + 1:])


def _corpus(name: str) -> Path:
    music21 = pytest.importorskip("music21")
    return Path(music21.__file__).parent / "corpus" / name


def test_a_chorales_two_note_sigh_is_no_family() -> None:
    """bwv66.6's falling second in alto, tenor and bass, 5 statements, was family D (phase26-eye26.md: "a sigh,
    hardly a motif"). A 2-note cell now needs ``cell_pair_statements`` (16) statements; with the old floor
    (``cell_pair_statements=0``: ``cell_min_statements``) the pair is a family again."""
    score = read_score(_corpus("bach/bwv66.6.mxl"))
    assert DiscoverySettings().cell_pair_statements == 16
    assert not [f for f in discover(score) if f.notes_per_occurrence == 2]
    before = [f for f in discover(score, settings=DiscoverySettings(cell_pair_statements=0))
              if f.notes_per_occurrence == 2]
    assert before and all(len(f.occurrences) < 16 for f in before)


def test_a_rags_three_note_cell_and_its_frequent_pair_stay() -> None:
    """The Maple Leaf Rag's 3-note cell (8 statements) is judged by ``cell_min_statements`` as before, and its
    2-note syncopation (66 statements) clears the pair floor: the rule drops rare pairs, not cells."""
    fams = discover(read_score(_corpus("joplin/maple_leaf_rag.mxl")))
    three = [f for f in fams if f.notes_per_occurrence == 3]
    pairs = [f for f in fams if f.notes_per_occurrence == 2]
    assert three and len(three[0].occurrences) >= DiscoverySettings().cell_min_statements
    assert pairs and max(len(f.occurrences) for f in pairs) >= 60
