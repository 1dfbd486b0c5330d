"""Unpitched notes (``<unpitched>``: a clap, a drum, a spoken "x") in MusicXML: read only in drum parts.

In a part with pitched notes an unpitched note's display step is a staff position, not a pitch, so it
is no part of a melodic motif; the reader leaves it out and the MusicXML writer's scan gives it no
pitch, so the notes motif reports are the notes it colours. On main before this (session 23) the
reader read such a note at its display pitch, where it could join a motif's statement that the writer
then could not colour (phase22-xmlfuzz22.md, ``unpitched_*``). A part of unpitched notes only is a
drum track, as before, and a note with a real ``<pitch>`` and an x notehead stays a pitched note.
"""

from __future__ import annotations

import re
from pathlib import Path

import mido
import pytest

from motifcli import writers
from motifcli.readers.midi import read_midi
from motifcli.readers.musicxml import read_musicxml
from motifcli.writers.musicxml_scan import link_ties, scan_parts
from test_transposing_parts import CLARINET_B_FLAT, attributes, musicxml, note
from writers_fixtures import annotation_from_spans

X_HEAD = "<notehead>x</notehead>"
MOTIF = note("C5", 1) + note("D5", 1) + note("E5", 1) + note("C5", 1)
CLAP = ('<score-part id="P1"><part-name>Voice</part-name>'
        '<score-instrument id="P1-I1"><instrument-name>Voice</instrument-name></score-instrument>'
        '<score-instrument id="P1-X1"><instrument-name>Hand Clap</instrument-name></score-instrument>'
        '<midi-instrument id="P1-I1"><midi-channel>1</midi-channel><midi-program>53</midi-program></midi-instrument>'
        '<midi-instrument id="P1-X1"><midi-channel>10</midi-channel><midi-unpitched>40</midi-unpitched>'
        '</midi-instrument></score-part>')


def unpitched(step: str, octave: int, quarters: float = 1, extra: str = "", *, chord: bool = False,
              instrument: str = "", tie: str = "") -> str:
    """An <unpitched> note (display step and octave); ``extra`` after its <type> (a notehead)."""
    kind = {0.5: "eighth", 1: "quarter", 2: "half"}[quarters]
    tied = f'<tie type="{tie}"/>' if tie else ""
    tied_shown = f'<notations><tied type="{tie}"/></notations>' if tie else ""
    return (f"<note>{'<chord/>' if chord else ''}<unpitched><display-step>{step}</display-step>"
            f"<display-octave>{octave}</display-octave></unpitched><duration>{int(quarters * 2)}</duration>{tied}"
            f"{f'<instrument id={chr(34)}{instrument}{chr(34)}/>' if instrument else ''}<voice>1</voice>"
            f"<type>{kind}</type>{extra}{tied_shown}</note>")


def voice_part(bar_2: str, transpose: str = "", part_list: str = "") -> str:
    """A voice's part: the motif in bars 1 and 3, ``bar_2`` between."""
    text = musicxml([("P1", "Voice", [attributes(transpose) + MOTIF, bar_2, MOTIF])])
    if part_list:
        text = text.replace('<score-part id="P1"><part-name>Voice</part-name></score-part>', part_list)
    return text


CLAPS = unpitched("E", 4) + unpitched("E", 4)
MIXED = {  # name: (document, the notes of bar 2 read: (onset, MIDI))
    "claps": (voice_part(CLAPS + note("C5", 1) + note("D5", 1)), [(6.0, 72), (7.0, 74)]),
    "x_noteheads": (voice_part(unpitched("E", 4, 1, X_HEAD) * 2 + note("C5", 1) + note("D5", 1)), [(6.0, 72), (7.0, 74)]),
    "clap_instrument": (voice_part(unpitched("E", 4, instrument="P1-X1") * 2 + note("C5", 1) + note("D5", 1),
                                   part_list=CLAP), [(6.0, 72), (7.0, 74)]),
    "chord_member": (voice_part(note("G4", 1) + unpitched("E", 4, chord=True) + note("A4", 1) + note("C5", 1)
                                + note("D5", 1)), [(4.0, 67), (5.0, 69), (6.0, 72), (7.0, 74)]),
    "chord_head": (voice_part(unpitched("E", 4) + note("G4", 1, chord=True) + note("A4", 1) + note("C5", 1)
                              + note("D5", 1)), [(4.0, 67), (5.0, 69), (6.0, 72), (7.0, 74)]),
    "tied": (voice_part(note("C5", 1) + note("D5", 1) + unpitched("E", 4, 2, tie="start")),
             [(4.0, 72), (5.0, 74)]),
    "clarinet": (voice_part(CLAPS + note("D5", 1) + note("E5", 1), CLARINET_B_FLAT), [(6.0, 72), (7.0, 74)]),
}


def scanned(path: Path) -> dict[str, list[tuple[float, int]]]:
    """The notes the MusicXML writer can colour, per part: (onset, sounding MIDI number)."""
    out = {}
    for pid, part in scan_parts(path.read_bytes()).parts.items():
        link_ties(part.notes)
        out[pid] = [(float(n.onset), n.pitch) for n in part.notes
                    if n.pitch is not None and not n.rest and not n.grace and not n.continues]
    return out


