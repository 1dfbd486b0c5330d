"""Statements in strict inversion (``DiscoverySettings.inversions``, ``--inversions``; phase18-inv18.md).

A subject answered upside down in another voice (every interval mirrored, the rhythm kept) is one
motif: with inversions on, the two statements are one family and the answer is marked inverted, its
transposition measured from the prototype mirrored about its first note. Neither line repeats on its
own, so without inversions there is no family at all. Webern's op. 16/2 (music21's corpus) is such a
canon: clarinet first, the voice four beats later, mirrored. Scales and stepwise lines, which are
everywhere upside down, are not matched; the report, its JSON (schema), CSV and labels say "inverted".
"""

from __future__ import annotations

from pathlib import Path

import music21
import pytest

import motifcli
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from transform_cases import SUBJECT, assert_plugin_knows, cli_lengths, musescore_shows, one_family, plugin_js, report
from transform_cases import part as _part
from transform_cases import write as _write
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family

INVERTED = [(108 - p, d) for p, d in SUBJECT]  # mirrored about C4, an octave lower: 48 46 44 43 46 41 44 36


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two parts: the subject at beat 0 above, its inversion at beat 4 below, each line's rest free."""
    upper = [*SUBJECT, (74, 1.0), (71, 0.5), (69, 1.5), (76, 2.0), (None, 3.0)]
    lower = [(None, 4.0), *INVERTED, (41, 1.5), (45, 0.5), (43, 2.0), (36, 4.0)]
    return _write([_part(upper, "Right"), _part(lower, "Left")], tmp_path_factory.mktemp("inv"), "answered")


def _with_inversions(families: list[Family]) -> list[Family]:
    return [f for f in families if any(o.inverted for o in f.occurrences)]


@pytest.mark.parametrize("kind", ["musicxml", "midi"])
def test_a_subject_and_its_inversion_are_one_family(answered: dict[str, Path], kind: str) -> None:
    prime, answer = one_family(answered[kind], inversions=6)  # none without the option, one with it
    assert (prime.start, prime.inverted, prime.transposition) == (0.0, False, 0)
    assert [n.pitch for n in prime.notes][:8] == [p for p, _ in SUBJECT]
    assert (answer.start, answer.inverted) == (4.0, True)
    assert [n.pitch for n in answer.notes][:8] == [p for p, _ in INVERTED]
    assert answer.transposition == -12  # the subject mirrored about its first note (C4), an octave lower
    assert answer.similarity == 1.0


def test_a_varied_inversion_is_not_taken_for_a_varied_prime(tmp_path: Path) -> None:
    """Strict: varied statements are aligned to the prime's statements only. The inversion stated again
    with one note changed is near the inverted statement, not the prime: it joins no family (aligned to
    the inverted statement too, it joined as a varied statement, unmarked, of the prime)."""
    varied = [(p + 12, d) for p, d in INVERTED]
    varied[3] = (varied[3][0] - 2, varied[3][1])  # 60 58 56 53 58 ...: a second becomes a third, a third a fourth
    upper = [*SUBJECT, (74, 1.0), (71, 0.5), (69, 1.5), (76, 2.0), (None, 3.0), *varied, (None, 1.0), (70, 3.0)]
    lower = [(None, 4.0), *INVERTED, (41, 1.5), (45, 0.5), (43, 2.0), (36, 4.0), (None, 4.0), (38, 4.0)]
    paths = _write([_part(upper, "Right"), _part(lower, "Left")], tmp_path, "varied")
    family = discover(motifcli.read_score(paths["musicxml"]), None, DiscoverySettings(inversions=6))[0]
    assert [(o.start, o.inverted) for o in family.occurrences] == [(0.0, False), (4.0, True)]


def test_an_answer_shorter_than_the_length_asked_is_not_matched(answered: dict[str, Path]) -> None:
    score = motifcli.read_score(answered["musicxml"])
    assert discover(score, None, DiscoverySettings(inversions=10)) == []  # the statements have 8 (9 grown) notes


