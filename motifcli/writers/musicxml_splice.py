"""Splice the additions into the document's bytes: colours on notes, a bracket and label per mark.

For each mark, in its part: every chosen note (the mark's own notes, matched by onset and pitch,
and the notes tied on from them) gets the mark's colour (a ``color`` attribute on ``<note>``; a note two
marks choose, the colour of the one :func:`~motifcli.writers.colour_order.winner` picks); a
``<direction>`` holding a ``<bracket type="start"/>`` and then ``<words>Motif A1</words>`` opens a
bracket where the occurrence starts (its first note), and a second ``<direction>`` with the
matching ``<bracket type="stop"/>`` closes it where it ends: the written end of its last note (a
tied piece counts), in that note's staff. The words come after the bracket so that MuseScore 3
reads them as a staff text at the bracket's start, not as the line's own text: it stacks staff
texts clear of each other and of the lines, but draws the texts of two lines starting together
over each other (benchmarks/phase18-marks18.md). Both directions stand above the staff, or, for a
bracket that opens while another is open on its staff, below it or dashed (musicxml_sides).
MuseScore 3 ends a line at the end of the latest chord or rest of the stop's staff that ends by
the stop, else at a held note's or a rest's end, and reads no ``<offset>`` on a stop: so a stop that cannot stand before an element at its time steps the cursor
there and back (``<forward>``, the direction, ``<backup>``) instead of an ``<offset>``.

Where: a direction goes in the measure holding its time, before the first element that sits
exactly there (so usually no ``<offset>`` is needed), otherwise at the nearest earlier point with
an ``<offset>`` in divisions; never between the notes of a chord. The stop goes in the measure
holding the occurrence's last moment (``end`` is exclusive: an occurrence ending on a barline
closes at the end of the bar before it), never before its own start in the document. In a
multi-staff part the directions name the staff of the occurrence's first note (``<staff>2</staff>``
for a motif in the left hand; of notes struck together, the top staff), so the bracket runs in its
staff; the stop names its last note's staff. In a part written in two or more voices both also name
their note's written voice (``<voice>``, as the file reads after renumbering), as MusicXML ties a
direction to a voice, where they stand among that voice's notes (between its <backup>s); one standing
among another voice's notes names none, as Verovio files the notes after a direction under the voice it
names (phase28-engrave28.md); MuseScore 3.2.3 ignores it (the bracket hangs on voice 1 of its staff).
A start at a note with grace notes stands after them, before the note (musicxml2ly hangs a direction
before a grace note on no note). Bracket numbers are reused, never by two brackets
open at once in a part (in document order): 1-9 (4.0 allows 1-16, but MuseScore 3 drops a direction
numbered 10 or more, its words too: benchmarks/phase15-musescore15.md). A document declaring 3.0 or
3.1 (1-6) that needs 7-9 then declares 4.0 (musicxml_version), unless it may not (an empty
``<multiple-rest>``; older versions): it keeps 1-6. Past that many overlapping occurrences, of the
brackets open then the one that stops last is left out (its label is written alone), which keeps the
most brackets any numbering can (``_bracket_numbers``). Nothing else in the document changes, but the <voice> numbers of a part MuseScore 3
would cut (more than four on a staff: musicxml_voices) and that declaration.

Which written notes are an occurrence's: those at its notes' (onset, pitch) that are not a tied
piece of an earlier note, where "tied" is what the reader merges (musicxml_scan.link_ties: a stop
that meets no open tie, as MuseScore writes a few, is a note of its own). "Staff" is the staff
MuseScore 3 files a note under (its voice's: a cross-staff note of a voice names the voice's staff).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

from motifcli.errors import OutputError
from motifcli.writers._common import clean_text
from motifcli.writers.colour_order import Span, winner
from motifcli.writers.musicxml_key import OVERLAP_LINE, RUN_LINE, key_direction
from motifcli.writers.musicxml_marks import Mark
from motifcli.writers.musicxml_room import ROOM, needs_room
from motifcli.writers.musicxml_scan import Slot, XmlNote, XmlPart, XmlScan, scan_parts
from motifcli.writers.musicxml_sides import ABOVE, BELOW_WORDS_SIZE, Side, below_is_clear, bracket_sides, lyric_staves, staff_spans
from motifcli.writers.musicxml_version import declare_4, declared_version
from motifcli.writers.musicxml_voices import voice_edits, written_voices

MAX_BRACKETS = 6  # MusicXML 1.0-3.1 number-level: 1..6
MAX_BRACKETS_4 = 9  # MusicXML 4.0 number-level 1..16, of which MuseScore 3 reads 1..9
_TOLERANCE = Fraction(1, 960)  # the grid marks snap beats to (musicxml_marks._beats)


def annotate_xml(data: bytes, marks: list[Mark], scan: XmlScan | None = None) -> bytes:
    """``data`` with the notes of every mark coloured and its bracket drawn (and voices MuseScore keeps)."""
    scan = scan or scan_parts(data)
    # (position, 0 = direction / 1 = tag edit, beat, 0 = stop / 1 = start, order, end, bytes)
    edits: list[tuple[int, int, Fraction, int, int, int, bytes]] = []
    by_part: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.part_id not in scan.parts:
            raise OutputError(f"the MusicXML source has no part {mark.part_id!r}")
        by_part[mark.part_id].append(mark)
    order = 0
    run_labels = False  # a run's label ("Motif A5–A8") written: the key says what it means
    levels = bracket_levels(scan)
    # a document declaring 3.0 or 3.1 may declare 4.0 (musicxml_version) when it needs 7-9 brackets
    upgrade = declare_4(scan) if levels < MAX_BRACKETS_4 else None
    if upgrade is not None:
        levels = MAX_BRACKETS_4
    most = 0  # the highest bracket number written
    plans: list[tuple[XmlPart, list, list[int | None]]] = []  # per part: its brackets placed, numbered
    for pid, part_marks in by_part.items():
        part = scan.parts[pid]
        part_marks.sort(key=lambda m: (m.start, m.end))
        holders: dict[int, list[Mark]] = defaultdict(list)  # note -> the marks colouring it, in time order
        order_by_onset = sorted(range(len(part.notes)), key=lambda i: part.notes[i].onset)
        sorted_onsets = [part.notes[i].onset for i in order_by_onset]
        by_key: dict[tuple[Fraction, int], list[int]] = defaultdict(list)
        tied_on = part.tied_on
        if any(m.keys is not None for m in part_marks):
            for i, n in enumerate(part.notes):
                if n.pitch is not None and not n.rest and not n.continues and not n.grace:
                    by_key[(_snap(n.onset), n.pitch)].append(i)
        staff_of: dict[int, int] = {}  # id(mark) -> the staff its directions go in
        voice_of = written_voices(part)  # <note> byte offset -> its written voice (parts in 2+ voices)
        first_of: dict[int, XmlNote] = {}  # id(mark) -> its first written note (of a chord: the top staff)
        last_of: dict[int, XmlNote] = {}  # id(mark) -> its last-ending written note (tied pieces too)
        for mark in part_marks:
            if mark.keys is None:
                lo = bisect.bisect_left(sorted_onsets, mark.start)
                hi = bisect.bisect_left(sorted_onsets, mark.end)
                chosen = [order_by_onset[k] for k in range(lo, hi)]
            else:
                chosen = [i for key in mark.keys  # a unison of two voices: the occurrence's own note
                          for i in mark.own(key, by_key.get((_snap(key[0]), key[1]), []), part.notes)]
                heads = list(chosen)
                for i in heads:
                    while i in tied_on:
                        i = tied_on[i]
                        chosen.append(i)
            sounding = [i for i in chosen if not part.notes[i].rest]
            if sounding:  # of simultaneous first notes, the top staff's
                first_of[id(mark)] = part.notes[min(sounding, key=lambda i: (part.notes[i].onset, part.notes[i].home))]
            if mark.staff is not None:
                staff_of[id(mark)] = mark.staff
            elif sounding:
                staff_of[id(mark)] = first_of[id(mark)].home
            written = [part.notes[i] for i in sounding if not part.notes[i].grace]
            # a note doubled at the unison in another voice matches the same (onset, pitch): the
            # bracket ends with the copy that ends with the occurrence, not a longer double
            written = [n for n in written if n.end <= mark.end + _TOLERANCE] or written
            if written:
                top = staff_of.get(id(mark))
                last_of[id(mark)] = max(written, key=lambda n: (n.end, n.home == top, -n.home))
            for i in sounding if mark.paint else ():  # a run's bracket colours nothing: its statements do
                holders[i].append(mark)
        # a note two statements hold takes one's colour (colour_order: a cell inside a phrase its own; of two
        # whose ends overlap, the earlier's); the phrase's bracket still shows its extent
        for i, held in holders.items():
            colour = held[winner([Span(m.start, m.end) for m in held])].color
            edits.append(_colour_edit(scan, part.notes[i].pos, colour))
        # brackets: place every start and stop first, then number them in document order
        placed = []
        # a slot's stream: the written voice whose notes stand around it (parts in 2+ voices); a direction names
        # its note's voice only where it stands in that voice's stream (Verovio files the notes after a direction
        # under the voice it names: phase28-engrave28.md)
        slot_voice = _slot_voices(scan, part, voice_of)
        for mark in (m for m in part_marks if m.draw):  # a statement of a run: its run's bracket draws it
            want = staff_of.get(id(mark)) if part.staves > 1 else None
            first, last = first_of.get(id(mark)), last_of.get(id(mark))
            voices = (voice_of.get(first.pos) if first is not None else None,
                      voice_of.get(last.pos) if last is not None else None)
            start_slot, start_offset = _choose_slot(part, mark.start, stop=False, staff=want)
            if start_slot is None:
                continue
            start_staff = (start_slot.staff or staff_of.get(id(mark), 1)) if part.staves > 1 else None
            # the stop: at the written end of its last note, in that note's staff (MuseScore 3 ends
            # a line at the end of the staff's latest chord or rest that ends by the stop; where none
            # does, at the end of the staff's first one in that bar: a held note's or a rest's end)
            end = max(last.end, mark.start) if last is not None else mark.end
            stop_staff = (last.home if last is not None else start_staff) if part.staves > 1 else None
            stop_slot, stop_offset = _choose_slot(part, end, stop=True, not_before=start_slot,
                                                  staff=stop_staff or start_slot.staff)
            assert stop_slot is not None
            start_key = (start_slot.pos, mark.start, 1)
            stop_key = (stop_slot.pos, end, 0)
            voices = (voices[0] if slot_voice.get(start_slot.pos) == voices[0] else None,
                      voices[1] if slot_voice.get(stop_slot.pos) == voices[1] else None)
            placed.append((start_key, stop_key, mark, start_slot, start_offset, stop_slot, stop_offset,
                           start_staff, stop_staff, voices))
        placed.sort(key=lambda p: p[0])
        numbers = _bracket_numbers([(p[0], p[1]) for p in placed], levels)
        most = max([most, *(n for n in numbers if n is not None)])
        plans.append((part, placed, numbers))
    # brackets open together on a staff go to both its sides, then dashed (musicxml_sides): below
    # only where the staff under it has no bracket of ours then (its labels would meet ours)
    spans = staff_spans([(part, [(p[0][1], p[1][1], p[7] or 1) for p in placed]) for part, placed, _ in plans])
    apart = False  # a bracket drawn below or dashed/dotted: the key says why (musicxml_key.OVERLAP_LINE)
    for part, placed, numbers in plans:
        no_below = lyric_staves(scan, part)
        sides = bracket_sides([(p[0], p[1], p[7] or 1) for p in placed], numbers, no_below,
                              [below_is_clear(spans, scan, part, p[7] or 1, p[0][1], p[1][1]) for p in placed])
        apart = apart or any(side != ABOVE for side in sides)
        # a label another may meet in its staff and side gets room after it, so MuseScore stacks them (musicxml_room)
        roomy = needs_room([(p[0][1], p[7] or 1, side.placement, clean_text(p[2].text))
                            for p, side in zip(placed, sides)])
        for (start_key, stop_key, mark, s_slot, s_off, e_slot, e_off, s_staff, e_staff, (s_voice, e_voice)), number, \
                side, room in zip(placed, numbers, sides, roomy):
            for key, slot, offset, kind, staff, voice in ((start_key, s_slot, s_off, "start", s_staff, s_voice),
                                                          (stop_key, e_slot, e_off, "stop", e_staff, e_voice)):
                # a bracket starts in the staff of the note its start stands before (the
                # occurrence's staff whenever that staff has a slot there) and stops in its last note's;
                # in a part of 2+ voices it names the voice of its first (last) note
                xml = _direction(mark, number, kind, offset, staff=staff, voice=voice, side=side, room=room)
                if xml is not None:
                    run_labels = run_labels or mark.run
                    order += 1
                    body = slot.lead + scan.enc(xml) + slot.indent
                    edits.append((slot.pos, 0, key[1], key[2], order, slot.pos, body))
    if order:  # a score with marks: the key to them, once, under the first bar (musicxml_key)
        extra = tuple(line for line, said in ((RUN_LINE, run_labels), (OVERLAP_LINE, apart)) if said)
        edits += _key_edit(scan, extra, order + 1)  # in musicxml_key.OPTIONAL_LINES' order
    edits += voice_edits(scan)  # so MuseScore keeps every voice, and with them the coloured notes
    if upgrade and most > MAX_BRACKETS:
        edits += upgrade
    return _splice(data, edits)


_Key = tuple[int, Fraction, int]  # (byte position, beat, 0 for a stop / 1 for a start): document order


def _key_edit(scan: XmlScan, extra: tuple[str, ...] = (), after: int = 0
              ) -> list[tuple[int, int, Fraction, int, int, int, bytes]]:
    """The key's direction (with ``extra`` lines: musicxml_key.key_direction), before the first note of the last
    part's bottom staff in its first bar (below that staff: clear of the labels and brackets above every staff),
    after every bracket that opens there (``after``: their last order), so MuseScore 3 lays a bracket below that
    staff out first and stacks the key under its label (written first, the key pushed the label under itself, away
    from its line: Verdi's "La donna è mobile", phase28-trial28.md); none in a part with no slot."""
    part = max(scan.parts.values(), key=lambda p: p.position)
    measures = [m for m in part.measures if m.slots]
    if not measures:
        return []
    bottom = part.staves if part.staves > 1 else None
    slot, _ = _choose_slot(part, measures[0].start, stop=False, staff=bottom)
    if slot is None:
        return []
    staff = (slot.staff or bottom) if bottom is not None else None  # the staff of the notes around it
    body = slot.lead + scan.enc(key_direction(staff, extra)) + slot.indent
    return [(slot.pos, 0, slot.time, 1, after, slot.pos, body)]


def bracket_levels(scan: XmlScan) -> int:
    """How many brackets a part may hold open at once: the ``number-level`` range of the MusicXML
    version the document declares (none declared: 1.0), capped at what MuseScore 3 reads."""
    return MAX_BRACKETS_4 if declared_version(scan) >= (4, 0) else MAX_BRACKETS


def _bracket_numbers(spans: list[tuple[_Key, _Key]], levels: int = MAX_BRACKETS) -> list[int | None]:
    """A number (1..levels) per (start, stop) bracket, sorted by start: a number is reused only once
    the bracket holding it has stopped earlier in the document; None for a bracket left out. Where one
    more bracket would be open than there are numbers, the open one (or the new one) that stops last
    is left out (its label stays), which keeps the most brackets any numbering can (interval
    scheduling on ``levels`` machines: Carlisle & Lloyd 1995); the first come kept theirs before."""
    open_: list[tuple[_Key, int, int]] = []  # (stop, number, index into spans)
    numbers: list[int | None] = []
    for k, (start, stop) in enumerate(spans):
        open_ = [o for o in open_ if not o[0] < start]
        used = {num for _, num, _ in open_}
        free = next((n for n in range(1, levels + 1) if n not in used), None)
        if free is None and open_:
            latest = max(open_, key=lambda o: o[0])
            if stop < latest[0]:  # the open bracket that runs longest gives its number up
                numbers[latest[2]] = None
                open_.remove(latest)
                free = latest[1]
        numbers.append(free)
        if free is not None:
            open_.append((stop, free, k))
    return numbers


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


def _slot_voices(scan: XmlScan, part: XmlPart, voice_of: dict[int, str]) -> dict[int, str]:
    """Slot position -> the written voice whose stream it stands in: the note's after it, or, before a
    ``<backup>`` or ``</measure>``, the note's before it in its measure (empty for a part in one voice)."""
    if not voice_of:
        return {}
    starts = [n.pos for n in part.notes]
    backup = scan.enc("<backup")
    streams: dict[int, str] = {}
    for measure in part.measures:
        first = bisect.bisect_left(starts, measure.slots[0].pos) if measure.slots else 0
        for slot in measure.slots:
            if 0 <= slot.note < len(part.notes) and not scan.data.startswith(backup, slot.pos):
                note = part.notes[slot.note]
            else:  # the stream ends here: the voice of the note before it in this measure
                k = bisect.bisect_left(starts, slot.pos) - 1
                note = part.notes[k] if k >= first else None
            if note is not None and note.pos in voice_of:
                streams[slot.pos] = voice_of[note.pos]
    return streams


def _before_grace(part: XmlPart, slot: Slot) -> bool:
    """Whether the next note after ``slot`` in its measure is a grace note."""
    return 0 <= slot.note < len(part.notes) and part.notes[slot.note].grace


def _choose_slot(
    part: XmlPart, when: Fraction, *, stop: bool, not_before: Slot | None = None, staff: int | None = None
) -> tuple[Slot | None, Fraction]:
    """The slot for something at ``when``: in the measure holding it (for a stop, holding the
    moment just before it), the first slot exactly there, else the nearest earlier one + offset.
    A stop never goes before ``not_before`` (its own start) in the document. Of slots at one
    time, one before a note of ``staff`` is preferred (grand staves: MuseScore 3 drops a
    direction that names another staff than the notes around it). Times are compared on the
    marks' 1/960 grid: a bar line off it (after a septuplet, an overfull bar) must not send a
    start snapped a hair before it into the bar before."""
    measures = [m for m in part.measures if m.slots]
    if not measures:
        return None, Fraction(0)
    when = _snap(when)
    starts = [m.start for m in measures]
    holds = (lambda start: _snap(start) < when) if stop else (lambda start: _snap(start) <= when)
    i = (bisect.bisect_left if stop else bisect.bisect_right)(starts, when) - 1
    while i + 1 < len(measures) and holds(starts[i + 1]):  # snapping moves a time by < 1/1920 beat:
        i += 1  # only bar lines that close to ``when`` can change sides, so only they are snapped
    while i >= 0 and not holds(starts[i]):
        i -= 1
    if not stop:
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
    exact = [s for s in slots if _snap(s.time) == when]
    if exact:
        # not before a grace note when a slot at that time stands after it, before its main note: musicxml2ly
        # hangs a direction before a grace note on no note, and the label is lost (phase28-engrave28.md)
        exact = [s for s in exact if not _before_grace(part, s)] or exact
        return next((s for s in exact if staff is not None and s.staff == staff), exact[0]), Fraction(0)
    before = [s for s in slots if _snap(s.time) < when and s.divisions]
    if before:
        best = max(_snap(s.time) for s in before)
        at_best = [s for s in before if _snap(s.time) == best]
        slot = next((s for s in at_best if staff is not None and s.staff == staff), at_best[0])
    else:
        slot = next((s for s in slots if s.divisions), slots[0])
    if not slot.divisions:
        return slot, Fraction(0)
    return slot, (when - _snap(slot.time)) * slot.divisions


def _decimal(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def _snap(beat: Fraction) -> Fraction:
    """A beat on a 1/960 grid, so the reader's float onsets and the document's exact ones meet."""
    if 960 % beat.denominator == 0:  # on the grid already (nearly every written time): no arithmetic
        return beat
    return Fraction(round(beat * 960), 960)


def _direction(mark: Mark, number: int | None, kind: str, offset: Fraction, *, staff: int | None = None,
               voice: str | None = None, side: Side = ABOVE, room: bool = False) -> str | None:
    # MuseScore 3 reads no <offset> on a bracket stop (the line ends where the direction stands): a stop
    # a whole number of divisions away moves the cursor there and back instead, which every reader follows
    step = kind == "stop" and offset != 0 and offset.denominator == 1
    extra = f"<offset>{_decimal(offset)}</offset>" if offset and not step else ""
    if voice is not None:  # the voice it belongs to (MusicXML: after <offset>, before <staff>)
        extra += f"<voice>{escape(voice)}</voice>"
    if staff is not None:  # a grand staff: said outright (some readers copy it to both); the staff of
        # the note it stands before (MuseScore 3 drops a staff-1 direction among staff-2 notes)
        extra += f"<staff>{int(staff)}</staff>"
    colour = quoteattr(mark.color)
    below_size = f' font-size="{BELOW_WORDS_SIZE}"'  # kept by MuseScore where the placement is not
    if kind == "start":
        bracket = (
            f'<direction-type><bracket type="start" number="{number}" line-end="{side.line_end}"'
            f' line-type="{side.line_type}"'
            f" color={colour}/></direction-type>"
            if number is not None
            else ""
        )
        # the bracket before its words: MuseScore 3 makes words that precede a bracket the line's own
        # text, which it never moves off another line's (two labels at one note drawn over each
        # other); words after it are a staff text, which it stacks clear of the lines and other labels
        return (
            f'<direction placement="{side.placement}">{bracket}<direction-type><words color={colour}'
            f'{below_size if side.placement == "below" else ""}>'
            f"{_ascii(escape(clean_text(mark.text) + (ROOM if room else '')))}</words></direction-type>"
            f"{extra}</direction>"
        )
    if number is None:
        return None
    stop = (
        f'<direction placement="{side.placement}"><direction-type><bracket type="stop" number="{number}"'
        f' line-end="{side.line_end}"/>'
        f"</direction-type>{extra}</direction>"
    )
    if not step:
        return stop
    there, back = ("forward", "backup") if offset > 0 else ("backup", "forward")
    moved = f"<duration>{abs(offset.numerator)}</duration>"
    return f"<{there}>{moved}</{there}>{stop}<{back}>{moved}</{back}>"


def _ascii(text: str) -> str:
    """``text`` with every character past ASCII as a character reference ("A5&#8211;A8"): any encoding holds it."""
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


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
