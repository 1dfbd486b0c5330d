"""MusicXML output: the user's own file with only colours and "Motif A1" brackets added.

Checked with parsers that are not the writer's: ElementTree (the tree diff), music21 (note
colours and where the labels sit), mido/motif's MIDI reader (the MIDI conversion keeps every note),
and MuseScore itself when ``mscore3`` is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli import writers
from motifcli.annotation import Annotation
from motifcli.errors import OutputError
from motifcli.readers.midi import read_midi
from motifcli.score import Score
from motifcli.writers import musicxml as mx
from motifcli.writers import notation
from motifcli.writers.musicxml_key import is_key
from writers_fixtures import annotation_from_spans, labelled_annotation, needs_data, pop909_path

music21 = pytest.importorskip("music21")

CORPUS = {p.name: p for p in music21.corpus.getPaths()}
DIRECTION = re.compile(  # a bracket stop between a step of the cursor and its step back (no <offset>)
    rb"(?P<step><forward><duration>[0-9]+</duration></forward>|<backup><duration>[0-9]+</duration></backup>)?"
    rb'<direction placement="(?:above|below)">(?:<direction-type><bracket [^>]*/></direction-type>)?'
    rb'(?:<direction-type><words color="#[0-9A-F]{6}"(?: font-size="10")?>Motif [A-Z]+[0-9]+(?:&#160;)*</words>'
    rb"</direction-type>)?"  # a label below its staff says MuseScore's size (musicxml_sides.BELOW_WORDS_SIZE)
    rb"(?:<offset>-?[0-9.]+</offset>)?(?:<voice>[0-9]+</voice>)?(?:<staff>[0-9]+</staff>)?</direction>"
    rb"(?(step)(?:<forward><duration>[0-9]+</duration></forward>|<backup><duration>[0-9]+</duration></backup>))"
    rb'|<direction placement="below"><direction-type><words font-size="7">Motifs: [^<]*</words></direction-type>'
    rb"(?:<staff>[0-9]+</staff>)?</direction>"  # the key to the marks (musicxml_key), once per score
)
NOTE_COLOUR = re.compile(rb'(<note\b[^>]*?) color="#[0-9A-F]{6}"')


def read_score(path: Path) -> Score:
    from motifcli.readers import read_score as read

    return read(path)


def corpus_annotation(score: Score) -> Annotation:
    """Realistic motifs on written bars: two families on the top part (overlapping, one starting
    mid-bar), one on the lowest part, one that crosses a barline mid-note."""
    starts = score.measure_starts
    assert starts and len(starts) > 9
    top, low = 0, len(score.tracks) - 1
    b = lambda i: starts[i]  # noqa: E731
    spans_top = [
        (b(1), b(3), "a"), (b(5), b(7), "a"), (b(8), b(9) + 1, "a"),
        ((b(2) + b(3)) / 2, b(4), "b"), ((b(6) + b(7)) / 2, b(8), "b"),
    ]
    spans_low = [(b(1) + 1, b(2) + 1, "c"), (b(3) + 1, b(4) + 1, "c"), (b(7), b(8), "c")]
    a = annotation_from_spans(score, spans_top, top)
    c = annotation_from_spans(score, spans_low, low)
    for motif in c.motifs:  # rename the low part's family after the top part's
        from motifcli.annotation import family_color, family_name

        motif.name = family_name(len(a.motifs))
        motif.color = family_color(len(a.motifs))
        for occ in motif.occurrences:
            occ.family = motif.name
        a.motifs.append(motif)
    return a


def as_utf8(data: bytes, codec: str) -> bytes:
    """The document as UTF-8 bytes (declaration included), for byte-level comparison."""
    text = data.decode("utf-16" if codec.startswith("utf-16") else codec)
    text = re.sub(r"""encoding=(["'])[^"']*\1""", 'encoding="UTF-8"', text, count=1)
    return text.encode("utf-8")


def strip_whitespace(data: bytes) -> bytes:
    return re.sub(rb">\s+<", b"><", data)


def tree_diff(before: ET.Element, after: ET.Element, added: list[ET.Element], coloured: list[ET.Element]) -> None:
    """Assert ``after`` is ``before`` plus note colours and whole added <direction>s."""
    assert after.tag == before.tag
    extra = dict(after.attrib)
    if after.tag == "note" and "color" in extra and "color" not in before.attrib:
        coloured.append(after)
        del extra["color"]
    assert extra == before.attrib, (after.tag, after.attrib, before.attrib)
    assert (after.text or "").strip() == (before.text or "").strip()
    assert (after.tail or "").strip() == (before.tail or "").strip()
    kids = list(before)
    k = 0
    children = list(after)
    for j, child in enumerate(children):
        if child.tag == "direction" and (k >= len(kids) or not _same(child, kids[k])) and _is_ours(child):
            added.append(child)
            continue
        if _is_our_step(children, j) and (k >= len(kids) or not _same(child, kids[k])):
            continue  # the cursor's step to a bracket stop, or its step back
        assert k < len(kids), f"unexpected <{child.tag}> in <{after.tag}>"
        tree_diff(kids[k], child, added, coloured)
        k += 1
    assert k == len(kids), f"<{after.tag}> lost children"


def _same(a: ET.Element, b: ET.Element) -> bool:
    return ET.tostring(a) == ET.tostring(b)


def _is_our_step(children: list[ET.Element], j: int) -> bool:
    """A <forward>/<backup> just before or after one of our bracket stops (MuseScore 3 reads no
    <offset> on a stop, so the writer moves the cursor there and back)."""
    if children[j].tag not in ("forward", "backup"):
        return False
    near = [children[i] for i in (j - 1, j + 1) if 0 <= i < len(children)]
    return any(c.tag == "direction" and _is_ours(c) and c.find("direction-type/bracket[@type='stop']") is not None
               for c in near)


def _is_ours(direction: ET.Element) -> bool:
    allowed = {"direction", "direction-type", "words", "bracket", "offset", "voice", "staff"}
    return all(e.tag in allowed for e in direction.iter()) and direction.find("direction-type") is not None


@pytest.mark.parametrize(
    "name", ["bwv66.6.mxl", "bwv69.6.xml", "maple_leaf_rag.mxl", "PMFC_12_15-Sanctus Lorenzo.xml"]
)
def test_musicxml_input_only_gains_colours_and_brackets(tmp_path, name):
    path = CORPUS[name]
    score = read_score(path)
    annotation = corpus_annotation(score)
    dest = tmp_path / writers.output_name(path, "musicxml")
    writers.write(annotation, score, "musicxml", dest)
    before, after = read_score(path).source, dest.read_bytes()
    codec, _ = mx.detect_codec(before)
    assert mx.detect_codec(after)[0] == codec  # the Sanctus is UTF-16 and stays so
    assert after[:2] == before[:2]  # same byte-order mark, if any
    before, after = as_utf8(before, codec), as_utf8(after, codec)

    # bytes: prolog (declaration, DOCTYPE, comments) untouched, and once our additions are taken
    # out again only whitespace between tags may differ (added line breaks and indentation)
    root_at = re.search(rb"<score-(partwise|timewise)\b", before).start()
    assert after[:root_at] == before[:root_at]
    assert b" color=" not in re.sub(rb"<(?!note\b)[^>]*>", b"", before)  # no note had a colour
    stripped = NOTE_COLOUR.sub(rb"\1", DIRECTION.sub(b"", after))
    assert strip_whitespace(stripped) == strip_whitespace(before)
    assert after.count(b"<!--") == before.count(b"<!--")

    # tree: nothing but colours on notes and whole <direction> elements of ours
    added, coloured = [], []
    tree_diff(ET.fromstring(before), ET.fromstring(after), added, coloured)
    words = [d.find("direction-type/words").text.strip()  # a label less its room (musicxml_room)
             for d in added if d.find("direction-type/words") is not None]
    assert sum(is_key(w) for w in words) == 1  # the key to the marks, once (musicxml_key)
    words = [w for w in words if not is_key(w)]
    assert sorted(words) == sorted(o.text for o in annotation.occurrences)
    assert all(w.startswith("Motif ") for w in words)
    starts = [d for d in added if d.find("direction-type/bracket[@type='start']") is not None]
    stops = [d for d in added if d.find("direction-type/bracket[@type='stop']") is not None]
    assert len(starts) == len(stops) == len(annotation.occurrences)
    for d in starts:  # the words and the bracket start share one direction
        assert d.find("direction-type/words") is not None
    assert len(coloured) == sum(1 for _ in _expected_colours(score, annotation))

    _check_bracket_numbers(after)
    _check_against_music21(dest, score, annotation)


def _expected_colours(score: Score, annotation: Annotation):
    """(part id, onset, pitch, k) -> colour of every <note> music21 reads that is one of an
    occurrence's own notes (same part, pitch and onset) or a tied continuation of one (same pitch,
    sounding before that note ends). Of the occurrences holding a note, those whose span (first onset to last end)
    holds no other's span (a cell inside a phrase) come first, then time order: the first wins
    (docs/cli.md, "A note in two statements")."""
    holders: dict = defaultdict(list)
    colours = {m.name: m.color for m in annotation.motifs}
    for occ in sorted(annotation.occurrences, key=lambda o: (o.start, o.end)):
        pid = score.tracks[occ.track].part_id
        rows = _xml_notes(score, pid)
        span = (min(n.onset for n in occ.notes), max(n.offset for n in occ.notes)) if occ.notes else (0.0, 0.0)
        for n in occ.notes:
            for key in rows:
                if key[2] == n.pitch and n.onset - 1e-6 <= key[1] < n.offset - 1e-6 \
                        and (span, occ.family) not in holders[key]:
                    holders[key].append((span, occ.family))

    def outer(span, others) -> bool:
        return any(span[0] <= o[0] and o[1] <= span[1] and o != span for o, _ in others)

    return [(key, colours[min(held, key=lambda h: (outer(h[0], held), h[0]))[1]]) for key, held in holders.items()]


_XML_NOTES: dict = {}


def _xml_notes(score: Score, pid: str):
    """(part id, onset, pitch, k) of every sounding note, read by music21 from the input file."""
    key = (str(score.path), pid)
    if key not in _XML_NOTES:
        parsed = music21.converter.parse(score.path, forceSource=True)
        rows = defaultdict(list)
        for part in parsed.parts:
            part_id = _pid(part)
            for n in part.recurse().notes:
                if "Harmony" in n.classes:
                    continue
                for p in n.pitches:
                    rows[part_id].append((float(n.getOffsetInHierarchy(parsed)), p.midi))
        for part_id, found in rows.items():
            counts = Counter()
            keyed = []
            for onset, pitch in sorted(found):
                counts[(onset, pitch)] += 1
                keyed.append((part_id, onset, pitch, counts[(onset, pitch)]))
            _XML_NOTES[(str(score.path), part_id)] = keyed
    return _XML_NOTES.get(key, [])


def _pid(part) -> str:
    """The MusicXML part id music21 read a part (or one staff of it) from."""
    return str(part.getInstrument().partId)


def by_part(parsed) -> dict[str, list]:
    """music21's parts grouped by MusicXML part (a grand staff comes back as two PartStaffs)."""
    grouped: dict[str, list] = {}
    for part in parsed.parts:
        grouped.setdefault(_pid(part), []).append(part)
    return grouped


def _check_against_music21(dest: Path, score: Score, annotation: Annotation) -> None:
    parsed = music21.converter.parse(dest, forceSource=True)
    got = {}
    counts = Counter()
    for part in parsed.parts:
        part_id = _pid(part)
        for n in part.recurse().notes:
            if "Harmony" in n.classes:
                continue
            notes = n.notes if n.isChord else [n]
            for sub in notes:
                onset = float(n.getOffsetInHierarchy(parsed))
                counts[(part_id, onset, sub.pitch.midi)] += 1
                colour = sub.style.color if sub.hasStyleInformation else None
                if colour is None and n.isChord and n.hasStyleInformation:
                    colour = n.style.color
                if colour:
                    got[(part_id, onset, sub.pitch.midi, counts[(part_id, onset, sub.pitch.midi)])] = colour.upper()
    assert got == dict(_expected_colours(score, annotation))
    labels = {
        te.content: float(te.getOffsetInHierarchy(parsed))
        for te in parsed.recurse().getElementsByClass("TextExpression")
        if te.content.startswith("Motif ")
    }
    # schema 2: the label (and its bracket) starts at the occurrence's first note
    assert labels == pytest.approx({o.text: first_onset(o) for o in annotation.occurrences})


def first_onset(occ) -> float:
    """Where an occurrence's label goes: its first note (its start when it has none)."""
    return min((n.onset for n in occ.notes), default=occ.start)


def _check_bracket_numbers(data: bytes) -> None:
    """Per part, in document order: a start never reuses an open number; every stop closes one."""
    root = ET.fromstring(data)
    levels = 9 if int(root.get("version", "1.0").split(".")[0]) >= 4 else 6  # 4.0: 1-16, MuseScore 3 reads 1-9
    for part in root.iter("part"):
        if part.find("measure") is None:
            continue
        open_: set[str] = set()
        for bracket in part.iter("bracket"):
            number = bracket.get("number")
            assert number in {str(k) for k in range(1, levels + 1)}
            if bracket.get("type") == "start":
                assert number not in open_
                open_.add(number)
            else:
                assert number in open_
                open_.remove(number)
        assert not open_


def test_more_than_six_overlapping_occurrences_keep_their_labels(tmp_path):
    path = CORPUS["bwv66.6.mxl"]
    score = read_score(path)
    starts = score.measure_starts
    spans = [(starts[1] + k * 0.5, starts[4], "x") for k in range(8)] + [(starts[5], starts[6], "x")]
    annotation = annotation_from_spans(score, spans, 0)
    dest = tmp_path / "many.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    data = dest.read_bytes()
    _check_bracket_numbers(data)
    assert data.count(b"<words") == 9 + 1  # nine labels and the key (musicxml_key)
    assert data.count(b'type="start"') - read_score(path).source.count(b'type="start"') == 7  # 6 + the later one


def test_utf16_source_stays_utf16(tmp_path):
    source = read_score(CORPUS["bwv66.6.mxl"]).source
    text = source.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"')
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16")
    marks = [
        mx.Mark("P1", "Motif A1", "#E69F00", Fraction(1), Fraction(5)),
        mx.Mark("P1", "Motif A2", "#E69F00", Fraction(9), Fraction(13)),
        mx.Mark("P4", "Motif B1", "#56B4E9", Fraction(3, 2), Fraction(7)),
    ]
    out8 = mx.annotate_xml(source, marks)
    out16 = mx.annotate_xml(utf16, marks)
    assert out16.startswith(b"\xff\xfe")
    assert out16.decode("utf-16") == out8.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    assert out8.count(b'color="#E69F00"') > 5 and out8.count(b"Motif ") == 3


def test_timewise_scores_are_walked_like_partwise_ones():
    source = read_score(CORPUS["bwv66.6.mxl"]).source
    root = ET.fromstring(source)
    timewise = ET.Element("score-timewise", root.attrib)
    for child in root:
        if child.tag != "part":
            timewise.append(child)
    parts = root.findall("part")
    for i, measure in enumerate(parts[0].findall("measure")):
        tm = ET.SubElement(timewise, "measure", measure.attrib)
        for part in parts:
            pm = part.findall("measure")[i]
            tp = ET.SubElement(tm, "part", {"id": part.get("id")})
            tp.extend(list(pm))
    data = ET.tostring(timewise, encoding="utf-8")
    a, b = mx.scan_parts(source), mx.scan_parts(data)
    assert list(a.parts) == list(b.parts)
    for pid in a.parts:
        assert [(n.onset, n.pitch) for n in a.parts[pid].notes] == [(n.onset, n.pitch) for n in b.parts[pid].notes]
        assert [m.start for m in a.parts[pid].measures] == [m.start for m in b.parts[pid].measures]
    out = mx.annotate_xml(data, [mx.Mark("P2", "Motif A1", "#E69F00", Fraction(2), Fraction(6))])
    assert out.count(b"Motif A1") == 1 and out.count(b'color="#E69F00"') >= 3


def test_entity_declarations_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE score-partwise [<!ENTITY a "aaaa">]>'
        b'<score-partwise><part id="P1"/></score-partwise>'
    )
    with pytest.raises(OutputError, match="entity"):
        mx.scan_parts(bomb)
    with pytest.raises(OutputError, match="not a MusicXML score"):
        mx.scan_parts(b"<html><body/></html>")


# --------------------------------------------------------------------------------------------
# MIDI input


@needs_data
def test_midi_input_is_notated_quickly_and_annotated(tmp_path):
    score = read_midi(pop909_path("021"))
    annotation = labelled_annotation(score, "021", "PIANO")
    melody = labelled_annotation(score, "021", "MELODY")
    for motif in melody.motifs[:2]:  # a second track with its own families
        from motifcli.annotation import family_color, family_name

        i = len(annotation.motifs)
        motif.name, motif.color = family_name(i), family_color(i)
        for occ in motif.occurrences:
            occ.family = motif.name
        annotation.motifs.append(motif)
    dest = tmp_path / writers.output_name(score.path, "musicxml")
    import music21.musicxml.m21ToXml  # noqa: F401  (one-time import cost is not the writer's)

    # CPU time of this process: the budget is 3 s per song, and other jobs on a shared machine
    # must not make the test flaky (unloaded, wall time is the same: about 1 s)
    began = time.process_time()
    writers.write(annotation, score, "musicxml", dest)
    elapsed = time.process_time() - began
    assert elapsed < 3.0, f"MIDI -> annotated MusicXML took {elapsed:.2f} s of CPU"

    parsed = music21.converter.parse(dest, forceSource=True)
    staves = by_part(parsed)
    assert [staff[0].partName for staff in staves.values()] == [t.name for t in score.pitched_tracks()]
    assert [len(staff) for staff in staves.values()] == [1, 1, 2]  # the piano gets a grand staff
    assert [str(s.getElementsByClass("Clef").first() or s.recurse().getElementsByClass("Clef").first())
            for s in staves["P3"]] == ["<music21.clef.TrebleClef>", "<music21.clef.BassClef>"]
    assert parsed.parts[0].getElementsByClass("Measure")[0].timeSignature.ratioString == "4/4"
    assert parsed.parts[0].getElementsByClass("Measure")[0].keySignature.sharps == -3  # E flat major

    meter = score.meter_map

    def q(x: float) -> float:
        """Where a note starting at ``x`` is written: on the nearest sixteenth, in the bar of the
        meter map that holds it, or the bar after when it is a 16th of a beat or less before its
        line (one a little further before a bar line stays a sixteenth before it)."""
        from motifcli.meter import ONSET_SNAP

        held = x + ONSET_SNAP
        on, next_line = round(x * 4) / 4, round(meter.bar_at(held).end * 4) / 4
        line = round(meter.bar_at(held).start * 4) / 4
        if on >= next_line and meter.bar_index_at(held) < len(meter.bars) - 1:
            return next_line - 0.25
        return max(on, line)

    for staff_list, track in zip(staves.values(), score.pitched_tracks()):
        # every note is there, at its quantised onset (continuations of ties are not new notes)
        written = Counter()
        coloured = {}
        for n in (x for part in staff_list for x in part.recurse().notes):
            for sub in (n.notes if n.isChord else [n]):
                if sub.tie is not None and sub.tie.type in ("stop", "continue"):
                    continue
                key = (float(n.getOffsetInHierarchy(parsed)), sub.pitch.midi)
                written[key] += 1
                if sub.hasStyleInformation and sub.style.color:
                    coloured[key] = sub.style.color.upper()
        assert set(written) == {(q(n.onset), n.pitch) for n in track.notes}
        expected = {}
        for occ in annotation.occurrences:
            if occ.track != track.index:
                continue
            colour = annotation.motif(occ.family).color
            for n in occ.notes:
                expected.setdefault((q(n.onset), n.pitch), colour)
        assert coloured == expected
    labels = Counter(
        te.content for te in parsed.recurse().getElementsByClass("TextExpression") if te.content.startswith("Motif ")
    )
    assert labels == Counter(o.text for o in annotation.occurrences)
    for te in parsed.recurse().getElementsByClass("TextExpression"):
        if is_key(te.content):
            continue
        occ = next(o for o in annotation.occurrences if o.text == te.content)
        # at its first note, never before its start (the meter map's bar lines need not lie on the
        # notation's grid)
        assert float(te.getOffsetInHierarchy(parsed)) == max(q(occ.start), q(first_onset(occ)))
    _check_bracket_numbers(dest.read_bytes())


@needs_data
def test_midi_drums_are_the_last_part_and_empty_tracks_are_left_out(tmp_path):
    """An empty track has no part; a drum track is a percussion part after the pitched ones (since session 25:
    tests/test_notation_drums.py), unlabelled."""
    import mido

    original = mido.MidiFile(pop909_path("024"))
    midi = mido.MidiFile(type=1, ticks_per_beat=original.ticks_per_beat)
    midi.tracks.extend(original.tracks)
    drums = mido.MidiTrack([mido.MetaMessage("track_name", name="DRUMS")])
    for k in range(64):
        drums.append(mido.Message("note_on", channel=9, note=36, velocity=90, time=0 if k == 0 else 240))
        drums.append(mido.Message("note_off", channel=9, note=36, velocity=0, time=240))
    midi.tracks.insert(2, drums)
    midi.tracks.insert(2, mido.MidiTrack([mido.MetaMessage("track_name", name="EMPTY")]))
    source = tmp_path / "024.mid"
    midi.save(source)
    score = read_midi(source)
    annotation = labelled_annotation(score, "024", "PIANO")
    dest = tmp_path / "024.motifs.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    root = ET.parse(dest).getroot()
    assert [sp.findtext("part-name") for sp in root.iter("score-part")] == ["MELODY", "BRIDGE", "PIANO", "DRUMS"]
    assert [p.get("id") for p in root.iter("part")] == ["P1", "P2", "P3", "P4"]
    assert len(root.findall("part")[3].findall(".//unpitched")) == 64
    piano = root.findall("part")[2]
    labels = [(w.text or "").strip() for w in piano.iter("words")]  # less musicxml_room
    assert sorted(labels) == sorted(o.text for o in annotation.occurrences)
    others = root.findall("part")[:2] + root.findall("part")[3:]
    assert not any(not is_key(w.text) for p in others for w in p.iter("words"))
    assert [is_key(w.text) for w in root.findall("part")[3].iter("words")] == [True]  # the key: under the last staff


# --------------------------------------------------------------------------------------------
# MuseScore, when installed: the labels become the brackets' text


@pytest.mark.musescore
@pytest.mark.skipif(shutil.which("mscore3") is None, reason="mscore3 not installed (.ci/install-musescore.sh)")
@needs_data
def test_musescore_shows_motif_brackets(tmp_path):
    score = read_midi(pop909_path("021"))
    annotation = labelled_annotation(score, "021", "PIANO")  # a grand staff
    src = tmp_path / "021.motifs.musicxml"
    writers.write(annotation, score, "musicxml", src)
    chorale = read_score(CORPUS["bwv66.6.mxl"])
    chorale_annotation = corpus_annotation(chorale)
    src2 = tmp_path / "bwv66.6.motifs.musicxml"
    writers.write(chorale_annotation, chorale, "musicxml", src2)
    jobs = [(src, annotation), (src2, chorale_annotation)]
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps([{"in": str(p), "out": str(p.with_suffix(".mscx"))} for p, _ in jobs]))
    subprocess.run(  # one MuseScore start converts both files
        ["mscore3", "-j", str(job_file)], capture_output=True, timeout=180,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path),
             "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    for path, ann in jobs:
        mscx = path.with_suffix(".mscx").read_text(encoding="utf-8")
        # each label is a staff text at its line's start (the words follow the bracket: phase18-marks18.md)
        labels = [re.sub(r"<[^>]*>", "", t).strip()  # less musicxml_room and a label below's <font size="10"/>
                  for t in re.findall(r"<StaffText>\s*<text>(.*?)</text>", mscx)]
        assert sorted(labels) == sorted(o.text for o in ann.occurrences)
        assert "<beginText>" not in mscx
        assert mscx.count('<Spanner type="TextLine">') == 2 * len(ann.occurrences)  # start + end
        assert mscx.count("<color ") >= sum(len(o.notes) > 0 for o in ann.occurrences)


