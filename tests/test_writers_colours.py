"""A note in statements of two families: a cell inside a phrase shows its own colour (writers/colour_order.py).

Session 26 gave a note the colour of the statement that starts first, so a cell inside a phrase showed its
bracket over notes all in the phrase's colour (the Maple Leaf Rag: 16 statements with none of their own
colour; phase27-colours27.md). Now, of the statements holding a note, one whose span contains no other's
colours it (the cell); of two whose ends overlap, the earlier keeps the shared notes, as before. Hand-made
annotations of a small score read by the real reader, and the real CLI on the rag.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.annotation import Annotation, Motif, MotifNote, Occurrence, family_color
from motifcli.score import Score
from motifcli.writers.colour_order import Span, winner
from motifcli.writers.musicxml import render
from motifcli.writers.musicxml_scan import scan_parts
from test_musescore import motif_env
from writers_fixtures import one_part_score

music21 = pytest.importorskip("music21")

EIGHTH = '<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>1</duration>' \
         '<type>eighth</type></note>'


def line(tmp_path: Path) -> Score:
    """One line, two bars of 4/4 in eighths (C4 to C5 twice: 16 notes, beats 0-8), read by the real reader."""
    steps = [(s, 4) for s in "CDEFGAB"] + [("C", 5)]
    bars = "".join(
        f'<measure number="{b}">'
        + ('<attributes><divisions>2</divisions><time><beats>4</beats><beat-type>4</beat-type></time>'
           '<clef><sign>G</sign><line>2</line></clef></attributes>' if b == 1 else "")
        + "".join(EIGHTH.format(step=s, octave=o) for s, o in steps) + "</measure>"
        for b in (1, 2))
    return one_part_score(tmp_path / "line.musicxml", "Flute", bars)


def annotation(score: Score, statements: list[tuple[str, int, int]]) -> Annotation:
    """Families (ranked A, B, C ...) of statements given as (family, first note, last note) by index."""
    notes = score.tracks[0].notes
    by_family: dict[str, list[Occurrence]] = {}
    for family, lo, hi in statements:
        mine = [MotifNote(track=0, index=k, onset=notes[k].onset, offset=notes[k].offset, pitch=notes[k].pitch)
                for k in range(lo, hi + 1)]
        occs = by_family.setdefault(family, [])
        occs.append(Occurrence(family=family, number=len(occs) + 1, track=0, track_name="Flute",
                               start=mine[0].onset, end=mine[-1].offset, start_bar=1, end_bar=2, similarity=1.0,
                               notes=mine))
    motifs = [Motif(name, family_color(k), occs, rank=k + 1)
              for k, (name, occs) in enumerate(sorted(by_family.items()))]
    return Annotation(source=str(score.path), motifs=motifs, tracks=["Flute"])


def note_colours(data: bytes) -> list[str | None]:
    """The colour of every written note, in document order (None: uncoloured)."""
    return [n.get("color") for n in ET.fromstring(data).iter("note")]


def test_a_cell_inside_a_phrase_shows_its_colour_and_overlapping_ends_go_to_the_earlier(tmp_path: Path):
    score = line(tmp_path)
    # A1: a phrase of notes 0-11; B1: a cell of notes 4-6 inside it (nested); C1: notes 10-15, whose start
    # overlaps A1's end (partial); B2: notes 13-15, a cell inside C1 and ending with it
    made = annotation(score, [("A", 0, 11), ("B", 4, 6), ("C", 10, 15), ("B", 13, 15)])
    a, b, c = (family_color(k) for k in range(3))
    want = [a] * 4 + [b] * 3 + [a] * 5 + [c] * 1 + [b] * 3
    assert note_colours(render(made, score)) == want  # main: notes 4-6 in A's colour, 13-15 in C's


def test_a_cell_starting_with_its_phrase_and_one_ending_with_it_keep_their_colour(tmp_path: Path):
    score = line(tmp_path)
    # the phrase A1 (notes 2-13) holds the cell B1 at its start (2-4) and B2 at its end (11-13); the B family
    # is the less salient one: the colour follows the nesting, not the rank
    made = annotation(score, [("A", 2, 13), ("B", 2, 4), ("B", 11, 13)])
    a, b = family_color(0), family_color(1)
    want = [None] * 2 + [b] * 3 + [a] * 6 + [b] * 3 + [None] * 2
    assert note_colours(render(made, score)) == want  # main: notes 11-13 in A's colour


def test_the_policies_choose_as_documented():
    phrase, cell, later = Span(0, 6), Span(2, 3.5), Span(5, 8)
    assert winner([phrase, cell]) == 1 and winner([phrase, cell], "first") == 0
    assert winner([phrase, later]) == 0 and winner([later, phrase]) == 1  # overlapping ends: the earlier
    assert winner([Span(0, 2, rank=2), Span(1, 4, rank=1)], "salient") == 1
    assert winner([Span(0, 4), Span(1, 2)], "shorter") == 1
    with pytest.raises(ValueError):
        winner([phrase], "loudest")


def written_colours(xml: bytes) -> dict[tuple[int, Fraction, int], list[str]]:
    """(part position, onset, pitch) -> the colours of the written notes there (not tied pieces)."""
    scan = scan_parts(xml)
    out: dict[tuple[int, Fraction, int], list[str]] = defaultdict(list)
    for part in scan.parts.values():
        for n in part.notes:
            if n.pitch is None or n.rest or n.continues or n.grace:
                continue
            tag = xml[n.pos: xml.index(b">", n.pos)].decode()
            found = re.search(r'color="([^"]*)"', tag)
            out[(part.position, Fraction(round(n.onset * 960), 960), n.pitch)].append(found.group(1) if found else "")
    return out


@pytest.fixture(scope="module")
def rag(tmp_path_factory) -> tuple[bytes, dict]:
    """music21's Maple Leaf Rag annotated with the defaults by the real CLI: (MusicXML bytes, JSON report)."""
    out = tmp_path_factory.mktemp("rag")
    src = Path(str(music21.corpus.getWork("joplin/maple_leaf_rag.mxl")))
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml,json", "-o", str(out)]
    proc = subprocess.run(cmd, env=motif_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (xml,) = out.glob("*.musicxml")
    (report,) = out.glob("*.json")
    return xml.read_bytes(), json.loads(report.read_text())


def statements_of(report: dict) -> list[tuple[str, str, float, float, set]]:
    """(label, colour, start, end, note keys) of every occurrence of the report."""
    out = []
    for m in report["motifs"]:
        for o in m["occurrences"]:
            keys = {(n.get("track", o["track"]), Fraction(round(n["onset"] * 960), 960), n["pitch"])
                    for n in o["notes"]}
            out.append((o["label"], m["color"], min(n["onset"] for n in o["notes"]),
                        max(n["offset"] for n in o["notes"]), keys))
    return out


def test_no_cell_of_the_rag_hides_inside_another_familys_phrase(rag):
    xml, report = rag
    written = written_colours(xml)
    states = statements_of(report)
    hidden, cells = [], 0
    for label, colour, start, end, keys in states:
        outer = [o for o in states if o[1] != colour and o[4] & keys and o[2] <= start and end <= o[3]
                 and (o[2], o[3]) != (start, end)]
        if not outer:
            continue
        cells += 1
        if not any(colour.upper() in (c.upper() for c in written.get(k, [])) for k in keys):
            hidden.append(label)
    assert cells >= 10  # C1 in A1, the E cells in A's phrases ...
    assert hidden == []  # main: 16 (C1, C2, E1, E2 ...: the rag's opening cell showed only in A's colour)
