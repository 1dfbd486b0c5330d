"""A MIDI staff that is a steady number of lines is separated into them (benchmarks/phase14-midivoices14.md).

Real files: music21 writes a Bach chorale's keyboard reduction (benchmarks/written_voices.py) as MIDI,
a track per staff and no voices; mido writes small two-line, chordal and melodic tracks. motif's
reader reads them; :func:`motifcli.voices.split_voices` gives the lines discovery works on.
"""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from conftest import json_report_voices

import motifcli
from motifcli.discovery import DiscoverySettings
from motifcli.score import Score
from motifcli.streams import line_count
from motifcli.voice_ids import SEPARATED
from motifcli.voices import LOWER, UPPER, split_voices

music21 = pytest.importorskip("music21")

from benchmarks.written_voices import reduction, satb, statements, vocal_parts  # noqa: E402

CHORALE = "bach/bwv1.6"
TPB = 480


@pytest.fixture(scope="module")
def chorale(tmp_path_factory: pytest.TempPathFactory) -> tuple[Score, Score]:
    """(the four vocal parts as MusicXML, the two-staff reduction as MIDI), written by music21, read by motif."""
    parts = vocal_parts(music21.corpus.parse(CHORALE))
    tmp = tmp_path_factory.mktemp("chorale")
    satb(parts).write("musicxml", fp=str(tmp / "satb.musicxml"))
    reduction(parts).write("midi", fp=str(tmp / "keys.mid"))
    return motifcli.read_score(tmp / "satb.musicxml"), motifcli.read_score(tmp / "keys.mid")


def _line(score: Score, voice) -> list[tuple[float, int]]:  # noqa: ANN001
    notes = score.tracks[voice.track].notes
    return [(round(notes[i].onset, 4), notes[i].pitch) for i in voice.note_indices]


def _part(score: Score, k: int) -> list[tuple[float, int]]:
    return [(round(n.onset, 4), n.pitch) for n in score.tracks[k].notes]


def test_a_midi_chorale_reductions_staves_give_the_four_parts(chorale: tuple[Score, Score]) -> None:
    """Each MIDI track (two voices of one staff) gives two lines, 101 and 102; soprano and alto are
    their lines note for note, tenor and bass but for their one crossing (bar 17: the tenor below the
    bass, which proximity cannot see). The pitch split mixed soprano and alto (skyline + chord bass)."""
    four, keys = chorale
    lines = [v for v in split_voices(keys) if len(v)]
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2] * 2
    assert [_line(keys, v) for v in lines[:2]] == [_part(four, 0), _part(four, 1)]
    for line, k in ((lines[2], 2), (lines[3], 3)):
        assert len(set(_line(keys, line)) ^ set(_part(four, k))) <= 3
    old = split_voices(keys, separate=False)
    assert [v.voice for v in old] == [UPPER, LOWER, UPPER, LOWER]
    assert _line(keys, old[0]) != _part(four, 0) and _line(keys, old[1]) != _part(four, 1)


def test_the_midi_reduction_finds_what_the_four_parts_find(chorale: tuple[Score, Score]) -> None:
    """bwv1.6: at least 3/4 of the four parts' statements are statements of the MIDI reduction
    (without the separation 9 of 32, benchmarks/phase14-midivoices14.md); some alto ones as line 102."""
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    four, keys = chorale
    lazy = LazyModel()
    theirs = statements(discover(four, lazy))
    for settings, least, most in ((DiscoverySettings(), 0.75, 1.0), (DiscoverySettings(separate_lines=False), 0.0, 0.4)):
        ours = discover(keys, lazy, settings)
        found = sum(any(len(n & m) >= 0.75 * len(n) for _, m in statements(ours)) for _, n in theirs)
        assert least * len(theirs) <= found <= most * len(theirs)
    alto = set(_part(four, 1))
    assert any(n.voice == SEPARATED + 2 and o.track == 1 and {(round(x.onset, 4), x.pitch) for x in o.notes} <= alto
               for f in discover(keys, lazy) for o in f.occurrences for n in o.notes[:1])


def _write(path: Path, tracks: list[list[tuple[float, float, int]]]) -> Path:
    """A type-1 MIDI file, one track per list of (onset, offset, pitch) in beats."""
    mid = mido.MidiFile(ticks_per_beat=TPB)
    for notes in tracks:
        events = sorted([(round(on * TPB), 1, p) for on, _, p in notes] + [(round(off * TPB), 0, p) for _, off, p in notes])
        track, now = mido.MidiTrack(), 0
        for tick, kind, pitch in events:
            track.append(mido.Message("note_on" if kind else "note_off", note=pitch, velocity=80 if kind else 0, time=tick - now))
            now = tick
        mid.tracks.append(track)
    mid.save(path)
    return path


