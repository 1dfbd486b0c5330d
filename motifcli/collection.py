"""``annotate_collection``: one set of motif families for a collection of pieces (``motif annotate --across``).

Within one piece a family needs two statements there; a folk-song collection states a motif once in
each of several songs. :func:`motifcli.discovery.across.discover_across` pools the pieces into one
discovery run and splits the families back per piece under shared labels (benchmarks/phase20-across20.md).
This module turns that into one :class:`~motifcli.annotation.Annotation` per piece, so every writer
works unchanged: family C is the same motif in every file (same name, same colour), a file lists
only the families stated in it, in the collection's order, and a family stated once in a file is
kept. Each annotation's ``collection`` says it is one of ``pieces`` pieces (and the per-piece cap);
each family's ``collection`` says in how many files it is listed and its statements in them all.

An occurrence's ``transposition`` is measured from the collection's prototype of the family, which
may be a statement in another file. The CLI (:mod:`motifcli.batch_across`) is a thin layer over this.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from motifcli.errors import UsageError
from motifcli.pipeline import settings_from
from motifcli.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.annotation import Annotation
    from motifcli.pipeline import ModelLike, ScoreLike
    from motifcli.score import Score

# families a piece lists by default in a collection: at the discovery's own cap (25) every piece of an
# unlabelled collection fills it (100 Essen tunes: 25.0 a tune, 95% of their notes; 8 Bach chorales: 23.6);
# at 8 they list 8, covering 75-90% of their notes, and MTC tune still gains on F_est / F_occ / F_3 over
# within-song discovery at every collection tried (phase20-across20.md, table 2 and 4)
ACROSS_PER_PIECE = 8


def per_piece_cap(settings: Settings) -> int:
    """The families a piece lists: ``--max-families`` when given, else :data:`ACROSS_PER_PIECE`."""
    return settings.max_families if settings.max_families is not None else ACROSS_PER_PIECE


def label_index(label: str) -> int:
    """The family's place in the collection from its name (A 0, B 1, ..., Z 25, AA 26): the inverse of
    :func:`motifcli.annotation.family_name`; discovery names the collection's families in salience order."""
    index = 0
    for ch in label:
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1


def check_collection_notes(scores: Sequence[Score], settings: Settings) -> None:
    """Refuse a collection whose pitched notes together exceed ``limits.max_discovery_notes`` (a
    MotifError, before any discovery): the pooled run's time grows faster than its notes (Essen han1:
    0.95 ms a note at 2,500 notes, 4.3 ms at 23,500, i.e. 100 s for 300 tunes; phase20-acrosscli20.md)."""
    from motifcli.errors import MotifError

    limit = settings.limits.max_discovery_notes
    notes = sum(len(track.notes) for score in scores for track in score.pitched_tracks())
    if notes > limit:
        raise MotifError(
            f"--across: the {len(scores):,} files hold {notes:,} notes together, over the {limit:,}-note limit of "
            "note-level discovery (raise it with --max-discovery-notes; time grows faster than the notes)")