# --------------------------------------------------------------------------------------------
# Issue 8: the writer annotates what the reader read; hostile names; unbounded notation
# --------------------------------------------------------------------------------------------

BAD = Path(__file__).resolve().parent / "data" / "bad"


@pytest.mark.parametrize(
    "name", ["mxl_rootfile_dot_slash.mxl", "mxl_rootfile_application_xml.mxl", "mxl_no_container_decoy.mxl"]
)
def test_mxl_writer_annotates_the_member_the_reader_read(tmp_path, name):
    """Issue 8 #9: with ``./score.xml``, media type application/xml, or no container next to a
    decoy, the writer used to pick decoy.xml and colour the wrong score."""
    score = read_score(BAD / name)
    assert [t.name for t in score.tracks] == ["Melody"] and score.source_member == "score.xml"
    annotation = annotation_from_spans(score, [(0, 2, "a"), (2, 4, "a")], 0)
    dest = tmp_path / "out.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    data = dest.read_bytes()
    assert b"<part-name>Melody</part-name>" in data and b"Decoy" not in data
    assert data.count(b'color="') >= 4 and data.count(b"Motif A") == 2


def test_writers_never_reopen_the_input(tmp_path):
    """Writers work from ``Score.source``: replacing the input after reading changes nothing."""
    for name in ("mxl_rootfile_dot_slash.mxl", "midi_one_note.mid"):
        source = tmp_path / name
        source.write_bytes((BAD / name).read_bytes())
        score = read_score(source)
        spans = [(0, 0.5, "a"), (0.5, 1, "a")] if name.endswith(".mid") else [(0, 2, "a"), (2, 4, "a")]
        annotation = annotation_from_spans(score, spans, 0)
        fmt = "midi" if name.endswith(".mid") else "musicxml"
        before = tmp_path / f"before.{fmt}"
        writers.write(annotation, score, fmt, before)
        source.write_bytes(b"garbage")
        after = tmp_path / f"after.{fmt}"
        writers.write(annotation, score, fmt, after)
        assert before.read_bytes() == after.read_bytes()


