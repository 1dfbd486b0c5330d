"""Note-level discovery's families -> an :class:`~motifcli.annotation.Annotation` (``--unit note``).

The hand-over between :mod:`motifcli.discovery` (``discover(score, model, settings) -> list[Family]``,
families most salient first, each occurrence a tuple of note references) and the writers. Only
the attributes are read (duck typing), so this module imports no discovery code and the writers
need nothing new: ``Family.label/occurrences/salience``; ``Occurrence.notes/transposition/
similarity``; ``NoteRef.track/index/voice/onset/offset/pitch``.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping, Sequence
from dataclasses import fields, replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from motifcli.annotation import Annotation, Motif, MotifNote, Occurrence, family_color, family_name, rank_motifs
from motifcli.errors import ScoreReadError, UsageError
from motifcli.settings import TRANSFORM_OPTIONS

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.hands import Hands
    from motifcli.meter import MeterMap
    from motifcli.model import MotifModel
    from motifcli.score import Score
    from motifcli.settings import Settings

DEFAULT_VARIANT_TOLERANCE = 1.0  # discovery's tuned variant tolerance, what sensitivity 0.5 gives
DEFAULT_TEXTURE_SIMILARITY = 0.4  # discovery's tuned bar similarity for texture families, at sensitivity 0.5
INVERSION_NOTES = 6  # --inversions: the shortest statement matched in inversion (benchmarks/phase18-inv18.md)
AUGMENTATION_NOTES = 6  # --augmentations: the shortest statement matched in other note values (phase18-aug18.md)
RETROGRADE_NOTES = 6  # --retrogrades: the shortest statement matched in retrograde (phase18-retro18.md)
TRANSFORM_NOTES = dict(zip(TRANSFORM_OPTIONS, (INVERSION_NOTES, AUGMENTATION_NOTES, RETROGRADE_NOTES)))


def discovery_options(settings: Settings) -> dict[str, Any]:
    """Our settings as discovery's: ``min_notes`` (shortest motif; for texture families the fewest
    notes of a bar that states a texture), ``max_families`` (cap on all families), and the
    sensitivity as the variant tolerance (0 = exact or transposed repeats only, 0.5 = the tuned
    default, 1 = twice as loose) and as the texture bars' similarity ``0.4 ** (2 x sensitivity)``
    (0 = identical bars only, 0.5 = the tuned 0.4, 1 = 0.16: bars sharing a sixth of their points).
    With the model (``texture_model="cluster"``, the default) the texture bars' distance is the
    model's calibrated threshold moved by the sensitivity, or an explicit ``--threshold``, as for
    ``--unit bar``. ``--inversions``: statements in strict inversion of :data:`INVERSION_NOTES` or more;
    ``--augmentations``: in augmentation or diminution, of :data:`AUGMENTATION_NOTES` or more;
    ``--retrogrades``: in retrograde (and with ``--inversions`` retrograde inversion), of :data:`RETROGRADE_NOTES` or more."""
    options: dict[str, Any] = {"min_notes": settings.fewest_notes}
    if settings.min_notes is not None:  # an explicit --min-notes also bounds the short rhythmic cells
        options["cell_min_notes"] = max(2, settings.fewest_notes)
        options["short_piece_notes"] = 0  # ... and holds in a short tune too (discovery/core.py _short_tune)
    if settings.max_families is not None:
        options["max_families"] = settings.max_families
    options["variant_tolerance"] = DEFAULT_VARIANT_TOLERANCE * 2.0 * float(settings.sensitivity)
    options["use_variants"] = settings.sensitivity > 0.0
    options["texture_similarity"] = DEFAULT_TEXTURE_SIMILARITY ** (2.0 * float(settings.sensitivity))
    if settings.texture_model is not None:
        options["texture_model"] = settings.texture_model
    if settings.threshold is not None:  # an explicit --threshold: texture bars join as --unit bar's do
        options["texture_model_distance"] = float(settings.threshold)
    options["texture_model_sensitivity"] = float(settings.sensitivity)  # else the model's, moved as --unit bar's
    for name, notes in TRANSFORM_NOTES.items():  # each asked: of its shortest length or more (and at least --min-notes)
        if getattr(settings, name):
            options[name] = max(notes, settings.fewest_notes)
    return options


def discovery_settings(settings: Settings) -> Any:
    """Discovery's own settings (a ``motifcli.discovery.DiscoverySettings``) for these run settings
    (a UsageError when discovery is absent)."""
    try:
        from motifcli.discovery import DiscoverySettings
    except ImportError as exc:
        raise UsageError(
            "--unit note is not available yet in this build (no motifcli.discovery); use --unit bar"
        ) from exc
    known = {f.name for f in fields(DiscoverySettings)}
    options = {k: v for k, v in discovery_options(settings).items() if k in known}
    options["max_notes"] = max(options["min_notes"], getattr(DiscoverySettings(), "max_notes", options["min_notes"]))
    if options.get("max_families", 0) <= DiscoverySettings().max_families:
        # --max-families n is the default run's n most salient families (docs/cli.md), cut by
        # to_annotation: inside discovery the cap would also stop the greedy choice of voice families
        # after n, before growing, filtering and ranking them (a keyboard reduction of Palestrina's
        # Agnus Dei lost its most salient family with --max-families 2); above the cap it widens it
        options.pop("max_families", None)
    if options.get("cell_min_notes", 0) > DiscoverySettings().cell_max_notes:  # --min-notes above any cell: none
        options["short_cells"] = 0
    return replace(DiscoverySettings(), **options)


def discovery_uses_model(settings: Settings) -> bool:
    """Whether discovery with these settings would run a model it is given: when texture bars are
    clustered with it (``texture_model="cluster"``), or when it adds varied statements and may vet
    alignments looser than ``variant_tolerance`` with the embedding (``model_tolerance`` above it;
    see ``discovery.families.add_variants``). The first is on by default: the caller hands a lazy
    model (``motifcli.model.LazyModel``), opened only for a piece with a leading chordal track."""
    run = discovery_settings(settings)
    if getattr(run, "texture", False) and getattr(run, "texture_model", "off") != "off":
        return True  # texture families compare bars with the bar model
    return bool(getattr(run, "use_variants", False)) and (
        float(getattr(run, "model_tolerance", 0.0)) > float(getattr(run, "variant_tolerance", 0.0))
    )


def discover_families(score: Score, model: MotifModel | None, settings: Settings,
                      hands: Hands | None = None) -> list[Any]:
    """Run :func:`motifcli.discovery.discover` with these settings (a UsageError when it is absent) on
    the score as the run's options show it, with the run's hand reading (``hands``; taken here from
    the whole score when not given: :func:`hand_reading`)."""
    run = discovery_settings(settings)
    from motifcli.discovery import discover

    hands = hand_reading(score, settings) if hands is None else hands
    return list(discover(_as_discovery_sees_it(score, settings), model, run, hands=hands))


def hand_reading(score: Score, settings: Settings) -> Hands:
    """The run's one reading of a one-track keyboard part as two hands (track -> each note's hand, ``{}``
    none: :func:`motifcli.hands.keyboard_hands` with discovery's settings for these), taken on the score
    as read. ``--track N`` picks which track is searched, not how it is read: a track split into hands
    is one alone in its file, so the right-hand staff of a track-per-staff piano picked with ``--track``
    is one hand, not two (all 16 BPS tune staves and 15 of 20 music21 keyboard staves passed the
    split's other gates alone: phase20-hands20.md)."""
    from motifcli.hands import keyboard_hands

    return keyboard_hands(score, discovery_settings(settings))


def _as_discovery_sees_it(score: Score, settings: Settings) -> Score:
    """The score as the run's options show it to discovery. ``--track``: that track's notes only (the
    other tracks stay, emptied, so that note references keep their track numbers; the bars stay those of
    the whole score). ``--meter`` / ``--bar-offset``: the run's bars, which place statements in their bars
    (discovery/barpos.py)."""
    if settings.track is None:
        bars = settings.meter_map
        return score if bars is None or bars is score.meter else replace(score, meter=bars)
    from motifcli.embedding import select_tracks

    keep = {id(t) for t in select_tracks(score, settings.track)}
    bars = settings.meter_map if settings.meter_map is not None else score.meter_map
    return replace(score, tracks=[t if id(t) in keep else replace(t, notes=[]) for t in score.tracks], meter=bars)


def to_annotation(
    score: Score,
    families: Sequence[Any],
    settings: Settings | None = None,
    model_card: dict[str, str] | None = None,
    *,
    indices: Sequence[int] | None = None,
    fewest_statements: int = 2,
) -> Annotation:
    """An Annotation of discovery's ``families``, in the order given (most salient first).

    ``indices`` (``--across``, motifcli.collection): each family's place in the collection, which
    names and colours it (the same in every file); ``fewest_statements``: 1 there, where a family
    may be stated once in a file.

    Families are named A, B, ... in that order (so A is the most salient) and ranked 1, 2, ...;
    an occurrence's notes are exactly its note references (velocity looked up in the score), its
    beats and bars summarise them (first onset, last offset; bars are the printed numbers of the
    run's meter map, ``settings.meter_map``, else the score's), occurrences are numbered in time order.
    Families left with fewer than two occurrences (``fewest_statements``), or occurrences with fewer than ``min_notes``
    notes, are dropped; ``max_families`` caps the count. Without an explicit ``--min-notes`` a short
    rhythmic cell (a family whose prototype has fewer notes than the default, discovery/cells.py)
    keeps occurrences of its own length: the default shows lines and bars of 4+ notes and 2-3-note cells.
    """
    min_notes = settings.fewest_notes if settings is not None else 1
    explicit = settings is not None and settings.min_notes is not None
    meter = settings.meter_map if settings is not None and settings.meter_map is not None else score.meter_map
    limit = settings.max_families if settings is not None else None
    motifs: list[Motif] = []
    staffed = frozenset(t.index for t in score.tracks if t.staves() is not None)  # parts on 2+ staves
    # a MIDI track on two staves is a one-track keyboard part split into its hands (hand_reading)
    hands = staffed if score.format == "midi" else frozenset()
    for j, family in enumerate(families):
        if limit is not None and len(motifs) >= limit:
            break
        k = len(motifs) if indices is None else indices[j]
        name = family_name(k)
        occs = [_occurrence(score, meter, name, o, staffed, hands) for o in family.occurrences]
        fewest = min_notes if explicit else min(min_notes, int(getattr(family, "notes_per_occurrence", min_notes)))
        occs = [o for o in occs if len(o.notes) >= fewest]
        occs.sort(key=lambda o: (o.start, o.track, o.notes[0].pitch))
        if len(occs) < fewest_statements:
            continue
        for number, occ in enumerate(occs, start=1):
            occ.number = number
        motifs.append(Motif(name, family_color(k), occs, salience=float(family.salience)))
    rank_motifs(motifs)
    recorded: dict[str, Any] = settings.to_dict() if settings is not None else {"unit": "note"}
    return Annotation(
        source=score.source_name,
        motifs=motifs,
        model=dict(model_card or {}),
        settings=recorded,
        tracks=[t.name for t in score.tracks],
        meter=settings.meter_dict() if settings is not None and settings.meter_map is not None else meter.to_dict(),
    )


_ONSET_PITCH = attrgetter("onset", "pitch")  # the (onset, pitch) sort key, in C


def _occurrence(score: Score, meter: MeterMap, family: str, occ: Any,
                staffed: frozenset[int] = frozenset(), hands: frozenset[int] = frozenset()) -> Occurrence:
    """One occurrence of discovery's: its notes (with their staff in a track of ``staffed``, a part
    on several staves, where a written voice number alone does not say which staff; in a track of
    ``hands`` the staff is a hand), and bars (printed numbers and labels) from ``meter``."""
    notes = []
    tracks = score.tracks
    for ref in sorted(occ.notes, key=_ONSET_PITCH):
        track_notes = tracks[ref.track].notes
        known = 0 <= ref.index < len(track_notes)
        velocity = track_notes[ref.index].velocity if known else 64
        staff = int(track_notes[ref.index].staff) if known and ref.track in staffed else None
        voice = getattr(ref, "voice", None)
        notes.append(
            MotifNote(int(ref.track), int(ref.index), float(ref.onset), float(ref.offset), int(ref.pitch),
                      int(velocity), None if voice is None else int(voice), staff)
        )
    track = notes[0].track if notes else 0
    start = notes[0].onset if notes else 0.0
    end = max((n.offset for n in notes), default=start)
    transposition = getattr(occ, "transposition", None)
    return Occurrence(
        family=family,
        number=0,
        track=track,
        track_name=score.tracks[track].name if score.tracks else "",
        start=start,
        end=end,
        **meter.span_bars(start, end),
        similarity=min(1.0, max(-1.0, float(occ.similarity))),
        notes=notes,
        note_indices=[n.index for n in notes if n.track == track],
        transposition=None if transposition is None else int(transposition),
        inverted=bool(getattr(occ, "inverted", False)),
        time_scale=float(getattr(occ, "time_scale", 1.0)),
        retrograde=bool(getattr(occ, "retrograde", False)),
        hands=track in hands,
    )


def check_note_count(score: Score, settings: Settings) -> None:
    """Refuse a score with more pitched notes than ``settings.limits.max_discovery_notes`` (a
    ScoreReadError, before any discovery): discovery, its occurrences and their outputs take time in
    proportion to them (~0.1-0.15 ms of CPU a note), so a hostile 200,000-note file is refused in the
    time it takes to read instead of costing half a minute."""
    limit = settings.limits.max_discovery_notes
    notes = sum(len(track.notes) for track in score.pitched_tracks())
    if notes > limit:
        raise ScoreReadError(
            f"{notes:,} notes to search, over the {limit:,}-note limit of note-level discovery "
            "(raise it with --max-discovery-notes; time grows with the notes)",
            score.path, name=score.name,
        )


def annotate_notes(
    score: Score,
    model: MotifModel | None,
    settings: Settings,
    model_card: dict[str, str] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> Annotation:
    """``--unit note``: discovery, then :func:`to_annotation`; timed as the "grouping" stage (the
    stage that finds the families, so batch summaries keep one set of stages for both units). The
    hand reading (:func:`hand_reading`) is taken once here and read by discovery, the names (the
    annotation's notes' ``staff``, ``Occurrence.hands``) and the writers (``Annotation.hands``)."""
    check_note_count(score, settings)
    t0 = time.perf_counter()
    from motifcli.hands import on_staves

    hands = hand_reading(score, settings)  # once per run: discovery, the names and (Annotation.hands) the notation
    families = discover_families(score, model, settings, hands)
    annotation = to_annotation(on_staves(score, hands), families, settings, model_card)
    annotation.hands = hands
    if timings is not None:
        timings["grouping"] = timings.get("grouping", 0.0) + (time.perf_counter() - t0)
    return annotation
