"""MusicXML (.musicxml/.xml, compressed .mxl) to a :class:`~motifcli.score.Score`, safely.

Nothing from the file reaches music21 until it has passed our own checks, each in its own module:

1. :mod:`~motifcli.readers.mxl` takes the score member out of an .mxl container (in memory, capped);
2. :mod:`~motifcli.readers.safe_xml` parses the bytes with expat, refusing entities, external loads,
   foreign roots, and more parts, notes or measures than :class:`~motifcli.limits.ReadLimits` allows;
3. :mod:`~motifcli.readers.musicxml_tree` tidies the tree (timewise to partwise, missing divisions,
   costly meters, exact tuplets) and checks durations against the beat limit;
4. only then is the tree handed to music21's MusicXML importer (never ``converter.parse``, so no
   file access by music21 and no pickle cache). Any exception music21 raises on odd content becomes
   a one-line :class:`ScoreReadError`.

The score keeps the document's bytes and the .mxl member's name (:attr:`Score.source`,
:attr:`Score.source_member`), so the MusicXML writer annotates exactly what was read.

Notes: every pitch is the **sounding** pitch, MIDI number (a transposing instrument's written notes
moved by its ``<transpose>``, changes mid-part too: :mod:`motifcli.sounding`); cue notes (``<cue/>``,
printed but not played), grace notes (and notes of no duration) are dropped; ties are merged (per
pitch, see :func:`_merge_ties`), pitches outside MIDI's 0-127 are dropped, a chord gives one note
per pitch, positions are quarter-note beats from the start of the score. A part is a drum track when
most of its notes are unpitched (a drum kit with a stray pitched note too), or it plays on MIDI channel
10; a drum track's unpitched
notes are read at their drum sound (``<midi-unpitched>``) or display position. An unpitched note in
any other part (a clap or a spoken "x" in a voice's part) is not read: its display step is a staff
position, not a pitch, so it is no part of a melodic motif, and the MusicXML writer's scan gives it
no pitch, so it could never be coloured (MuseScore 3 plays it at the display pitch, as it plays cue
notes; phase23-unpitched23.md).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits, counted
from motifcli.meter import MeterMap
from motifcli.quiet import library_quiet
from motifcli.readers.m21_meter import linear_bar_lengths
from motifcli.readers.musicxml_tree import measure_extents, part_facts, prepare_tree
from motifcli.readers.mxl import is_zip, score_member
from motifcli.readers.safe_xml import MUSICXML_ROOTS, Refused, describe, parse_safely
from motifcli.score import DRUM_CHANNEL, Note, Score, TempoChange, TimeSignature, Track
from motifcli.ties import tie_links


def read_musicxml(path: str | Path, limits: ReadLimits | None = None) -> Score:
    """Read a MusicXML file. Raises :class:`ScoreReadError` for anything hostile or unreadable."""
    limits = limits or ReadLimits()
    path = Path(path)
    return read_musicxml_bytes(limits.read_file(path), path, limits)


def read_musicxml_bytes(data: bytes, path: Path | None, limits: ReadLimits) -> Score:
    """A MusicXML document (or .mxl container) already in memory, through the same checks as a file;
    ``path`` names it in messages and on the score (None: it came from no file, e.g. a music21 stream)."""
    member = None
    try:
        if (path is not None and path.suffix.lower() == ".mxl") or is_zip(data):
            member, data = score_member(data, limits)
        root = parse_safely(data, limits, MUSICXML_ROOTS)
        root = prepare_tree(root, limits)
        score = _score_from_tree(root, path, limits)
    except ScoreReadError as exc:
        if exc.path is None:
            raise ScoreReadError(exc.message, path) from None
        raise
    except Refused as exc:
        raise ScoreReadError(str(exc), path) from None
    except MemoryError:
        raise ScoreReadError("not enough memory to read this MusicXML file", path) from None
    except RecursionError:
        raise ScoreReadError("MusicXML content nests too deeply for music21", path) from None
    except Exception as exc:  # noqa: BLE001 - music21 raises anything on odd content
        raise ScoreReadError(f"MusicXML content that music21 cannot read ({describe(exc)})", path) from None
    score.source = data
    score.source_member = member
    return score



def _score_from_tree(root: ET.Element, path: Path | None, limits: ReadLimits) -> Score:
    from music21 import chord, note, stream, tempo
    from music21 import meter as m21meter
    from music21.musicxml import xmlToM21

    ids, names, channels = part_facts(root)
    with library_quiet():
        importer = xmlToM21.MusicXMLImporter()
        importer.parsePartList(root)
        known = importer.mxScorePartDict
        m21_parts: list[tuple[int, str, Any, dict[int, int]]] = []
        extents: list[list[Fraction]] = []
        for position, mx_part in enumerate(root.findall("part")):
            pid = mx_part.get("id", "")
            if pid not in known:
                continue  # music21 skips parts without a <score-part> too
            parsed = _parse_part(importer, mx_part, known[pid])
            if parsed is not None:
                part, staff_of, voice_of = parsed
                m21_parts.append((position, pid, part, staff_of, voice_of))
                extents.append(measure_extents(mx_part))
        own_starts = [[m.offset for m in part.getElementsByClass(stream.Measure)] for _, _, part, _, _ in m21_parts]
        common = _common_measure_starts(extents, own_starts)

        tracks: list[Track] = []
        tempos: dict[float, TempoChange] = {}
        signatures: list[TimeSignature] = []
        measure_starts: list[float] | None = None
        measure_numbers: list[str] | None = None
        total = 0
        for number, (position, pid, part, staff_of, voice_of) in enumerate(m21_parts):
            moved = _mover(own_starts[number], common)
            if number == 0:
                measures = list(part.getElementsByClass(stream.Measure))
                if measures:
                    measure_starts = [float(moved(m.offset)) for m in measures]
                    measure_numbers = [str(m.measureNumberWithSuffix()) for m in measures]
            flat = part.flatten()
            pieces: list[tuple[Any, Any, int, int, str | None, int, int]] = []
            percussive: list[bool] = []  # per piece: an <unpitched> note's
            pitched = unpitched = 0
            channel = channels.get(pid, 0)
            for element in flat.notes:
                if element.duration.isGrace or element.duration.quarterLength <= 0:
                    continue  # grace notes, and notes without a <duration>, take no time
                onset = moved(element.offset)  # exact (Fraction where a tuplet needs one) until the end
                offset = onset + element.duration.quarterLength
                velocity = _velocity(element)
                staff = staff_of.get(id(element), 1)
                voice = voice_of.get(id(element), 0)
                members = list(element.notes) if isinstance(element, chord.ChordBase) else [element]
                for member in members:
                    if isinstance(member, note.Unpitched):
                        unpitched += 1
                        midi = _unpitched_midi(member)
                    elif isinstance(member, note.Note):
                        pitched += 1
                        midi = int(round(member.pitch.ps))
                    else:  # pragma: no cover - other NotRest kinds
                        continue
                    if not 0 <= midi <= 127:
                        continue
                    tie = member.tie if member.tie is not None else (
                        element.tie if not isinstance(element, chord.ChordBase) else None
                    )
                    pieces.append((onset, offset, midi, velocity, tie.type if tie is not None else None, staff, voice))
                    percussive.append(isinstance(member, note.Unpitched))
            is_drum = unpitched > pitched or channel == DRUM_CHANNEL
            if unpitched and not is_drum:  # a percussive note in a pitched part has no pitch: not read
                pieces = [piece for piece, drum_note in zip(pieces, percussive) if not drum_note]
            notes = [Note(float(on), float(off), midi, vel, channel, staff, voice)
                     for on, off, midi, vel, staff, voice in _merge_ties(pieces)]
            total += len(notes)
            if total > limits.max_notes:
                raise Refused(f"more than {counted(limits.max_notes, 'note')} (raise the limit with --max-notes)")
            notes.sort(key=lambda n: (n.onset, n.pitch))
            if any(n.offset > limits.max_beats for n in notes):
                raise Refused(f"longer than {counted(limits.max_beats, 'beat')} (raise the limit with --max-beats)")
            tracks.append(
                Track(
                    index=len(tracks),
                    name=names.get(pid) or _id_name(pid) or f"Part {position + 1}",
                    notes=notes,
                    is_drum=is_drum,
                    channel=channel,
                    part_id=pid,
                    source_index=position,
                )
            )
            for mark in flat.getElementsByClass(tempo.MetronomeMark):
                bpm = mark.getQuarterBPM()
                beat = float(moved(mark.offset))
                if bpm and bpm > 0 and math.isfinite(bpm) and beat not in tempos:
                    tempos[beat] = TempoChange(beat, max(1, min(int(round(60_000_000 / bpm)), 2**24 - 1)))
            if number == 0:
                for sig in flat.getElementsByClass(m21meter.TimeSignature):
                    signatures.append(TimeSignature(float(moved(sig.offset)), int(sig.numerator), int(sig.denominator)))
    signatures.sort(key=lambda s: s.beat)
    meter = None
    if measure_starts:
        end = max((n.offset for t in tracks for n in t.notes), default=0.0)
        meter = MeterMap.from_written_measures(measure_starts, measure_numbers, signatures, end_beat=end)
    return Score(
        tracks=tracks,
        path=path,
        format="musicxml",
        tempos=sorted(tempos.values(), key=lambda t: t.beat),
        time_signatures=signatures,
        meter=meter,
    )


def _common_measure_starts(extents: list[list[Fraction]], own_starts: list[list[Any]]) -> list[Fraction] | None:
    """Where each measure starts in every part: after the longest of the measures before it, as
    MusicXML (and MuseScore) read a score, its cursor's reach in each part (:func:`measure_extents`).

    music21 parses each part alone and lets a measure last as long as its own notes (a ``<forward>``
    at its end left out), so parts could drift apart where they disagree: bwv171.6's trumpets write
    the 1-beat bar "24X1" as 3 beats of rest, music21 read it as 1 beat, MuseScore as 3 in every
    part. None when music21's measures and the document's are not one for one (then nothing moves).
    """
    if not extents or any(len(e) != len(o) for e, o in zip(extents, own_starts)):
        return None
    starts, at = [], Fraction(0)
    for i in range(max(len(e) for e in extents)):
        starts.append(at)
        longest = max((e[i] for e in extents if i < len(e)), default=Fraction(0))
        if longest == 0:  # no part moves its cursor here (an empty <measure/>): as music21 has it
            nxt = [Fraction(o[i + 1]) - Fraction(o[i]) for o in own_starts if i + 1 < len(o)]
            longest = max(nxt, default=Fraction(0))
        at += longest
    return starts


def _mover(own: list[Any], common: list[Fraction] | None) -> Callable[[Any], Any]:
    """A part's positions moved from its own measure starts (music21's) to the common ones."""
    if common is None or not own:
        return lambda x: x
    deltas = [c - Fraction(o) for o, c in zip(own, common)]
    if not any(deltas):
        return lambda x: x
    keys = [float(o) for o in own]

    def moved(x: Any) -> Any:
        return x + deltas[max(bisect.bisect_right(keys, float(x) + 1e-9) - 1, 0)]

    return moved


def _parse_part(importer: Any, mx_part: ET.Element,
                mx_score_part: ET.Element) -> tuple[Any, dict[int, int], dict[int, int]] | None:
    """music21's part parser, in time linear in the number of bars (``importer.xmlPartToPart`` is not),
    the staff of each of its notes and chords (``id(element) -> <staff>``, 1 where none is written)
    and their written voice (``id(element) -> <voice>``, :func:`_record_voices`).

    ``prepare_tree`` removes ``<staves>`` so a piano part stays one part, but music21's measure
    parser still files every note under its ``<staff>`` (``staffReferenceList``, per measure); that
    is kept here, so the voices can be split per staff (motifcli/voices.py) at no extra parse.

    music21 inserts each parsed measure into the part with ``Stream.insert``, which first works out
    the part's highest time over every element so far: 20,000 one-note bars took minutes. Measures
    arrive in time order, so here they are inserted with ``ignoreSort`` (the part is sorted once,
    when first read) and the part is a plain ``stream.Part`` again afterwards. Its check of a short
    measure's length searched the part for the time signature: :mod:`~motifcli.readers.m21_meter`.
    """
    from music21 import stream
    from music21.musicxml import xmlToM21

    parser = xmlToM21.PartParser(mx_part, mxScorePart=mx_score_part, parent=importer)
    if type(parser.stream) is stream.Part:  # never a PartStaff: prepare_tree removes <staves>
        parser.stream = _linear_part_class()()
    voice_of = _record_voices(parser)
    linear_bar_lengths(parser)
    parser.parse()
    if not parser.appendToScoreAfterParse:
        return None
    part = parser.stream
    if isinstance(part, _linear_part_class()):
        part.__class__ = stream.Part  # nothing downstream sees the subclass
    staff_of: dict[int, int] = {}
    for reference in parser.staffReferenceList:
        for staff, elements in reference.items():
            if 1 < staff <= MAX_STAFF_NUMBER:  # 0 (no <staff> written) and 1 are the default; no staff is huge
                for element in elements:
                    staff_of[id(element)] = int(staff)
    return part, staff_of, voice_of


def _record_voices(parser: Any) -> dict[int, int]:
    """Have ``parser`` record each parsed element's written ``<voice>`` (``id(element) -> number``).

    music21 files a measure's notes under a ``stream.Voice`` per voice only where the measure has two
    or more (its ``MeasureParser.voicesById``); in a measure of one voice the notes lie in the measure
    and that voice is its one ``voiceIndices`` entry. Both are read from each measure's parser as it
    finishes (wrapping ``xmlMeasureToMeasure``), so the voices cost no second parse. A voice named by
    no number gets 1000 + its order of appearance in the part.
    """
    voice_of: dict[int, int] = {}
    named: dict[str, int] = {}
    parse_measure = parser.xmlMeasureToMeasure

    def number(text: Any) -> int:
        text = str(text).strip()
        if text.isdigit() and len(text) <= 9:  # a longer number is a name (it would not fit numpy's int64)
            return int(text)
        return named.setdefault(text, 1000 + len(named))

    def measure_with_voices(mx_measure: ET.Element) -> Any:
        measure = parse_measure(mx_measure)
        measure_parser = getattr(parser, "lastMeasureParser", None)
        if measure_parser is None:  # pragma: no cover - set by every xmlMeasureToMeasure (music21 9-10)
            return measure  # another music21: no written voices, every staff split by pitch
        if getattr(measure_parser, "useVoices", False):
            for key, voice in measure_parser.voicesById.items():
                written = number(key)
                for element in voice._elements:
                    voice_of[id(element)] = written
        elif len(getattr(measure_parser, "voiceIndices", ())) == 1:
            written = number(next(iter(measure_parser.voiceIndices)))
            for element in measure._elements:
                voice_of[id(element)] = written
        return measure

    parser.xmlMeasureToMeasure = measure_with_voices
    return voice_of


MAX_STAFF_NUMBER = 999  # a larger <staff> is read as none written (40 digits crashed numpy, fuzz_annotate)

_LINEAR_PART: list[type] = []


def _linear_part_class() -> type:
    """A ``stream.Part`` whose measure inserts skip the highest-time scan (made once, on first use)."""
    if not _LINEAR_PART:
        from music21 import stream

        class _LinearPart(stream.Part):
            def insert(self, offsetOrItemOrList: Any, itemOrNone: Any = None, **kwargs: Any) -> None:  # noqa: N803
                if isinstance(itemOrNone, stream.Measure):
                    kwargs["ignoreSort"] = True  # leaves the part marked unsorted: sorted once, later
                super().insert(offsetOrItemOrList, itemOrNone, **kwargs)

        _LINEAR_PART.append(_LinearPart)
    return _LINEAR_PART[0]


def _merge_ties(
    pieces: list[tuple[Any, Any, int, int, str | None, int, int]],
) -> list[tuple[Any, Any, int, int, int, int]]:
    """Tied pieces (onset, offset, midi, velocity, tie type, staff, voice) to whole notes (onset,
    offset, midi, velocity, staff, voice: the first piece's), in (onset, pitch) order.

    Which pieces join is :func:`motifcli.ties.tie_links` (per pitch, as the MusicXML writer finds
    them again); a joined note lasts to the latest end of its pieces.
    """
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i][0], pieces[i][2]))
    links = tie_links((i, pieces[i][0], pieces[i][1], pieces[i][2], pieces[i][4] in ("stop", "continue"),
                       pieces[i][4] in ("start", "continue")) for i in order)
    joined = set(links.values())
    notes = []
    for i in order:
        if i in joined:
            continue
        onset, offset, midi, velocity, _, staff, voice = pieces[i]
        j = i
        while j in links:
            j = links[j]
            offset = max(offset, pieces[j][1])
        notes.append((onset, offset, midi, velocity, staff, voice))
    return notes


def _velocity(element: Any) -> int:
    try:
        if element.hasVolumeInformation():
            value = element.volume.velocity
            if value is not None:
                return max(1, min(int(value), 127))
    except Exception:  # noqa: BLE001 - odd dynamics never cost the note
        pass
    return 64


def _unpitched_midi(member: Any) -> int:
    instrument = getattr(member, "storedInstrument", None)
    perc = getattr(instrument, "percMapPitch", None)
    if isinstance(perc, int):
        return perc
    return int(round(member.displayPitch().ps))


# music21 writes "P" + a hex hash; MuseScore, Finale and Sibelius number parts "P1", "P2": no name for a reader
_GENERATED_ID = re.compile(r"P?[0-9a-fA-F]{8,}|P[0-9]{1,4}")


def _id_name(pid: str) -> str:
    """A part with no name is called by its id ("Pno") unless the id is generated (music21's hash
    "Pf789c26e...", an exporter's number "P1"), which reads worse in a report than its place ("Part 2")."""
    return "" if _GENERATED_ID.fullmatch(pid) else pid

