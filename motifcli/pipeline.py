"""The one path from a score to its motifs: settings -> windows -> rolls -> vectors -> families.

``annotate`` and ``embed`` are the library's face (re-exported by :mod:`motifcli`), and what the
CLI, the batch workers and ``motif plot`` all call, so that the same :class:`Settings` give the same
windows and families everywhere. Each stage lives in its own module::

    Settings.resolve(model)  settings.py   defaults from the model card, checked once
    count_windows            here          the window limit, before any roll is made
    segment_track            segment.py    windows of each pitched track
    encode_segments          encoding.py   piano rolls
    embed_unique             embedding.py  the ONNX model, once per distinct roll
    group                    grouping.py   clustering -> families -> Annotation

That is ``unit="bar"``. With ``unit="note"`` (the default) the last four are replaced by note-level
discovery (:func:`motifcli.families.annotate_notes`: ``discover(score, model, settings)`` ->
families -> Annotation), whose occurrences are the notes of each statement; it gets the model
lazily (``motifcli.model.LazyModel``) and opens it only for the texture bars of a chordal track that
leads the piece (a pop song's piano), so most scores never import onnxruntime.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, Union, cast

from motifcli.errors import ScoreReadError
from motifcli.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeAlias

    from music21.stream import Stream

    from motifcli.annotation import Annotation
    from motifcli.embedding import EmbeddingResult
    from motifcli.model import LazyModel, MotifModel
    from motifcli.score import Score

    # what a call takes as a piece (a path or a music21 stream is read: motifcli.readers.as_score) and as a
    # model (an .onnx path is opened on first use: motifcli.model.as_model)
    ScoreLike: TypeAlias = Union[Score, str, os.PathLike[str], Stream]
    ModelLike: TypeAlias = Union[MotifModel, LazyModel, str, os.PathLike[str]]


def settings_from(settings: Settings | Mapping[str, Any] | float | None = None, **options: Any) -> Settings:
    """A :class:`Settings` from an object, from a mapping or keyword options of its fields (an unknown
    name is a UsageError), or a bare number, the sensitivity (``annotate(score, model, 0.4)``)."""
    if isinstance(settings, (int, float)) and not isinstance(settings, bool):
        options = {"sensitivity": float(settings), **options}
        settings = None
    elif isinstance(settings, Mapping):
        options = {**settings, **options}
        settings = None
    elif settings is not None and not isinstance(settings, Settings):
        raise TypeError(f"settings must be a motifcli.Settings, a dict of its fields or a sensitivity (a number), "
                        f"not {type(settings).__name__}")
    return Settings.build(settings, **options)


def count_windows(score: Score, model: MotifModel, settings: Settings) -> int:
    """How many windows would be embedded and clustered (an upper bound when ``min_notes`` > 1).

    Computed from note onsets alone, before any roll is made: grouping needs memory and time that
    grow with the square of this number, so it is what ``limits.max_segments`` bounds.
    """
    import numpy as np

    from motifcli.embedding import select_tracks
    from motifcli.segment import snapped_onsets

    run = settings.resolve(model).for_score(score)
    if run.bar_windows and run.meter_map is not None:  # one window per bar that has a note
        starts_map = run.meter_map.starts
        half = 0.5 / model.spec.steps_per_beat
        total = 0
        for track in select_tracks(score, run.track):
            onsets, _, _ = track.arrays()
            if onsets.size:
                bars = np.sort(np.searchsorted(starts_map, onsets + half, side="right"))
                total += 1 + int(np.count_nonzero(np.diff(bars)))
        return total
    window, hop, origin = float(run.window), float(run.hop), float(run.origin)
    per_onset = max(1, math.ceil(window / hop - 1e-9))
    total = 0
    for track in select_tracks(score, run.track):
        onsets, _, _ = track.arrays()
        if onsets.size:
            snapped = snapped_onsets(onsets, model.spec.steps_per_beat)
            starts = np.sort(np.floor((snapped - origin) / hop + 1e-9))
            distinct = 1 + int(np.count_nonzero(np.diff(starts)))  # np.unique would import numpy.ma (~20 ms)
            total += distinct * per_onset
    return total


def check_window_count(score: Score, model: MotifModel, settings: Settings) -> None:
    """Refuse a score with more windows than ``settings.limits.max_segments`` (a ScoreReadError)."""
    limit = settings.limits.max_segments
    windows = count_windows(score, model, settings)
    if windows > limit:
        raise ScoreReadError(
            f"{windows:,} windows to group, over the {limit:,}-window limit "
            "(raise it with --max-segments; grouping time and memory grow with its square)",
            score.path, name=score.name,
        )


def embed(
    score: ScoreLike,
    model: ModelLike,
    settings: Settings | Mapping[str, Any] | float | None = None,
    *,
    timings: MutableMapping[str, float] | None = None,
    **options: Any,
) -> EmbeddingResult:
    """One vector per window of each pitched track (or of ``track``): ``.vectors``, ``.track``,
    ``.start``, ``.end``. ``score``: a :class:`~motifcli.score.Score`, a path or a music21 stream;
    ``model``: a loaded model, a :class:`~motifcli.model.LazyModel` or an .onnx path. Options are
    :class:`Settings` fields (window, hop, origin, min_notes, ...). Windows are the bar level's
    whatever ``unit`` says (so ``min_notes`` defaults to 1, as there)."""
    from motifcli.embedding import embed_score
    from motifcli.model import as_model
    from motifcli.readers import as_score

    asked = settings_from(settings, **options)
    if asked.unit != "bar":
        asked = Settings.build(asked, unit="bar")
    encoder = cast("MotifModel", as_model(model, required=True))  # a LazyModel has a MotifModel's interface
    piece = as_score(score, asked.limits)
    run = asked.resolve(encoder).for_score(piece)
    check_window_count(piece, encoder, run)
    return embed_score(piece, encoder, run, timings)


def annotate(
    score: ScoreLike,
    model: ModelLike | None = None,
    settings: Settings | Mapping[str, Any] | float | None = None,
    *,
    timings: MutableMapping[str, float] | None = None,
    **options: Any,
) -> Annotation:
    """Find the motif families of ``score``: a :class:`~motifcli.score.Score` (``read_score``), a path
    or a music21 stream (read with the settings' limits).

    ``settings``: a :class:`Settings` (or a dict of its fields), or its fields as keywords (``sensitivity=0.4``,
    ``threshold=0.3``, ``linkage``, ``track``, ``window``, ``hop``, ``min_notes``, ``origin``,
    ``merge_adjacent``, ``min_occurrences``, ``unit``, ``max_families``, ``limits``). The default unit
    is ``note`` (note-level discovery); ``unit="bar"`` groups whole-bar windows with the model.
    ``model`` (a loaded model, a :class:`~motifcli.model.LazyModel`, an .onnx path, or None for the shipped one):
    the bar level loads it up front; the note level opens it only when discovery needs it (texture
    bars of a chordal track that leads the piece, ``texture_model="cluster"``, the default) and
    records its card only then (otherwise ``{}``: a chorale never imports onnxruntime). ``timings`` gets seconds per stage
    (encode, inference, grouping; for ``unit="note"`` discovery counts as grouping) added to it.
    """
    from motifcli.readers import as_score

    asked = settings_from(settings, **options)
    given: MotifModel | LazyModel | None = None
    if model is not None:  # None: motifcli.model is not imported for a note level that never needs it
        from motifcli.model import as_model

        given = as_model(model)
    piece = as_score(score, asked.limits)
    if asked.unit == "note":
        return _annotate_notes(piece, given, asked, timings)
    if given is None:  # the shipped model, opened once per process (motifcli.model.shipped_model)
        from motifcli.model import shipped_model

        given = shipped_model()
    encoder = cast("MotifModel", given)  # a LazyModel has a MotifModel's interface
    run = asked.resolve(encoder).for_score(piece)  # bad values fail before work
    from motifcli.embedding import embed_score
    from motifcli.grouping import group

    check_window_count(piece, encoder, run)
    embedded = embed_score(piece, encoder, run, timings)
    annotation = group(piece, embedded, run, encoder.card(), timings)
    annotation.hands = {}  # bar windows take a track whole: no hand named, none notated (phase20-hands20.md)
    return _with_bars(annotation, run)


def _annotate_notes(score: Score, model: Any, asked: Settings,
                    timings: MutableMapping[str, float] | None) -> Annotation:
    """The note level: discovery gets the model as a :class:`~motifcli.model.LazyModel` (the shipped
    one when none is given), which opens only if discovery touches it (texture bars of a leading
    chordal track); the model card is recorded only then, so a chorale's report says ``{}``."""
    from motifcli.families import annotate_notes

    run = asked.resolve(None).for_score(score)  # bad values fail before work; nothing from a model
    if not asked.uses_model:
        return _with_bars(annotate_notes(score, None, run, None, timings), run)
    from motifcli.model import lazy

    shared = lazy(model)
    before = shared.uses
    annotation = annotate_notes(score, shared, run, None, timings)
    if shared.uses > before:
        annotation.model = dict(shared.card())
    return _with_bars(annotation, run)


def _with_bars(annotation: Annotation, run: Settings) -> Annotation:
    """The run's bars on the annotation (overrides applied), for writers that draw bar lines (the
    notation of MIDI input)."""
    annotation.meter_map = run.meter_map
    return annotation
