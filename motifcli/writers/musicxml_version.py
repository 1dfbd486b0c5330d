"""Declare MusicXML 4.0 in a document that declares 3.0 or 3.1, where its marks need more than six
brackets open at once in a part.

MusicXML numbers overlapping brackets 1-6 up to 3.1 and 1-16 from 4.0 (``number-level``); MuseScore 3
reads 1-9 whatever the version (phase15-musescore15.md), and its own exports declare 3.1, so a
MuseScore export annotated again had labels without a bracket (Beethoven op. 18/1 ii: 15). The
version histories list what each version removed: 4.0 only an empty ``<multiple-rest>`` (``<function>``
and the clef sign "none" are deprecated, still valid); 3.1 the font attributes of ``<extend>``; 3.0
nothing. So a 3.1 document without an empty ``<multiple-rest>``, or a 3.0 one without those
``<extend>`` attributes either, stays valid when it declares 4.0: the root's ``version`` attribute and
the DOCTYPE's public identifier are the only bytes changed, and only when a seventh bracket is
written. Older documents (1.0-2.0: their removals not checked) keep 1-6.
"""

from __future__ import annotations

import re
from fractions import Fraction

from motifcli.writers.musicxml_scan import XmlScan

_ROOT = re.compile(r"<score-(?:partwise|timewise)\b[^>]*>")
_VERSION = re.compile(r"(\sversion\s*=\s*)([\"'])\s*([^\"']*?)\s*\2")
_PUBLIC = re.compile(r"(-//Recordare//DTD MusicXML )([0-9.]+)( (?:Partwise|Timewise)//EN)")
_EMPTY_MULTIPLE_REST = re.compile(r"<multiple-rest\b[^>]*/>|<multiple-rest\b[^>]*>\s*</multiple-rest\s*>")
_EXTEND_FONT = re.compile(r"<extend\b[^>]*\sfont-(?:family|size|style|weight)\s*=")  # removed in 3.1
_HEAD = 4096  # code units read for the XML declaration, DOCTYPE and root start tag
DECLARED = "4.0"

Edit = tuple[int, int, Fraction, int, int, int, bytes]  # as musicxml_splice's edits


def declared_version(scan: XmlScan) -> tuple[int, int]:
    """The (major, minor) MusicXML version the root element declares (none written: 1.0, the default)."""
    root = _ROOT.search(scan.data[: _HEAD * scan.unit].decode(scan.codec, errors="replace"))
    version = _VERSION.search(root.group()) if root is not None else None
    digits = re.match(r"(\d+)(?:\.(\d+))?", version.group(3)) if version is not None else None
    return (int(digits.group(1)), int(digits.group(2) or 0)) if digits else (1, 0)


def declare_4(scan: XmlScan) -> list[Edit] | None:
    """The edits that make the document declare MusicXML 4.0 (an empty list where it already declares
    4.0 or later), or None where it may not: declaring 2.0 or older, holding what 3.1 or 4.0 removed,
    or a head not found."""
    version = declared_version(scan)
    if version >= (4, 0):
        return []
    if version < (3, 0):
        return None
    text = scan.data.decode(scan.codec, errors="replace")
    if _EMPTY_MULTIPLE_REST.search(text) or (version < (3, 1) and _EXTEND_FONT.search(text)):
        return None
    head = scan.data[: _HEAD * scan.unit].decode(scan.codec, errors="replace")
    root = _ROOT.search(head)
    if root is None:
        return None
    tag = root.group()
    version = _VERSION.search(tag)
    if version is not None:
        new_tag = tag[: version.start(3)] + DECLARED + tag[version.end(3):]
    else:
        name = re.match(r"<score-(?:partwise|timewise)", tag)
        assert name is not None
        new_tag = f'{tag[: name.end()]} version="{DECLARED}"{tag[name.end():]}'
    spans = [(root.start(), root.end(), new_tag)]
    public = _PUBLIC.search(head, 0, root.start())
    if public is not None:
        spans.append((public.start(2), public.end(2), DECLARED))
    edits: list[Edit] = []
    for start, end, text in spans:
        pos, stop = len(scan.enc(head[:start])), len(scan.enc(head[:end]))
        if scan.data[pos:stop] != scan.enc(head[start:end]):  # a byte the head's decoding replaced
            return None
        edits.append((pos, 1, Fraction(0), 0, 0, stop, scan.enc(text)))
    return edits
