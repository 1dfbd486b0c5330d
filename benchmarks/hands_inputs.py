"""One-track keyboard inputs with a known hand split (phase19-hand19.md).

    PYTHONPATH=$PWD python -m benchmarks.hands_inputs OUT

Writes each solo keyboard piece of music21's corpus (polonaises op. 1/1-1/4, Verdi, C. P. E. Bach
H. 186, K. 545's exposition, Maple Leaf Rag, the two lead sheets) twice: ``OUT/staff/NAME.mid``, a
track per staff as music21 writes it (a lead sheet's chord symbols realised as a second track), and
``OUT/one/NAME.mid``, the same note events merged into one track on one channel (mido; ticks kept),
as a piano piece arrives from the wild. ``OUT/one/NAME.hands.json`` holds each note's staff (1 = the
upper track) keyed by (onset tick, pitch): the truth a hand split is measured against.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mido

PIECES = [
    "schumann_clara/polonaise_op1n1.mxl", "schumann_clara/polonaise_op1n2.mxl", "schumann_clara/polonaise_op1n3.mxl",
    "schumann_clara/polonaise_op1n4.mxl", "verdi/laDonnaEMobile.mxl", "cpebach/h186.mxl",
    "mozart/k545/movement1_exposition.mxl", "joplin/maple_leaf_rag.mxl",
    "leadSheet/berlinAlexandersRagtime.mxl", "leadSheet/fosterBrownHair.mxl",
]


def _lead_sheet(score):  # noqa: ANN001, ANN202 - music21 Score
    """Melody and realised chord symbols as two parts with the same measures (a track per staff):
    each chord (below middle C's octave) lasts to the next symbol or its bar's end."""
    import copy

    from music21 import chord, harmony, note, stream

    melody = score.parts[0]
    chords = copy.deepcopy(melody)
    for cs in list(melody.recurse().getElementsByClass(harmony.ChordSymbol)):
        cs.activeSite.remove(cs)
    for m in chords.getElementsByClass(stream.Measure):
        symbols = list(m.recurse().getElementsByClass(harmony.ChordSymbol))
        for el in list(m.recurse().getElementsByClass((note.GeneralNote, harmony.ChordSymbol))):
            el.activeSite.remove(el)
        for v in list(m.voices):
            m.remove(v)
        offs = [cs.offset for cs in symbols] + [m.barDuration.quarterLength]
        if not symbols:
            m.insert(0, note.Rest(quarterLength=m.barDuration.quarterLength))
        elif offs[0] > 0:
            m.insert(0, note.Rest(quarterLength=offs[0]))
        for cs, end in zip(symbols, offs[1:]):
            pitches = [p.transpose(-12 * max(p.octave - 3, 0)) for p in cs.pitches]
            m.insert(cs.offset, chord.Chord(pitches, quarterLength=max(end - cs.offset, 0.25)))
    out = stream.Score()
    out.insert(0, melody)
    out.insert(0, chords)
    return out


def merged(staff_file: Path) -> tuple[mido.MidiFile, dict[str, int]]:
    """The note tracks of ``staff_file`` as one track on the first note track's channel, and each note's staff."""
    mid = mido.MidiFile(staff_file)
    note_tracks = [t for t in mid.tracks if any(m.type == "note_on" for m in t)]
    channel = next(m.channel for m in note_tracks[0] if m.type == "note_on")
    events, hands = [], {}
    for k, t in enumerate(mid.tracks):
        tick = 0
        staff = note_tracks.index(t) + 1 if t in note_tracks else 0
        for m in t:
            tick += m.time
            if m.is_meta and m.type == "end_of_track":
                continue
            if hasattr(m, "channel"):
                if m.type in ("program_change", "control_change") and staff > 1:
                    continue
                m = m.copy(channel=channel)
            if m.type == "note_on" and m.velocity > 0:
                hands[f"{tick},{m.note}"] = min(hands.get(f"{tick},{m.note}", staff), staff)
            events.append((tick, k, m))
    events.sort(key=lambda e: (e[0], e[1]))
    track, last = mido.MidiTrack(), 0
    for tick, _, m in events:
        track.append(m.copy(time=tick - last))
        last = tick
    return mido.MidiFile(type=0, ticks_per_beat=mid.ticks_per_beat, tracks=[track]), hands


def main(out: Path) -> None:
    from music21 import corpus

    (out / "staff").mkdir(parents=True, exist_ok=True)
    (out / "one").mkdir(parents=True, exist_ok=True)
    for path in PIECES:
        name = path.replace("/", "_").rsplit(".", 1)[0]
        score = corpus.parse(path)
        if path.startswith("leadSheet"):
            score = _lead_sheet(score)
        staff_file = out / "staff" / f"{name}.mid"
        score.write("midi", fp=str(staff_file))
        one, hands = merged(staff_file)
        one.save(out / "one" / f"{name}.mid")
        (out / "one" / f"{name}.hands.json").write_text(json.dumps(hands))
        print(name, len(hands), "notes; upper staff", sum(v == 1 for v in hands.values()), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