def test_a_held_note_over_a_moving_line_keeps_the_lines_apart(tmp_path: Path) -> None:
    """Two lines: the upper holds half notes while the lower moves in quarters. Each lower note
    starting under a held one is the lower line's; the skyline took it (the highest note starting)."""
    upper = [(2.0 * k, 2.0 * k + 2, 72 + (k % 3)) for k in range(8)]
    lower = [(1.0 * k, 1.0 * k + 1, 60 + (k % 5)) for k in range(16)]
    score = motifcli.read_score(_write(tmp_path / "two.mid", [upper + lower]))
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [int(p) for p in lines[0].pitches] == [p for *_, p in upper]
    assert [int(p) for p in lines[1].pitches] == [p for *_, p in lower]
    skyline = split_voices(score, separate=False)[0]
    assert 60 in skyline.pitches.tolist()  # the pitch split put lower notes into the upper line


def test_a_unison_goes_on_in_the_line_that_moves(tmp_path: Path) -> None:
    """Both lines sing E together; the lower one goes on down while the upper holds: the E that moves
    on is the lower line's (its notes are given back when the next note shows which line moved)."""
    upper = [(0, 1, 72), (1, 2, 71), (2, 4, 64), (4, 5, 72), (5, 6, 71), (6, 7, 72), (7, 8, 74)] * 1
    lower = [(0, 1, 60), (1, 2, 62), (2, 3, 64), (3, 4, 60), (4, 5, 62), (5, 6, 60), (6, 7, 59), (7, 8, 60)]
    score = motifcli.read_score(_write(tmp_path / "unison.mid", [upper + lower]))
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [(float(o), int(p)) for o, p in zip(lines[1].onsets, lines[1].pitches)] == [(float(a), p) for a, _, p in lower]
    assert float(lines[0].offsets[2]) == 4.0  # the held E stays in the upper line


def test_chords_and_melodies_keep_the_pitch_split(tmp_path: Path) -> None:
    """A piano's chords (3 or 4 notes, their number changing) and a melody are no steady lines."""
    chords = [(float(k), k + 1.0, p) for k in range(16) for p in ((48, 55, 64) if k % 2 else (48, 52, 55, 60))]
    melody = [(0.5 * k, 0.5 * k + 0.5, 72 + (k % 7)) for k in range(32)]
    score = motifcli.read_score(_write(tmp_path / "song.mid", [melody, chords]))
    assert [(v.track, v.voice) for v in split_voices(score)] == [(0, UPPER), (1, UPPER), (1, LOWER)]
    assert all(line_count(*t.arrays(), 0.05) == 0 for t in score.tracks)


def test_the_json_names_the_separated_line_and_stays_valid(chorale: tuple[Score, Score], tmp_path: Path) -> None:
    """The JSON's ``notes[].voice`` is 100 + the line (101 soprano/tenor, 102 alto/bass); schema 2.0 holds."""
    _, keys = chorale
    voices = json_report_voices(keys, tmp_path / "keys.motifs.json")
    assert voices <= {SEPARATED + 1, SEPARATED + 2} and SEPARATED + 2 in voices


def test_a_line_that_leaps_above_a_held_note_is_followed(tmp_path: Path) -> None:
    """The lower line (eighths) leaps above the upper line's held half note for one eighth and comes
    back (the alto above the soprano, as in bwv114.7 bar 3). The crossing note stays in the lower line:
    a crossing costs less than cutting the held note, and the notes after it agree. Before phase 15
    a crossing of a held note cost as much as cutting it, so the upper line took the leap."""
    upper = [(2.0 * k, 2.0 * k + 2, p) for k, p in enumerate((67, 65, 64, 62))]
    lower = [(0.5 * j, 0.5 * j + 0.5, p)
             for j, p in enumerate((60, 62, 64, 69, 64, 62, 60, 62, 60, 59, 60, 62, 59, 57, 55, 57))]
    score = motifcli.read_score(_write(tmp_path / "cross.mid", [upper + lower]))
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [int(p) for p in lines[0].pitches] == [p for *_, p in upper]
    assert [int(p) for p in lines[1].pitches] == [p for *_, p in lower]


