"""MusicXML output: the user's own score with the motifs drawn in, and nothing else changed.

For each occurrence, in the part of its track:

* every note of the occurrence gets its family's colour (a ``color`` attribute on ``<note>``);
* a ``<direction>`` holding ``<words>Motif A1</words>`` and a ``<bracket type="start"/>`` opens a
  bracket where the occurrence starts (MuseScore shows the words as the bracket's text), and a
  second ``<direction>`` with the matching ``<bracket type="stop"/>`` closes it where it ends.

The file is edited as text, not re-serialised: expat reports the byte position of every tag, the
part's measures are walked here (divisions, backup, forward, chords, grace notes) to give every
``<note>`` its onset in quarter-note beats, and the additions are spliced in at those positions.
So the DOCTYPE, comments, attribute order, entity spellings, encoding (UTF-16 too) and line
endings of the input survive byte for byte; a diff of input and output shows only the additions.

Which notes: for MusicXML input, the notes (not rests) of the track's part (``Track.part_id``)
whose onset lies in [start, end). Where the reader's music21 bends bar lengths (an overfull bar,
a trailing ``<direction>`` with an ``<offset>``), each bar of the walk is first moved onto the
reader's timeline (:func:`align_to_score`), since occurrences are in the reader's beats.

Where: a direction goes in the measure holding its time, before the first element that sits
exactly there (so usually no ``<offset>`` is needed), otherwise at the nearest earlier point with
an ``<offset>`` in divisions; never between the notes of a chord. The stop goes in the measure
holding the occurrence's last moment (``end`` is exclusive: an occurrence ending on a barline
closes at the end of the bar before it), never before its own start in the document. In a
multi-staff part the directions say ``<staff>1</staff>``. Bracket numbers (1-6) are reused, never
by two brackets open at once in a part (in document order); past six overlapping occurrences the
label is written without a bracket.

MIDI input has no MusicXML to keep, so a clean score is made first (:func:`midi_to_musicxml`:
quantised to sixteenths, one part per pitched track, drums and empty tracks left out, a grand
staff for piano-like tracks, at most two voices per staff, 4/4 bars as everywhere in motif, an
estimated key signature) and annotated the same way; there notes are matched by their quantised
onset and pitch, so a note played a little early still belongs to its occurrence, and the tied
continuations of an occurrence's notes are coloured too.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import re
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.errors import OutputError
from motifcli.limits import ReadLimits
from motifcli.score import Score
from motifcli.writers._common import occurrence_notes

MAX_BRACKETS = 6  # MusicXML number-level 1..6 (the range every version and reader accepts)
GRID = Fraction(1, 4)  # MIDI input is quantised to sixteenth notes
MUSICXML_SUFFIXES = {".musicxml", ".xml"}
_STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


# ---------------------------------------------------------------------------------------------
# Entry points


def write(annotation: Annotation, score: Score, dest: Path, *, lyrics: bool = False) -> None:
    atomic_write_bytes(dest, render(annotation, score))


def render(annotation: Annotation, score: Score) -> bytes:
    """The annotated MusicXML document as bytes (in the input's encoding)."""
    if score.format == "musicxml" or (score.path is not None and _is_musicxml_path(score.path)):
        if score.path is None:
            raise OutputError("the score has no source file to annotate")
        data = read_source_xml(Path(score.path))
        scan = scan_parts(data)
        align_to_score(scan, score)
        return annotate_xml(data, marks_for_musicxml(annotation, score, scan), scan)
    converted = midi_to_musicxml(score)
    return annotate_xml(converted.xml, converted.marks(annotation, score), converted.scan)


def _is_musicxml_path(path: Path | str) -> bool:
    return Path(path).suffix.lower() in MUSICXML_SUFFIXES | {".mxl"}


def read_source_xml(path: Path, limits: ReadLimits | None = None) -> bytes:
    """The MusicXML document of ``path``: the file itself, or the root file of a .mxl container."""
    limits = limits or ReadLimits()
    try:
        if path.suffix.lower() != ".mxl":
            with open(path, "rb") as fh:
                if fh.read(4) != b"PK\x03\x04":  # a compressed score behind a .xml name
                    return path.read_bytes()
        with zipfile.ZipFile(path) as archive:
            name = _mxl_root_name(archive)
            info = archive.getinfo(name)
            if info.file_size > limits.max_unzipped_bytes:
                raise OutputError(f"{name} inside the .mxl is larger than {limits.max_unzipped_bytes:,} bytes", path)
            with archive.open(info) as fh:
                data = fh.read(limits.max_unzipped_bytes + 1)
            if len(data) > limits.max_unzipped_bytes:
                raise OutputError(f"{name} inside the .mxl is too large", path)
            return data
    except OSError as exc:
        raise OutputError(f"cannot re-read the input ({exc.strerror or exc})", path) from exc
    except (zipfile.BadZipFile, KeyError) as exc:
        raise OutputError(f"cannot re-read the .mxl container ({exc})", path) from exc


def _mxl_root_name(archive: zipfile.ZipFile) -> str:
    names = archive.namelist()
    if "META-INF/container.xml" in names:
        container = archive.read("META-INF/container.xml")
        found: list[tuple[str, str]] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag.rsplit(":", 1)[-1] == "rootfile" and attrs.get("full-path"):
                found.append((attrs["full-path"], attrs.get("media-type", "")))

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        try:
            parser.Parse(container, True)
        except expat.ExpatError as exc:
            raise OutputError(f"META-INF/container.xml is not well-formed ({exc})") from exc
        for full_path, media in found:
            if media in ("", "application/vnd.recordare.musicxml+xml", "application/vnd.recordare.musicxml"):
                if full_path in names:
                    return full_path
    candidates = [
        n for n in names
        if not n.startswith("META-INF/") and PurePosixPath(n).suffix.lower() in (".xml", ".musicxml")
    ]
    candidates.sort(key=lambda n: ("/" in n, n))  # files at the archive root first
    if not candidates:
        raise OutputError("the .mxl container holds no MusicXML file")
    return candidates[0]


# ---------------------------------------------------------------------------------------------
# Scanning: where every measure, note and possible insertion point sits, in bytes and beats


@dataclass(slots=True)
class XmlNote:
    pos: int  # byte offset of "<note"
    onset: Fraction  # quarter-note beats from the start of the score
    pitch: int | None  # MIDI number; None for rests and unpitched notes
    rest: bool
    grace: bool
    chord: bool
    tie_start: bool
    tie_stop: bool
    measure: int = 0  # index into its part's measures


@dataclass(slots=True)
class Slot:
    """A place a <direction> may be inserted: before a child of a measure, or before </measure>."""

    pos: int
    time: Fraction  # the cursor there, in beats from the start of the score
    divisions: Fraction | None
    indent: bytes  # what to put after an inserted element to keep the file's indentation
    lead: bytes = b""  # what to put before it (only at </measure>)


@dataclass(slots=True)
class XmlMeasure:
    start: Fraction
    end: Fraction = Fraction(0)
    slots: list[Slot] = field(default_factory=list)


@dataclass(slots=True)
class XmlPart:
    id: str
    position: int
    measures: list[XmlMeasure] = field(default_factory=list)
    notes: list[XmlNote] = field(default_factory=list)
    time: Fraction = Fraction(0)  # where the next measure starts
    divisions: Fraction | None = None
    staves: int = 1  # a grand staff has 2: directions then name their staff


@dataclass(slots=True)
class XmlScan:
    data: bytes
    codec: str
    unit: int  # bytes per code unit: 1, or 2 for UTF-16
    parts: dict[str, XmlPart]

    def enc(self, text: str) -> bytes:
        return text.encode(self.codec)


def detect_codec(data: bytes) -> tuple[str, int]:
    """The encoding of an XML document (BOM, then the XML declaration, then UTF-8)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"<\x00?\x00"):
        return "utf-16-le", 2
    if data.startswith(b"\xfe\xff") or data.startswith(b"\x00<\x00?"):
        return "utf-16-be", 2
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 1
    match = re.match(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", data)
    codec = match.group(1).decode("ascii") if match else "utf-8"
    try:
        probe = "<a b='c'/>\n".encode(codec)
    except LookupError as exc:
        raise OutputError(f"the score's encoding {codec!r} is unknown") from exc
    if probe != b"<a b='c'/>\n":
        raise OutputError(f"the score's encoding {codec!r} is not supported for annotation")
    return codec, 1


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        return Fraction(0)


def scan_parts(data: bytes) -> XmlScan:
    """Walk a score-partwise or score-timewise document and place every note and slot."""
    return _Scanner(data).run()


@dataclass(slots=True)
class _NoteState:
    pos: int
    cursor: Fraction  # where the cursor stood at "<note"
    chord: bool = False
    grace: bool = False
    rest: bool = False
    duration: Fraction = Fraction(0)
    step: str | None = None
    alter: Fraction = Fraction(0)
    octave: str | None = None
    tie_start: bool = False
    tie_stop: bool = False


class _Scanner:
    """expat handlers that follow the cursor through every part's measures.

    A "container" is a part's measure: ``<part><measure>`` (partwise) or ``<measure><part>``
    (timewise), always at depth 3, its music data (note, backup, forward, direction...) at depth 4.
    Times are Fractions of a quarter note; a measure lasts as far as its cursor got (as music21
    and MuseScore read it), and the part's next measure starts there.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.codec, self.unit = detect_codec(data)
        self.parts: dict[str, XmlPart] = {}
        self.stack: list[str] = []
        self.text: list[str] = []
        self.root = ""
        self.outer_part: XmlPart | None = None  # partwise: the <part> being read
        self.part: XmlPart | None = None  # the open container's part, None between containers
        self.measure = XmlMeasure(Fraction(0))
        self.cursor = self.top = self.last_onset = self.move = Fraction(0)
        self.child_indent: bytes | None = None
        self.note: _NoteState | None = None
        enc = self.codec
        self.line_feed, self.carriage_return = "\n".encode(enc), "\r".encode(enc)
        self.spaces = {" ".encode(enc), "\t".encode(enc)}
        self.newline = self.line_feed  # the file's own line break (LF, CRLF or CR), found as we go
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text.append
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.ExternalEntityRefHandler = lambda *args: 1  # never fetch anything
        parser.EntityDeclHandler = self.refuse_entity
        self.parser = parser

    def run(self) -> XmlScan:
        try:
            self.parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            raise OutputError(f"the MusicXML source is not well-formed XML ({exc})") from exc
        if not self.root:
            raise OutputError("the MusicXML source has no root element")
        return XmlScan(self.data, self.codec, self.unit, self.parts)

    @staticmethod
    def refuse_entity(name: str, *args: object) -> None:
        raise OutputError(f"the score declares the XML entity {name!r}; refusing to expand it")

    # -- helpers

    def indent_before(self, pos: int) -> bytes | None:
        """The whitespace between the last line break and ``pos`` (None if other text is there)."""
        data, unit = self.data, self.unit
        k = pos - unit
        while k >= 0 and data[k : k + unit] in self.spaces:
            k -= unit
        if k < 0 or data[k : k + unit] not in (self.line_feed, self.carriage_return):
            return None
        if data[k : k + unit] == self.carriage_return:
            self.newline = self.carriage_return
        elif k >= unit and data[k - unit : k] == self.carriage_return:
            self.newline = self.carriage_return + self.line_feed
        else:
            self.newline = self.line_feed
        return data[k + unit : pos]

    def part_for(self, attrs: dict[str, str]) -> XmlPart:
        pid = attrs.get("id", f"#{len(self.parts)}")
        if pid not in self.parts:
            self.parts[pid] = XmlPart(pid, len(self.parts))
        return self.parts[pid]

    def add_slot(self, pos: int, cursor: Fraction, lead: bytes = b"", *, closing: bool = False) -> None:
        ind = self.indent_before(pos)
        if ind is not None and not closing and self.child_indent is None:
            self.child_indent = ind
        if closing and ind is not None and self.child_indent is not None and self.child_indent.startswith(ind):
            lead = self.child_indent[len(ind) :]  # indent a direction before </measure> like a child
        after = self.newline + ind if ind is not None else b""
        divisions = self.part.divisions if self.part is not None else None
        self.measure.slots.append(Slot(pos, self.measure.start + cursor, divisions, after, lead))

    # -- expat handlers

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pos = self.parser.CurrentByteIndex
        self.stack.append(tag)
        depth = len(self.stack)
        self.text.clear()
        if depth == 1:
            self.root = tag
            if tag not in ("score-partwise", "score-timewise"):
                raise OutputError(f"<{tag}> is not a MusicXML score (score-partwise or score-timewise)")
            return
        timewise = self.root == "score-timewise"
        if depth == 2 and tag == "part" and not timewise:
            self.outer_part = self.part_for(attrs)
        elif depth == 3 and tag == ("part" if timewise else "measure"):
            part = self.part_for(attrs) if timewise else self.outer_part
            if part is not None and self.stack[1] == ("measure" if timewise else "part"):
                self.part = part
                self.measure = XmlMeasure(part.time)
                part.measures.append(self.measure)
                self.cursor = self.top = self.last_onset = Fraction(0)
                self.child_indent = None
        elif self.part is None:
            return
        elif depth == 4:
            if tag == "note":
                self.note = _NoteState(pos, self.cursor)
            elif tag in ("backup", "forward", "direction", "harmony", "figured-bass"):
                self.add_slot(pos, self.cursor)
                self.move = Fraction(0)
        elif depth == 5 and self.note is not None and self.stack[3] == "note":
            if tag == "chord":
                self.note.chord = True
            elif tag == "grace":
                self.note.grace = True
            elif tag == "rest":
                self.note.rest = True
            elif tag == "tie":
                kind = attrs.get("type", "")
                self.note.tie_start |= kind == "start"
                self.note.tie_stop |= kind == "stop"

    def end(self, tag: str) -> None:
        pos = self.parser.CurrentByteIndex
        depth = len(self.stack)
        self.stack.pop()
        content = "".join(self.text)
        self.text.clear()
        part = self.part
        if part is None or depth < 3:
            return
        if depth == 3:  # the container closes: a last slot before its end tag
            self.add_slot(pos, self.cursor, closing=True)
            self.measure.end = self.measure.start + max(self.top, self.cursor)
            part.time = self.measure.end
            self.part = None
            return
        parent = self.stack[-1]
        divisions = part.divisions or Fraction(1)  # missing divisions: durations in quarters
        note = self.note
        if depth == 4 and tag == "note" and note is not None:
            self.finish_note(part, note)
            self.note = None
        elif depth == 4 and tag in ("backup", "forward"):
            self.top = max(self.top, self.cursor)
            self.cursor += -self.move if tag == "backup" else self.move
            self.top = max(self.top, self.cursor)
        elif depth == 5 and tag == "duration" and parent in ("backup", "forward"):
            self.move = _fraction(content) / divisions
        elif depth == 5 and tag == "duration" and parent == "note" and note is not None:
            note.duration = _fraction(content) / divisions
        elif depth == 5 and tag == "divisions" and parent == "attributes":
            value = _fraction(content)
            if value > 0:
                part.divisions = value
        elif depth == 5 and tag == "staves" and parent == "attributes":
            part.staves = max(part.staves, int(_fraction(content)))
        elif depth == 6 and parent == "pitch" and note is not None and self.stack[-2] == "note":
            if tag == "step":
                note.step = content.strip().upper()
            elif tag == "alter":
                note.alter = _fraction(content)
            elif tag == "octave":
                note.octave = content.strip()

    def finish_note(self, part: XmlPart, note: _NoteState) -> None:
        if note.chord:
            onset = self.last_onset  # a chord member sounds with the note before it
        else:
            onset = note.cursor
            self.add_slot(note.pos, note.cursor)  # a direction may go before it, never inside a chord
            self.last_onset = note.cursor
            if not note.grace:
                self.cursor = note.cursor + note.duration
                self.top = max(self.top, self.cursor)
        pitch = None
        if not note.rest and note.step in _STEPS and note.octave is not None:
            try:
                pitch = 12 * (int(note.octave) + 1) + _STEPS[note.step] + round(note.alter)
            except ValueError:
                pitch = None
        part.notes.append(
            XmlNote(
                pos=note.pos,
                onset=self.measure.start + onset,
                pitch=pitch,
                rest=note.rest,
                grace=note.grace,
                chord=note.chord,
                tie_start=note.tie_start,
                tie_stop=note.tie_stop,
                measure=len(part.measures) - 1,
            )
        )


def align_to_score(scan: XmlScan, score: Score) -> None:
    """Put every part's measures on the reader's timeline, where the two disagree.

    This walk follows the MusicXML rules (as MuseScore does); the reader's music21 bends them in
    a few files: it cuts an overfull measure to its time signature and lengthens one whose last
    <direction> has an <offset> past the notes, separately in each part, so a difference of a
    fraction of a beat can add up along the piece. Occurrences are in the reader's beats, so each
    measure is shifted by what its notes need to land on the track's notes (compared in order;
    a tie's continuation and grace notes are not separate notes for the reader). A part whose notes
    cannot be paired is left as it is.
    """
    for track in score.tracks:
        part = scan.parts.get(track.part_id or "")
        if part is None or not track.notes or not part.measures:
            continue
        mine = sorted(
            (n for n in part.notes if n.pitch is not None and not n.rest and not n.grace and not n.tie_stop),
            key=lambda n: (n.onset, n.pitch),
        )
        theirs = sorted(track.notes, key=lambda n: (n.onset, n.pitch))
        if len(mine) == len(theirs) and all(a.pitch == b.pitch for a, b in zip(mine, theirs)):
            pairs = list(zip(mine, theirs))
        else:  # a few notes differ (ties the reader merged otherwise): pair the runs that agree
            matcher = difflib.SequenceMatcher(None, [n.pitch for n in mine], [n.pitch for n in theirs], autojunk=False)
            pairs = [(mine[i + k], theirs[j + k]) for i, j, size in matcher.get_matching_blocks() for k in range(size)]
        votes: list[Counter[Fraction]] = [Counter() for _ in part.measures]
        for a, b in pairs:
            votes[a.measure][Fraction(b.onset).limit_denominator(1 << 16) - a.onset] += 1
        shifts: list[Fraction | None] = [v.most_common(1)[0][0] if v else None for v in votes]
        last = Fraction(0)
        for i, shift in enumerate(shifts):
            if shift is None:
                shifts[i] = last  # a measure without notes moves with the one before
            else:
                last = shift
        if any(shifts):
            _shift_measures(part, shifts)  # type: ignore[arg-type]


def _shift_measures(part: XmlPart, shifts: list[Fraction]) -> None:
    for m, shift in zip(part.measures, shifts):
        m.start += shift
        m.end += shift
        for slot in m.slots:
            slot.time += shift
    for n in part.notes:
        n.onset += shifts[n.measure]


# ---------------------------------------------------------------------------------------------
# What to draw: one Mark per occurrence, in one part


@dataclass(slots=True)
class Mark:
    part_id: str
    text: str  # "Motif A1"
    color: str  # "#E69F00"
    start: Fraction
    end: Fraction
    # which notes: None = every note with onset in [start, end); else these (onset, pitch) pairs,
    # plus the notes tied on from them (MIDI input, where a long note is written as tied notes)
    keys: frozenset[tuple[Fraction, int]] | None = None


def _beats(x: float) -> Fraction:
    """A beat position as a Fraction, snapped to 1/960 beat so 0.3333333 becomes 1/3."""
    return Fraction(round(float(x) * 960), 960)


def part_id_for_track(score: Score, scan: XmlScan, track_index: int) -> str | None:
    """The MusicXML part holding a score track: its part_id, else its part position, else its name."""
    if not 0 <= track_index < len(score.tracks):
        return None
    track = score.tracks[track_index]
    if track.part_id is not None and track.part_id in scan.parts:
        return track.part_id
    by_position = sorted(scan.parts.values(), key=lambda p: p.position)
    if track.source_index is not None and 0 <= track.source_index < len(by_position):
        return by_position[track.source_index].id
    return None


def marks_for_musicxml(annotation: Annotation, score: Score, scan: XmlScan) -> list[Mark]:
    colours = {m.name: m.color for m in annotation.motifs}
    marks = []
    for occ in annotation.occurrences:
        pid = part_id_for_track(score, scan, occ.track)
        if pid is None:
            raise OutputError(f"no MusicXML part for track {occ.track} ({occ.track_name!r}) of {occ.text}")
        marks.append(Mark(pid, occ.text, colours.get(occ.family, "#000000"), _beats(occ.start), _beats(occ.end)))
    return marks


# ---------------------------------------------------------------------------------------------
# Splicing the additions in


def annotate_xml(data: bytes, marks: list[Mark], scan: XmlScan | None = None) -> bytes:
    """``data`` with the notes of every mark coloured and its bracket drawn; nothing else changes."""
    scan = scan or scan_parts(data)
    # (position, 0 = direction / 1 = tag edit, beat, 0 = stop / 1 = start, order, end, bytes)
    edits: list[tuple[int, int, Fraction, int, int, int, bytes]] = []
    by_part: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.part_id not in scan.parts:
            raise OutputError(f"the MusicXML source has no part {mark.part_id!r}")
        by_part[mark.part_id].append(mark)
    order = 0
    for pid, part_marks in by_part.items():
        part = scan.parts[pid]
        part_marks.sort(key=lambda m: (m.start, m.end))
        # colours: first mark (in time order) that claims a note wins
        coloured: dict[int, str] = {}
        order_by_onset = sorted(range(len(part.notes)), key=lambda i: part.notes[i].onset)
        sorted_onsets = [part.notes[i].onset for i in order_by_onset]
        by_key: dict[tuple[Fraction, int], list[int]] = defaultdict(list)
        tied_on = _tie_chains(part.notes, order_by_onset)
        if any(m.keys is not None for m in part_marks):
            for i, n in enumerate(part.notes):
                if n.pitch is not None and not n.rest and not n.tie_stop:
                    by_key[(n.onset, n.pitch)].append(i)
        for mark in part_marks:
            if mark.keys is None:
                lo = bisect.bisect_left(sorted_onsets, mark.start)
                hi = bisect.bisect_left(sorted_onsets, mark.end)
                chosen = [order_by_onset[k] for k in range(lo, hi)]
            else:
                chosen = [i for key in mark.keys for i in by_key.get(key, ())]
                for i in list(chosen):
                    while i in tied_on:
                        i = tied_on[i]
                        chosen.append(i)
            for i in chosen:
                if not part.notes[i].rest and i not in coloured:
                    coloured[i] = mark.color
        for i, colour in coloured.items():
            edits.append(_colour_edit(scan, part.notes[i].pos, colour))
        # brackets: place every start and stop first, then number them in document order
        placed = []
        for mark in part_marks:
            start_slot, start_offset = _choose_slot(part, mark.start, stop=False)
            if start_slot is None:
                continue
            stop_slot, stop_offset = _choose_slot(part, mark.end, stop=True, not_before=start_slot)
            assert stop_slot is not None
            start_key = (start_slot.pos, mark.start, 1)
            stop_key = (stop_slot.pos, mark.end, 0)
            placed.append((start_key, stop_key, mark, start_slot, start_offset, stop_slot, stop_offset))
        placed.sort(key=lambda p: p[0])
        numbers = _bracket_numbers([(p[0], p[1]) for p in placed])
        for (start_key, stop_key, mark, s_slot, s_off, e_slot, e_off), number in zip(placed, numbers):
            for key, slot, offset, kind in ((start_key, s_slot, s_off, "start"), (stop_key, e_slot, e_off, "stop")):
                xml = _direction(mark, number, kind, offset, staff=part.staves > 1)
                if xml is not None:
                    order += 1
                    body = slot.lead + scan.enc(xml) + slot.indent
                    edits.append((slot.pos, 0, key[1], key[2], order, slot.pos, body))
    return _splice(data, edits)


_Key = tuple[int, Fraction, int]  # (byte position, beat, 0 for a stop / 1 for a start): document order


def _bracket_numbers(spans: list[tuple[_Key, _Key]]) -> list[int | None]:
    """A number (1..6) per (start, stop) bracket, sorted by start: a number is reused only once the
    bracket holding it has stopped earlier in the document; None when all six are taken."""
    open_: list[tuple[_Key, int]] = []
    numbers: list[int | None] = []
    for start, stop in spans:
        open_ = [(end, num) for end, num in open_ if not end < start]
        used = {num for _, num in open_}
        free = next((k for k in range(1, MAX_BRACKETS + 1) if k not in used), None)
        numbers.append(free)
        if free is not None:
            open_.append((stop, free))
    return numbers


def _tie_chains(notes: list[XmlNote], order_by_onset: list[int]) -> dict[int, int]:
    """note index -> the note it is tied on to (same pitch, later, with a tie stop)."""
    chains: dict[int, int] = {}
    open_: dict[int, int] = {}  # pitch -> index of the note whose tie is open
    for i in order_by_onset:
        n = notes[i]
        if n.pitch is None or n.rest:
            continue
        if n.tie_stop and n.pitch in open_:
            chains[open_.pop(n.pitch)] = i
        if n.tie_start:
            open_[n.pitch] = i
    return chains


_COLOR_ATTR = re.compile(r"(\scolor\s*=\s*)([\"'])[^\"']*\2")


def _colour_edit(scan: XmlScan, pos: int, colour: str) -> tuple[int, int, Fraction, int, int, int, bytes]:
    """Replace the ``<note ...>`` start tag at ``pos`` by itself plus (or with a new) colour."""
    data, unit = scan.data, scan.unit
    gt, quote_chars = scan.enc(">"), {scan.enc('"'): '"', scan.enc("'"): "'"}
    k, quote = pos, None
    while k < len(data):
        ch = data[k : k + unit]
        if quote is None and ch in quote_chars:
            quote = ch
        elif quote is not None and ch == quote:
            quote = None
        elif quote is None and ch == gt:
            break
        k += unit
    tag = data[pos : k + unit].decode(scan.codec)
    if _COLOR_ATTR.search(tag):
        new = _COLOR_ATTR.sub(lambda m: f"{m.group(1)}{m.group(2)}{colour}{m.group(2)}", tag, count=1)
    else:
        close = len(tag) - (2 if tag.endswith("/>") else 1)
        body = tag[:close].rstrip()
        new = f'{body} color="{colour}"{tag[len(body):]}'
    return (pos, 1, Fraction(0), 0, 0, k + unit, scan.enc(new))


def _choose_slot(
    part: XmlPart, when: Fraction, *, stop: bool, not_before: Slot | None = None
) -> tuple[Slot | None, Fraction]:
    """The slot for something at ``when``: in the measure holding it (for a stop, holding the
    moment just before it), the first slot exactly there, else the nearest earlier one + offset.
    A stop never goes before ``not_before`` (its own start) in the document."""
    measures = [m for m in part.measures if m.slots]
    if not measures:
        return None, Fraction(0)
    starts = [m.start for m in measures]
    if stop:
        i = bisect.bisect_left(starts, when) - 1
    else:
        i = bisect.bisect_right(starts, when) - 1
        while 0 < i and measures[i].end <= measures[i].start and measures[i - 1].start == measures[i].start:
            i -= 1
    measure = measures[max(i, 0)]
    slots = measure.slots
    if not_before is not None:
        later = [s for s in slots if s.pos >= not_before.pos]
        if not later:  # the start is in a later measure (a stop cannot be before it): go there
            measure = next(m for m in measures if not_before in m.slots)
            later = [s for s in measure.slots if s.pos >= not_before.pos]
        slots = later
    exact = [s for s in slots if s.time == when]
    if exact:
        return exact[0], Fraction(0)
    before = [s for s in slots if s.time < when and s.divisions]
    if before:
        best = max(s.time for s in before)
        slot = next(s for s in before if s.time == best)
    else:
        slot = next((s for s in slots if s.divisions), slots[0])
    if not slot.divisions:
        return slot, Fraction(0)
    return slot, (when - slot.time) * slot.divisions


def _decimal(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def _direction(mark: Mark, number: int | None, kind: str, offset: Fraction, *, staff: bool = False) -> str | None:
    extra = f"<offset>{_decimal(offset)}</offset>" if offset else ""
    if staff:  # above the top staff of a grand staff (said outright: some readers copy it to both)
        extra += "<staff>1</staff>"
    colour = quoteattr(mark.color)
    if kind == "start":
        bracket = (
            f'<direction-type><bracket type="start" number="{number}" line-end="down" line-type="solid"'
            f" color={colour}/></direction-type>"
            if number is not None
            else ""
        )
        return (
            f'<direction placement="above"><direction-type><words color={colour}>{escape(mark.text)}</words>'
            f"</direction-type>{bracket}{extra}</direction>"
        )
    if number is None:
        return None
    return (
        f'<direction placement="above"><direction-type><bracket type="stop" number="{number}" line-end="down"/>'
        f"</direction-type>{extra}</direction>"
    )


def _splice(data: bytes, edits: list[tuple[int, int, Fraction, int, int, int, bytes]]) -> bytes:
    """Apply the edits in document order; at one position directions (by beat, stops before starts)
    come before the note's own tag edit."""
    out: list[bytes] = []
    cursor = 0
    for start, *_rest, end, body in sorted(edits, key=lambda e: e[:5]):
        if start < cursor:
            continue  # cannot happen with well-formed input; never corrupt the file
        out.append(data[cursor:start])
        out.append(body)
        cursor = end
    out.append(data[cursor:])
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# MIDI input: a clean, quantised score made with music21, then annotated like any MusicXML


@dataclass(slots=True)
class ConvertedScore:
    """MusicXML made from a MIDI score, and how its parts and notes relate to the score's tracks."""

    xml: bytes
    scan: XmlScan
    part_of_track: dict[int, str]  # score track index -> MusicXML part id
    grid: Fraction = GRID
    seconds: float = 0.0  # how long the conversion took

    def q(self, beat: float) -> Fraction:
        return _quantise(beat, self.grid)

    def marks(self, annotation: Annotation, score: Score) -> list[Mark]:
        colours = {m.name: m.color for m in annotation.motifs}
        marks = []
        for occ in annotation.occurrences:
            pid = self.part_of_track.get(occ.track)
            if pid is None:
                continue  # a drum or empty track: not in the notation
            keys = frozenset((self.q(n.onset), n.pitch) for n in occurrence_notes(occ, score))
            start = self.q(occ.start)
            end = max(self.q(occ.end), start + self.grid)
            marks.append(
                Mark(pid, occ.text, colours.get(occ.family, "#000000"), start, end,
                     keys=keys)
            )
        return marks


def _quantise(beat: float, grid: Fraction = GRID) -> Fraction:
    return round(Fraction(float(beat)).limit_denominator(1 << 20) / grid) * grid


def _meter(score: Score) -> tuple[int, int]:
    """The file's meter when it states one 4-beat meter throughout (4/4, 2/2), else 4/4.

    MIDI bars are counted as 4 beats from beat 0 everywhere in motif (POP909's meta events are
    mostly wrong: 1/4, 2/4), so the written bars match the bar numbers of the other outputs.
    """
    sigs = {(s.numerator, s.denominator) for s in score.time_signatures}
    if len(sigs) == 1:
        num, den = next(iter(sigs))
        if den in (1, 2, 4, 8, 16) and Fraction(4 * num, den) == 4:
            return num, den
    return 4, 4


@dataclass(slots=True)
class _Event:
    on: Fraction
    end: Fraction
    pitches: list[int]


def _voices(notes: list[tuple[Fraction, Fraction, int]], grid: Fraction) -> list[list[_Event]]:
    """Chords by onset, small legato overlaps trimmed, then at most two voices (voice 1 cut short
    when both are busy)."""
    by_onset: dict[Fraction, _Event] = {}
    for on, end, pitch in notes:
        ev = by_onset.get(on)
        if ev is None:
            by_onset[on] = _Event(on, end, [pitch])
        else:
            ev.end = max(ev.end, end)
            if pitch not in ev.pitches:
                ev.pitches.append(pitch)
    events = [by_onset[k] for k in sorted(by_onset)]
    for a, b in zip(events, events[1:]):
        overlap = a.end - b.on
        if 0 < overlap <= max(grid, (a.end - a.on) / 4):
            a.end = b.on
    voices: list[list[_Event]] = [[], []]
    ends = [Fraction(0), Fraction(0)]
    for ev in events:
        if ends[0] <= ev.on:
            v = 0
        elif ends[1] <= ev.on:
            v = 1
        else:
            v = 0
            voices[0][-1].end = ev.on
        voices[v].append(ev)
        ends[v] = ev.end
    return voices


def _split_notatable(pos: Fraction, dur: Fraction) -> list[Fraction]:
    """``dur`` beats from ``pos`` (within one bar) as plain or dotted note values, split on beats."""
    out = []
    while dur > 0:
        frac = pos - (pos.numerator // pos.denominator)
        if frac:
            step = min(dur, 1 - frac)
            if step not in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)):
                step = Fraction(1, 4) if step > Fraction(1, 4) else step
        elif dur >= 1:
            whole = dur.numerator // dur.denominator
            step = Fraction(next(v for v in (4, 3, 2, 1) if v <= whole))
        else:
            step = dur if dur in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)) else min(dur, Fraction(1, 4))
        out.append(step)
        pos += step
        dur -= step
    return out


