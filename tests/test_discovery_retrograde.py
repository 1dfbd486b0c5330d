"""Statements in retrograde (``DiscoverySettings.retrogrades``, ``--retrogrades``; benchmarks/phase18-retro18.md).

A subject answered in another voice by its written retrograde (the notes in reverse order: intervals
reversed and mirrored, note values reversed) is one motif: with retrogrades on, the two statements are
one family and the answer is marked ``retrograde`` ("Motif A2 retr."), its transposition measured from
the prototype reversed (its first note against the prototype's last). With inversions on too, the
retrograde inversion is matched ("retr. inv."). Neither line repeats on its own, so without the option
there is no family. A retrograde statement does not grow. Scales, zigzags and runs in one note value,
which are everywhere backwards, are not matched, and where a piece states no retrograde the keys are
the ordinary ones (ordinary repeats grouped as before).
"""

from __future__ import annotations

from pathlib import Path

import music21
import numpy as np
import pytest

import motifcli
from conftest import REPO
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from transform_cases import SUBJECT, assert_plugin_knows, cli_lengths, musescore_shows, one_family, plugin_js, report
from transform_cases import part as _part
from transform_cases import write as _write
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import build_lines, window_keys
from motifcli.discovery.types import Family
from motifcli.voices import Voice, split_voices

RETROGRADE = [(p - 5, d) for p, d in SUBJECT[::-1]]  # written backwards a fourth lower: G B D B C A G G, values reversed
RETRO_INVERTED = [(108 - p, d) for p, d in SUBJECT[::-1]]  # backwards and mirrored about C4, an octave lower
UPPER_FREE = [(74, 1.0), (71, 0.5), (69, 1.5), (76, 2.0), (None, 3.0)]
LOWER_FREE = [(41, 1.5), (45, 0.5), (43, 2.0), (36, 4.0)]


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two parts: the subject at beat 0 above, its written retrograde at beat 4 below, each line's rest free."""
    return _write([_part([*SUBJECT, *UPPER_FREE], "Right"), _part([(None, 4.0), *RETROGRADE, *LOWER_FREE], "Left")],
                  tmp_path_factory.mktemp("retro"), "answered")


def _backwards(families: list[Family]) -> list[tuple[float, bool]]:
    return [(o.start, o.inverted) for f in families for o in f.occurrences if o.retrograde]


@pytest.mark.parametrize("kind", ["musicxml", "midi"])
def test_a_subject_and_its_retrograde_are_one_family(answered: dict[str, Path], kind: str) -> None:
    assert discover(motifcli.read_score(answered[kind]), None, DiscoverySettings(inversions=6, augmentations=6)) == []
    prime, answer = one_family(answered[kind], retrogrades=6)  # none without the option, one with it
    assert (prime.start, prime.retrograde, prime.transposition) == (0.0, False, 0)
    assert [n.pitch for n in prime.notes] == [p for p, _ in SUBJECT]
    assert (answer.start, answer.retrograde, answer.inverted, answer.time_scale) == (4.0, True, False, 1.0)
    assert [n.pitch for n in answer.notes] == [p for p, _ in RETROGRADE]
    assert np.diff([n.onset for n in answer.notes]).tolist() == [d for _, d in RETROGRADE[:-1]]
    assert (answer.transposition, answer.similarity) == (-5, 1.0)  # its first note (G3) against the prototype's last (C5)


def test_a_retrograde_inversion_is_both(tmp_path: Path) -> None:
    """With inversions on too, the subject backwards and mirrored is one statement of it ("retr. inv.")."""
    paths = _write([_part([*SUBJECT, *UPPER_FREE], "Right"), _part([(None, 4.0), *RETRO_INVERTED, *LOWER_FREE], "Left")],
                   tmp_path, "ri")
    score = motifcli.read_score(paths["musicxml"])
    assert _backwards(discover(score, None, DiscoverySettings(retrogrades=6))) == []  # the intervals are not mirrored
    (family,) = [f for f in discover(score, None, DiscoverySettings(retrogrades=6, inversions=6))
                 if any(o.retrograde for o in f.occurrences)]
    prime, answer = family.occurrences
    assert (prime.start, prime.retrograde, prime.inverted) == (0.0, False, False)
    assert (answer.start, answer.retrograde, answer.inverted, answer.transposition) == (4.0, True, True, -12)
    assert [n.pitch for n in answer.notes] == [p for p, _ in RETRO_INVERTED]


