"""``discover_across``: motif families shared across the pieces of a collection (a tune family's songs).

Within one piece a family needs two statements there; a folk-song collection states a motif once in
each of several songs (MTC-ANN: 80% of the labelled motifs occur once in their song,
benchmarks/phase19-folk19.md). Here the pieces' voices are pooled into one discovery run: each
piece's lines become lines of one :class:`~motifcli.discovery.candidates.Lines`, each piece shifted
in time past the previous one's end (with a gap), so nothing that compares simultaneous lines
(doubling) sees two pieces as one texture, and every window stays in one line of one piece. Each
family's statements are then split back to their pieces and shifted back; a family with a statement
in a piece is that piece's family there (even with one statement), under one label across the
collection. benchmarks/phase20-across20.md measures it.

Not run here (they read one score's texture): texture families, the accompaniment rules and the
buried-statement rule. The short-tune rule (``short_piece_notes``) holds when most pieces are
short tunes; such a collection's windows stop at SHORT_ACROSS_MAX_NOTES notes. Caps are per piece:
the choice may take as many families as the pieces together would (their ``notes_per_family`` caps
summed), each piece reports at most ``max_families`` (or ``per_piece``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

from motifcli.discovery.core import (
    _distinct, _ranked, _relabel, _short_tune, as_short_tune, line_staves, opening_order, undoubled,
    voice_and_cell_families, voices_of,
)
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.meter import Bar, MeterMap
from motifcli.score import Score
from motifcli.voices import Voice

GAP = 16.0  # quarter beats of silence between two pooled pieces (a filler bar there)
STRIDE = 1 << 16  # pooled track number = piece * STRIDE + the piece's own track number
# windows of a collection of short tunes: at most this many notes (statements still grow past it). Songs of
# one tune family share whole phrases, which 12-note windows find and the annotators' motifs are not:
# MTC tune per tune family 0.530 / 0.454 / 0.427 at 12, 0.584 / 0.453 / 0.423 at 6 (phase20-across20.md)
SHORT_ACROSS_MAX_NOTES = 6
# a pool keeps families scoring at least this share of the collection's best one (at least: a higher
# relative_salience is kept). across20 measured with 0.05; est20 then turned the floor off for one piece (0),
# which in a pool keeps many more generic figures: MTC tune at 8 families a song, split 0.602 / 0.284 / 0.329
# at 0 against 0.628 / 0.318 / 0.351 at 0.05, tune families 0.574 / 0.332 / 0.362 against 0.586 / 0.334 / 0.372
# (phase20-acrosscli20.md)
ACROSS_RELATIVE_SALIENCE = 0.05


@dataclasses.dataclass(frozen=True)
class _Pooled:
    voices: list[Voice]
    offsets: list[float]  # each piece's shift in beats
    meter: MeterMap | None


def discover_across(scores: Sequence[Score], model: object | None = None, settings: DiscoverySettings | None = None,
                    per_piece: int | None = None, generic: float = 0.0, generic_notes: int = 0, *,
                    hands: Sequence[Mapping[int, Sequence[int]]] | None = None) -> list[list[Family]]:
    """Per score (in the given order), its families of the collection, most salient first; a label
    names the same motif in every score. A family may be stated once in a piece. ``per_piece``: at
    most this many families a piece (None: ``max_families``; music21's Essen tunes and chorales fill
    it: phase20-across20.md). A piece's families keep the collection's order (its own start and
    length for ``order_opening``); ranking them by the piece's own coverage scored lower on MTC tune
    (commit 410e2df, phase20-across20.md). ``generic`` > 0 (off by default): families of at most
    ``generic_notes`` notes (0: any) weighted down by how many pieces state them (:func:`spread_weighted`),
    so a motif that joins a few pieces comes before a figure every piece states; on MTC tune it raises
    link precision but lowers F_est (benchmarks/phase20-generic20.md). ``hands``: each score's one-track
    keyboard reading, taken once by the caller on the whole file (motifcli/collection.py, as
    families.annotate_notes for one piece); None: taken here (:func:`motifcli.hands.keyboard_hands`)."""
    settings = settings or DiscoverySettings()
    if not scores:
        return []
    settings = dataclasses.replace(settings, relative_salience=max(settings.relative_salience, ACROSS_RELATIVE_SALIENCE))
    if 2 * sum(_short_tune(s, settings) for s in scores) > len(scores):  # as discover: a song's 3-note figures, its
        # phrase kept, where most pieces are short tunes (a few long songs among 100 Essen tunes do not end it)
        settings = as_short_tune(settings, max_notes=SHORT_ACROSS_MAX_NOTES)
    elif settings.extend_kept == "empty":
        settings = dataclasses.replace(settings, extend_kept="off")
    pooled = _pool(scores, settings, hands)
    total = sum(map(len, pooled.voices))
    cap = sum(min(settings.max_families, max(3, int(n // settings.notes_per_family))) for n in _notes_per_piece(pooled))
    wide = dataclasses.replace(settings, max_families=cap, notes_per_family=max(total, 1) / (cap + 0.5),
                               short_cells=settings.short_cells * len(scores))
    pairs, cells = voice_and_cell_families(pooled.voices, wide, model, pooled.meter)
    ordered = _ranked([*(g for _, g in pairs), *cells], settings)
    if settings.subfigure > 0:
        ordered = [_relabel(ordered[i], k) for k, i in enumerate(_distinct(ordered, settings.subfigure, inside=True))]
    ordered = undoubled(ordered, settings, line_staves(pooled.voices), least=1)  # once in a piece is enough here
    if generic > 0:
        ordered = spread_weighted(ordered, len(scores), generic, generic_notes)
    cap_piece = settings.max_families if per_piece is None else per_piece
    return [_piece_families(ordered, k, pooled.offsets[k], score, settings, cap_piece)
            for k, score in enumerate(scores)]


def spread_weighted(ordered: list[Family], n_pieces: int, power: float, notes: int = 0) -> list[Family]:
    """The collection's families re-weighted by how few pieces state them (an idf: a 3-note step any
    tune contains is stated in most pieces of an unrelated collection): a family of at most ``notes``
    notes (0: any) has salience x (log((N+1)/df) / log(N+1)) ** ``power``, df the pieces stating it.
    Re-sorted (ties keep the order) and relabelled; each piece's order and cap read this salience.
    Dropping widespread families instead empties the pieces (MTC tune: every family of the pool is
    stated in 12+ of 100 songs, most in over half; phase20-generic20.md)."""
    if n_pieces < 2 or power <= 0:
        return ordered
    out = []
    for f in ordered:
        df = len({n.track // STRIDE for o in f.occurrences for n in o.notes})
        w = (math.log((n_pieces + 1) / df) / math.log(n_pieces + 1)) ** power
        out.append(f if 0 < notes < f.notes_per_occurrence else dataclasses.replace(f, salience=f.salience * w))
    out.sort(key=lambda f: -f.salience)
    return [_relabel(f, k) for k, f in enumerate(out)]


def _notes_per_piece(pooled: _Pooled) -> list[int]:
    counts: dict[int, int] = {}
    for v in pooled.voices:
        counts[v.track // STRIDE] = counts.get(v.track // STRIDE, 0) + len(v)
    return list(counts.values())


def _pool(scores: Sequence[Score], settings: DiscoverySettings,
          hands: Sequence[Mapping[int, Sequence[int]]] | None = None) -> _Pooled:
    """Every piece's voices (as ``discover`` splits them), shifted in time one after another, with
    their tracks renumbered per piece; and one meter map of all their bars (None where unused)."""
    voices: list[Voice] = []
    offsets: list[float] = []
    bars: list[Bar] = []
    from motifcli.hands import keyboard_hands, on_staves  # as core.discover imports it

    use_meter = settings.bar_position != "off" or settings.grow_from_long > 0
    at = 0.0
    for k, score in enumerate(scores):
        reading = keyboard_hands(score, settings) if hands is None else hands[k]
        own = voices_of(on_staves(score, reading), settings)  # a one-track keyboard part's hands as staves, as discover
        meter = score.meter_map if use_meter else None
        first = min([float(v.onsets.min()) for v in own if len(v)] + ([meter.bars[0].start] if meter else []),
                    default=0.0)
        shift = at - min(first, 0.0) + (GAP if k else 0.0)
        if meter is not None:
            piece_bars = _shifted_bars(meter, shift)
            if bars and piece_bars[0].start > bars[-1].end + 1e-9:  # a filler bar over the gap
                bars.append(Bar(bars[-1].end, piece_bars[0].start - bars[-1].end, "0", 4, 4))
            bars.extend(piece_bars)
        voices.extend(dataclasses.replace(v, track=k * STRIDE + v.track, onsets=v.onsets + shift,
                                          offsets=v.offsets + shift) for v in own)
        offsets.append(shift)
        end = max([float(v.offsets.max()) for v in own if len(v)] + ([meter.end_beat] if meter else []), default=0.0)
        at = shift + end
    meter_map = MeterMap(tuple(bars), source=scores[0].meter_map.source) if bars else None
    return _Pooled(voices, offsets, meter_map)


def _shifted_bars(meter: MeterMap, shift: float) -> list[Bar]:
    """The piece's bars moved by ``shift``; a pickup becomes a full bar reaching back into the gap
    before it, so its notes keep their places in the bar (only a pooled map's first bar is read as a pickup)."""
    out = [dataclasses.replace(b, start=b.start + shift) for b in meter.bars]
    if meter.has_pickup:
        b = out[0]
        out[0] = dataclasses.replace(b, start=b.end - b.nominal_length, length=b.nominal_length)
    return out


def _piece_families(ordered: list[Family], k: int, shift: float, score: Score, settings: DiscoverySettings,
                    cap: int) -> list[Family]:
    """The collection's families as piece ``k`` states them: its statements, shifted back, its own
    tracks; families it does not state left out; ordered for the piece (salience.opening_ordered), capped."""
    out: list[Family] = []
    for f in ordered:
        occs = tuple(_unshifted(o, k, shift) for o in f.occurrences if {n.track // STRIDE for n in o.notes} == {k})
        if occs:
            out.append(dataclasses.replace(f, occurrences=occs))
    return opening_order(out, score, settings, relabel=False)[:cap]


def _unshifted(o: Occurrence, k: int, shift: float) -> Occurrence:
    notes = tuple(NoteRef(n.track - k * STRIDE, n.index, n.voice, n.onset - shift, n.offset - shift, n.pitch)
                  for n in o.notes)
    return dataclasses.replace(o, notes=notes)


def label_order(families: list[list[Family]]) -> list[str]:
    """The collection's labels in the order of their first appearance piece by piece (for a report)."""
    seen: dict[str, None] = {}
    for piece in families:
        for f in piece:
            seen.setdefault(f.label, None)
    return list(seen)


def statement_pieces(families: list[list[Family]]) -> dict[str, int]:
    """Per label, in how many pieces the family is stated."""
    out: dict[str, int] = {}
    for piece in families:
        for f in piece:
            out[f.label] = out.get(f.label, 0) + 1
    return out