def test_a_bass_and_a_tenor_entering_after_it_are_two_lines(tmp_path: Path) -> None:
    """bwv846 (WTC I Prelude) written as MIDI by music21: the left hand's bass sounds alone for a
    quarter of a beat before the tenor enters, at every half bar, so two notes sound at only half its
    onsets (no steady count there), but within ``WINDOW`` beats two sound throughout: its two lines
    are the bass (each half bar's first note) and the tenor. The right hand's figuration (one note at
    a time) stays one line."""
    music21.corpus.parse("bach/bwv846").write("midi", fp=str(tmp_path / "bwv846.mid"))
    score = motifcli.read_score(tmp_path / "bwv846.mid")
    right, left = score.pitched_tracks()
    lines = split_voices(score)
    assert [(v.track, v.voice) for v in lines] == [(right.index, UPPER), (left.index, SEPARATED + 1),
                                                   (left.index, SEPARATED + 2)]
    bass = {(round(n.onset, 4), n.pitch) for n in left.notes if abs(n.onset % 2.0) < 1e-6}
    low = {(round(float(o), 4), int(p)) for o, p in zip(lines[2].onsets, lines[2].pitches)}
    assert len(low & bass) >= 0.9 * len(bass) and len(low & bass) >= 0.95 * len(low)  # (the closing pedal bars differ)


def test_imitation_with_rests_is_two_lines(tmp_path: Path) -> None:
    """Two voices in imitation: the upper states a subject, the lower answers it a fifth below two
    beats later, each rests between its entries. Two notes sound at about half the onsets, but two lines
    sound within a window nearly everywhere: each voice is a line note for note."""
    subject = [(0.0, 1.0, 0), (1.0, 1.5, 2), (1.5, 2.0, 4), (2.0, 3.0, 5), (3.0, 3.5, 4), (3.5, 4.0, 2), (4.0, 5.0, 0)]
    upper, lower = [], []
    for k in range(4):
        upper += [(8.0 * k + a, 8.0 * k + b, 72 + p) for a, b, p in subject]
        lower += [(8.0 * k + 2 + a, 8.0 * k + 2 + b, 65 + p) for a, b, p in subject]
    score = motifcli.read_score(_write(tmp_path / "imitation.mid", [upper + lower]))
    assert line_count(*score.tracks[0].arrays(), 0.05) == 2
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [(float(o), int(p)) for o, p in zip(lines[0].onsets, lines[0].pitches)] == [(a, p) for a, _, p in upper]
    assert [(float(o), int(p)) for o, p in zip(lines[1].onsets, lines[1].pitches)] == [(a, p) for a, _, p in lower]
    assert split_voices(score, separate=False)[0].voice == UPPER  # without the separation: the skyline