def test_a_retrograde_statement_does_not_grow(tmp_path: Path) -> None:
    """The subject and its retrograde, each followed by a step up in the value of its last note: growing
    would take that note into both (two statements agree on it), reading the retrograde forwards; a
    retrograde statement does not grow, so both keep their 8 notes."""
    upper = [*SUBJECT, (74, 1.0), (None, 3.0)]
    lower = [(None, 4.0), *RETROGRADE, (57, 1.0), (None, 3.0)]
    paths = _write([_part(upper, "Right"), _part(lower, "Left")], tmp_path, "grow")
    (family,) = discover(motifcli.read_score(paths["musicxml"]), None, DiscoverySettings(retrogrades=6))
    assert [(o.start, o.retrograde, len(o.notes)) for o in family.occurrences] == [(0.0, False, 8), (4.0, True, 8)]


def test_an_answer_shorter_than_the_length_asked_is_not_matched(answered: dict[str, Path]) -> None:
    score = motifcli.read_score(answered["musicxml"])
    assert discover(score, None, DiscoverySettings(retrogrades=10)) == []  # the statements have 8 notes


def test_keys_meet_backwards_only_with_the_last_note_value() -> None:
    """The keys: a window and its written retrograde share one (the note values reversed, the last one
    included); reversing the onsets in time instead (the inter-onset intervals reversed, the last note's
    value not) does not; nothing is shared without ``reversed_from``, nor under its length."""
    pitches = np.array([p for p, _ in SUBJECT])
    values = np.array([d for _, d in SUBJECT])

    def voice(p: np.ndarray, v: np.ndarray, voice_id: int) -> Voice:
        on = np.concatenate([[0.0], np.cumsum(v[:-1])])
        return Voice(track=voice_id, voice=0, onsets=on, offsets=on + v, pitches=p, note_indices=np.arange(len(p)))

    onsets_reversed = np.append(values[:-1][::-1], 1.0)  # the IOIs backwards; the first note's value then lost
    lines = build_lines([voice(pitches, values, 0), voice(pitches[::-1] - 5, values[::-1], 1),
                         voice(pitches[::-1] - 5, onsets_reversed, 2)])
    starts = [0, 8, 16]
    keys = window_keys(lines, 8, 16.0, reversed_from=6)[8][starts]
    assert keys[0] == keys[1] != keys[2]
    assert len(set(window_keys(lines, 8, 16.0)[8][starts].tolist())) == 3
    assert (window_keys(lines, 8, 16.0, reversed_from=6)[5] == window_keys(lines, 8, 16.0)[5]).all()


def test_a_retrograde_joins_the_ordinary_repeats_as_they_are_grouped() -> None:
    """Two ordinary statements of the subject that differ only in the last note's value (which the ordinary
    keys leave out) and the retrograde of one of them: the retrograde's group is merged into the repeats'
    group, all three one key; the repeats are not split by their last values (session 18 keyed the group
    anew with the last value: with inversions on, 148 statements of BPS 21-1 moved, no retrograde found)."""
    pitches = np.array([p for p, _ in SUBJECT])
    values = np.array([d for _, d in SUBJECT])

    def voice(p: np.ndarray, v: np.ndarray, voice_id: int) -> Voice:
        on = np.concatenate([[0.0], np.cumsum(v[:-1])])
        return Voice(track=voice_id, voice=0, onsets=on, offsets=on + v, pitches=p, note_indices=np.arange(len(p)))

    held = np.append(values[:-1], 2.0)  # the same statement ending on a longer note
    lines = build_lines([voice(pitches, values, 0), voice(pitches + 2, held, 1), voice(pitches[::-1] - 5, values[::-1], 2)])
    for mirror in (0, 6):
        keys = window_keys(lines, 8, 16.0, inverted_from=mirror, reversed_from=6)
        assert len(set(keys[8][[0, 8, 16]].tolist())) == 1, mirror
        plain = window_keys(lines, 8, 16.0, inverted_from=mirror)
        assert plain[8][0] == plain[8][8] != plain[8][16]
        assert all((keys[n] == plain[n]).all() for n in range(2, 6))  # under the length asked


def test_keys_are_the_ordinary_ones_where_no_retrograde_is_stated() -> None:
    """In a chorale (no retrogrades of 6+ notes) the keys with ``reversed_from`` are the ordinary ones:
    its ordinary repeats are grouped as without the option (keying every eligible window with its last
    note's value split 261 of BPS tune's 4610 statements: phase18-retro18.md)."""
    score = motifcli.read_score(music21.corpus.getWork("bach/bwv1.6"))
    lines = build_lines(split_voices(score, min_chord_share=0.2))
    plain, backwards = window_keys(lines, 12, 8.0), window_keys(lines, 12, 8.0, reversed_from=6)
    assert all((plain[n] == backwards[n]).all() for n in plain)


