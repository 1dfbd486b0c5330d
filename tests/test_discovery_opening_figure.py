"""A rhythm on one pitch that opens the piece alone keeps its place (``opening_figure``, discovery/opening.py;
benchmarks/phase17-fig17.md): op. 59/1/ii's cello B-flat is a family, op. 18/1/ii's accompaniment is not lifted."""

from __future__ import annotations

from pathlib import Path

import music21
import numpy as np

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import build_lines, window_keys
from motifcli.discovery.opening import opens_alone
from motifcli.discovery.patterns import closed_patterns
from motifcli.voices import split_voices


def _work(name: str) -> Path:
    return Path(str(music21.corpus.getWork(name, fileExtensions=("mxl",))))


def _patterns(path: Path, settings: DiscoverySettings) -> list:
    voices = split_voices(read_score(path), min_chord_share=0.2, by_staff=settings.staff_voices,
                          separate=settings.separate_lines)
    lines = build_lines(voices)
    keys = window_keys(lines, settings.max_notes + max(1, settings.max_gaps), settings.max_beats)
    return closed_patterns(lines, keys, settings.min_notes, settings.max_notes, settings.extend_share,
                           settings.oscillation_penalty, settings.drop_open_at_cap, False, settings.opening_figure)


def test_the_cellos_opening_rhythm_is_a_family_only_with_the_rule() -> None:
    score = read_score(_work("beethoven/opus59no1/movement2"))
    cello = next(t.index for t in score.tracks if t.name == "Cello")

    def holds_opening(settings: DiscoverySettings) -> bool:
        return any({(cello, i) for i in range(7)} <= {(n.track, n.index) for n in o.notes}
                   for f in discover(score, settings=settings) for o in f.occurrences)

    assert not holds_opening(DiscoverySettings(opening_figure=0.0))  # x0.075: 38th of 290 patterns, past the cap
    assert holds_opening(DiscoverySettings())  # the default (0.5): x0.3, 7th


def test_an_accompaniment_in_chords_before_the_theme_is_not_lifted() -> None:
    path = _work("beethoven/opus18no1/movement2")  # 2nd violin, viola, cello: repeated eighths in chords
    off = _patterns(path, DiscoverySettings(opening_figure=0.0))
    on = _patterns(path, DiscoverySettings())
    assert [p.score for p in off] == [p.score for p in on]


def test_alone_means_no_other_line_or_a_doubling() -> None:
    from motifcli.voices import Voice

    def voice(track: int, onsets: list[float], pitches: list[int]) -> Voice:
        on = np.array(onsets, dtype=float)
        return Voice(track, 0, np.arange(len(on)), on, on + 0.25, np.array(pitches))

    rhythm = [0, 0.25, 0.5, 1.0, 1.5, 1.75, 2.0]
    theme = [t + 8 * k for k in range(4) for t in rhythm]  # four statements, apart
    lead = voice(0, theme, [58] * len(theme))
    later = voice(1, [3 + 8 * k + j * 0.5 for k in range(4) for j in range(8)],
                  [70 + j for _ in range(4) for j in range(8)])
    starts = np.array([0, 7, 14, 21])
    assert opens_alone(build_lines([lead, later]), starts, 7, 0.5)
    octave = voice(2, rhythm, [46] * 7)  # doubled an octave below: still alone
    assert opens_alone(build_lines([lead, later, octave]), starts, 7, 0.5)
    chord = voice(2, rhythm, [53] * 7)  # a fifth below, note against note: accompanied
    assert not opens_alone(build_lines([lead, later, chord]), starts, 7, 0.5)
    assert not opens_alone(build_lines([lead, later]), starts, 7, 0.0)  # off
    back_to_back = voice(0, [t + 2.25 * k for k in range(4) for t in rhythm], [58] * 28)
    assert not opens_alone(build_lines([back_to_back, later]), starts, 7, 0.5)
