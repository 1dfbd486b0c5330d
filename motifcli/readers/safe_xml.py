"""Parse untrusted XML bytes with expat, refusing entities, external loads, foreign roots and excess.

Shared by the MusicXML reader (the score document) and the .mxl container reader
(``META-INF/container.xml``), so both apply one set of rules and limits: any ``<!ENTITY ...>``
declaration is refused at once (no XXE, no billion laughs), nothing external is loaded, the root
element must be one of the expected ones, and parsing stops as soon as the file has more parts,
notes or measures than :class:`~motifcli.limits.ReadLimits` allows, or nests deeper than any real
score.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from motifcli.limits import ReadLimits, counted

MUSICXML_ROOTS = ("score-partwise", "score-timewise")
MAX_DEPTH = 64  # real MusicXML nests about 8 deep
MEASURES_PER_NOTE_LIMIT = 5  # without ReadLimits.max_measures: max_notes // 5 measures in all
MIN_MEASURE_LIMIT = 1_000  # never fewer (a low --max-notes must not refuse a long, sparse score)


class Refused(Exception):
    """Raised from inside the expat handlers to stop parsing at once with a message."""


def describe(exc: BaseException) -> str:
    """An exception as one short line (type and message), for error messages."""
    text = " ".join(str(exc).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def parse_safely(data: bytes, limits: ReadLimits, roots: tuple[str, ...]) -> ET.Element:
    """Parse ``data`` with expat into an ElementTree, refusing entities, DTD loading and excess."""
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and not head.startswith(b"<"):
        raise Refused("not an XML file (it does not start with '<')")

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = {"depth": 0, "parts": 0, "score_parts": 0, "notes": 0, "measures": 0, "root": None}
    max_measures, measures_flag = measure_limit(limits)
    timewise_ids: set[str] = set()

    def refuse_entity(*_args: Any) -> None:
        raise Refused("the file declares XML entities (<!ENTITY> in its DOCTYPE); refused for safety")

    def refuse_external(*_args: Any) -> int:
        raise Refused("the file refers to an external XML entity; refused for safety")

    def start(name: str, attrs: dict[str, str]) -> None:
        depth = state["depth"] = state["depth"] + 1
        if depth == 1:
            state["root"] = name
            if name not in roots:
                if roots == MUSICXML_ROOTS:
                    raise Refused(
                        f"XML but not MusicXML: the root element is <{name[:40]}>, "
                        "expected <score-partwise> or <score-timewise>"
                    )
                raise Refused(f"unexpected root element <{name[:40]}>, expected <{roots[0]}>")
        if depth > MAX_DEPTH:
            raise Refused(f"XML nested more than {MAX_DEPTH} elements deep; not a real MusicXML score")
        if name == "measure":
            state["measures"] += 1
            if state["measures"] > max_measures:
                raise Refused(
                    f"more than {counted(max_measures, 'measure')} in all parts (raise the limit with {measures_flag})"
                )
        elif name == "note":
            state["notes"] += 1
            if state["notes"] > limits.max_notes:
                raise Refused(f"more than {counted(limits.max_notes, 'note')} (raise the limit with --max-notes)")
        elif name == "score-part":
            state["score_parts"] += 1
            if state["score_parts"] > limits.max_parts:
                raise Refused(f"more than {counted(limits.max_parts, 'part')} (raise the limit with --max-parts)")
        elif name == "part":
            if depth == 2:
                state["parts"] += 1
                count = state["parts"]
            else:  # score-timewise: <measure><part id=...>
                timewise_ids.add(attrs.get("id", ""))
                count = len(timewise_ids)
            if count > limits.max_parts:
                raise Refused(f"more than {counted(limits.max_parts, 'part')} (raise the limit with --max-parts)")
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
            raise Refused(f"not a well-formed XML file ({expat.ErrorString(exc.code)} at {where})") from None
        raise Refused(f"broken XML ({expat.ErrorString(exc.code)} at {where})") from None
    if state["root"] is None:
        raise Refused("not an XML file (no root element)")
    return builder.close()


def measure_limit(limits: ReadLimits) -> tuple[int, str]:
    """Most <measure> elements (all parts together) handed to music21, and the flag that raises it.

    music21 spends ~0.2 ms and a few KB per measure, so a file of millions of empty measures would
    cost minutes and gigabytes. Uses ``limits.max_measures`` when ReadLimits has it, else a fifth of
    the note limit and at least 1,000 (100,000 by default: 100 parts of 1,000 bars).
    """
    explicit = getattr(limits, "max_measures", None)
    if isinstance(explicit, int):
        return explicit, "--max-measures"
    return max(limits.max_notes // MEASURES_PER_NOTE_LIMIT, MIN_MEASURE_LIMIT), "--max-notes"
