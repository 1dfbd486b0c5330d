"""motif's own marks in a MusicXML document it annotated before, taken out before annotating again.

A musician annotates a score, edits the result in MuseScore and annotates that again: the new
marks must replace the old ones, not stack on them (two "Motif A1" labels, two brackets, a note
left in a colour its family no longer has). The reader never reads a label, bracket or colour, so
the families found are those of the original; only the writer has to see what is its own.

What is motif's, read from the marks themselves (MuseScore keeps no identifier of ours, but it
keeps these):

* a ``<direction>`` whose words are a label ("Motif A1": ``Occurrence.text``; a run's "Motif A5–A8":
  writers/runs.py; after it, maybe the no-break spaces of musicxml_room) and which holds
  nothing but those words, a bracket start and placement (``offset``, ``staff``, ``voice``), in
  any order (the writer puts the bracket first since phase 18; earlier runs wrote the words first);
  or such labels without their brackets, each followed (after the note's other labels, back to
  back) by a direction holding nothing but a bracket start and placement: MuseScore 3 exports a
  label and its line as two directions, a note's labels first, then their lines;
* the ``<direction>`` holding nothing but the bracket stop of such a start (the next stop of the
  same number in the same part, in document order), with the ``<forward>`` / ``<backup>`` pair
  the writer steps around a stop with (musicxml_splice._direction);
* the key to the marks (:mod:`~motifcli.writers.musicxml_key`): a direction holding nothing but its
  words and placement;
* once the document holds such a label, the colours of motif's palette (``annotation.PALETTE``, and
  ``FORMER_COLOURS`` of earlier versions)
  on ``<note>`` and ``<notehead>`` (MuseScore 3 exports a note's colour as the notehead's).

A direction on a line of its own goes with its line (so a file motif wrote comes back byte for
byte, but for renumbered voices and a colour it replaced). A user's own directions, texts and
colours stay.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from motifcli.annotation import FORMER_COLOURS, LABEL_TEXT, PALETTE, RUN_TEXT
from motifcli.writers.musicxml_key import is_key

_DIRECTION = re.compile(r"<direction[\s>].*?</direction\s*>", re.S)
_PART = re.compile(r"<part[\s>]")
_STEP_BEFORE = re.compile(r"<(forward|backup)><duration>([0-9]+)</duration></\1>$")
_STEP_AFTER = re.compile(r"^<(forward|backup)><duration>([0-9]+)</duration></\1>")
_BREAK = re.compile(r"\r\n|\r|\n")
_PLACEMENT = {"offset", "staff", "voice"}
_COLOURS = "|".join(c[1:] for c in PALETTE + FORMER_COLOURS)  # an earlier version's colours are ours too
_COLOUR = re.compile(rf"(<(?:note|notehead)\b[^>]*?)\s+color\s*=\s*([\"'])#(?:{_COLOURS})\2", re.I)


def strip_marks(data: bytes, codec: str) -> bytes:
    """``data`` without the labels, brackets and colours an earlier motif run wrote (unchanged
    when it holds none)."""
    if "Motif ".encode(codec) not in data:  # a score no run annotated (most): nothing to decode
        return data
    text = data.decode(codec)
    spans = _own_directions(text)
    if not spans:
        return data
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        out.append(text[cursor:start])
        cursor = end
    out.append(text[cursor:])
    text = _COLOUR.sub(r"\1", "".join(out))
    return text.encode(codec)


def _own_directions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every direction of motif's, with its step and its line where it has one."""
    parts = [m.start() for m in _PART.finditer(text)]
    spans: list[tuple[int, int]] = []
    open_: dict[tuple[int, str], int] = {}  # (part index, bracket number) -> brackets of ours open
    chain_end, unbracketed = -1, 0  # labels without their bracket in the run of directions ending at chain_end
    k = 0
    for m in _DIRECTION.finditer(text):
        while k < len(parts) and parts[k] < m.start():
            k += 1
        kind, number = _classify(m.group())
        if chain_end < 0 or text[chain_end : m.start()].strip():
            unbracketed = 0  # MuseScore's export: a note's labels' words, then their brackets, back to back
        chain_end = m.end()
        if kind == "label":
            if number is not None:
                open_[(k, number)] = open_.get((k, number), 0) + 1
            else:
                unbracketed += 1
        elif kind == "start" and unbracketed > 0:  # the bracket of a label just before it
            unbracketed -= 1
            open_[(k, number or "")] = open_.get((k, number or ""), 0) + 1
        elif kind == "stop" and open_.get((k, number or ""), 0) > 0:
            open_[(k, number or "")] -= 1
        elif kind != "key":
            continue
        spans.append(_widen(text, m.start(), m.end()))
    return spans


def _classify(xml: str) -> tuple[str | None, str | None]:
    """("label", its bracket number or None), ("stop", number), ("start", number) (a bracket start
    alone: ours only right after a label without one), ("key", None) (musicxml_key: the direction
    holds only the key's words and placement) or (None, None) for a direction."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:  # an entity of the document's DTD, say: not one motif wrote
        return None, None
    texts = [w.text or "" for c in root if c.tag == "direction-type" for w in c]
    if all(c.tag in _PLACEMENT or (c.tag == "direction-type" and len(c) and all(w.tag == "words" for w in c))
           for c in root) and texts and is_key(" ".join(texts)):
        return "key", None  # also as MuseScore 3 exports it: one <words> a line
    words, starts, stops = [], [], []
    for child in root:
        if child.tag in _PLACEMENT:
            continue
        if child.tag != "direction-type" or len(child) != 1:
            return None, None
        (mark,) = child
        said = (mark.text or "").strip()
        if mark.tag == "words" and (LABEL_TEXT.fullmatch(said) or RUN_TEXT.fullmatch(said)):
            words.append(mark)
        elif mark.tag == "bracket" and mark.get("type") in ("start", "stop"):
            (starts if mark.get("type") == "start" else stops).append(mark.get("number", "1"))
        else:
            return None, None
    if len(words) == 1 and len(starts) <= 1 and not stops:
        return "label", starts[0] if starts else None
    if not words and not starts and len(stops) == 1:
        return "stop", stops[0]
    if not words and len(starts) == 1 and not stops:
        return "start", starts[0]
    return None, None


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The direction's span with the writer's step around it, and its line if it stands alone."""
    before, after = _STEP_BEFORE.search(text, max(0, start - 80), start), _STEP_AFTER.match(text[end : end + 80])
    if before and after and before.group(1) != after.group(1) and before.group(2) == after.group(2):
        start, end = before.start(), end + after.end()
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    breaks = _BREAK.search(text, end)
    if breaks is not None and not text[line_start:start].strip() and not text[end : breaks.start()].strip():
        return line_start, breaks.end()
    return start, end