def test_broken_chords_are_no_lines(tmp_path: Path) -> None:
    """A piano's broken chords keep the pitch split: an Alberti bass (one note at a time), a held
    arpeggio (each note held to the bar's end: 4 sound within a window, and only two lines may be
    taken from a window), and a two-note figure played (not notated: onsets off the beat grid)."""
    alberti = [(0.5 * j, 0.5 * j + 0.5, (48, 55, 52, 55)[j % 4] + (0, 5, 7, 0)[j // 8 % 4]) for j in range(64)]
    held = [(4.0 * b + 0.5 * j, 4.0 * b + 4.0, (48, 52, 55, 60)[j] + (0, 5, 7, 0)[b % 4]) for b in range(8) for j in range(4)]
    played = [(2.0 * b + d, 2.0 * b + 2.0, p + (0, 5, 7, 0)[b % 4])
              for b in range(16) for d, p in ((0.013 * (b % 3), 48), (0.51 + 0.017 * (b % 4), 55))]
    score = motifcli.read_score(_write(tmp_path / "broken.mid", [alberti, held, played]))
    assert [line_count(*t.arrays(), 0.05) for t in score.tracks] == [0, 0, 0]
    assert {v.voice for v in split_voices(score)} <= {UPPER, LOWER}


def test_a_legato_melody_is_one_line(tmp_path: Path) -> None:
    """A melody with every other note held a little into the next (0.1-0.2 beat: POP909 566's and
    860's MELODY, quantised, hold half their notes so) has two notes sounding within every window,
    but each held note ends before half-way to the next onset: one line, the pitch split (the
    window rule took them)."""
    steps = (0, 2, 4, 5, 7, 5, 4, 2)
    legato = [(0.5 * j, 0.5 * j + 0.5 + (0.125, 0.0, 0.1875, 0.0)[j % 4], 67 + steps[j % 8] + (0, 3)[j // 16 % 2]) for j in range(64)]
    score = motifcli.read_score(_write(tmp_path / "legato.mid", [legato]))
    assert line_count(*score.tracks[0].arrays(), 0.05) == 0
    assert {v.voice for v in split_voices(score)} <= {UPPER, LOWER}


def test_a_lower_voice_resting_for_two_bars_is_its_own_line(tmp_path: Path) -> None:
    """Two voices, the upper in quarters throughout, the lower in half notes resting bars 5-6 and
    11-12: two notes sound at only 2/3 of the time, and no 2-beat window shows two in the rests, so
    neither the onsets nor the window make it lines (the pitch split took it); by time it is two lines
    (two sound 2/3 of the time, never three), and each voice is its line note for note."""
    steps = (0, 2, 4, 5, 7, 5, 4, 2)
    upper = [(1.0 * j, 1.0 * j + 1, 72 + steps[j % 8]) for j in range(48)]
    lower = [(2.0 * j, 2.0 * j + 2, 55 + (0, -3, -5, -1, 0, 2)[j % 6]) for j in range(24) if j // 2 % 6 not in (4, 5)]
    score = motifcli.read_score(_write(tmp_path / "rests.mid", [upper + lower]))
    assert line_count(*score.tracks[0].arrays(), 0.05) == 2
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [(float(o), int(p)) for o, p in zip(lines[0].onsets, lines[0].pitches)] == [(a, p) for a, _, p in upper]
    assert [(float(o), int(p)) for o, p in zip(lines[1].onsets, lines[1].pitches)] == [(a, p) for a, _, p in lower]


def test_a_broken_chord_accompaniment_is_no_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A left hand of 5-bar phrases: 3 bars of a held bass under an eighth-note broken chord (its
    first note held a quarter, so three sound at each downbeat), then 2 bars of Alberti bass. Two
    sound for just over half the time (0.525), three for 0.075 of it: the time rule's ``THREE`` keeps
    it to the pitch split (without it, the staff would be two lines)."""
    import motifcli.streams as streams

    notes = []
    for phrase, root in enumerate((0, 5, 7, 0)):
        start = 20.0 * phrase
        for bar in range(3):
            s = start + 4 * bar
            notes.append((s, s + 4, 48 + root))
            notes += [(s + 0.5 * j, s + 0.5 * j + (1.0 if j == 0 else 0.5), (55, 64, 60, 64)[j % 4] + root) for j in range(8)]
        notes += [(start + 12 + 0.5 * j, start + 12.5 + 0.5 * j, (48, 55, 52, 55)[j % 4] + root) for j in range(16)]
    score = motifcli.read_score(_write(tmp_path / "accompaniment.mid", [notes]))
    assert line_count(*score.tracks[0].arrays(), 0.05) == 0
    assert {v.voice for v in split_voices(score)} <= {UPPER, LOWER}
    monkeypatch.setattr(streams, "THREE", 1.0)
    assert line_count(*score.tracks[0].arrays(), 0.05) == 2  # the case is a near one: THREE decides it


def test_a_voice_singing_alone_through_a_rest_stays_in_its_line(tmp_path: Path) -> None:
    """While the lower voice rests (bars 5-6), the upper one sings alone down to its C, next to the
    lower voice's last pitch (B): each note stays in the upper line, which goes on without a break; the
    resting line's stale pitch is nearer to some, and without ``GAP`` (a line resuming after a rest
    costs) the lower line took them."""
    up, dip = (72, 74, 76, 77, 79, 77, 76, 74), (67, 65, 64, 62, 60, 62, 64, 65)
    upper = [(1.0 * j, 1.0 * j + 1, (dip if j // 4 % 6 in (4, 5) else up)[j % 8]) for j in range(48)]
    lower = [(2.0 * j, 2.0 * j + 2, (60, 59, 57, 59, 60, 62)[j % 6]) for j in range(24) if j // 2 % 6 not in (4, 5)]
    score = motifcli.read_score(_write(tmp_path / "alone.mid", [upper + lower]))
    lines = split_voices(score)
    assert [v.voice for v in lines] == [SEPARATED + 1, SEPARATED + 2]
    assert [(float(o), int(p)) for o, p in zip(lines[0].onsets, lines[0].pitches)] == [(a, p) for a, _, p in upper]
    assert [(float(o), int(p)) for o, p in zip(lines[1].onsets, lines[1].pitches)] == [(a, p) for a, _, p in lower]
