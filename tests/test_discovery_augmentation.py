"""Statements in augmentation or diminution (``DiscoverySettings.augmentations``, ``--augmentations``;
benchmarks/phase18-aug18.md).

A subject answered in another voice with every note value doubled (its intervals kept) is one motif:
with augmentations on, the two statements are one family and the answer is marked ``time_scale`` 2
("Motif A2 aug."), or 0.5 ("dim.") when the long values come first. Neither line repeats on its own, so
without the option there is no family. Even running notes, repeated notes and scales, which meet
themselves at every speed, are not matched; the report, its JSON (schema), CSV and labels say the scale.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import motifcli
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from transform_cases import SUBJECT, assert_plugin_knows, cli_lengths, musescore_shows, one_family, plugin_js, report
from transform_cases import part as _part
from transform_cases import write as _write
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import build_lines, window_keys
from motifcli.discovery.types import Family
from motifcli.voices import Voice

AUGMENTED = [(p - 12, 2 * d) for p, d in SUBJECT]  # an octave lower, every note value doubled: 7 beats
UPPER_FREE = [(74, 1.0), (71, 0.5), (69, 1.5), (76, 2.0), (None, 3.0), (77, 4.0), (76, 4.0)]
LOWER_FREE = [(41, 1.5), (45, 0.5), (43, 2.0)]


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two parts: the subject at beat 0 above, its augmentation at beat 4 below, each line's rest free."""
    return _write([_part([*SUBJECT, *UPPER_FREE], "Right"), _part([(None, 4.0), *AUGMENTED, *LOWER_FREE], "Left")],
                  tmp_path_factory.mktemp("aug"), "answered")


def _scaled(families: list[Family]) -> list[float]:
    return [o.time_scale for f in families for o in f.occurrences if o.time_scale != 1]


@pytest.mark.parametrize("kind", ["musicxml", "midi"])
def test_a_subject_and_its_augmentation_are_one_family(answered: dict[str, Path], kind: str) -> None:
    prime, answer = one_family(answered[kind], augmentations=6)  # none without the option, one with it
    assert (prime.start, prime.time_scale, prime.transposition) == (0.0, 1.0, 0)
    assert [n.pitch for n in prime.notes][:8] == [p for p, _ in SUBJECT]
    assert (answer.start, answer.time_scale, answer.inverted) == (4.0, 2.0, False)
    assert [n.pitch for n in answer.notes][:8] == [p for p, _ in AUGMENTED]
    assert np.diff([n.onset for n in answer.notes][:8]).tolist() == [2 * d for _, d in SUBJECT[:7]]
    assert (answer.transposition, answer.similarity) == (-12, 1.0)


def test_long_values_first_make_the_short_ones_a_diminution(tmp_path: Path) -> None:
    """The scale is against the statement heard first: the long values lead, the subject is x 0.5."""
    upper = [*[(p + 12, d) for p, d in AUGMENTED], (79, 1.0), (None, 3.0)]
    lower = [(None, 2.0), *[(p - 12, d) for p, d in SUBJECT], *LOWER_FREE, (None, 3.0)]
    paths = _write([_part(upper, "Right"), _part(lower, "Left")], tmp_path, "dim")
    (family,) = discover(motifcli.read_score(paths["musicxml"]), None, DiscoverySettings(augmentations=6))
    assert [(o.start, o.time_scale) for o in family.occurrences] == [(0.0, 1.0), (2.0, 0.5)]


def test_an_inverted_augmentation_is_both(tmp_path: Path) -> None:
    """With inversions on too, the subject mirrored and in doubled values is one statement of it."""
    mirrored = [(108 - p, 2 * d) for p, d in SUBJECT]
    paths = _write([_part([*SUBJECT, *UPPER_FREE], "Right"), _part([(None, 4.0), *mirrored, *LOWER_FREE], "Left")],
                   tmp_path, "inverted")
    score = motifcli.read_score(paths["musicxml"])
    assert discover(score, None, DiscoverySettings(inversions=6)) == []  # the rhythm differs
    assert discover(score, None, DiscoverySettings(augmentations=6)) == []  # the intervals differ
    (family,) = discover(score, None, DiscoverySettings(inversions=6, augmentations=6))
    answer = family.occurrences[1]
    assert (answer.start, answer.inverted, answer.time_scale) == (4.0, True, 2.0)


def test_an_answer_shorter_than_the_length_asked_is_not_matched(answered: dict[str, Path]) -> None:
    score = motifcli.read_score(answered["musicxml"])
    assert discover(score, None, DiscoverySettings(augmentations=10)) == []  # the statements have 8 (9 grown) notes


