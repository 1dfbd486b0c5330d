"""MusicXML (.musicxml/.xml, compressed .mxl) to a :class:`~motifcli.score.Score`, safely.

Nothing from the file reaches music21 until it has passed our own XML pass:

1. The bytes are parsed with expat, with handlers that refuse any ``<!ENTITY ...>`` declaration
   (which stops XXE to local files and billion-laughs bombs at the first declaration, before any
   expansion), never load external entities or DTDs, check that the root element is
   ``<score-partwise>`` or ``<score-timewise>``, and stop as soon as the file has more parts or
   notes or measures than :class:`~motifcli.limits.ReadLimits` allows, or nests deeper than any
   real score.
2. The resulting element tree is tidied: score-timewise becomes score-partwise; ``<staves>`` is
   removed so a multi-staff part (piano) stays one part; a part whose notes come before any
   ``<divisions>`` gets ``<divisions>1</divisions>`` (**missing divisions default to 1**, i.e.
   durations are read as quarter notes; music21 alone would silently use 10080); divisions and
   durations must be finite numbers and no single duration may exceed the beat limit; time
   signatures music21 would spend seconds on (over 32 beats, beat types not a power of two) and
   repeats of the current one are dropped, and a part may change meter at most 500 times.
3. Only then is the tree handed to music21's MusicXML importer (never ``converter.parse``, so no
   file access by music21 and no pickle cache). Any exception music21 raises on odd content becomes
   a one-line :class:`ScoreReadError`.

``.mxl`` archives are read into memory only (members are never extracted to disk): the score is
the first MusicXML ``rootfile`` named by ``META-INF/container.xml``, or, without a container, the
first ``.xml``/``.musicxml`` at the archive root. Each member's declared size is checked against
``limits.max_unzipped_bytes`` and it is read with that byte cap, so a lying zip bomb fails too.

Tuplets written with rounded ``<duration>`` values (MuseScore writes a septuplet at 480 divisions as
137/69/206) are read at their notated length (see :func:`_exact_tuplets`), so onsets are where the
notation puts them, not a few divisions off.

Notes: ties are merged (per pitch, see :func:`_merge_ties`), grace notes (and notes of no duration) are
dropped, pitches outside MIDI's 0-127 are dropped, a chord gives one note
per pitch, positions are quarter-note beats from the start of the score. A part is a drum track when
it has unpitched notes and no pitched ones, or plays on MIDI channel 10.
"""

from __future__ import annotations

import io
import math
from fractions import Fraction
import warnings
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.score import Note, Score, TempoChange, TimeSignature, Track

MUSICXML_ROOTS = ("score-partwise", "score-timewise")
MAX_DEPTH = 64  # real MusicXML nests about 8 deep
MAX_METER_CHANGES = 500  # time-signature changes per part (each costs music21 milliseconds)
MEASURES_PER_NOTE_LIMIT = 5  # without ReadLimits.max_measures: max_notes // 5 measures in all
MIN_MEASURE_LIMIT = 1_000  # never fewer (a low --max-notes must not refuse a long, sparse score)
MAX_MXL_ENTRIES = 10_000  # files in a .mxl (real ones hold 2-10); zipfile lists them all up front
MAX_CONTAINER_BYTES = 1024 * 1024  # META-INF/container.xml is a few hundred bytes
_CHUNK = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DRUM_CHANNEL = 9


class _Refused(Exception):
    """Raised from inside the expat handlers to stop parsing at once with a message."""


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def read_musicxml(path: str | Path, limits: ReadLimits | None = None) -> Score:
    """Read a MusicXML file. Raises :class:`ScoreReadError` for anything hostile or unreadable."""
    limits = limits or ReadLimits()
    path = Path(path)
    data = limits.read_file(path)
    try:
        if path.suffix.lower() == ".mxl" or data.startswith(_ZIP_MAGIC):
            data = _score_bytes_from_mxl(data, limits)
        root = _parse_safely(data, limits, MUSICXML_ROOTS)
        root = _prepare_tree(root, limits)
        return _score_from_tree(root, path, limits)
    except ScoreReadError as exc:
        if exc.path is None:
            raise ScoreReadError(exc.message, path) from None
        raise
    except _Refused as exc:
        raise ScoreReadError(str(exc), path) from None
    except MemoryError:
        raise ScoreReadError("not enough memory to read this MusicXML file", path) from None
    except RecursionError:
        raise ScoreReadError("MusicXML content nests too deeply for music21", path) from None
    except Exception as exc:  # noqa: BLE001 - music21 raises anything on odd content
        raise ScoreReadError(f"MusicXML content that music21 cannot read ({_describe(exc)})", path) from None


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------------------------
# Safe XML
# --------------------------------------------------------------------------------------------


