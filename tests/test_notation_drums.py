"""A MIDI file's drum track (channel 10) is a percussion staff in the MusicXML made from it (usertrial25's item 4):
each GM drum at its usual place with its own instrument and sound, hands above, feet below; MuseScore 3 opens it
as a drum staff that plays the right drums. Before, the drum track was left out of the MusicXML."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import mido
import pytest
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from typer.testing import CliRunner

from motifcli.cli import app
from motifcli.writers.notation_drums import drum_rows, kit_place, kit_sounds

KICK, SNARE, HAT = 36, 38, 42


def test_hits_last_to_the_next_hit_at_most_a_beat_never_over_a_bar_line() -> None:
    q = Fraction
    rows = [(q(0), q(1, 4), KICK), (q(0), q(1, 4), HAT), (q(1, 2), q(3, 4), HAT), (q(3), q(13, 4), SNARE),
            (q(7, 2), q(15, 4), HAT)]
    out = drum_rows(rows, q(1, 4), [q(0), q(4), q(8)])
    assert [(on, end) for on, end, _ in out] == [(0, q(1, 2)), (0, q(1, 2)), (q(1, 2), q(3, 2)), (3, q(7, 2)),
                                                  (q(7, 2), 4)]


def test_a_hit_on_the_last_step_ends_at_the_final_bar_line() -> None:
    q = Fraction
    assert drum_rows([(q(31, 4), q(8), KICK)], q(1, 4), [q(0), q(4), q(8)]) == [(q(31, 4), q(8), KICK)]


def test_drums_that_play_on_after_the_tune_are_notated_to_their_end(tmp_path: Path) -> None:
    """Drums going on two bars after the last pitched note: the bars reach them (a hit outlasting the final
    bar line made the notation loop for ever before; found by a random-file probe, session 25)."""
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    tune = mido.MidiTrack()
    for pitch in (60, 62, 64, 65) * 2:
        tune += [mido.Message("note_on", note=pitch, velocity=80, time=0),
                 mido.Message("note_off", note=pitch, velocity=0, time=480)]
    drums = mido.MidiTrack()
    for k in range(16 * 2 - 1):  # eighths over 4 bars, the tune only 2 bars, the last hit a 16th before the end
        drums += [mido.Message("note_on", channel=9, note=HAT, velocity=80, time=0 if k == 0 else 180),
                  mido.Message("note_off", channel=9, note=HAT, velocity=0, time=60)]
    drums += [mido.Message("note_on", channel=9, note=KICK, velocity=80, time=300),
              mido.Message("note_off", channel=9, note=KICK, velocity=0, time=60)]
    mid.tracks += [tune, drums]
    src = tmp_path / "coda.mid"
    mid.save(str(src))
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o",
                           str(tmp_path / "out") + "/", "-q"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(tmp_path / "out" / "coda.motifs.musicxml").getroot()
    assert len(root.findall("part")[-1].findall(".//unpitched")) == 32


def test_kit_places_and_sounds() -> None:
    assert kit_place(KICK) == ("F4", "normal") and kit_place(HAT) == ("G5", "x")
    assert kit_place(SNARE) == ("C5", "normal")
    # two bass drums share a place: it plays the commoner
    assert kit_sounds([35, 36, 36, 38]) == {("F4", "normal"): 36, ("C5", "normal"): 38}


def groove(path: Path, bars: int = 8) -> int:
    """A piano tune over a rock groove (kick 1 and 3, snare 2 and 4, closed hi-hat eighths); the hits written."""
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    tune = mido.MidiTrack([mido.MetaMessage("track_name", name="Piano", time=0)])
    for bar in range(bars):
        for pitch in (60, 64, 67, 64):
            tune.append(mido.Message("note_on", note=pitch + 2 * (bar % 2), velocity=80, time=0))
            tune.append(mido.Message("note_off", note=pitch + 2 * (bar % 2), velocity=0, time=480))
    events = []  # (tick, pitch)
    for bar in range(bars):
        for eighth in range(8):
            t = (bar * 8 + eighth) * 240
            events.append((t, HAT))
            if eighth in (0, 4):
                events.append((t, KICK))
            if eighth in (2, 6):
                events.append((t, SNARE))
    drums = mido.MidiTrack([mido.MetaMessage("track_name", name="Drums", time=0)])
    timed = sorted([(t + 60, 0, pitch) for t, pitch in events] + [(t, 1, pitch) for t, pitch in events])
    now = 0
    for t, on, pitch in timed:
        drums.append(mido.Message("note_on", channel=9, note=pitch, velocity=90 * on, time=t - now))
        now = t
    mid.tracks += [tune, drums]
    mid.save(str(path))
    return len(events)


def annotate(src: Path, out: Path) -> Path:
    result = CliRunner().invoke(app, ["annotate", str(src), "-f", "musicxml", "-o", str(out) + "/", "-q"])
    assert result.exit_code == 0, result.output
    return out / f"{src.stem}.motifs.musicxml"


def test_the_drum_track_is_a_percussion_part_with_a_sound_per_place(tmp_path: Path) -> None:
    hits = groove(tmp_path / "groove.mid")
    xml = annotate(tmp_path / "groove.mid", tmp_path / "out")
    root = ET.parse(xml).getroot()
    drum_part = next(sp for sp in root.iter("score-part") if sp.findtext("part-name") == "Drums")
    sounds = {m.get("id"): int(m.findtext("midi-unpitched")) - 1 for m in drum_part.iter("midi-instrument")}
    assert sorted(sounds.values()) == [KICK, SNARE, HAT]
    assert {m.findtext("midi-channel") for m in drum_part.iter("midi-instrument")} == {"10"}
    part = root.find(f"part[@id='{drum_part.get('id')}']")
    assert part.find(".//clef/sign").text == "percussion"
    notes = [n for n in part.iter("note") if n.find("unpitched") is not None]
    assert len(notes) == hits  # every hit, none tied over
    assert not part.findall(".//tie")
    for n in notes:  # each head plays the sound of its place (not its chord's first head's)
        place = (n.findtext("unpitched/display-step") + n.findtext("unpitched/display-octave"),
                 n.findtext("notehead", "normal"))
        assert kit_place(sounds[n.find("instrument").get("id")]) == place
    voices = {n.findtext("unpitched/display-step") + n.findtext("unpitched/display-octave"): n.findtext("voice")
              for n in notes}
    assert voices["F4"] != voices["G5"] == voices["C5"]  # feet below, hands above
    assert "<key>" not in re.sub(r"\s", "", ET.tostring(part, encoding="unicode"))  # no key signature on drums


@pytest.mark.musescore
def test_musescore_opens_the_drums_as_a_drum_staff(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    groove(tmp_path / "groove.mid")
    xml = annotate(tmp_path / "groove.mid", tmp_path / "out")
    mscx = tmp_path / "groove.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx)]}], tmp_path)
    score = ET.parse(mscx).getroot().find("Score")
    drums = next(p for p in score.findall("Part") if p.findtext("trackName") == "Drums")
    assert drums.find("Staff/StaffType").get("group") == "percussion"
    staff_id = drums.find("Staff").get("id")
    staff = next(s for s in score.findall("Staff") if s.get("id") == staff_id)
    assert {int(p.text) for p in staff.iter("pitch")} == {KICK, SNARE, HAT}
