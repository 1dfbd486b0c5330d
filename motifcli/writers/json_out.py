"""The annotation as JSON (schema ``schema_version`` "2.0", documented in docs/json-schema.md).

The body is :meth:`Annotation.to_dict` (so :meth:`Annotation.from_dict` reads it back), plus a few
fields that save a reader work and that ``from_dict`` ignores: ``generator``, a ``score`` summary,
and per occurrence its ``text`` ("Motif A1"), its ``line`` (track and voice in words, "Piano, staff 1,
voice 2") and clock times from the score's tempo map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_write_bytes
from motifcli.score import Score
from motifcli.writers._common import clean_text
from motifcli.writers.options import DEFAULT, WriteOptions


def to_json_dict(annotation: Annotation, score: Score | None) -> dict[str, Any]:
    data = annotation.to_dict()
    data["generator"] = "motif"
    if score is not None:
        data["score"] = {
            "format": score.format,
            "ticks_per_beat": score.ticks_per_beat,
            "end_beat": round(float(score.end_beat), 6),
            "track_count": len(score.tracks),
            "note_count": score.note_count,
            "tempos": [
                {"beat": round(t.beat, 6), "bpm": round(60_000_000 / t.microseconds_per_beat, 6)}
                for t in score.tempos
                if t.microseconds_per_beat > 0
            ],
        }
    pairs = [pair for motif_dict, motif in zip(data["motifs"], annotation.motifs)
             for pair in zip(motif_dict["occurrences"], motif.occurrences)]
    for occ_dict, occ in pairs:
        occ_dict["text"] = occ.text
        occ_dict["line"] = occ.line
    if score is not None and pairs:  # one tempo-map lookup for all (elementwise: the same values as one by one)
        seconds = score.seconds_at([beat for _, occ in pairs for beat in (occ.start, occ.end)]).tolist()
        for k, (occ_dict, _) in enumerate(pairs):
            occ_dict["start_seconds"] = round(seconds[2 * k], 6)
            occ_dict["end_seconds"] = round(seconds[2 * k + 1], 6)
    return data


def render(annotation: Annotation, score: Score | None) -> str:
    parts: list[str] = []
    _layout(to_json_dict(annotation, score), 0, parts)
    return "".join(parts) + "\n"


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # built once: ``json.dumps`` with options builds one per call


class _Encode:
    """``_ENCODER.encode``, minus the per-call cost of building the C encoder (a pop song's JSON
    is ~5,000 one-line records). The same C encoder with the same options, built once; a record
    it fails on goes to ``_ENCODER.encode`` for the standard error, and the C encoder is rebuilt
    (its circular-reference markers may keep entries after an error)."""

    def __init__(self) -> None:
        from json import encoder as std

        self._basestring = std.encode_basestring
        self._make = std.c_make_encoder
        self._c = self._build()

    def _build(self) -> Any:
        if self._make is None:  # pragma: no cover - a Python without json's C speedups
            return None
        e = _ENCODER
        return self._make({}, e.default, self._basestring, e.indent, e.key_separator, e.item_separator,
                          e.sort_keys, e.skipkeys, e.allow_nan)

    def __call__(self, value: Any) -> str:
        if isinstance(value, str):
            return self._basestring(value)
        if self._c is None:  # pragma: no cover
            return _ENCODER.encode(value)
        try:
            return "".join(self._c(value, 0))
        except Exception:
            self._c = self._build()
            return _ENCODER.encode(value)


_encode = _Encode()


_PLAIN = frozenset({int, float, bool, type(None)})  # values that are neither containers nor text


def _layout(value: Any, depth: int, out: list[str]) -> None:
    """Indented JSON whose flat records (an object or array holding no object or array: a note, the
    settings, the model card) each take one line: half the bytes of ``indent=2`` with one note per
    line, and faster, since each record goes through ``json``'s C encoder in one call (with
    ``indent``, Python 3.11's ``json`` falls back to its pure-Python encoder for the whole document).

    Every string value is cleaned on the way (:func:`_cleaned`); a flat record without strings goes
    to the encoder as it is, so the thousands of notes of a pop song are not copied first.
    """
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        out.append(_encode(_cleaned(value)))
        return
    if _PLAIN.issuperset(map(type, items)):  # numbers only (note_indices): flat, nothing to clean
        out.append(_encode(value))
        return
    has_text = False
    for v in items:
        if isinstance(v, (dict, list)):
            break
        if isinstance(v, str):
            has_text = True
    else:  # a flat record: one line
        out.append(_encode(_cleaned(value) if has_text else value))
        return
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append(("," if n else "") + pad + _encode(key) + ": ")
            kind = type(item)  # a number or a text is written here, as _layout would write it
            if kind in _PLAIN:
                out.append(_encode(item))
            elif kind is str:
                out.append(_encode(clean_text(item)))
            else:
                _layout(item, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        out.append("[")
        sep, comma = pad, "," + pad
        numbers = _PLAIN.issuperset
        for item in value:
            out.append(sep)
            sep = comma
            if type(item) is dict and numbers(map(type, item.values())):
                out.append(_encode(item))  # a note: numbers only, so flat and nothing to clean
            else:
                _layout(item, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def _cleaned(value: Any) -> Any:
    """Every string of the document without control characters (JSON would escape C0 but not
    DEL or C1, and readers print names raw)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def write(annotation: Annotation, score: Score | None, dest: Path, options: WriteOptions = DEFAULT) -> None:
    atomic_write_bytes(dest, render(annotation, score).encode("utf-8"))