def _parse_safely(data: bytes, limits: ReadLimits, roots: tuple[str, ...]) -> ET.Element:
    """Parse ``data`` with expat into an ElementTree, refusing entities, DTD loading and excess."""
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and not head.startswith(b"<"):
        raise _Refused("not an XML file (it does not start with '<')")

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = {"depth": 0, "parts": 0, "score_parts": 0, "notes": 0, "measures": 0, "root": None}
    max_measures, measures_flag = _measure_limit(limits)
    timewise_ids: set[str] = set()

    def refuse_entity(*_args: Any) -> None:
        raise _Refused("the file declares XML entities (<!ENTITY> in its DOCTYPE); refused for safety")

    def refuse_external(*_args: Any) -> int:
        raise _Refused("the file refers to an external XML entity; refused for safety")

    def start(name: str, attrs: dict[str, str]) -> None:
        depth = state["depth"] = state["depth"] + 1
        if depth == 1:
            state["root"] = name
            if name not in roots:
                if roots == MUSICXML_ROOTS:
                    raise _Refused(
                        f"XML but not MusicXML: the root element is <{name[:40]}>, "
                        "expected <score-partwise> or <score-timewise>"
                    )
                raise _Refused(f"unexpected root element <{name[:40]}>, expected <{roots[0]}>")
        if depth > MAX_DEPTH:
            raise _Refused(f"XML nested more than {MAX_DEPTH} elements deep; not a real MusicXML score")
        if name == "measure":
            state["measures"] += 1
            if state["measures"] > max_measures:
                raise _Refused(
                    f"more than {max_measures:,} measures in all parts (raise the limit with {measures_flag})"
                )
        elif name == "note":
            state["notes"] += 1
            if state["notes"] > limits.max_notes:
                raise _Refused(f"more than {limits.max_notes:,} notes (raise the limit with --max-notes)")
        elif name == "score-part":
            state["score_parts"] += 1
            if state["score_parts"] > limits.max_parts:
                raise _Refused(f"more than {limits.max_parts:,} parts (raise the limit with --max-parts)")
        elif name == "part":
            if depth == 2:
                state["parts"] += 1
                count = state["parts"]
            else:  # score-timewise: <measure><part id=...>
                timewise_ids.add(attrs.get("id", ""))
                count = len(timewise_ids)
            if count > limits.max_parts:
                raise _Refused(f"more than {limits.max_parts:,} parts (raise the limit with --max-parts)")
        builder.start(name, attrs)

    def end(name: str) -> None:
        state["depth"] -= 1
        builder.end(name)

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        where = f"line {exc.lineno}, column {exc.offset}"
        if state["root"] is None:
            raise _Refused(f"not a well-formed XML file ({expat.ErrorString(exc.code)} at {where})") from None
        raise _Refused(f"broken XML ({expat.ErrorString(exc.code)} at {where})") from None
    if state["root"] is None:
        raise _Refused("not an XML file (no root element)")
    return builder.close()