def test_control_characters_never_reach_any_output(tmp_path):
    """Issue 8 #10: NUL and ESC in a MIDI track name made the MusicXML invalid (so no output at all)."""
    score = read_score(BAD / "midi_control_chars_in_names.mid")
    annotation = annotation_from_spans(score, [(0, 2, "a"), (2, 4, "a"), (4, 6, "a")], 0)
    control = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    for fmt in ("musicxml", "json", "csv", "mirex", "labels"):
        dest = tmp_path / writers.output_name("names.mid", fmt)
        writers.write(annotation, score, fmt, dest)
        assert not control.search(dest.read_bytes()), fmt
    root = ET.parse(tmp_path / "names.motifs.musicxml").getroot()
    assert [p.findtext("part-name") for p in root.iter("score-part")] == ["Melody [31mred[0m", "Bass"]
    assert json.loads((tmp_path / "names.motifs.json").read_text())["motifs"][0]["occurrences"][0][
        "track_name"
    ] == "Melody [31mred[0m"
    dest = tmp_path / "names.motifs.mid"
    writers.write(annotation, score, "midi", dest)  # the input's own events stay; ours are clean
    import mido

    ours = [m for t in mido.MidiFile(dest).tracks for m in t if m.type == "marker"]
    assert ours and all(not control.search(m.text.encode("latin-1")) for m in ours)


