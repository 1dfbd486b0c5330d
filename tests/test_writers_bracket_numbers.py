"""Which occurrences keep a bracket where a part has more open at once than numbers (phase16-brackets16.md).

A document declaring MusicXML 2.0 or older has bracket numbers 1-6 (and may not declare 4.0). Where
a seventh bracket would be open, the one of them that stops last goes without (its label stays): a long
occurrence spanning two crowded places then costs one bracket, not one at each place.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from motifcli.writers.musicxml_key import is_key
from motifcli.writers.musicxml_splice import _bracket_numbers
from test_writers_musicxml_voices import annotate, backup, document, note, walk

PITCHES = ("C4", "D4", "E4", "F4", "G4", "A4")
MIDI = (60, 62, 64, 65, 67, 69)


def crowded() -> str:
    """Four bars: six-note chords on every beat (voice 1) over a whole note a bar (voice 2), MusicXML 2.0."""
    bar = []
    for _ in range(4):
        bar += [note(p, 1, 1, chord=k > 0) for k, p in enumerate(PITCHES)]
    measure = bar + [backup(4), note("C3", 4, 2)]
    return document([measure] * 4).replace('version="3.1"', 'version="2.0"')


def test_the_bracket_that_runs_longest_gives_its_number_up(tmp_path: Path) -> None:
    long = [(4.0 * b, 48, 4.0 * b + 4) for b in range(4)]  # the bass's whole bars 1-4
    first = [[(1.0, p, 2.0), (2.0, p, 3.0)] for p in MIDI]  # six statements at once in bar 1
    second = [[(9.0, p, 10.0), (10.0, p, 11.0)] for p in MIDI]  # and six in bar 3
    report, data = annotate(tmp_path, crowded(), [long, *first, *second])
    labels, numbers = {}, []
    for el, t, _ in walk(data):
        if el.tag != "direction":
            continue
        words, start = (el.findtext(".//words") or "").strip(), el.find(".//bracket[@type='start']")  # less musicxml_room
        if words and not is_key(words):  # the key to the marks is no label
            labels[words] = start is not None
        if start is not None:
            numbers.append(int(start.get("number")))
    assert len(labels) == 13 and max(numbers) <= 6
    assert [w for w, bracketed in labels.items() if not bracketed] == ["Motif A1"]  # the long one, alone
    assert ET.fromstring(data).get("version") == "2.0"


def test_numbering_keeps_the_most_brackets() -> None:
    """Spans as (start, stop) keys: greedy in start order with the longest left out when full."""
    def key(x: float) -> tuple[int, float, int]:
        return (int(x * 10), x, 0)

    spans = [(key(0), key(20))] + [(key(1 + k / 10), key(3)) for k in range(2)] + [(key(5), key(6))]
    assert _bracket_numbers(spans, 2) == [None, 2, 1, 1]
    assert _bracket_numbers([(key(0), key(1)), (key(0.5), key(2))], 1) == [1, None]  # the later stop loses
