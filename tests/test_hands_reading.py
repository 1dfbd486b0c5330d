"""Session 20 (hands20): one reading of a one-track keyboard part as two hands per run, taken once with
the run's settings, that discovery, the names and the notation all read (``Annotation.hands``).

Before, each stage split the score it saw: discovery the ``--track`` view (another track emptied, so a
staff track of a multi-track file was "alone" and read as two hands), the names and the notation the
whole file, the notation always with discovery's default settings (``--unit bar`` and
``split_hands=False`` still got hand staves), and the split ran 3 times per file
(benchmarks/phase20-hands20.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import mido
import pytest
from test_notation_hands import written_staves
from test_texture_hands import TPB, one_track_piece
from typer.testing import CliRunner

import motifcli
import motifcli.families
import motifcli.hands
from motifcli.annotation import Annotation
from motifcli.cli import app
from motifcli.discovery import discover
from motifcli.families import discovery_settings, to_annotation
from motifcli.settings import Settings
from motifcli.writers import musicxml

pytestmark = pytest.mark.usefixtures("env_no_color")


def statements(annotation: Annotation) -> list[list[list[tuple[int, int]]]]:
    """Each family's statements as their notes (track, index): what was found, not how it is named."""
    return [[sorted((n.track, n.index) for n in o.notes) for o in m.occurrences] for m in annotation.motifs]


def staves_by_cut(xml: Path, score: motifcli.Score) -> bool:
    """Whether every note of the one-track piece is written where a cut at middle C puts it (no hands)."""
    staves = written_staves(xml)
    on, _, pi = score.pitched_tracks()[0].arrays()
    return all(staves[(o, p)] == {1 if p >= 60 else 2} for o, p in zip(on.tolist(), pi.tolist()))