def test_scales_up_and_down_are_not_inversions(tmp_path: Path) -> None:
    """A scale and its mirror image (the same scale down) are everywhere: not matched in inversion."""
    up = [(p, 0.25) for p in (60, 62, 64, 65, 67, 69, 71, 72)]
    down = [(p, 0.25) for p in (67, 65, 64, 62, 60, 59, 57, 55)]
    step_turn = [(p, 0.5) for p in (72, 71, 69, 67, 69, 71, 72, 74)]  # stepwise, turning: no leap
    step_turn_down = [(96 - p + 48, d) for p, d in step_turn]
    paths = _write([_part([*up, (None, 2.0), *step_turn, (None, 4.0)], "Upper"),
                    _part([(None, 4.0), *down, (None, 2.0), *step_turn_down], "Lower")], tmp_path, "scales")
    for path in paths.values():
        found = discover(motifcli.read_score(path), None, DiscoverySettings(inversions=6))
        assert _with_inversions(found) == []


@pytest.fixture(scope="module")
def webern() -> motifcli.Score:
    return motifcli.read_score(music21.corpus.getWork("webern/webern_dormi_jesu_op_16_no_2"))


def test_webern_op16_2_is_a_canon_in_inversion(webern: motifcli.Score) -> None:
    assert discover(webern) == []  # before session 18: 0 families (phase16-audit16.md)
    families = discover(webern, None, DiscoverySettings(inversions=6))
    assert families
    clarinet = next(t.index for t in webern.tracks if "klarinette" in t.name.lower())
    for family in families:  # every family: the clarinet leads, the voice answers it mirrored 4 beats later
        prime, answer = family.occurrences
        assert (prime.track, prime.inverted, answer.inverted) == (clarinet, False, True)
        assert answer.track != clarinet
        assert answer.start == prime.start + 4.0
        mirrored = [2 * prime.notes[0].pitch - n.pitch + answer.transposition for n in prime.notes]
        assert [n.pitch for n in answer.notes] == mirrored  # strict: every interval negated
    a = families[0]
    assert (a.prototype.start, [n.pitch for n in a.prototype.notes][:6]) == (0.0, [58, 66, 69, 72, 73, 60])
    assert a.occurrences[1].transposition == 18  # the voice enters on E5 where the mirror of B-flat3 is F#4
    assert len(a.prototype.notes) == len(a.occurrences[1].notes) == 16  # grown past the 8-beat window, mirrored


def test_chorales_get_few_inverted_statements() -> None:
    """Bach chorales are not canons: 20 of them hold 2 chance inversions (benchmarks/phase18-inv18.md), two of
    these three; without the guard (stepwise lines, scales with a turn matched too) these three held 4."""
    found = 0
    for work in ("bach/bwv288", "bach/bwv336", "bach/bwv401"):
        score = motifcli.read_score(music21.corpus.getWork(work))
        found += sum(o.inverted for f in discover(score, None, DiscoverySettings(inversions=6)) for o in f.occurrences)
    assert found <= 2


def test_the_report_says_which_statement_is_inverted(answered: dict[str, Path], tmp_path: Path) -> None:
    occs, settings, rows = report(answered["musicxml"], "inversions", tmp_path)  # schema, round trip, labels, off by default
    assert [(o["text"], o.get("inverted", False), o["transposition"]) for o in occs] == [
        ("Motif A1", False, 0), ("Motif A2 inv.", True, -12)]
    assert settings["inversions"] is True
    assert [r["inverted"] for r in rows] == ["false", "true"]


def test_the_plugin_reads_the_inverted_mark() -> None:
    """The MuseScore plugin writes "Motif A2 inv." for a report's inverted statement and knows it as its own."""
    js = plugin_js()
    assert 'var INVERTED_MARK = " inv.";' in js and "occ.inverted ? INVERTED_MARK" in js
    assert_plugin_knows(js, ("Motif A1", "Motif A2 inv.", "Motif A3 inv. = B1", "Motif A3 = B1 inv."))


def test_the_cli_flag_asks_discovery_for_six_note_inversions() -> None:
    assert cli_lengths("inversions")[:3] == (6, 8, 0)  # on, on with --min-notes 8, off


@pytest.mark.musescore
def test_musescore_shows_the_inverted_mark_from_the_writer_and_the_plugin(
        answered: dict[str, Path], tmp_path: Path, musescore: MuseScore) -> None:  # noqa: F811
    """``motif annotate --inversions``: the annotated MusicXML and the plugin applying the JSON report both
    put "Motif A2 inv." at the answer's first note in MuseScore (the answer's staff, beat 4)."""
    occs = musescore_shows(answered["musicxml"], tmp_path, musescore, "--inversions", "Motif A2 inv.")
    assert [o.get("inverted", False) for o in occs] == [False, True]