def test_keys_meet_at_a_power_of_two_only() -> None:
    """The keys: a window and its augmentation (x2) or double augmentation (x4) share one; x 3/2 does not,
    nor does anything without ``scaled_from``."""
    pitches = np.array([p for p, _ in SUBJECT])
    iois = np.array([d for _, d in SUBJECT])

    def voice(scale: float, voice_id: int) -> Voice:
        on = np.concatenate([[0.0], np.cumsum(iois[:-1] * scale)])
        return Voice(track=voice_id, voice=0, onsets=on, offsets=on + iois * scale, pitches=pitches,
                     note_indices=np.arange(len(pitches)))

    lines = build_lines([voice(1, 0), voice(2, 1), voice(4, 2), voice(1.5, 3)])
    starts = [0, 8, 16, 24]
    keys = window_keys(lines, 8, 16.0, scaled_from=6)[8][starts]
    assert keys[0] == keys[1] == keys[2] != keys[3]
    plain = window_keys(lines, 8, 16.0)[8][starts]
    assert len(set(plain.tolist())) == 4
    assert (window_keys(lines, 8, 16.0, scaled_from=6)[5] == window_keys(lines, 8, 16.0)[5]).all()  # under 6 notes


def test_scales_and_running_notes_are_not_matched_at_another_speed(tmp_path: Path) -> None:
    """A scale in two note values meets itself at double speed, as even running notes do: neither is an
    augmentation (the keys match only windows that turn and leap, in two note values or more)."""
    rhythm = [0.5, 0.25, 0.25, 0.5, 0.5, 1.0, 0.5, 0.5]
    scale = [(p, d) for p, d in zip((60, 62, 64, 65, 67, 69, 71, 72), rhythm)]
    running = [(p, 0.5) for p in (67, 64, 69, 65, 72, 67, 74, 71)]  # turns and leaps, one note value
    upper = [*scale, (None, 1.0), *running, (None, 4.0)]
    lower = [(None, 4.0), *[(p - 24, 2 * d) for p, d in scale], *[(p - 24, 2 * d) for p, d in running]]
    paths = _write([_part(upper, "Upper"), _part(lower, "Lower")], tmp_path, "scales")
    for path in paths.values():
        assert _scaled(discover(motifcli.read_score(path), None, DiscoverySettings(augmentations=4))) == []


def test_the_report_says_which_statement_is_augmented(answered: dict[str, Path], tmp_path: Path) -> None:
    occs, settings, rows = report(answered["musicxml"], "augmentations", tmp_path)  # schema, round trip, labels, off by default
    assert [(o["text"], o.get("time_scale"), o["transposition"]) for o in occs] == [
        ("Motif A1", None, 0), ("Motif A2 aug.", 2, -12)]
    assert settings["augmentations"] is True and "inversions" not in settings
    assert [(r["inverted"], r["time_scale"]) for r in rows] == [("false", "1"), ("false", "2")]


def test_label_texts_name_the_scale() -> None:
    from motifcli.annotation import LABEL_TEXT, Occurrence

    def text(inverted: bool, scale: float) -> str:
        return Occurrence("A", 2, 0, "P", 0.0, 1.0, 1, 1, 1.0, inverted=inverted, time_scale=scale).text

    assert [text(False, 2), text(False, 0.5), text(True, 4), text(False, 1)] == [
        "Motif A2 aug.", "Motif A2 dim.", "Motif A2 inv. aug.", "Motif A2"]
    for t in ("Motif A2 aug.", "Motif A2 dim.", "Motif A2 inv. aug.", "Motif A3 = B1 dim.", "Motif A3 aug. = B1 inv."):
        assert LABEL_TEXT.fullmatch(t), t
    assert not LABEL_TEXT.fullmatch("Motif A2 aug. inv.")  # inversion first, always


def test_the_plugin_reads_the_scale_marks() -> None:
    """The MuseScore plugin writes "Motif A2 aug." / "dim." for a report's time_scale and knows them as its own."""
    js = plugin_js()
    assert "occ.time_scale" in js and '" aug."' in js and '" dim."' in js
    assert_plugin_knows(js, ("Motif A1", "Motif A2 aug.", "Motif A2 dim.", "Motif A2 inv. aug.", "Motif A3 = B1 dim."))


def test_the_cli_flag_asks_discovery_for_six_note_augmentations() -> None:
    assert cli_lengths("augmentations") == (6, 8, 0, 0)  # on, on with --min-notes 8, off, --inversions only


@pytest.mark.musescore
def test_musescore_shows_the_augmented_mark_from_the_writer_and_the_plugin(
        answered: dict[str, Path], tmp_path: Path, musescore: MuseScore) -> None:  # noqa: F811
    """``motif annotate --augmentations``: the annotated MusicXML and the plugin applying the JSON report
    both put "Motif A2 aug." at the answer's first note in MuseScore."""
    occs = musescore_shows(answered["musicxml"], tmp_path, musescore, "--augmentations", "Motif A2 aug.")
    assert [o.get("time_scale", 1) for o in occs] == [1, 2]
