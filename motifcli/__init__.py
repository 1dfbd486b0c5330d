"""motif: find the motifs of a piece of music and write them into the score.

The public API, for notebooks and scripts::

    import motifcli
    score = motifcli.read_score("song.mid")
    model = motifcli.load_model()              # the shipped model, CUDA if available
    annotation = motifcli.annotate(score, model, sensitivity=0.5)
    vectors = motifcli.embed(score, model).vectors
    settings = motifcli.Settings(sensitivity=0.6, origin=1.0)   # or one object for all options
    annotation = motifcli.annotate(score, model, settings)

This module only re-exports; the flow lives in :mod:`motifcli.pipeline`. Heavy imports
(onnxruntime, music21) happen only when they are needed, so importing this package and
``motif --help`` stay fast; torch is never imported.
"""

from __future__ import annotations

from motifcli.errors import ModelError, MotifError, OutputError, ScoreReadError, UsageError
from motifcli.limits import ReadLimits
from motifcli.model import load_model
from motifcli.pipeline import annotate, embed
from motifcli.readers import read_score
from motifcli.settings import Settings



def __getattr__(name: str) -> str:
    """``__version__`` on first use (importlib.metadata costs ~40 ms of every start-up)."""
    if name == "__version__":
        from motifcli.version import __version__

        return __version__
    raise AttributeError(f"module 'motifcli' has no attribute {name!r}")


__all__ = [
    "ModelError",
    "MotifError",
    "OutputError",
    "ReadLimits",
    "ScoreReadError",
    "Settings",
    "UsageError",
    "__version__",
    "annotate",
    "embed",
    "load_model",
    "read_score",
]