def annotate_collection(
    items: Iterable[ScoreLike],
    settings: Settings | Mapping[str, Any] | float | None = None,
    model: ModelLike | None = None,
    *,
    timings: MutableMapping[str, float] | None = None,
    **options: Any,
) -> list[Annotation]:
    """One annotation per piece (in the given order) with the collection's families: a name means one
    motif in every piece. ``items``: a list of scores, paths (read with ``settings.limits``; an
    unreadable file raises its ScoreReadError, the CLI leaves such files out instead) or music21
    streams (an Essen tune's ``opus.scores``); one path or score alone is a TypeError. ``settings`` / ``options``:
    as :func:`motifcli.annotate` (note level only); ``max_families`` caps each piece's families
    (default :data:`ACROSS_PER_PIECE`). ``model``: as for ``annotate`` (None: the shipped one, opened
    only if discovery needs it)."""
    import time

    from motifcli.families import _as_discovery_sees_it, check_note_count, discovery_settings, hand_reading
    from motifcli.readers import as_score
    from motifcli.readers.music21_stream import is_music21_stream
    from motifcli.score import Score

    if isinstance(items, (str, os.PathLike, Score)) or not isinstance(items, Iterable) or is_music21_stream(items):
        raise TypeError(f"annotate_collection takes a list of pieces (scores, paths or music21 streams), "
                        f"not one {type(items).__name__}: annotate_collection([a, b, ...])")
    asked = settings_from(settings, **options)
    if asked.unit != "note":
        raise UsageError("--across needs the note level (--unit note, the default): bar windows are grouped per file")
    if model is not None:
        from motifcli.model import as_model

        model = as_model(model)
    scores = [as_score(item, asked.limits) for item in items]
    if not scores:
        return []
    runs = [asked.resolve(None).for_score(score) for score in scores]  # bad values fail before work
    for score, run in zip(scores, runs):
        check_note_count(score, run)
    check_collection_notes(scores, asked)
    t0 = time.perf_counter()
    hands = [hand_reading(score, run) for score, run in zip(scores, runs)]
    shared = None
    if asked.uses_model:
        from motifcli.model import lazy

        shared = lazy(model)
    before = shared.uses if shared is not None else 0
    from motifcli.discovery.across import discover_across

    seen = [_as_discovery_sees_it(score, run) for score, run in zip(scores, runs)]
    found = discover_across(seen, shared, discovery_settings(runs[0]), per_piece=per_piece_cap(asked), hands=hands)
    card = dict(shared.card()) if shared is not None and shared.uses > before else {}
    out = [_piece(score, fams, run, card, reading) for score, fams, run, reading in zip(scores, found, runs, hands)]
    _mark_collection(out, per_piece_cap(asked))
    if timings is not None:
        timings["grouping"] = timings.get("grouping", 0.0) + (time.perf_counter() - t0)
    return out


def _piece(score: Score, families: list[Any], run: Settings, card: dict[str, str], hands: Any) -> Annotation:
    """A piece's annotation: its families in the collection's order (named and coloured by their place
    there), ranked by the piece's own order (the order discover_across gives, its salience)."""
    from motifcli.families import to_annotation
    from motifcli.hands import on_staves

    ordered = sorted(families, key=lambda f: label_index(f.label))
    annotation = to_annotation(on_staves(score, hands), ordered, run, card,
                               indices=[label_index(f.label) for f in ordered], fewest_statements=1)
    annotation.hands = hands
    annotation.meter_map = run.meter_map
    return annotation


def _mark_collection(annotations: list[Annotation], per_piece: int) -> None:
    """Each annotation's and each family's ``collection`` (counted over what the files list), and each
    family's colour: one per family in every file (:func:`shared_colours`)."""
    pieces: dict[str, int] = {}
    statements: dict[str, int] = {}
    for annotation in annotations:
        for motif in annotation.motifs:
            pieces[motif.name] = pieces.get(motif.name, 0) + 1
            statements[motif.name] = statements.get(motif.name, 0) + len(motif.occurrences)
    colours = shared_colours([[m.name for m in a.motifs] for a in annotations])
    for annotation in annotations:
        annotation.collection = {"pieces": len(annotations), "per_piece": per_piece}
        for motif in annotation.motifs:
            motif.collection = {"pieces": pieces[motif.name], "statements": statements[motif.name]}
            motif.color = colours[motif.name]


def shared_colours(files: list[list[str]], sweeps: int = 3) -> dict[str, str]:
    """A colour per family name, the same in every file, and different from the other families of each
    file where the palette allows: in the collection's order, each family takes the palette colour that
    clashes (another family of the file has it) in the fewest of its files; then ``sweeps`` - 1 more passes
    with every other family's colour known. The family's place in the collection mod 16 repeats a colour
    in most files of a large collection (phase20-acrosscli20.md: 100 MTC songs, 66 files; 100 Essen
    tunes, 81; this: 1 and 3)."""
    from motifcli.annotation import PALETTE

    holding: dict[str, list[list[str]]] = {}
    for names in files:
        for name in names:
            holding.setdefault(name, []).append(names)
    out: dict[str, str] = {}
    for _ in range(max(1, sweeps)):
        for name in sorted(holding, key=label_index):
            def clashes(colour: str, name: str = name) -> tuple[int, int]:
                hit = sum(any(out.get(n) == colour for n in names if n != name) for names in holding[name])
                return hit, PALETTE.index(colour)

            out[name] = min(PALETTE, key=clashes)
    return out
