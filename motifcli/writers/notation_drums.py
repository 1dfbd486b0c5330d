"""A MIDI file's drum track (channel 10) as a percussion staff of MIDI written as MusicXML.

General MIDI names a drum by its note number; a drum staff shows it at a conventional line with a
notehead (kick at the bottom space, snare on the third space, cymbals as crosses above the staff),
the positions MuseScore's default drum set uses, so the part reads as drums and plays with drum
sounds: :func:`kit_instruments` gives the part one MusicXML instrument per place used (its GM sound,
``<midi-unpitched>`` on channel 10) and points every hit at its own (music21 would point all the heads
of a chord at one). Hits are short; each is written up to the next hit, at most a beat, so the staff
shows a rhythm, not a row of rests.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections import Counter
from fractions import Fraction

# GM drum note -> (display step + octave, notehead) on a five-line percussion staff
_KIT = {
    35: ("F4", "normal"), 36: ("F4", "normal"),  # bass drums
    37: ("C5", "x"), 38: ("C5", "normal"), 39: ("C5", "x"), 40: ("C5", "normal"),  # side stick, snares, clap
    41: ("A4", "normal"), 43: ("A4", "normal"), 45: ("B4", "normal"),  # floor and low toms
    47: ("D5", "normal"), 48: ("E5", "normal"), 50: ("E5", "normal"),  # mid and high toms
    42: ("G5", "x"), 44: ("D4", "x"), 46: ("G5", "circle-x"),  # hi-hat closed, pedal, open
    49: ("A5", "x"), 52: ("A5", "x"), 55: ("A5", "x"), 57: ("A5", "x"),  # crash, china, splash
    51: ("F5", "x"), 53: ("F5", "diamond"), 59: ("F5", "x"),  # ride, ride bell
}
_OTHER = ("E5", "triangle")  # any other percussion sound (tambourine, cowbell, Latin percussion)
HIT_LENGTH = Fraction(1)  # the longest a hit is written (in beats): up to the next hit, at most this
FEET = frozenset({35, 36, 44})  # bass drums and the pedal hi-hat: the lower voice, stems down, as drummers read


def kit_place(pitch: int) -> tuple[str, str]:
    """Where a GM drum note is drawn: (display pitch name, notehead)."""
    return _KIT.get(pitch, _OTHER)


Rows = list[tuple[Fraction, Fraction, int]]  # (onset, end, GM note) on the notation's grid


def drum_rows(rows: Rows, grid: Fraction, bar_lines: list[Fraction]) -> Rows:
    """Hits as notated rows: each lasts to the next hit (any drum of ``rows``), at most :data:`HIT_LENGTH` and
    never past its bar line (a drum is not tied over), at least a grid step, so hits struck together form one
    chord; the rows' own ends are not read. ``bar_lines``: every bar line on the grid, the score's final one
    included (no hit may outlast it)."""
    onsets = sorted({on for on, _, _ in rows})
    following = dict(zip(onsets, onsets[1:]))
    out = []
    for on, _, pitch in rows:
        i = bisect.bisect_right(bar_lines, on)
        bar_end = bar_lines[i] if i < len(bar_lines) else on + grid
        end = min(following.get(on, on + HIT_LENGTH), on + HIT_LENGTH, bar_end)
        out.append((on, max(end, on + grid), pitch))
    return out


def hands_and_feet(rows: Rows, grid: Fraction, bar_lines: list[Fraction]) -> tuple[Rows, Rows]:
    """The staff's two voices as :func:`drum_rows`, each hit lasting to the next of its own voice: hands (snare,
    toms, cymbals) above, feet (:data:`FEET`) below, as drummers read."""
    return (drum_rows([r for r in rows if r[2] not in FEET], grid, bar_lines),
            drum_rows([r for r in rows if r[2] in FEET], grid, bar_lines))


def unpitched_event(pitches: list[int], length: Fraction):
    """A music21 hit (Unpitched) or several struck together (PercussionChord), placed and headed by the kit."""
    from music21 import note, percussion

    heads = []
    for name, head in sorted({kit_place(p) for p in pitches}):  # two kick drums at one place: one head
        hit = note.Unpitched(displayName=name)
        hit.notehead = head
        heads.append(hit)
    if len(heads) == 1:
        heads[0].quarterLength = length
        return heads[0]
    chord = percussion.PercussionChord(heads)
    chord.quarterLength = length
    return chord


_GM_NAMES = {
    35: "Acoustic Bass Drum", 36: "Bass Drum", 37: "Side Stick", 38: "Acoustic Snare", 39: "Hand Clap",
    40: "Electric Snare", 41: "Low Floor Tom", 42: "Closed Hi-Hat", 43: "High Floor Tom", 44: "Pedal Hi-Hat",
    45: "Low Tom", 46: "Open Hi-Hat", 47: "Low-Mid Tom", 48: "Hi-Mid Tom", 49: "Crash Cymbal 1", 50: "High Tom",
    51: "Ride Cymbal 1", 52: "Chinese Cymbal", 53: "Ride Bell", 55: "Splash Cymbal", 57: "Crash Cymbal 2",
    59: "Ride Cymbal 2",
}


def kit_sounds(pitches: list[int]) -> dict[tuple[str, str], int]:
    """Each place used on the staff -> the GM sound it plays: the commonest of the track's drums drawn there."""
    counts = Counter(pitches)
    sounds: dict[tuple[str, str], int] = {}
    for pitch, _ in counts.most_common():
        sounds.setdefault(kit_place(pitch), pitch)
    return sounds


def kit_instruments(xml: bytes, part_id: str, sounds: dict[tuple[str, str], int]) -> bytes:
    """The drum part ``part_id`` of exported MusicXML with one instrument per place (``sounds``) and every hit
    pointing at its place's; the document's prologue (declaration, DOCTYPE) is kept as written."""
    start = re.search(rb"<score-(?:partwise|timewise)\b", xml)
    if start is None:
        return xml
    root = ET.fromstring(xml)
    score_part = root.find(f"part-list/score-part[@id='{part_id}']")
    part = root.find(f"part[@id='{part_id}']")
    if score_part is None or part is None:
        return xml
    for old in score_part.findall("score-instrument") + score_part.findall("midi-instrument"):
        score_part.remove(old)
    ids = {place: f"{part_id}-I{pitch + 1}" for place, pitch in sounds.items()}
    for place, pitch in sorted(sounds.items(), key=lambda item: item[1]):
        inst = ET.SubElement(score_part, "score-instrument", id=ids[place])
        ET.SubElement(inst, "instrument-name").text = _GM_NAMES.get(pitch, f"Percussion {pitch}")
    for place, pitch in sorted(sounds.items(), key=lambda item: item[1]):
        midi = ET.SubElement(score_part, "midi-instrument", id=ids[place])
        ET.SubElement(midi, "midi-channel").text = "10"
        ET.SubElement(midi, "midi-unpitched").text = str(pitch + 1)
    for note in part.iter("note"):
        unpitched = note.find("unpitched")
        if unpitched is None:
            continue
        place = (f"{unpitched.findtext('display-step', 'C')}{unpitched.findtext('display-octave', '5')}",
                 note.findtext("notehead", "normal"))
        for old in note.findall("instrument"):
            note.remove(old)
        children = list(note)
        after = max(i for i, child in enumerate(children) if child.tag in ("unpitched", "duration", "tie", "chord"))
        ref = ET.Element("instrument", id=ids.get(place, next(iter(ids.values()))))
        note.insert(after + 1, ref)
    return xml[: start.start()] + ET.tostring(root, encoding="utf-8", xml_declaration=False)