def test_scales_zigzags_and_one_value_runs_are_not_matched_backwards(tmp_path: Path) -> None:
    """A scale's retrograde is a scale the other way, a zigzag's is itself a note on, and a run in one note
    value meets its retrograde by its contour alone: none is a retrograde (the keys match only windows
    that turn, not at every note, leap, in two note values or more)."""
    rhythm = [0.5, 0.25, 0.25, 0.5, 0.5, 1.0, 0.5, 0.5]
    scale = [(p, d) for p, d in zip((60, 62, 64, 65, 67, 69, 71, 72), rhythm)]
    zigzag = [(p, d) for p, d in zip((60, 67, 62, 69, 64, 71, 65, 72), rhythm)]
    even = [(p, 0.5) for p in (67, 64, 69, 65, 72, 67, 74, 71)]  # turns and leaps, one note value
    upper = [*scale, (None, 1.0), *zigzag, (None, 1.0), *even, (None, 4.0)]
    lower = [(None, 4.0), *[(p - 24, d) for part in (scale, zigzag, even) for p, d in part[::-1]]]
    paths = _write([_part(upper, "Upper"), _part(lower, "Lower")], tmp_path, "shapes")
    for path in paths.values():
        assert _backwards(discover(motifcli.read_score(path), None, DiscoverySettings(retrogrades=4))) == []


def test_the_report_says_which_statement_is_retrograde(answered: dict[str, Path], tmp_path: Path) -> None:
    occs, settings, rows = report(answered["musicxml"], "retrogrades", tmp_path)  # schema, round trip, labels, off by default
    assert [(o["text"], o.get("retrograde"), o["transposition"]) for o in occs] == [
        ("Motif A1", None, 0), ("Motif A2 retr.", True, -5)]
    assert settings["retrogrades"] is True and "inversions" not in settings
    assert [(r["inverted"], r["retrograde"]) for r in rows] == [("false", "false"), ("false", "true")]


def test_label_texts_name_the_retrograde() -> None:
    from motifcli.annotation import LABEL_TEXT, Occurrence

    def text(retrograde: bool, inverted: bool, scale: float = 1.0) -> str:
        return Occurrence("A", 2, 0, "P", 0.0, 1.0, 1, 1, 1.0, inverted=inverted, time_scale=scale,
                          retrograde=retrograde).text

    assert [text(True, False), text(True, True), text(True, False, 2), text(False, True)] == [
        "Motif A2 retr.", "Motif A2 retr. inv.", "Motif A2 retr. aug.", "Motif A2 inv."]
    for t in ("Motif A2 retr.", "Motif A2 retr. inv.", "Motif A2 retr. inv. dim.", "Motif A3 = B1 retr."):
        assert LABEL_TEXT.fullmatch(t), t
    assert not LABEL_TEXT.fullmatch("Motif A2 inv. retr.")  # retrograde first, always


def test_the_plugin_reads_the_retrograde_marks() -> None:
    """The MuseScore plugin writes "Motif A2 retr." for a report's retrograde and knows it as its own."""
    js = plugin_js()
    assert "occ.retrograde" in js and '" retr."' in js
    assert_plugin_knows(js, ("Motif A1", "Motif A2 retr.", "Motif A2 retr. inv.", "Motif A3 = B1 retr. inv."))
    settings_qml = (REPO / "plugins" / "musescore" / "motif-settings.qml").read_text(encoding="utf-8")
    assert "settings.retrogrades = retrogradesField.checked" in settings_qml


def test_the_cli_flag_asks_discovery_for_six_note_retrogrades() -> None:
    assert cli_lengths("retrogrades") == (6, 8, 0, 0)  # on, on with --min-notes 8, off, --inversions only


@pytest.mark.musescore
def test_musescore_shows_the_retrograde_mark_from_the_writer_and_the_plugin(
        answered: dict[str, Path], tmp_path: Path, musescore: MuseScore) -> None:  # noqa: F811
    """``motif annotate --retrogrades``: the annotated MusicXML and the plugin applying the JSON report
    both put "Motif A2 retr." at the answer's first note in MuseScore."""
    occs = musescore_shows(answered["musicxml"], tmp_path, musescore, "--retrogrades", "Motif A2 retr.")
    assert [o.get("retrograde", False) for o in occs] == [False, True]
