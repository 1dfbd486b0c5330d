"""motif: find the motifs of a piece of music and write them into the score.

The public API, for notebooks and scripts::

    import motifcli
    score = motifcli.read_score("song.mid")
    model = motifcli.load_model()              # the shipped model, CUDA if available
    annotation = motifcli.annotate(score, model, sensitivity=0.5)
    vectors = motifcli.embed(score, model).vectors

Heavy imports (onnxruntime, scikit-learn, music21) happen only when they are needed, so importing
this package and ``motif --help`` stay fast; torch is never imported.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING

from motifcli.errors import ModelError, MotifError, OutputError, ScoreReadError, UsageError
from motifcli.limits import ReadLimits
from motifcli.readers import read_score

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.annotation import Annotation
    from motifcli.embedding import EmbeddingResult
    from motifcli.model import MotifModel
    from motifcli.score import Score


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("motif")
    except PackageNotFoundError:
        return "0.1.0+local"


__version__ = _version()


def load_model(path=None, provider: str = "auto", threads: int | None = None) -> MotifModel:  # noqa: ANN001
    """Open an ONNX encoder (default: the shipped one); see :func:`motifcli.model.load_model`."""
    from motifcli.model import load_model as _load

    return _load(path, provider=provider, threads=threads)


def embed(
    score: Score,
    model: MotifModel,
    track: str | int | None = None,
    window: float | None = None,
    hop: float | None = None,
    min_notes: int = 1,
    timings: MutableMapping[str, float] | None = None,
    origin: float | None = None,
) -> EmbeddingResult:
    """One vector per window of each pitched track (or of ``track``): ``.vectors``, ``.track``, ``.start``, ``.end``.

    ``origin``: beat where the window grid starts (a MIDI file's pickup); None = the written bars.
    """
    from motifcli.embedding import embed_score

    return embed_score(score, model, track, window, hop, min_notes, timings, origin)


def annotate(
    score: Score,
    model: MotifModel,
    sensitivity: float = 0.5,
    *,
    threshold: float | None = None,
    linkage: str = "average",
    track: str | int | None = None,
    window: float | None = None,
    hop: float | None = None,
    min_notes: int = 1,
    merge_adjacent: bool = True,
    min_occurrences: int = 2,
    timings: MutableMapping[str, float] | None = None,
    origin: float | None = None,
) -> Annotation:
    """Find the motif families of ``score``.

    ``sensitivity`` 0..1 (0.5 = the model's calibrated threshold; higher = looser, more families);
    ``threshold`` (cosine distance) overrides it, ``linkage`` picks the clustering, both for sweeps.
    ``timings`` gets seconds per stage (encode, inference, grouping) added to it. ``origin`` is the
    beat where bars start (a MIDI pickup); None = the written bar lines, or beat 0 for MIDI.
    """
    from motifcli.grouping import GroupingSettings, group

    settings = GroupingSettings(sensitivity, threshold, linkage, merge_adjacent, min_occurrences)
    settings.check()
    settings.resolved_threshold(model.grouping_threshold)  # bad values fail before any work
    embedded = embed(score, model, track, window, hop, min_notes, timings, origin)
    extra = {
        "bar_origin_beats": embedded.segments[0].start % (window or model.spec.segment_beats)
        if embedded.segments else (origin or 0.0),
        "window_beats": window if window is not None else model.spec.segment_beats,
        "hop_beats": hop if hop is not None else (window if window is not None else model.spec.segment_beats),
        "min_notes": min_notes,
        "track": track,
    }
    return group(score, embedded, settings, model.grouping_threshold, model.card(), extra, timings)


__all__ = [
    "ModelError",
    "MotifError",
    "OutputError",
    "ReadLimits",
    "ScoreReadError",
    "UsageError",
    "__version__",
    "annotate",
    "embed",
    "load_model",
    "read_score",
]