@pytest.mark.parametrize("case", sorted(MIXED))
def test_unpitched_notes_in_a_pitched_part_are_not_read(tmp_path: Path, case: str):
    document, bar_2 = MIXED[case]
    path = tmp_path / f"{case}.musicxml"
    path.write_text(document, encoding="utf-8")
    [track] = read_musicxml(path).tracks
    assert not track.is_drum
    read = [(n.onset, n.pitch) for n in track.notes]
    assert [x for x in read if 4 <= x[0] < 8] == bar_2
    assert len(read) == 8 + len(bar_2)
    assert sorted(read) == sorted(scanned(path)["P1"])  # reader = scan: every note read can be coloured


def test_every_note_of_a_statement_is_coloured(tmp_path: Path):
    """Bars 1, 2 and 3 marked as statements of one family: every note an occurrence holds is
    coloured (10); on main bar 2's two claps were in its occurrence (12 held) and stayed black."""
    path = tmp_path / "claps.musicxml"
    path.write_text(MIXED["claps"][0], encoding="utf-8")
    score = read_musicxml(path)
    annotation = annotation_from_spans(score, [(0, 4, "a"), (4, 8, "a"), (8, 12, "a")], 0)
    held = sum(len(o.notes) for o in annotation.occurrences)
    dest = tmp_path / "claps.motifs.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    coloured = re.findall(r"<note[^>]*color=[^>]*>(.*?)</note>", dest.read_text(encoding="utf-8"))
    assert held == len(coloured) == 10
    assert not any("<unpitched>" in n for n in coloured)


def test_pitched_notes_with_an_x_notehead_are_read(tmp_path: Path):
    path = tmp_path / "xhead.musicxml"
    path.write_text(voice_part(note("E4", 1, X_HEAD) + note("F4", 1, X_HEAD) + note("C5", 2)), encoding="utf-8")
    [track] = read_musicxml(path).tracks
    assert [(n.onset, n.pitch) for n in track.notes if 4 <= n.onset < 8] == [(4.0, 64), (5.0, 65), (6.0, 72)]
    assert sorted((n.onset, n.pitch) for n in track.notes) == sorted(scanned(path)["P1"])


def test_percussion_parts_stay_drum_tracks(tmp_path: Path):
    """A part of unpitched notes only, and a channel-10 part with pitched notes beside a voice: drum
    tracks with their notes, left out of the search, in MusicXML and in MIDI."""
    drums = "".join(unpitched("E", 4) + unpitched("G", 5) for _ in range(2))
    kit = ('<score-part id="P3"><part-name>Kit</part-name><midi-instrument id="P3-I1"><midi-channel>10</midi-channel>'
           '</midi-instrument></score-part>')
    document = musicxml([("P1", "Voice", [attributes() + MOTIF]), ("P2", "Drums", [attributes() + drums]),
                         ("P3", "Kit", [attributes() + MOTIF])])
    document = document.replace('<score-part id="P3"><part-name>Kit</part-name></score-part>', kit)
    path = tmp_path / "band.musicxml"
    path.write_text(document, encoding="utf-8")
    score = read_musicxml(path)
    assert [(t.name, t.is_drum, len(t.notes)) for t in score.tracks] == [("Voice", False, 4), ("Drums", True, 4),
                                                                         ("Kit", True, 4)]
    assert [n.pitch for n in score.tracks[1].notes] == [64, 79, 64, 79]  # at the display pitch, as before
    assert [t.name for t in score.pitched_tracks()] == ["Voice"]

    midi = mido.MidiFile(ticks_per_beat=480)
    for channel in (0, 9):
        track = mido.MidiTrack()
        for pitch in (60, 62, 64, 60):
            track += [mido.Message("note_on", channel=channel, note=pitch, velocity=80, time=0),
                      mido.Message("note_off", channel=channel, note=pitch, velocity=0, time=480)]
        midi.tracks.append(track)
    midi.save(tmp_path / "band.mid")
    score = read_midi(tmp_path / "band.mid")
    assert [(t.is_drum, len(t.notes)) for t in score.tracks] == [(False, 4), (True, 4)]
    assert [t.index for t in score.pitched_tracks()] == [0]


def test_a_drum_part_with_a_stray_pitched_note_stays_a_drum_track(tmp_path: Path):
    """Most of a part's notes unpitched: a drum kit, even with one pitched note in it (an editor's slip), not a
    pitched part of that one note (its unpitched notes would then be dropped)."""
    drums = "".join(unpitched("E", 4) + unpitched("G", 5) for _ in range(2))
    document = musicxml([("P1", "Voice", [attributes() + MOTIF]),
                         ("P2", "Drums", [attributes() + drums, note("C5", 1) + unpitched("E", 4) * 3])])
    path = tmp_path / "kit.musicxml"
    path.write_text(document, encoding="utf-8")
    score = read_musicxml(path)
    assert [(t.name, t.is_drum, len(t.notes)) for t in score.tracks] == [("Voice", False, 4), ("Drums", True, 8)]
    assert [t.name for t in score.pitched_tracks()] == ["Voice"]