def test_notation_of_far_apart_notes_is_refused_at_once(tmp_path):
    """Issue 8 #4: 4 notes 50,000 beats apart took 170 s and 2 GB to notate (37,500 bars)."""
    score = read_score(BAD / "midi_notes_far_apart.mid")
    annotation = annotation_from_spans(score, [(0, 1, "a"), (50_000, 50_001, "a")], 0)
    dest = tmp_path / "far.musicxml"
    start = time.process_time()
    # as many bars as its meter map has (estimated from the notes: 3-beat bars; in 4/4 it was 37,501)
    bars = len(score.meter_map.bars)
    assert bars > 20_000
    with pytest.raises(OutputError, match=rf"{bars:,} bars in each of 1 part\(s\), over the 20,000-bar limit"):
        writers.write(annotation, score, "musicxml", dest)
    assert time.process_time() - start < 1.0
    assert not dest.exists()


def _grand_staff_doc() -> bytes:
    """One 4/4 bar on a grand staff: quarters C5 D5 E5 F5 on top; below, A3 (0-1) then a dotted
    half B3 held on to the bar's end (1-4)."""
    def note(step: str, octave: int, dur: int, staff: int, voice: int, kind: str, dot: bool = False) -> str:
        return (f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>{dur}</duration>"
                f"<voice>{voice}</voice><type>{kind}</type>{'<dot/>' if dot else ''}<staff>{staff}</staff></note>")

    top = "".join(note(s, 5, 2, 1, 1, "quarter") for s in "CDEF")
    low = note("A", 3, 2, 2, 5, "quarter") + note("B", 3, 6, 2, 5, "half", dot=True)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
        '<score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">'
        '<measure number="1"><attributes><divisions>2</divisions><staves>2</staves>'
        "<time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
        f"{top}<backup><duration>8</duration></backup>{low}</measure></part></score-partwise>"
    ).encode()


