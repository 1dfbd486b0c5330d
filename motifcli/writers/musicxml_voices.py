"""Voice numbers MuseScore 3 can keep: at most four per staff over a whole part.

MuseScore 3's MusicXML import gives every staff four voices for the whole part
(``importmxmlpass1.cpp``: ``allocateStaves`` "For each staff, allocate at most VOICES voices"): a
MusicXML voice number beyond the four most used ones of its staff is dropped, notes and all.
music21 numbers a part's voices afresh in each measure and shares numbers between the staves of a
piano (Schumann's op. 17 iii written by music21: staff 1 uses voices 1-4, staff 2 voices 2-8), so
MuseScore loses a third of the left hand there, and with it the coloured notes and brackets of
every occurrence in it (benchmarks/phase14-clara14.md).

A part where some staff uses more than four voice numbers is renumbered: in each measure, each
(staff, written voice) gets one of its staff's four numbers (staff 1: 1-4, staff 2: 5-8, ...), the
number it had in the measure before where that is free (a voice keeps its number from bar to bar),
else the lowest free one. A measure with more than four voices on one staff (which MuseScore cannot
show whole anyway) numbers the rest past every staff's four. Parts within the budget, and every
other byte, stay as they were.
"""

from __future__ import annotations

from fractions import Fraction

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motifcli.writers.musicxml_scan import XmlPart, XmlScan

MUSESCORE_VOICES = 4  # voices per staff in MuseScore 3 (and 4)

_Edit = tuple[int, int, Fraction, int, int, int, bytes]  # musicxml_splice's edit: a tag edit


def needs_renumbering(part: XmlPart) -> bool:
    """Whether some staff of ``part`` uses more voice numbers than MuseScore keeps per staff."""
    used: dict[int, set[str]] = {}
    for n in part.notes:
        if n.voice is not None:
            used.setdefault(n.staff, set()).add(n.voice[2])
    return any(len(v) > MUSESCORE_VOICES for v in used.values())


def home_staves(part: XmlPart) -> list[int]:
    """Per note of a scanned ``part`` (``renumbered`` set), the staff MuseScore 3 files it under (a direction naming another staff
    than that is dropped: no label, no bracket). A voice that never sounds twice at once is one
    track, on the staff holding most of its notes and rests (lowest on a tie): its notes on the
    other staff are cross-staff notes of that track. A voice that does (one number for both hands at
    once), every note of a part MuseScore renumbers here, and a note without a voice stay on their
    own staff (importmxmlpass1.cpp ``allocateStaves``, ``VoiceDesc::preferredStaff``)."""
    if part.renumbered:
        return [n.staff for n in part.notes]
    counts: dict[str, dict[int, int]] = {}
    spans: dict[tuple[str, int], list[tuple[Fraction, Fraction]]] = {}
    for n in part.notes:
        if n.voice is None or n.chord or n.grace:
            continue
        voice = n.voice[2]
        by_staff = counts.setdefault(voice, {})
        by_staff[n.staff] = by_staff.get(n.staff, 0) + 1
        if n.duration > 0:
            spans.setdefault((voice, n.measure), []).append((n.onset, n.end))
    overlapping = set()
    for (voice, _), sp in spans.items():
        sp.sort()
        if any(b[0] < a[1] for a, b in zip(sp, sp[1:])):
            overlapping.add(voice)
    home = {v: min(c, key=lambda st: (-c[st], st)) for v, c in counts.items() if v not in overlapping}
    return [home.get(n.voice[2], n.staff) if n.voice is not None else n.staff for n in part.notes]


def renumber(part: XmlPart) -> list[tuple[int, int, str, str]]:
    """(start, end, old, new) for every ``<voice>`` of ``part`` (notes and forwards), in the scheme
    above; ``start`` / ``end`` are the byte offsets of ``<voice`` and ``</voice>``."""
    staves = max([part.staves] + [n.staff for n in part.notes])
    items: list[tuple[int, int, int, int, str]] = [  # (measure, staff, start, end, text)
        (n.measure, n.staff, *n.voice) for n in part.notes if n.voice is not None
    ]
    items += part.forward_voices
    items.sort(key=lambda it: it[2])  # document order
    by_measure: dict[int, list[tuple[int, int, int, int, str]]] = {}
    for it in items:
        by_measure.setdefault(it[0], []).append(it)
    before: dict[tuple[int, str], int] = {}  # (staff, written voice) -> its number in the last measure
    out: list[tuple[int, int, str, str]] = []
    for m in sorted(by_measure):
        keys = list(dict.fromkeys((staff, text) for _, staff, _, _, text in by_measure[m]))
        given: dict[tuple[int, str], int] = {}
        taken: set[int] = set()
        for key in keys:  # first, every voice that can keep last measure's number
            number = before.get(key)
            if number is not None and number not in taken:
                given[key] = number
                taken.add(number)
        spare = MUSESCORE_VOICES * staves
        for staff, text in keys:
            if (staff, text) in given:
                continue
            base = MUSESCORE_VOICES * (staff - 1)
            free = [base + k for k in range(1, MUSESCORE_VOICES + 1) if base + k not in taken]
            if free:
                number = free[0]
            else:
                spare = max([spare, *taken]) + 1
                number = spare
            given[(staff, text)] = number
            taken.add(number)
        before.update(given)
        out += [(start, end, text, str(given[(staff, text)])) for _, staff, start, end, text in by_measure[m]]
    return out


def written_voices(part: XmlPart) -> dict[int, str]:
    """Byte offset of a note's ``<note`` -> its ``<voice>`` as the annotated file will read (after
    :func:`renumber` where the part is renumbered), for parts written in two or more voices: a
    bracket's direction names it, so a reader can hang the bracket on its voice. Empty for a part in
    one voice (nothing to tell apart)."""
    texts = {n.voice[2] for n in part.notes if n.voice is not None and n.voice[2]}
    if len(texts) < 2:
        return {}
    new = {start: text for start, _, _, text in part.new_voices}
    return {n.pos: new.get(n.voice[0], n.voice[2]) for n in part.notes if n.voice is not None and n.voice[2]}


def voice_edits(scan: XmlScan) -> list[_Edit]:
    """The tag edits that renumber every part MuseScore would cut (none for most scores)."""
    edits: list[_Edit] = []
    for part in scan.parts.values():
        for start, end, old, new in part.new_voices:
            if new != old and end > start:  # (an empty <voice/> has nothing to renumber)
                edits.append((start, 1, Fraction(0), 0, 0, end, scan.enc(f"<voice>{new}")))
    return edits
