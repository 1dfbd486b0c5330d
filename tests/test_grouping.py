"""Grouping: synthetic scores with known repeats, and invariants on real POP909 songs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import needs_data, song_path

import motifcli
from motifcli.annotation import Annotation, family_color
from motifcli.encoding import encode_notes
from motifcli.errors import UsageError
from motifcli.grouping import DEFAULT_THRESHOLD, MIN_THRESHOLD, cluster, threshold_for
from motifcli.meter import MeterMap
from motifcli.score import Note, Score, Track

# Four one-bar figures that share no sounding pitch-time cell (cosine distance 1 between them).
FIGURES = {
    "X": [(0, 1, 60), (1, 2, 62), (2, 3, 64), (3, 4, 65)],
    "Y": [(0, 2, 72), (2, 4, 70)],
    "Z": [(0, 0.5, 48), (0.5, 1, 50), (1, 4, 52)],
    "W": [(0, 4, 55)],
    "V": [(0, 3, 77), (3, 4, 79)],
}


def track_of(plan: str, index: int = 0, name: str = "T", drum: bool = False) -> Track:
    """A track playing one figure per bar: ``"X.YX"`` = X in bar 1, empty bar 2, Y, X."""
    notes = []
    for bar, fig in enumerate(plan):
        if fig != ".":
            notes += [Note(bar * 4 + a, bar * 4 + b, p, channel=9 if drum else 0) for a, b, p in FIGURES[fig]]
    return Track(index, name, notes, is_drum=drum)


def score_of(*plans: str, drum: str | None = None) -> Score:
    """Figures one per 4/4 bar from beat 0, and a meter map saying so (as a MIDI file's 4/4 time
    signature would): these tests are about grouping, not about finding the bars."""
    tracks = [track_of(p, i, f"T{i}") for i, p in enumerate(plans)]
    if drum is not None:
        tracks.append(track_of(drum, len(tracks), "Drums", drum=True))
    end = 4.0 * max(len(p) for p in plans)
    return Score(tracks, meter=MeterMap.regular(4.0, 0.0, end, source="midi"))


def written(score: Score, starts: list[float]) -> Score:
    """The score with written measures starting at ``starts`` (as a MusicXML reader gives)."""
    score.meter = MeterMap.from_written_measures(starts, None, [], end_beat=score.end_beat)
    return score


def summary(annotation: Annotation) -> dict[str, list[tuple[int, int, int]]]:
    """{family: [(track, start_bar, end_bar), ...]}"""
    return {m.name: [(o.track, o.start_bar, o.end_bar) for o in m.occurrences] for m in annotation.motifs}


def test_repeated_bars_form_one_family(rawroll_model) -> None:
    annotation = motifcli.annotate(score_of("XYXZXW"), rawroll_model, unit="bar")
    assert summary(annotation) == {"A": [(0, 1, 1), (0, 3, 3), (0, 5, 5)]}
    motif = annotation.motifs[0]
    assert [o.label for o in motif.occurrences] == ["A1", "A2", "A3"]
    assert motif.color == family_color(0)
    assert all(o.similarity == pytest.approx(1.0) for o in motif.occurrences)
    first = motif.occurrences[0]
    assert (first.start, first.end, first.track_name) == (0.0, 4.0, "T0")
    assert first.note_indices == [0, 1, 2, 3]
    assert [n.pitch for n in first.notes] == [60, 62, 64, 65]


def test_families_are_named_by_first_appearance(rawroll_model) -> None:
    annotation = motifcli.annotate(score_of("ZXYXZY"), rawroll_model, unit="bar")
    assert summary(annotation) == {
        "A": [(0, 1, 1), (0, 5, 5)],
        "B": [(0, 2, 2), (0, 4, 4)],
        "C": [(0, 3, 3), (0, 6, 6)],
    }


def test_adjacent_windows_merge_into_one_occurrence(rawroll_model) -> None:
    score = score_of("XXYZXW")
    assert summary(motifcli.annotate(score, rawroll_model, unit="bar")) == {"A": [(0, 1, 2), (0, 5, 5)]}
    merged = motifcli.annotate(score, rawroll_model, unit="bar").motifs[0].occurrences[0]
    assert (merged.start, merged.end) == (0.0, 8.0) and len(merged.note_indices) == 8
    unmerged = motifcli.annotate(score, rawroll_model, unit="bar", merge_adjacent=False)
    assert summary(unmerged) == {"A": [(0, 1, 1), (0, 2, 2), (0, 5, 5)]}


def test_written_measures_number_the_bars(rawroll_model) -> None:
    score = written(score_of("XYXZ"), [0.0, 4.0, 8.0, 12.0])
    assert summary(motifcli.annotate(score, rawroll_model, unit="bar")) == {"A": [(0, 1, 1), (0, 3, 3)]}
    written(score, [0.0, 2.0, 6.0, 10.0, 14.0])  # a 2-beat pickup bar "0", then bars 1-4
    annotation = motifcli.annotate(score, rawroll_model, unit="bar")  # the written bars cut every figure in two
    assert annotation.meter["source"] == "written" and annotation.meter["pickup_beats"] == 2.0
    # --bar-offset 0 is the user's bar grid: it replaces the written one, bars 1.. from beat 0
    fixed = motifcli.annotate(score, rawroll_model, unit="bar", origin=0.0)
    assert summary(fixed) == {"A": [(0, 1, 1), (0, 3, 3)]}
    assert fixed.meter is not None and fixed.meter["first_downbeat_beats"] == 0.0


def test_windows_follow_the_written_bar_lines(rawroll_model) -> None:
    """With a 2-beat pickup, windows start on the bar lines (beat 2, 6, ...), not on beat 0."""
    from motifcli.embedding import bar_origin

    score = written(score_of("XYXZ"), [0.0, 2.0, 6.0, 10.0, 14.0])
    assert bar_origin(score, 4.0) == 2.0
    # default: one window per written bar, the pickup bar included
    starts = sorted({float(s) for s in motifcli.embed(score, rawroll_model).start})
    assert starts == [0.0, 2.0, 6.0, 10.0]  # bar 4 (from beat 14) holds no onset
    # a fixed grid (--window) keeps the bar lines' phase
    fixed = sorted({float(s) for s in motifcli.embed(score, rawroll_model, window=4.0).start})
    assert all((s - 2.0) % 4.0 == 0 for s in fixed)
    score.meter = MeterMap.regular(4.0, 0.0, 16.0, source="midi")  # MIDI bars from beat 0
    assert all(float(s) % 4.0 == 0 for s in motifcli.embed(score, rawroll_model).start)
    # --bar-offset 1: bars start at beat 1 (a 1-beat pickup bar from 0)
    assert all((float(s) - 1.0) % 4.0 == 0 or s == 0.0 for s in motifcli.embed(score, rawroll_model, origin=1.0).start)


def test_a_run_that_never_recurs_is_no_motif(rawroll_model) -> None:
    assert motifcli.annotate(score_of("XXXYZW"), rawroll_model, unit="bar").motifs == []


def test_motifs_move_between_tracks_and_ties_go_to_the_lower_track(rawroll_model) -> None:
    annotation = motifcli.annotate(score_of("YWZX", "X.Y."), rawroll_model, unit="bar")
    assert summary(annotation) == {"A": [(0, 1, 1), (1, 3, 3)], "B": [(1, 1, 1), (0, 4, 4)]}
    assert annotation.motifs[1].occurrences[0].track_name == "T1"


def test_drums_and_empty_bars_are_skipped(rawroll_model) -> None:
    annotation = motifcli.annotate(score_of("Y..Z", drum="XXYXX"), rawroll_model, unit="bar")
    assert annotation.motifs == []
    assert annotation.settings["segments"] == 2


def test_min_notes_skips_sparse_bars(rawroll_model) -> None:
    score = score_of("WXWYWZ")  # W is one long note
    assert summary(motifcli.annotate(score, rawroll_model, unit="bar")) == {"A": [(0, 1, 1), (0, 3, 3), (0, 5, 5)]}
    assert motifcli.annotate(score, rawroll_model, unit="bar", min_notes=2).motifs == []


def test_sensitivity_maps_to_threshold() -> None:
    assert threshold_for(0.5) == pytest.approx(DEFAULT_THRESHOLD)
    assert threshold_for(0.5, 0.1) == pytest.approx(0.1)
    assert threshold_for(0.0, 0.1) == pytest.approx(MIN_THRESHOLD)
    assert threshold_for(1.0, 0.1) == pytest.approx(1.0)
    values = [threshold_for(s, 0.3) for s in np.linspace(0, 1, 21)]
    assert all(a < b for a, b in zip(values, values[1:]))
    for bad in (-0.1, 1.5):
        with pytest.raises(UsageError, match="sensitivity"):
            threshold_for(bad)


def test_similar_but_not_identical_bars_group_only_when_loose(rawroll_model) -> None:
    x_varied = [(0, 1, 60), (1, 2, 62), (2, 3, 64), (3, 4, 67)]  # last note differs: cosine 0.75
    base = score_of("XYZ")
    notes = base.tracks[0].notes + [Note(12 + a, 12 + b, p) for a, b, p in x_varied]
    score = Score([Track(0, "T0", notes)], meter=MeterMap.regular(4.0, 0.0, 16.0, source="midi"))
    assert motifcli.annotate(score, rawroll_model, unit="bar", threshold=0.2).motifs == []
    loose = motifcli.annotate(score, rawroll_model, unit="bar", threshold=0.3)
    assert summary(loose) == {"A": [(0, 1, 1), (0, 4, 4)]}
    assert loose.motifs[0].occurrences[0].similarity == pytest.approx(np.sqrt(0.875), abs=1e-6)
    assert motifcli.annotate(score, rawroll_model, unit="bar", sensitivity=0.0).motifs == []
    assert motifcli.annotate(score, rawroll_model, unit="bar", sensitivity=0.6).settings["threshold"] > 0.3


def test_model_threshold_is_the_calibrated_default(rawroll_model) -> None:
    annotation = motifcli.annotate(score_of("XYX"), rawroll_model, unit="bar")
    assert annotation.settings["threshold"] == pytest.approx(DEFAULT_THRESHOLD)
    assert annotation.settings["threshold_source"] == "default"


def test_bad_settings_are_usage_errors(rawroll_model) -> None:
    with pytest.raises(UsageError, match="linkage"):
        motifcli.annotate(score_of("XYX"), rawroll_model, unit="bar", linkage="ward")
    with pytest.raises(UsageError, match="threshold"):
        motifcli.annotate(score_of("XYX"), rawroll_model, unit="bar", threshold=0.0)


def test_cluster_edge_cases() -> None:
    assert cluster(np.zeros((0, 3)), 0.2).tolist() == []
    assert cluster(np.array([[1.0, 0.0]]), 0.2).tolist() == [0]
    labels = cluster(np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]]), 0.2)
    assert labels[0] == -1 and labels[1] == labels[2] != labels[3]


def test_empty_score_has_no_motifs(rawroll_model) -> None:
    annotation = motifcli.annotate(Score([Track(0, "empty", [])]), rawroll_model, unit="bar")
    assert annotation.motifs == [] and annotation.settings["segments"] == 0


@needs_data
@pytest.mark.parametrize("number", [21, 45])
def test_real_song_invariants(rawroll_model, number: int) -> None:
    score = motifcli.read_score(song_path(number))
    annotation = motifcli.annotate(score, rawroll_model, unit="bar", sensitivity=0.0)
    assert annotation.motifs, "POP909 songs repeat whole bars exactly (after snapping)"
    spec = rawroll_model.spec
    firsts = []
    for k, motif in enumerate(annotation.motifs):
        assert motif.name == motifcli.annotation.family_name(k)
        occs = motif.occurrences
        assert len(occs) >= 2
        assert [o.number for o in occs] == list(range(1, len(occs) + 1))
        assert [(o.start, o.track) for o in occs] == sorted((o.start, o.track) for o in occs)
        firsts.append((occs[0].start, occs[0].track))
        rolls = []
        for o in occs:
            track = score.tracks[o.track]
            assert not track.is_drum and track.name == o.track_name
            # schema 2: the occurrence's own notes, each naming its track and its index there
            assert [(n.onset, n.offset, n.pitch, n.velocity) for n in o.notes] == [
                (track.notes[i].onset, track.notes[i].offset, track.notes[i].pitch, track.notes[i].velocity)
                for i in o.note_indices
            ]
            assert all(n.track == o.track for n in o.notes) and [n.index for n in o.notes] == o.note_indices
            # occurrences start on a bar line of the song's meter map and are numbered by it
            assert o.start in score.meter_map.starts or o.start == 0.0
            assert o.start_bar == score.bar_number_at(o.start) and o.end_bar == score.bar_number_at(o.end - 1e-3)
            assert o.start_bar_label == score.bar_label_at(o.start)
            assert -1.0 <= o.similarity <= 1.0
            if o.end - o.start == spec.segment_beats:  # single bars of an exact family are identical rolls
                on, off, pitch = (np.array([getattr(n, a) for n in o.notes]) for a in ("onset", "offset", "pitch"))
                rolls.append(encode_notes(on, off, pitch, o.start, spec))
        for roll in rolls[1:]:
            np.testing.assert_array_equal(roll, rolls[0])
    assert firsts == sorted(firsts)
    again = Annotation.from_dict(json.loads(json.dumps(annotation.to_dict())))
    assert again.to_dict() == annotation.to_dict()


@needs_data
def test_looser_sensitivity_puts_more_bars_in_families(rawroll_model) -> None:
    score = motifcli.read_score(song_path(21))
    counted = []
    for s in (0.0, 0.5, 0.75):
        annotation = motifcli.annotate(score, rawroll_model, unit="bar", sensitivity=s)
        counted.append(sum(o.end_bar - o.start_bar + 1 for o in annotation.occurrences))
    assert counted[0] < counted[1] < counted[2]


@needs_data
def test_linkage_is_a_parameter(rawroll_model) -> None:
    score = motifcli.read_score(song_path(21))
    runs = {lk: motifcli.annotate(score, rawroll_model, unit="bar", threshold=0.4, linkage=lk) for lk in ("single", "complete")}
    assert all(a.settings["linkage"] == lk for lk, a in runs.items())
    assert summary(runs["single"]) != summary(runs["complete"])
