"""Tidy a safely parsed MusicXML tree before music21 sees it, so music21 never spends long or guesses.

score-timewise becomes score-partwise; ``<staves>`` is removed so a multi-staff part (piano) stays
one part (each note's ``<staff>`` stays: the reader takes it from music21's staff record, ``Note.staff``);
a part whose notes come before any ``<divisions>`` gets ``<divisions>1</divisions>``
(**missing divisions default to 1**, i.e. durations are read as quarter notes; music21 alone would
silently use 10080); divisions and durations must be finite numbers and no single duration may
exceed the beat limit; time signatures music21 would spend seconds on (over 32 beats, beat types
not a power of two) and repeats of the current one are dropped, and a part may change meter at most
:data:`MAX_METER_CHANGES` times. Tuplets written with rounded durations are made exact
(:func:`_exact_tuplets`). Notes of a transposing instrument (``<transpose>``) are rewritten at
sounding pitch and cue notes (``<cue/>``, not played) become rests (:func:`_at_sounding_pitch`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from xml.etree import ElementTree as ET

from motifcli.limits import ReadLimits, counted
from motifcli.readers.safe_xml import Refused
from motifcli.sounding import Transpositions, respell, staff_number, transpose_interval

MAX_METER_CHANGES = 500  # time-signature changes per part (each costs music21 milliseconds)


def prepare_tree(root: ET.Element, limits: ReadLimits) -> ET.Element:
    """The tree in the shape music21 reads quickly and correctly (see the module docstring)."""
    if root.tag == "score-timewise":
        root = _timewise_to_partwise(root)
    parts = root.findall("part")
    if not parts:
        raise Refused("MusicXML score without any <part>")
    for part in parts:
        divisions: float | None = None
        meter_changes = 0
        last_meter: tuple[str, str] | None = None
        for measure in part.findall("measure"):
            for attributes in measure.findall("attributes"):
                for staves in attributes.findall("staves"):
                    attributes.remove(staves)
                for time in attributes.findall("time"):
                    meter = _meter(time)
                    if meter is None or meter == last_meter:
                        attributes.remove(time)  # unusable or repeated: music21 never sees it
                        continue
                    last_meter = meter
                    meter_changes += 1
                    if meter_changes > MAX_METER_CHANGES:
                        raise Refused(
                            f"more than {MAX_METER_CHANGES} time-signature changes in part {_shown(part.get('id'))}"
                        )
            for element in measure.iter():
                if element.tag == "divisions":
                    value = _number(element.text)
                    if value is None or value <= 0:
                        raise Refused(f"invalid <divisions> value {_shown(element.text)}")
                    divisions = value
                elif element.tag == "duration":
                    value = _number(element.text)
                    if value is None or value < 0:
                        raise Refused(f"invalid <duration> value {_shown(element.text)}")
                    if divisions is None:
                        divisions = 1.0
                        _insert_divisions(part)
                    if value / divisions > limits.max_beats:
                        raise Refused(
                            f"a duration of {counted(value / divisions, 'beat')}, longer than "
                            f"{counted(limits.max_beats, 'beat')} (raise the limit with --max-beats)"
                        )
        _exact_tuplets(part)
        _at_sounding_pitch(part)
    return root


def _at_sounding_pitch(part: ET.Element) -> None:
    """Write a part's notes at sounding pitch and silence its cue notes (:mod:`motifcli.sounding`).

    Each ``<transpose>`` is applied to the notes after it (per staff where it names one) and then
    removed, so music21 reads sounding pitches and keeps no transposition of its own (its importer
    would also fail on an ``<octave-change>`` without ``<diatonic>``). A ``<cue/>`` note becomes a
    rest of its duration, a cue chord member or cue grace note is removed: neither is played. A cue
    chord head with real members hands its place to the first real member (:func:`_real_member`);
    left a rest, music21 would read the members as a chord built on the rest (a stray C4).
    """
    if part.find(".//transpose") is None and part.find(".//cue") is None:
        return  # nearly every part: one quick look
    state = Transpositions()
    for measure in part.findall("measure"):
        children = list(measure)
        kept: list[ET.Element] = []
        for index, child in enumerate(children):
            if child.tag == "attributes":
                for transpose in child.findall("transpose"):
                    state.set(transpose.get("number"), transpose_interval(
                        transpose.findtext("diatonic"), transpose.findtext("chromatic"),
                        transpose.findtext("octave-change")))
                    child.remove(transpose)
            elif child.tag != "note":
                pass
            elif child.find("cue") is not None:
                if child.find("chord") is not None:
                    continue  # a cue chord member: gone
                member = _real_member(children, index)
                if member is not None:
                    _promote(member, child)
                    continue
                if child.find("grace") is not None:
                    continue  # a cue grace note takes no time: gone
                _silence(child)
            elif state and (pitch := child.find("pitch")) is not None:
                if _respell(pitch, state.at(staff_number(child.findtext("staff")))):
                    for accidental in child.findall("accidental"):
                        child.remove(accidental)  # the written one: music21 would spell (and pitch) by it
            kept.append(child)
        if len(kept) != len(children):
            measure[:] = kept  # one rebuild, not a remove per cue note (quadratic in a long measure)


def _real_member(children: list[ET.Element], head: int) -> ET.Element | None:
    """The first member of the chord headed by ``children[head]`` that is not a cue note, else None."""
    for child in children[head + 1:]:
        if child.tag in ("backup", "forward") or (child.tag == "note" and child.find("chord") is None):
            return None  # the chord has ended
        if child.tag == "note" and child.find("cue") is None:
            return child
    return None


def _promote(member: ET.Element, head: ET.Element) -> None:
    """A real chord member becomes the head of its chord in place of the cue head, with the head's
    duration (the time cursor moves by it, and music21 gives a chord its first note's length)."""
    for chord in member.findall("chord"):
        member.remove(chord)
    duration, written = member.find("duration"), head.find("duration")
    if duration is not None and written is not None:
        duration.text = written.text


def _silence(note: ET.Element) -> None:
    """A cue note out of the music: a rest of its duration where it moves the time cursor."""
    for child in list(note):
        if child.tag in ("cue", "pitch", "unpitched", "tie", "notations", "accidental", "notehead", "rest"):
            note.remove(child)
    note.insert(0, ET.Element("rest"))


_READABLE_ALTERS = (-4, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4)  # music21 has accidentals for these


def _respell(pitch: ET.Element, interval: tuple[int, int]) -> bool:
    """Move a ``<pitch>`` by (steps, semitones); False where it is left as it is.

    A pitch music21 would not read untransposed (an octave that is no integer, an alter it has no
    accidental for) is left as written, so the file gets the same one-line error with or without
    a ``<transpose>`` rather than a respelled (or silently dropped) note the writer cannot find.
    """
    step = (pitch.findtext("step") or "").strip().upper()
    try:
        octave = int((pitch.findtext("octave") or "").strip())
        alter = float(pitch.findtext("alter") or 0)
    except ValueError:
        return False
    if interval == (0, 0) or step not in "CDEFGAB" or len(step) != 1 or alter not in _READABLE_ALTERS:
        return False
    new_step, new_alter, new_octave = respell(step, alter, octave, interval)
    pitch.clear()
    for tag, text in (("step", new_step), ("alter", _shown_number(new_alter)), ("octave", str(new_octave))):
        if tag != "alter" or new_alter:
            ET.SubElement(pitch, tag).text = text
    return True


def _shown_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_TYPE_QUARTERS = {
    "maxima": Fraction(32), "long": Fraction(16), "breve": Fraction(8), "whole": Fraction(4), "half": Fraction(2),
    "quarter": Fraction(1), "eighth": Fraction(1, 2), "16th": Fraction(1, 4), "32nd": Fraction(1, 8),
    "64th": Fraction(1, 16), "128th": Fraction(1, 32), "256th": Fraction(1, 64), "512th": Fraction(1, 128),
    "1024th": Fraction(1, 256),
}
MAX_TUPLET_SCALE = 1_000  # the most <divisions> are multiplied by to make tuplets exact


def _fraction(text: str | None) -> Fraction | None:
    try:
        return Fraction((text or "").strip())
    except (ValueError, ZeroDivisionError):
        return None


def _notated_quarters(note: ET.Element) -> Fraction | None:
    """A tuplet note's notated length in quarter notes (type, dots, time-modification), else None."""
    quarters = _TYPE_QUARTERS.get((note.findtext("type") or "").strip())
    modification = note.find("time-modification")
    if quarters is None or modification is None:
        return None
    actual = _fraction(modification.findtext("actual-notes"))
    normal = _fraction(modification.findtext("normal-notes"))
    if not actual or not normal or actual <= 0 or normal <= 0:
        return None
    dots = len(note.findall("dot"))
    if dots > 4:
        return None  # no real note has more; keeps hostile files cheap
    return quarters * (2 - Fraction(1, 2**dots)) * normal / actual


def _exact_tuplets(part: ET.Element) -> None:
    """Make tuplet durations exact where the file could only write them rounded.

    ``<duration>`` is a whole number of ``<divisions>`` per quarter in most files, and a tuplet
    that does not divide them (a septuplet at MuseScore's 480 divisions: 137.14 for a 16th) is
    written rounded (137, 69, 206). Read as written, every later note of the bar drifts off the
    notation by up to a few divisions. Where a tuplet note's ``<duration>`` is within one division
    of its notated length (type, dots, time-modification), the part's divisions are multiplied so
    that the notated length is a whole number, and that length is used; every other duration, and
    each ``<backup>``/``<forward>`` (to the exact place it went back or on to), is rescaled with it.
    """
    divisions: Fraction | None = None
    scale = 1
    for measure in part.findall("measure"):
        for element in measure.iter():
            if element.tag == "divisions":
                divisions = _fraction(element.text)
            elif element.tag == "note" and divisions:
                written = _fraction(element.findtext("duration"))
                notated = _notated_quarters(element)
                if written is None or notated is None:
                    continue
                exact = notated * divisions
                if exact.denominator > 1 and 0 < abs(exact - written) <= 1:
                    scale = scale * exact.denominator // math.gcd(scale, exact.denominator)
                    if scale > MAX_TUPLET_SCALE:
                        return  # tuplets no sane number of divisions holds: read as written
    if scale == 1:
        return

    def put(element: ET.Element, value: Fraction) -> None:
        element.text = str(value.numerator) if value.denominator == 1 else str(float(value))

    divisions = None
    for measure in part.findall("measure"):
        written_at = exact_at = Fraction(0)  # the time cursor, as written and as rescaled
        places = {written_at: exact_at}
        note_start = (written_at, exact_at)
        for child in measure:
            for element in child.iter():
                if element.tag == "divisions":
                    divisions = _fraction(element.text)
                    if divisions:
                        put(element, divisions * scale)
                elif element.tag == "offset" and (value := _fraction(element.text)) is not None:
                    put(element, value * scale)  # a direction's offset from the cursor, in divisions
            duration = child.find("duration")
            written = _fraction(duration.text) if duration is not None else None
            if written is None:
                continue
            if child.tag == "note":
                new = written * scale
                notated = _notated_quarters(child)
                if notated is not None and divisions:
                    exact = notated * divisions
                    if 0 < abs(exact - written) <= 1:
                        new = exact * scale
                put(duration, new)
                if child.find("chord") is not None:
                    written_at, exact_at = note_start  # a chord's notes all start with its first
                else:
                    note_start = (written_at, exact_at)
                if child.find("grace") is None:
                    written_at, exact_at = written_at + written, exact_at + new
                    places.setdefault(written_at, exact_at)
            elif child.tag in ("backup", "forward"):
                target = written_at - written if child.tag == "backup" else written_at + written
                exact_target = places.get(target, exact_at + (target - written_at) * scale)
                step = exact_at - exact_target if child.tag == "backup" else exact_target - exact_at
                if step < 0:  # the exact place lies the other way: stay put rather than turn round
                    step, exact_target = Fraction(0), exact_at
                put(duration, step)
                written_at, exact_at = target, exact_target
                places.setdefault(written_at, exact_at)
            else:
                put(duration, written * scale)  # <figured-bass> and the like


def _meter(time: ET.Element) -> tuple[str, str] | None:
    """(beats, beat-type) of a <time> that music21 can build cheaply, else None.

    music21 spends seconds on a time signature like 400/4 or 31/3 (it partitions the beats), so only
    meters of at most 32 beats over a power of two up to 64 are kept; others are dropped (notes and
    measure positions come from durations, not from the meter).
    """
    beats = [(b.text or "").strip() for b in time.findall("beats")]
    types = [(b.text or "").strip() for b in time.findall("beat-type")]
    if not beats or len(beats) != len(types):
        return None
    total = 0
    for text in beats:
        parts = text.split("+")
        if not all(p.isdigit() and len(p) <= 3 for p in parts):
            return None
        total += sum(int(p) for p in parts)
    if not 1 <= total <= 32:
        return None
    if not all(t.isdigit() and len(t) <= 3 and int(t) in (1, 2, 4, 8, 16, 32, 64) for t in types):
        return None
    return ("|".join(beats), "|".join(types))


def _number(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def measure_extents(part: ET.Element) -> list[Fraction]:
    """How long each measure of a (prepared) part lasts as MusicXML and MuseScore read it: as far
    as its time cursor got (notes, ``<backup>``, ``<forward>``), in quarter beats.

    music21's own measure lengths leave out a ``<forward>`` at the end (bwv171.6's trumpets write an
    empty 3-beat bar "X1" as a quarter rest and two forwards, which music21 makes 1 beat long).
    """
    divisions = Fraction(1)
    out: list[Fraction] = []
    for measure in part.findall("measure"):
        cursor = extent = Fraction(0)
        for child in measure:
            if child.tag == "attributes":
                value = _fraction(child.findtext("divisions"))
                if value:
                    divisions = value
                continue
            if child.tag not in ("note", "backup", "forward"):
                continue
            if child.tag == "note" and (child.find("chord") is not None or child.find("grace") is not None):
                continue
            value = _fraction(child.findtext("duration"))
            if value is None:
                continue
            cursor += -value / divisions if child.tag == "backup" else value / divisions
            extent = max(extent, cursor)
        out.append(extent)
    return out


def _shown(text: str | None) -> str:
    text = (text or "").strip()
    return repr(text if len(text) <= 20 else text[:17] + "...")


def _insert_divisions(part: ET.Element) -> None:
    """Give a part without <divisions> one of 1 in its first measure (durations in quarter notes)."""
    first = part.find("measure")
    if first is None:  # pragma: no cover - a duration was found, so there is a measure
        return
    attributes = first.find("attributes")
    if attributes is None:
        attributes = ET.Element("attributes")
        first.insert(0, attributes)
    element = ET.Element("divisions")
    element.text = "1"
    attributes.insert(0, element)


def _timewise_to_partwise(root: ET.Element) -> ET.Element:
    new = ET.Element("score-partwise", dict(root.attrib))
    parts: dict[str, ET.Element] = {}
    part_list = root.find("part-list")
    if part_list is not None:
        for score_part in part_list.iter("score-part"):
            pid = score_part.get("id")
            if pid is not None and pid not in parts:
                parts[pid] = ET.Element("part", {"id": pid})
    for child in root:
        if child.tag != "measure":
            new.append(child)
            continue
        for part in child.findall("part"):
            pid = part.get("id", "")
            target = parts.setdefault(pid, ET.Element("part", {"id": pid}))
            measure = ET.SubElement(target, "measure", dict(child.attrib))
            measure.extend(list(part))
    for part in parts.values():
        new.append(part)
    return new


def part_facts(root: ET.Element) -> tuple[list[str], dict[str, str], dict[str, int]]:
    """Part ids in file order, part names and MIDI channels (0-based) from <part-list>."""
    ids = [p.get("id", "") for p in root.findall("part")]
    names: dict[str, str] = {}
    channels: dict[str, int] = {}
    part_list = root.find("part-list")
    if part_list is not None:
        for score_part in part_list.iter("score-part"):
            pid = score_part.get("id", "")
            name = " ".join((score_part.findtext("part-name") or "").split())
            if name and pid not in names:
                names[pid] = name
            channel = _number(score_part.findtext("midi-instrument/midi-channel"))
            if channel is not None and 1 <= channel <= 16 and pid not in channels:
                channels[pid] = int(channel) - 1
    return ids, names, channels
