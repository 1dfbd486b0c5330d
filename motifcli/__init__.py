"""motif: find the motifs of a piece of music and write them into the score.

The public API, for notebooks and scripts::

    import motifcli
    score = motifcli.read_score("song.mid")
    model = motifcli.load_model()              # the shipped model, CUDA if available
    annotation = motifcli.annotate(score, model, sensitivity=0.5)
    vectors = motifcli.embed(score, model).vectors
    settings = motifcli.Settings(sensitivity=0.6, origin=1.0)   # or one object for all options
    annotation = motifcli.annotate(score, model, settings)
    annotations = motifcli.annotate_collection(["a.mid", "b.mid"], settings)  # one set of families for all

This module only re-exports, each name on first use; the flow lives in :mod:`motifcli.pipeline`.
Heavy imports (numpy, onnxruntime, music21) happen only when they are needed, so importing this
package and ``motif --help`` stay fast; torch is never imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Each public name and the module that holds it, imported on first use (PEP 562): ``import motifcli``
# and the ``motif`` command start without numpy or onnxruntime until a command needs them.
_EXPORTS = {
    "ModelError": "motifcli.errors",
    "MotifError": "motifcli.errors",
    "OutputError": "motifcli.errors",
    "ScoreReadError": "motifcli.errors",
    "UsageError": "motifcli.errors",
    "ReadLimits": "motifcli.limits",
    "load_model": "motifcli.model",
    "annotate": "motifcli.pipeline",
    "annotate_collection": "motifcli.collection",
    "embed": "motifcli.pipeline",
    "read_score": "motifcli.readers",
    "Settings": "motifcli.settings",
}

if TYPE_CHECKING:
    from motifcli.errors import ModelError, MotifError, OutputError, ScoreReadError, UsageError
    from motifcli.limits import ReadLimits
    from motifcli.model import load_model
    from motifcli.collection import annotate_collection
    from motifcli.pipeline import annotate, embed
    from motifcli.readers import read_score
    from motifcli.settings import Settings
    from motifcli.version import __version__


def __getattr__(name: str) -> Any:
    """A public name on first use; ``__version__`` too (importlib.metadata costs ~40 ms)."""
    if name == "__version__":
        from motifcli.version import __version__

        return __version__
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'motifcli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, *(k for k in globals() if k.startswith("__"))})


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
    "annotate_collection",
    "embed",
    "load_model",
    "read_score",
]
