"""Make the user-trial inputs of session 25 (usertrial25) in a folder: odd but real scores a musician has.

Everything is built from music21's bundled corpus, the repository's examples and mido; nothing from the
benchmark data. Why: the fuzzers mutate bytes and the corpus sweep reads the corpus as it is; these are the
shapes of real files the two never made (type-0 MIDI with channels, drums beside pitched tracks, tempo and
meter changes, a late first note, lead sheets, repeats, grace notes, empty and non-music files, odd names).

    python benchmarks/usertrial25_inputs.py /tmp/ut25/in
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import mido
from music21 import chord, converter, corpus, duration, harmony, meter, note, repeat, stream, tempo, tie

ROOT = Path(__file__).resolve().parents[1]


def _midi_of(score: stream.Score, path: Path) -> Path:
    """Write ``score`` as a type-1 MIDI file with music21 (what a notation program exports)."""
    score.write("midi", fp=str(path))
    return path


def type0_from(src: Path, out: Path) -> None:
    """Merge a type-1 file into one track, its tracks kept apart by channel (a hardware sequencer's file)."""
    mid = mido.MidiFile(str(src))
    merged = mido.merge_tracks(mid.tracks)
    one = mido.MidiFile(type=0, ticks_per_beat=mid.ticks_per_beat)
    one.tracks.append(merged)
    one.save(str(out))


def with_drums(src: Path, out: Path) -> None:
    """Add a GM drum track (channel 10) beside the pitched tracks: kick, snare, hi-hat in every beat."""
    mid = mido.MidiFile(str(src))
    tpb = mid.ticks_per_beat
    end = max(sum(m.time for m in t) for t in mid.tracks)
    track = mido.MidiTrack([mido.MetaMessage("track_name", name="Drums", time=0)])
    t, last = 0, 0
    while t < end:
        for pitch in (36 if (t // tpb) % 2 == 0 else 38, 42):
            track.append(mido.Message("note_on", channel=9, note=pitch, velocity=90, time=t - last))
            last = t
        track.append(mido.Message("note_off", channel=9, note=42, velocity=0, time=tpb // 4))
        track.append(mido.Message("note_off", channel=9, note=36 if (t // tpb) % 2 == 0 else 38, velocity=0, time=0))
        last = t + tpb // 4
        t += tpb
    mid.tracks.append(track)
    mid.save(str(out))


def late_start(src: Path, out: Path, beats: int = 64) -> None:
    """Shift every track's first event by ``beats`` beats (a DAW export whose first note is at bar 17)."""
    mid = mido.MidiFile(str(src))
    shift = beats * mid.ticks_per_beat
    for track in mid.tracks:
        for i, msg in enumerate(track):
            if not msg.is_meta:
                track[i] = msg.copy(time=msg.time + shift)
                break
    mid.save(str(out))


def figure_tune(tempi: bool = True) -> stream.Part:
    """24 bars of one figure: C E G E in even quarters moved up a semitone a bar (4/4), then D C A moved down
    (3/4), then the first again (4/4); with ``tempi`` at 90, 140 and 90 bpm (tests/test_fixes25.py uses it
    without: a tune of one arpeggio figure)."""
    part = stream.Part()
    if tempi:
        part.append(tempo.MetronomeMark(number=90))
    for bar in range(24):
        m = stream.Measure(number=bar + 1)
        if bar in (0, 8, 16):
            m.append(meter.TimeSignature("3/4" if bar == 8 else "4/4"))
            if tempi and bar:
                m.append(tempo.MetronomeMark(number=140 if bar == 8 else 90))
        if 8 <= bar < 16:
            figure = [note.Note(p, quarterLength=1).transpose(-(bar % 3)) for p in ("D5", "C5", "A4")]
        else:
            figure = [note.Note(p, quarterLength=1).transpose(bar % 4) for p in ("C4", "E4", "G4", "E4")]
        for n in figure:
            m.append(n)
        part.append(m)
    return part


def changes(out: Path) -> None:
    """A tune in 4/4 at 90 bpm, then 3/4 at 140 bpm, then 4/4 again, its 1-bar motif in each section."""
    score = stream.Score([figure_tune()])
    score.write("musicxml", fp=str(out.with_suffix(".musicxml")))
    _midi_of(score, out.with_suffix(".mid"))


def ornaments(out: Path) -> None:
    """Grace notes, triplets and ties over the bar line in a tune whose 6-note motif returns 4 times."""
    part = stream.Part()
    part.append(meter.TimeSignature("4/4"))
    for rep in range(4):
        m1 = stream.Measure()
        g = note.Note("D5").getGrace()
        m1.append(g)
        m1.append(note.Note("C5", quarterLength=1))
        for p in ("E5", "D5", "C5"):
            n = note.Note(p)
            n.duration = duration.Duration(1 / 3)
            m1.append(n)
        m1.append(note.Note("G4", quarterLength=1))
        tied = note.Note("A4", quarterLength=1)
        tied.tie = tie.Tie("start")
        m1.append(tied)
        m2 = stream.Measure()
        end = note.Note("A4", quarterLength=2)
        end.tie = tie.Tie("stop")
        m2.append(end)
        m2.append(note.Note("F4", quarterLength=1))
        m2.append(note.Rest(quarterLength=1))
        part.append(m1)
        part.append(m2)
    score = stream.Score([part])
    score.write("musicxml", fp=str(out))


def sequence_bars() -> list[stream.Measure]:
    """8 bars of 3/4: a 6-note figure (G A B, D B G) moved up a semitone every 2 bars (the volta tune's notes;
    tests/test_fixes25.py counts its 4 statements)."""
    bars = []
    for i in range(8):
        m = stream.Measure(number=i + 1)
        if i == 0:
            m.append(meter.TimeSignature("3/4"))
        for p in (["G4", "A4", "B4"] if i % 2 == 0 else ["D5", "B4", "G4"]):
            m.append(note.Note(p, quarterLength=1).transpose(i // 2))
        bars.append(m)
    return bars


def repeats(out: Path) -> None:
    """An 8-bar tune with a repeat sign, first and second endings and a D.C. al Fine."""
    part = stream.Part()
    bars = sequence_bars()
    from music21 import bar, spanner

    bars[0].leftBarline = bar.Repeat(direction="start")
    bars[3].rightBarline = bar.Repeat(direction="end")
    e1 = spanner.RepeatBracket(bars[3], number=1)
    bars[5].append(repeat.Fine())
    bars[7].append(repeat.DaCapoAlFine())
    for m in bars:
        part.append(m)
    part.insert(0, e1)
    score = stream.Score([part])
    score.write("musicxml", fp=str(out))


def lead_sheet_part(times: int = 6) -> stream.Part:
    """A melody with chord symbols (harmony.ChordSymbol): the 2-bar, 7-note phrase "E D C D | E E E -" ``times``
    times in a row (tests/test_fixes25.py counts its statements)."""
    part = stream.Part()
    part.append(meter.TimeSignature("4/4"))
    for i, sym in enumerate(["C", "Am", "F", "G7"] * (times // 2)):
        m = stream.Measure(number=i + 1)
        m.append(harmony.ChordSymbol(sym))
        for p in ("E5", "D5", "C5", "D5") if i % 2 == 0 else ("E5", "E5", "E5", "R"):
            m.append(note.Rest(quarterLength=1) if p == "R" else note.Note(p, quarterLength=1))
        part.append(m)
    return part


def lead_sheet(out: Path) -> None:
    """The lead sheet (``lead_sheet_part``: its phrase 6 times), written as MusicXML."""
    stream.Score([lead_sheet_part()]).write("musicxml", fp=str(out))


def two_notes(out: Path) -> None:
    part = stream.Part([note.Note("C4", quarterLength=2), note.Note("G4", quarterLength=2)])
    score = stream.Score([part])
    score.write("musicxml", fp=str(out.with_suffix(".musicxml")))
    _midi_of(score, out.with_suffix(".mid"))


def empty_midi(out: Path) -> None:
    mid = mido.MidiFile(type=1)
    t = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000, time=0)])
    mid.tracks.append(t)
    mid.save(str(out))


def chords_only(out: Path) -> None:
    """A block-chord pad, one chord a bar (a DAW's chord track): no melody at all."""
    part = stream.Part()
    for i in range(16):
        m = stream.Measure(number=i + 1)
        m.append(chord.Chord(["C4", "E4", "G4"] if i % 2 == 0 else ["F3", "A3", "C4"], quarterLength=4))
        part.append(m)
    _midi_of(stream.Score([part]), out)


def main(folder: str) -> None:
    dst = Path(folder)
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    ex = ROOT / "examples"
    quartet = corpus.getWork("haydn/opus74no1/movement1")
    shutil.copy(quartet, dst / "haydn-op74-1-i.mxl")
    chorale = converter.parse(corpus.getWork("bach/bwv66.6"))
    _midi_of(chorale, dst / "bwv66.6-type1.mid")
    type0_from(dst / "bwv66.6-type1.mid", dst / "bwv66.6-type0.mid")
    type0_from(ex / "pop909-202.mid", dst / "pop909-202-type0.mid")
    with_drums(ex / "pop909-303.mid", dst / "pop909-303-drums.mid")
    late_start(ex / "pop909-101.mid", dst / "pop909-101-late.mid")
    changes(dst / "meter-tempo-changes")
    ornaments(dst / "grace-tuplets-ties.musicxml")
    repeats(dst / "repeats-volta-dc.musicxml")
    lead_sheet(dst / "leadsheet-chords.musicxml")
    shutil.copy(corpus.getWork("leadSheet/fosterBrownHair"), dst / "fosterBrownHair.mxl")
    two_notes(dst / "two-notes")
    empty_midi(dst / "empty.mid")
    chords_only(dst / "chords-only.mid")
    (dst / "zero-bytes.mid").write_bytes(b"")
    (dst / "text-renamed.mid").write_text("This is my shopping list, not a MIDI file.\n")
    mixed = dst / "mixed folder"
    (mixed / "Lieder" / "Schubert ünd Söhne").mkdir(parents=True)
    shutil.copy(corpus.getWork("schubert/Lindenbaum"), mixed / "Lieder" / "Schubert ünd Söhne" / "Der Lindenbaum.xml")
    shutil.copy(ex / "pop909-101.mid", mixed / "歌 101.mid")
    (mixed / "broken score.musicxml").write_text("<score-partwise><part-list>")
    (mixed / "notes.txt").write_text("not a score")
    (mixed / "Lieder" / "empty.mid").write_bytes((dst / "empty.mid").read_bytes())
    print(f"{sum(1 for p in dst.rglob('*') if p.is_file())} files in {dst}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ut25/in")