def _stops(doc: bytes) -> list[tuple[Fraction, int, bool]]:
    """(cursor in beats, staff, has an <offset>) at every bracket stop, walking the cursor as a reader does."""
    measure = ET.fromstring(doc).find("part/measure")
    divisions = Fraction(measure.findtext("attributes/divisions"))
    cursor, out = Fraction(0), []
    for child in measure:
        if child.tag == "note" and child.find("chord") is None:
            cursor += Fraction(child.findtext("duration")) / divisions
        elif child.tag in ("forward", "backup"):
            step = Fraction(child.findtext("duration")) / divisions
            cursor += step if child.tag == "forward" else -step
        elif child.tag == "direction" and child.find("direction-type/bracket[@type='stop']") is not None:
            out.append((cursor, int(child.findtext("staff") or 1), child.find("offset") is not None))
    return out


@pytest.mark.parametrize(("keys", "want"), [
    # starts with A3 in the low staff, ends with D5 (1-2) on top: the stop stands at 2, in the top staff
    ({(Fraction(0), 57), (Fraction(1), 74)}, (Fraction(2), 1, False)),
    # A3 then E5 (2-3): the low staff has nothing there after the start, so the cursor is stepped to 3
    ({(Fraction(0), 57), (Fraction(2), 76)}, (Fraction(3), 1, False)),
    # A3 then the held B3 (1-4): the stop is at the bar's end, in the low staff
    ({(Fraction(0), 57), (Fraction(1), 59)}, (Fraction(4), 2, False)),
])
def test_bracket_stops_at_its_last_notes_end_in_its_staff(keys, want):
    """MuseScore 3 ends a line at the end of the latest chord or rest of the stop's staff that ends by
    the stop, and reads no <offset> on a stop: so the stop names its last note's staff and stands
    exactly at that note's written end (before, pop909-202 I7 was drawn 2.5 beats past its end)."""
    from motifcli.writers.musicxml_splice import annotate_xml

    doc = _grand_staff_doc()
    end = max(onset + (3 if pitch == 59 else 1) for onset, pitch in keys)  # the last note's end
    mark = mx.Mark("P1", "Motif A1", "#4477AA", Fraction(0), end, keys=frozenset(keys))
    out = annotate_xml(doc, [mark])
    assert _stops(out) == [want]
    assert ET.fromstring(out) is not None