_Piece = tuple[Fraction, Fraction, list[int] | None, str | None]  # start, length, pitches, tie


def _pieces(events: list[_Event], bar: Fraction, total: Fraction) -> list[_Piece]:
    """(start, duration, pitches or None for a rest, tie type) pieces filling [0, total), none of
    them crossing a barline, each a notatable value."""
    out: list[_Piece] = []

    def emit(start: Fraction, end: Fraction, pitches: list[int] | None) -> None:
        segments = []
        t = start
        while t < end:
            bar_end = (t // bar + 1) * bar
            stop = min(end, bar_end)
            for d in _split_notatable(t - (t // bar) * bar, stop - t):
                segments.append((t, d))
                t += d
        for k, (t0, d) in enumerate(segments):
            tie = None
            if pitches is not None and len(segments) > 1:
                tie = "start" if k == 0 else ("stop" if k == len(segments) - 1 else "continue")
            out.append((t0, d, pitches, tie))

    now = Fraction(0)
    for ev in events:
        if ev.on > now:
            emit(now, ev.on, None)
        emit(ev.on, ev.end, ev.pitches)
        now = ev.end
    if now < total:
        emit(now, total, None)
    return out


_MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
_MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
_NAMES = {
    "sharp": ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"),
    "flat": ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B"),
    "plain": ("C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"),
}
_STEP_ORDER_SHARPS = "FCGDAEB"


def key_fifths(tracks: list) -> int:
    """The key signature (fifths, -6..5) that best fits the notes (Krumhansl-Schmuckler profiles,
    duration-weighted pitch classes); a minor key is written with its relative major's signature."""
    weights = [0.0] * 12
    for track in tracks:
        for n in track.notes:
            weights[n.pitch % 12] += max(n.offset - n.onset, 0.05)
    if not any(weights):
        return 0

    def corr(xs: list[float], ys: tuple[float, ...]) -> float:
        mx_, my = sum(xs) / 12, sum(ys) / 12
        num = sum((x - mx_) * (y - my) for x, y in zip(xs, ys))
        den = (sum((x - mx_) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
        return num / den if den else 0.0

    best, best_major_tonic = -2.0, 0
    for tonic in range(12):
        rotated = weights[tonic:] + weights[:tonic]
        for profile, relative in ((_MAJOR_PROFILE, 0), (_MINOR_PROFILE, 3)):
            r = corr(rotated, profile)
            if r > best:
                best, best_major_tonic = r, (tonic + relative) % 12
    return (best_major_tonic * 7 + 6) % 12 - 6


def _key_alters(fifths: int) -> dict[str, int]:
    """Step letter -> alteration the key signature gives it."""
    alters = dict.fromkeys("CDEFGAB", 0)
    if fifths > 0:
        for step in _STEP_ORDER_SHARPS[:fifths]:
            alters[step] = 1
    elif fifths < 0:
        for step in reversed(_STEP_ORDER_SHARPS[fifths:]):
            alters[step] = -1
    return alters


def _show_accidentals(measure, key_alters: dict[str, int], natural) -> None:
    """Show an accidental only where the pitch differs from the key or an earlier note of the bar
    (tied continuations never show one), as an engraver would."""
    state: dict[tuple[str, int], int] = {}
    heads = []
    for el in measure.recurse().notes:
        for n in el.notes if el.isChord else [el]:
            heads.append((el.offset if el.activeSite is measure else el.activeSite.offset + el.offset, el, n))
    heads.sort(key=lambda h: h[0])
    for _, el, n in heads:
        p = n.pitch
        alter = int(p.alter)
        key = (p.step, p.octave)
        expected = state.get(key, key_alters[p.step])
        tie = el.tie if el.tie is not None else n.tie
        if tie is not None and tie.type in ("stop", "continue"):
            if p.accidental is not None:
                p.accidental.displayStatus = False
            state[key] = alter
            continue
        if alter != expected:
            if p.accidental is None:
                p.accidental = natural()
            p.accidental.displayStatus = True
        elif p.accidental is not None:
            p.accidental.displayStatus = False
        state[key] = alter


def _split_staves(
    rows: list[tuple[Fraction, Fraction, int]],
) -> tuple[list[tuple[Fraction, Fraction, int]], list[tuple[Fraction, Fraction, int]]] | None:
    """Treble (middle C and up) and bass rows for a track that needs both staves (a wide range with
    a real share of notes on each side, like a piano part), else None."""
    if not rows:
        return None
    pitches = [p for _, _, p in rows]
    low = sum(p < 60 for p in pitches)
    if max(pitches) - min(pitches) < 24 or min(low, len(pitches) - low) < 0.15 * len(pitches):
        return None
    return [r for r in rows if r[2] >= 60], [r for r in rows if r[2] < 60]


def midi_to_musicxml(score: Score, grid: Fraction = GRID) -> ConvertedScore:
    """Notate the pitched tracks of a MIDI score with music21 (one part each) and export MusicXML.

    The notation is built here (quantised onsets and ends, bars, ties, two voices per staff, a grand
    staff for piano-like tracks, key signature and accidentals) and exported without music21's
    ``makeNotation`` pass, which alone takes seconds on a pop song; chords are built from Pitch
    objects and rests say whether they fill the bar, which avoids music21's two other slow paths.
    About 1 s of CPU for a POP909 song (3 s with music21's import and the annotation included).
    """
    began = time.perf_counter()
    from music21 import chord, clef, instrument, key, layout, metadata, meter, note, stream, tempo
    from music21 import defaults
    from music21 import pitch as m21pitch
    from music21 import tie as m21tie
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    tracks = [t for t in score.tracks if t.is_pitched]
    if not tracks:
        raise OutputError("the score has no pitched notes to write as MusicXML", score.path)
    num, den = _meter(score)
    bar = Fraction(4 * num, den)
    quantised: dict[int, list[tuple[Fraction, Fraction, int]]] = {}
    last = Fraction(0)
    for track in tracks:
        rows = []
        for n in track.notes:
            on = _quantise(n.onset, grid)
            end = max(_quantise(n.offset, grid), on + grid)
            rows.append((on, end, n.pitch))
            last = max(last, end)
        quantised[track.index] = rows
    bars = max(1, -(-last // bar))
    total = bars * bar
    bpm = 60_000_000 / score.tempos[0].microseconds_per_beat if score.tempos else 120.0
    fifths = key_fifths(tracks)
    names = _NAMES["sharp" if fifths > 0 else "flat" if fifths < 0 else "plain"]
    spelled: dict[int, object] = {}

    def spell(midi_number: int):
        if midi_number not in spelled:
            spelled[midi_number] = m21pitch.Pitch(f"{names[midi_number % 12]}{midi_number // 12 - 1}")
        return copy.deepcopy(spelled[midi_number])

    key_alters = _key_alters(fifths)

    m21score = stream.Score()
    title = Path(score.path).stem if score.path is not None else "motif"
    m21score.metadata = metadata.Metadata(title=title, movementName=title)
    def staff_measures(rows: list[tuple[Fraction, Fraction, int]], staff_clef, heading: list) -> list:
        """The bars of one staff: quantised notes as chords in at most two voices, rests, ties."""
        voices = _voices(rows, grid)
        pieces = [_pieces(v, bar, total) if v or i == 0 else [] for i, v in enumerate(voices)]
        measures = [stream.Measure(number=i + 1) for i in range(int(bars))]
        first = measures[0]
        for el in [staff_clef, key.KeySignature(fifths), meter.TimeSignature(f"{num}/{den}"), *heading]:
            first.insert(0, el)
        containers: list[list[stream.Stream]] = [[m] for m in measures]
        if pieces[1]:
            busy = {int(t0 // bar) for t0, _, p, _ in pieces[1] if p is not None}
            for i in sorted(busy):
                v1, v2 = stream.Voice(id="1"), stream.Voice(id="2")
                measures[i].insert(0, v1)
                measures[i].insert(0, v2)
                containers[i] = [v1, v2]
        for vi, voice_pieces in enumerate(pieces):
            for t0, d, ps, tie_type in voice_pieces:
                i = int(t0 // bar)
                if vi == 1 and len(containers[i]) == 1:
                    continue
                target = containers[i][vi if len(containers[i]) > 1 else 0]
                if ps is None:
                    el = note.Rest(quarterLength=d)
                    el.fullMeasure = d == bar  # never "auto": its context search costs seconds
                    if vi == 1:
                        el.style.hideObjectOnPrint = True
                elif len(ps) == 1:
                    el = note.Note(spell(ps[0]), quarterLength=d)
                else:
                    # Pitch objects, not ints: Chord([ints]) re-spells them, slowly
                    el = chord.Chord([spell(p) for p in sorted(ps)], quarterLength=d)
                if tie_type is not None:
                    el.tie = m21tie.Tie(tie_type)
                target.insert(t0 - i * bar, el)
        for m in measures:
            _show_accidentals(m, key_alters, lambda: m21pitch.Accidental("natural"))
        return measures

    for k, track in enumerate(tracks):
        pid = f"P{k + 1}"
        rows = quantised[track.index]
        heading = [tempo.MetronomeMark(number=round(bpm, 2))] if k == 0 else []
        staves = _split_staves(rows)
        if staves is None:
            pitches = sorted(p for _, _, p in rows)
            staff_clef = clef.BassClef() if pitches and pitches[len(pitches) // 2] < 57 else clef.TrebleClef()
            layout_parts = [(stream.Part(id=pid), rows, staff_clef)]
        else:  # a piano-like track: treble and bass staves of one part (a grand staff)
            layout_parts = [
                (stream.PartStaff(id=f"{pid}-Staff1"), staves[0], clef.TrebleClef()),
                (stream.PartStaff(id=f"{pid}-Staff2"), staves[1], clef.BassClef()),
            ]
        for s_index, (part, staff_rows, staff_clef) in enumerate(layout_parts):
            part.partName = track.name
            inst = instrument.Instrument()
            inst.partName = track.name
            inst.instrumentName = track.name
            inst.partId = pid
            part.insert(0, inst)
            for m in staff_measures(staff_rows, staff_clef, heading if s_index == 0 else []):
                part.append(m)
            m21score.insert(0, part)
        if staves is not None:
            group = layout.StaffGroup([p for p, _, _ in layout_parts], name=track.name, symbol="brace")
            group.barTogether = True
            m21score.insert(0, group)
    exporter = GeneralObjectExporter(m21score)
    exporter.makeNotation = False
    author = defaults.author
    defaults.author = ""  # else music21 signs the score as its composer ("Music21")
    try:
        xml = exporter.parse()
    finally:
        defaults.author = author
    scan = scan_parts(xml)
    ids = [p.id for p in sorted(scan.parts.values(), key=lambda p: p.position)]
    part_of_track = {t.index: ids[k] for k, t in enumerate(tracks) if k < len(ids)}
    return ConvertedScore(xml, scan, part_of_track, grid, time.perf_counter() - began)