def _measure_limit(limits: ReadLimits) -> tuple[int, str]:
    """Most <measure> elements (all parts together) handed to music21, and the flag that raises it.

    music21 spends ~0.2 ms and a few KB per measure, so a file of millions of empty measures would
    cost minutes and gigabytes. Uses ``limits.max_measures`` when ReadLimits has it, else a fifth of
    the note limit and at least 1,000 (100,000 by default: 100 parts of 1,000 bars).
    """
    explicit = getattr(limits, "max_measures", None)
    if isinstance(explicit, int):
        return explicit, "--max-measures"
    return max(limits.max_notes // MEASURES_PER_NOTE_LIMIT, MIN_MEASURE_LIMIT), "--max-notes"


# --------------------------------------------------------------------------------------------
# .mxl
# --------------------------------------------------------------------------------------------


def _score_bytes_from_mxl(data: bytes, limits: ReadLimits) -> bytes:
    """The MusicXML document inside a .mxl archive, read into memory with a byte cap."""
    entries = _declared_entries(data)
    if entries is not None and entries > MAX_MXL_ENTRIES:
        raise _Refused(f"the .mxl archive holds {entries:,} files, more than the {MAX_MXL_ENTRIES:,} motif reads")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise _Refused(f"not a .mxl file (not a readable zip archive: {_describe(exc)})") from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        container = infos.get("META-INF/container.xml")
        if container is not None:
            text = _read_member(archive, container, min(MAX_CONTAINER_BYTES, limits.max_unzipped_bytes))
            croot = _parse_safely(text, limits, ("container",))
            names = []
            for rootfile in croot.iter("rootfile"):
                full = (rootfile.get("full-path") or "").strip()
                media = (rootfile.get("media-type") or "").strip()
                if full and (not media or "musicxml" in media or media.endswith("xml")):
                    names.append(full)
            if not names:
                raise _Refused("META-INF/container.xml names no MusicXML rootfile")
            name = names[0]
            shown = name if len(name) <= 80 else name[:77] + "..."
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                raise _Refused(f"META-INF/container.xml points to an unsafe path {shown!r}")
            info = infos.get(name) or infos.get(name.lstrip("./"))
            if info is None:
                raise _Refused(f"META-INF/container.xml points to {shown!r}, which is not in the archive")
        else:
            candidates = [
                i
                for i in archive.infolist()
                if "/" not in i.filename
                and "\\" not in i.filename
                and not i.is_dir()
                and i.filename.lower().endswith((".xml", ".musicxml"))
            ]
            if not candidates:
                raise _Refused("no META-INF/container.xml and no .xml/.musicxml file at the archive root")
            info = candidates[0]
        return _read_member(archive, info, limits.max_unzipped_bytes)


def _declared_entries(data: bytes) -> int | None:
    """Entry count from the zip's end-of-central-directory record (before zipfile lists them all)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    count = int.from_bytes(data[at + 10 : at + 12], "little")
    return None if count == 0xFFFF else count  # 0xFFFF: a zip64 count, which zipfile checks itself


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one member into memory, refusing it when it declares or turns out to expand past ``cap``."""
    flag = "(raise the limit with --max-unzipped-bytes)"
    if info.file_size > cap:
        raise _Refused(
            f"{info.filename[:80]!r} in the .mxl expands to {info.file_size:,} bytes, "
            f"over the {cap:,}-byte limit {flag}"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile inflates bzip2/lzma input without an output limit: a lying member could expand to
        # gigabytes in one read, before any cap applies. MusicXML archives use deflate.
        raise _Refused(
            f"{info.filename[:80]!r} in the .mxl uses compression method {info.compress_type}; "
            "only stored and deflated members are read"
        )
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(min(_CHUNK, cap + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > cap:
                    raise _Refused(
                        f"{info.filename[:80]!r} in the .mxl expands past the {cap:,}-byte limit {flag}"
                    )
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error, ValueError) as exc:
        raise _Refused(f"broken .mxl archive member {info.filename[:80]!r} ({_describe(exc)})") from None
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# Tidying the tree before music21
# --------------------------------------------------------------------------------------------


def _prepare_tree(root: ET.Element, limits: ReadLimits) -> ET.Element:
    if root.tag == "score-timewise":
        root = _timewise_to_partwise(root)
    parts = root.findall("part")
    if not parts:
        raise _Refused("MusicXML score without any <part>")
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
                        raise _Refused(
                            f"more than {MAX_METER_CHANGES} time-signature changes in part {_shown(part.get('id'))}"
                        )
            for element in measure.iter():
                if element.tag == "divisions":
                    value = _number(element.text)
                    if value is None or value <= 0:
                        raise _Refused(f"invalid <divisions> value {_shown(element.text)}")
                    divisions = value
                elif element.tag == "duration":
                    value = _number(element.text)
                    if value is None or value < 0:
                        raise _Refused(f"invalid <duration> value {_shown(element.text)}")
                    if divisions is None:
                        divisions = 1.0
                        _insert_divisions(part)
                    if value / divisions > limits.max_beats:
                        raise _Refused(
                            f"a duration of {value / divisions:,.0f} beats, longer than {limits.max_beats:,.0f} "
                            "beats (raise the limit with --max-beats)"
                        )
        _exact_tuplets(part)
    return root


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


def _part_facts(root: ET.Element) -> tuple[list[str], dict[str, str], dict[str, int]]:
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


# --------------------------------------------------------------------------------------------
# music21 -> Score
# --------------------------------------------------------------------------------------------


def _score_from_tree(root: ET.Element, path: Path, limits: ReadLimits) -> Score:
    from music21 import chord, note, stream, tempo
    from music21 import meter as m21meter
    from music21.musicxml import xmlToM21

    ids, names, channels = _part_facts(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        importer = xmlToM21.MusicXMLImporter()
        importer.parsePartList(root)
        known = importer.mxScorePartDict
        m21_parts: list[tuple[int, str, Any]] = []
        for position, mx_part in enumerate(root.findall("part")):
            pid = mx_part.get("id", "")
            if pid not in known:
                continue  # music21 skips parts without a <score-part> too
            part = importer.xmlPartToPart(mx_part, known[pid])
            if part is not None:
                m21_parts.append((position, pid, part))

        tracks: list[Track] = []
        tempos: dict[float, TempoChange] = {}
        signatures: list[TimeSignature] = []
        measure_starts: list[float] | None = None
        measure_numbers: list[str] | None = None
        total = 0
        for number, (position, pid, part) in enumerate(m21_parts):
            if number == 0:
                measures = list(part.getElementsByClass(stream.Measure))
                if measures:
                    measure_starts = [float(m.offset) for m in measures]
                    measure_numbers = [str(m.measureNumberWithSuffix()) for m in measures]
            flat = part.flatten()
            pieces: list[tuple[Any, Any, int, int, str | None]] = []
            pitched = unpitched = 0
            channel = channels.get(pid, 0)
            for element in flat.notes:
                if element.duration.isGrace or element.duration.quarterLength <= 0:
                    continue  # grace notes, and notes without a <duration>, take no time
                onset = element.offset  # exact (Fraction where a tuplet needs one) until the end
                offset = onset + element.duration.quarterLength
                velocity = _velocity(element)
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
                    pieces.append((onset, offset, midi, velocity, tie.type if tie is not None else None))
            notes = [Note(float(on), float(off), midi, vel, channel) for on, off, midi, vel in _merge_ties(pieces)]
            total += len(notes)
            if total > limits.max_notes:
                raise _Refused(f"more than {limits.max_notes:,} notes (raise the limit with --max-notes)")
            notes.sort(key=lambda n: (n.onset, n.pitch))
            if any(n.offset > limits.max_beats for n in notes):
                raise _Refused(f"longer than {limits.max_beats:,.0f} beats (raise the limit with --max-beats)")
            is_drum = (unpitched > 0 and pitched == 0) or channel == _DRUM_CHANNEL
            tracks.append(
                Track(
                    index=len(tracks),
                    name=names.get(pid) or pid or f"Part {position + 1}",
                    notes=notes,
                    is_drum=is_drum,
                    channel=channel,
                    part_id=pid,
                    source_index=position,
                )
            )
            for mark in flat.getElementsByClass(tempo.MetronomeMark):
                bpm = mark.getQuarterBPM()
                beat = float(mark.offset)
                if bpm and bpm > 0 and math.isfinite(bpm) and beat not in tempos:
                    tempos[beat] = TempoChange(beat, max(1, min(int(round(60_000_000 / bpm)), 2**24 - 1)))
            if number == 0:
                for sig in flat.getElementsByClass(m21meter.TimeSignature):
                    signatures.append(TimeSignature(float(sig.offset), int(sig.numerator), int(sig.denominator)))
    return Score(
        tracks=tracks,
        path=path,
        format="musicxml",
        tempos=sorted(tempos.values(), key=lambda t: t.beat),
        time_signatures=sorted(signatures, key=lambda s: s.beat),
        measure_starts=measure_starts,
        measure_numbers=measure_numbers,
    )


def _merge_ties(pieces: list[tuple[Any, Any, int, int, str | None]]) -> list[tuple[Any, Any, int, int]]:
    """Tied pieces (onset, offset, midi, velocity, tie type) to whole notes (onset, offset, midi, velocity).

    A piece whose tie stops (or continues) a note of its pitch that ends exactly where it starts
    lengthens that note; every other piece is a note of its own. This is done per pitch, not per
    chord: music21's ``stripTies`` mis-handles a chord in which only some notes are tied (a note
    tied into such a chord kept its later pieces as extra notes, and ran on past the chain's end),
    which MuseScore's MIDI import writes often.
    """
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i][0], pieces[i][2]))
    merged: list[list[Any]] = []
    waiting: dict[int, list[int]] = {}  # midi -> indices into merged of notes whose tie goes on
    for i in order:
        onset, offset, midi, velocity, tie = pieces[i]
        target = None
        if tie in ("stop", "continue"):
            for j in waiting.get(midi, []):
                if abs(merged[j][1] - onset) < 1e-6:
                    target = j
                    break
        if target is None:
            merged.append([onset, offset, midi, velocity])
            target = len(merged) - 1
        else:
            merged[target][1] = max(merged[target][1], offset)
            waiting[midi].remove(target)
        if tie in ("start", "continue"):
            waiting.setdefault(midi, []).append(target)
    return [(on, off, midi, vel) for on, off, midi, vel in merged]


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