def test_brackets_start_at_their_note_after_a_bar_line_off_the_960_grid(tmp_path):
    """Beethoven op. 18 no. 1/ii (music21's corpus): the first violin's bar 96 is overfull by 59/672 of
    a beat, so every later bar line is off the 1/960 grid the marks snap to; a start snapped a hair
    before its bar line used to put the label and bracket at the end of the bar before (85 of 788
    brackets of a default run stood where no note starts). Each must open in its first note's bar."""
    path = Path(str(music21.corpus.getWork("beethoven/opus18no1/movement2.mxl")))
    score = read_score(path)
    starts = score.measure_starts
    b = lambda i: starts[i]  # noqa: E731 - bar i+1's first beat
    spans = [(b(98), b(99), "a"), (b(100), b(101), "a"), (b(103), b(104), "a")]
    annotation = annotation_from_spans(score, spans, 0)
    assert all(o.notes for o in annotation.occurrences)
    dest = tmp_path / "out.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    first = {o.text: min(n.onset for n in o.notes) for o in annotation.occurrences}
    part = ET.fromstring(dest.read_bytes()).find("part")
    found = {}
    divisions = Fraction(1)
    for measure in part.findall("measure"):  # the MusicXML rules: durations, backup, forward, <offset>
        cursor = Fraction(0)
        for el in measure:
            if el.tag == "attributes" and el.find("divisions") is not None:
                divisions = Fraction(el.findtext("divisions"))
            elif el.tag == "note" and el.find("chord") is None and el.find("grace") is None:
                cursor += Fraction(el.findtext("duration")) / divisions
            elif el.tag in ("backup", "forward"):
                step = Fraction(el.findtext("duration")) / divisions
                cursor += step if el.tag == "forward" else -step
            elif el.tag == "direction" and el.find("direction-type/bracket[@type='start']") is not None:
                offset = Fraction(el.findtext("offset", "0")) / divisions
                found[el.findtext("direction-type/words").strip()] = (measure.get("number"), cursor + offset)
    assert set(found) == set(first)
    for text, onset in first.items():
        bar, at = found[text]  # the bar it stands in and where in it
        assert bar == str(score.bar_number_at(onset)), text  # main: the bar before, at its end
        assert abs(float(at) - (onset - starts[int(bar) - 1])) < 1e-3, text