def piano_and_flute(tmp_path: Path) -> Path:
    """The one-track waltz (both hands in one track) as a "Piano" track beside a "Flute" track that
    doubles the tune an octave up: a multi-track file whose piano passes every gate of the hand split
    when it is alone."""
    path, right = one_track_piece(tmp_path / "waltz.mid")
    piano = mido.MidiTrack([mido.MetaMessage("track_name", name="Piano", time=0), *mido.MidiFile(path).tracks[0]])
    flute = mido.MidiTrack([mido.MetaMessage("track_name", name="Flute", time=0)])
    last = 0
    for tick, pitch in sorted(right):
        flute.append(mido.Message("note_on", note=pitch + 12, velocity=70, channel=1, time=tick - last))
        flute.append(mido.Message("note_on", note=pitch + 12, velocity=0, channel=1, time=TPB // 2))
        last = tick + TPB // 2
    out = tmp_path / "duo.mid"
    mido.MidiFile(type=1, ticks_per_beat=TPB, tracks=[piano, flute]).save(out)
    return out


def test_track_picks_what_is_searched_not_how_it_is_read(tmp_path: Path) -> None:
    """``--track Piano`` on a piano + flute file: the piano is not alone in its file, so no stage reads it
    as hands; discovery finds what it finds in the piano read whole (on main it split the emptied view
    while the names and the notation did not). In a one-track file ``--track`` changes nothing."""
    duo = motifcli.read_score(piano_and_flute(tmp_path))
    run = Settings(track="Piano", texture_model="off").resolve(None).for_score(duo)
    annotation = motifcli.annotate(duo, None, run)
    assert annotation.hands == {} and annotation.motifs
    assert not any(o.hands or any(n.staff for n in o.notes) for o in annotation.occurrences)
    piano = next(k for k, t in enumerate(duo.tracks) if t.name == "Piano")
    alone = dataclasses.replace(duo, tracks=[t if k == piano else dataclasses.replace(t, notes=[])
                                             for k, t in enumerate(duo.tracks)])
    whole = discover(alone, None, dataclasses.replace(discovery_settings(run), split_hands=False))
    assert statements(annotation) == statements(to_annotation(duo, whole, run))
    xml = tmp_path / "duo.musicxml"
    xml.write_bytes(musicxml.render(annotation, duo))
    assert "right hand" not in xml.read_text()
    # the one-track waltz: --track 0 is the whole file, read as hands by every stage
    one = motifcli.read_score(tmp_path / "waltz.mid")
    plain = motifcli.annotate(one, None, Settings(texture_model="off"))
    picked = motifcli.annotate(one, None, Settings(track=0, texture_model="off"))
    assert picked.hands == plain.hands and set(picked.hands) == {0}
    assert statements(picked) == statements(plain)
    assert any(o.hands for o in picked.occurrences)


def test_no_hands_read_means_no_hand_staves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--unit bar`` (its labels name no hand) and discovery's ``split_hands=False`` notate the one-track
    waltz without hand staves, cut at middle C; the default run notates it by hands (a left-hand E4 in
    the bass staff). On main the notation split it whatever the run read."""
    path, _ = one_track_piece(tmp_path / "waltz.mid")
    score = motifcli.read_score(path)
    default = motifcli.annotate(score, None, Settings(texture_model="off"))
    (tmp_path / "default.musicxml").write_bytes(musicxml.render(default, score))
    assert not staves_by_cut(tmp_path / "default.musicxml", score)
    bar = motifcli.annotate(score, None, Settings(unit="bar"))
    (tmp_path / "bar.musicxml").write_bytes(musicxml.render(bar, score))
    assert bar.hands == {} and staves_by_cut(tmp_path / "bar.musicxml", score)
    own = motifcli.families.discovery_settings
    monkeypatch.setattr(motifcli.families, "discovery_settings",
                        lambda s: dataclasses.replace(own(s), split_hands=False))
    whole = motifcli.annotate(score, None, Settings(texture_model="off"))
    (tmp_path / "whole.musicxml").write_bytes(musicxml.render(whole, score))
    assert not any(o.hands or any(n.staff for n in o.notes) for o in whole.occurrences)
    assert staves_by_cut(tmp_path / "whole.musicxml", score)
    # a report read back carries no reading: the tracks its statements name as hands are split again
    again = Annotation.from_dict(default.to_dict())
    (tmp_path / "again.musicxml").write_bytes(musicxml.render(again, score))
    assert again.hands is None
    assert written_staves(tmp_path / "again.musicxml") == written_staves(tmp_path / "default.musicxml")


def test_the_hands_are_split_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``motif annotate`` of a one-track piano piece to MusicXML, JSON, CSV and labels splits it once
    (main: 3 times, discovery, names and notation each; 0.26 s each on an 8,558-note sonata)."""
    path, _ = one_track_piece(tmp_path / "waltz.mid")
    calls = []
    own = motifcli.hands.split_counted
    monkeypatch.setattr(motifcli.hands, "split_counted", lambda *a, **k: calls.append(1) or own(*a, **k))
    result = CliRunner().invoke(app, ["annotate", str(path), "-f", "musicxml,json,csv,labels",
                                      "-o", f"{tmp_path / 'out'}/", "-q"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert '"hands": true' in (tmp_path / "out" / "waltz.motifs.json").read_text()


def test_a_one_staff_musicxml_part_is_not_read_as_hands(tmp_path: Path) -> None:
    """The waltz written as MusicXML on one staff (music21): its author wrote one staff, so no stage
    reads it as two (main split it in discovery and the names said "Part 1, staff 2, ..." of a part
    with one staff)."""
    import music21

    path, _ = one_track_piece(tmp_path / "waltz.mid")
    music21.converter.parse(str(path)).write("musicxml", fp=str(tmp_path / "waltz.musicxml"))
    score = motifcli.read_score(tmp_path / "waltz.musicxml")
    assert score.format == "musicxml" and score.pitched_tracks()[0].staves() is None
    annotation = motifcli.annotate(score, None, Settings(texture_model="off"))
    assert annotation.hands == {} and annotation.motifs
    assert not any("staff" in o.line or any(n.staff for n in o.notes) for o in annotation.occurrences)
