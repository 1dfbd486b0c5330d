"""Where every measure, note and possible insertion point of a MusicXML document sits, in bytes and beats.

The document is never re-serialised: expat reports the byte position of every tag, and each part's
measures are walked here (divisions, backup, forward, chords, grace notes) to give every ``<note>``
its onset in quarter-note beats and every place a ``<direction>`` may go (a :class:`Slot`). The
splicer (:mod:`~motifcli.writers.musicxml_splice`) inserts at those positions, so the DOCTYPE,
comments, attribute order, entity spellings, encoding (UTF-16 too) and line endings survive.

Where the reader's music21 bends bar lengths (an overfull bar, a trailing ``<direction>`` with an
``<offset>``), :func:`align_to_score` moves each bar of the walk onto the reader's timeline, since
occurrences are in the reader's beats.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from xml.parsers import expat

from motifcli.errors import OutputError
from motifcli.score import Score
from motifcli.sounding import STEP_SEMITONES, Transpositions, staff_number, transpose_interval
from motifcli.ties import tie_links
from motifcli.writers.musicxml_voices import home_staves, needs_renumbering, renumber



@dataclass(slots=True)
class XmlNote:
    pos: int  # byte offset of "<note"
    onset: Fraction  # quarter-note beats from the start of the score
    pitch: int | None  # sounding MIDI number (motifcli.sounding); None for rests, cue and unpitched notes
    rest: bool  # a rest, or a cue note (printed, not played: no pitch, never coloured)
    grace: bool
    chord: bool
    tie_start: bool
    tie_stop: bool
    measure: int = 0  # index into its part's measures
    staff: int = 1  # its <staff> in a multi-staff part (1 = top)
    duration: Fraction = Fraction(0)  # as written (0 for a grace note): a bracket stops at its end
    continues: bool = False  # a tied piece of an earlier note (its tie stop meets that note's end)
    home: int = 1  # the staff MuseScore 3 files it under: its voice's staff (musicxml_voices.home_staves)
    voice: tuple[int, int, str] | None = None  # (byte offset of "<voice", of "</voice>", its text)

    @property
    def end(self) -> Fraction:
        return self.onset + self.duration


@dataclass(slots=True)
class Slot:
    """A place a <direction> may be inserted: before a child of a measure, or before </measure>."""

    pos: int
    time: Fraction  # the cursor there, in beats from the start of the score
    divisions: Fraction | None
    indent: bytes  # what to put after an inserted element to keep the file's indentation
    lead: bytes = b""  # what to put before it (only at </measure>)
    staff: int | None = None  # the staff MuseScore puts the next note after it in its measure in (its home)
    note: int = -1  # the index of that note in its part, -1 if none


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
    tied_on: dict[int, int] = field(default_factory=dict)  # note index -> its tied piece's index
    # a <forward>'s <voice>: (measure index, staff, byte offset of "<voice", of "</voice>", its text)
    forward_voices: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    renumbered: bool = False  # its voices are renumbered for MuseScore (musicxml_voices.needs_renumbering)
    # ... and how, once: (start, end, old, new) per <voice> (musicxml_voices.renumber; empty when not renumbered)
    new_voices: list[tuple[int, int, str, str]] = field(default_factory=list)
    # the <transpose> in force (written to sounding pitch), as the reader applies it
    transpose: Transpositions = field(default_factory=Transpositions)


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
    staff: int = 1
    voice: tuple[int, int, str] | None = None  # (byte offset of "<voice", of "</voice>", its text)
    cue: bool = False


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
        self.unstaffed: list[Slot] = []  # slots since the last note of the measure (they get its staff)
        self.root = ""
        self.outer_part: XmlPart | None = None  # partwise: the <part> being read
        self.part: XmlPart | None = None  # the open container's part, None between containers
        self.measure = XmlMeasure(Fraction(0))
        self.cursor = self.top = self.last_onset = self.move = Fraction(0)
        self.voice_at = -1  # byte offset of the open <voice>
        self.forward_voice: tuple[int, int, str] | None = None  # the <voice> of the <forward> being read
        self.forward_staff = 1
        self.child_indent: bytes | None = None
        self.note: _NoteState | None = None
        self.transpose: dict[str, str] = {}  # the open <transpose>: "number" and its children's texts
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
        for part in self.parts.values():
            part.tied_on = link_ties(part.notes)
            part.renumbered = needs_renumbering(part)  # decided once: home_staves and voice_edits read it
            part.new_voices = renumber(part) if part.renumbered else []
            for n, home in zip(part.notes, home_staves(part)):
                n.home = home
            for m in part.measures:
                for slot in m.slots:
                    if slot.note >= 0:
                        slot.staff = part.notes[slot.note].home
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
        slot = Slot(pos, self.measure.start + cursor, divisions, after, lead)
        self.measure.slots.append(slot)
        self.unstaffed.append(slot)

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
                self.unstaffed = []
        elif self.part is None:
            return
        elif depth == 4:
            if tag == "note":
                self.note = _NoteState(pos, self.cursor)
            elif tag in ("backup", "forward", "direction", "harmony", "figured-bass"):
                self.add_slot(pos, self.cursor)
                self.move = Fraction(0)
        elif depth == 5 and tag == "voice":
            self.voice_at = pos
        elif depth == 5 and tag == "transpose" and self.stack[3] == "attributes":
            self.transpose = {"number": attrs["number"]} if "number" in attrs else {}
        elif depth == 5 and self.note is not None and self.stack[3] == "note":
            if tag == "chord":
                self.note.chord = True
            elif tag == "cue":
                self.note.cue = True
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
            for slot in self.unstaffed:  # a direction there belongs with this note's staff
                slot.staff, slot.note = note.staff, len(part.notes) - 1
            self.unstaffed = []
            self.note = None
        elif depth == 4 and tag in ("backup", "forward"):
            if tag == "forward" and self.forward_voice is not None:
                part.forward_voices.append((len(part.measures) - 1, self.forward_staff, *self.forward_voice))
            self.forward_voice, self.forward_staff = None, 1
            self.top = max(self.top, self.cursor)
            self.cursor += -self.move if tag == "backup" else self.move
            self.top = max(self.top, self.cursor)
        elif depth == 5 and tag == "duration" and parent in ("backup", "forward"):
            self.move = _fraction(content) / divisions
        elif depth == 5 and tag == "voice" and parent == "note" and note is not None:
            note.voice = (self.voice_at, pos, content.strip())
        elif depth == 5 and tag == "voice" and parent == "forward":
            self.forward_voice = (self.voice_at, pos, content.strip())
        elif depth == 5 and tag == "staff" and parent == "forward":
            self.forward_staff = staff_number(content, self.forward_staff)
        elif depth == 5 and tag == "staff" and parent == "note" and note is not None:
            note.staff = staff_number(content, note.staff)
        elif depth == 5 and tag == "duration" and parent == "note" and note is not None:
            note.duration = _fraction(content) / divisions
        elif depth == 5 and tag == "divisions" and parent == "attributes":
            value = _fraction(content)
            if value > 0:
                part.divisions = value
        elif depth == 5 and tag == "transpose" and parent == "attributes":
            t = self.transpose
            part.transpose.set(t.get("number"), transpose_interval(t.get("diatonic"), t.get("chromatic"),
                                                                   t.get("octave-change")))
        elif depth == 6 and parent == "transpose" and self.stack[-2] == "attributes":
            self.transpose[tag] = content
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
        if not note.rest and not note.cue and note.step in STEP_SEMITONES and note.octave is not None:
            try:
                pitch = 12 * (int(note.octave) + 1) + STEP_SEMITONES[note.step] + round(note.alter)
                pitch += part.transpose.at(note.staff)[1]
            except ValueError:
                pitch = None
        part.notes.append(
            XmlNote(
                pos=note.pos,
                onset=self.measure.start + onset,
                pitch=pitch,
                rest=note.rest or note.cue,
                grace=note.grace,
                chord=note.chord,
                tie_start=note.tie_start,
                tie_stop=note.tie_stop,
                measure=len(part.measures) - 1,
                staff=note.staff,
                duration=Fraction(0) if note.grace else note.duration,
                voice=note.voice,
            )
        )


def link_ties(notes: list[XmlNote]) -> dict[int, int]:
    """note index -> the piece it is tied on to, as the reader merges ties (:func:`motifcli.ties.tie_links`:
    a stop that meets no open tie of its pitch, as MuseScore writes a few, is a note of its own).
    Marks every joined piece ``continues``."""
    order = sorted((i for i, n in enumerate(notes) if n.pitch is not None and not n.rest and not n.grace),
                   key=lambda i: (notes[i].onset, notes[i].pitch))
    chains = tie_links((i, notes[i].onset, notes[i].end, notes[i].pitch, notes[i].tie_stop, notes[i].tie_start)
                       for i in order)
    for i in chains.values():
        notes[i].continues = True
    return chains


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
            (n for n in part.notes if n.pitch is not None and not n.rest and not n.grace and not n.continues),
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
