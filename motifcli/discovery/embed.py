"""Optional learned check on varied statements: embed pitch-normalised, note-anchored windows.

Any encoder with ``spec`` (an :class:`~motifcli.encoding.EncodingSpec`) and ``embed(rolls)``
(``motifcli.load_model()``'s :class:`~motifcli.model.MotifModel`, or another ONNX model loaded
the same way) can be passed to ``discover(score, model)``. A window becomes a roll starting at its
first note, transposed so its first note sits mid-range (the encoder then sees the shape, not the
key), as many beats as the model's segment; a model whose card says ``input_pitch="absolute"``
(trained without transposition views) gets the window at its written pitch instead. A candidate
variant whose alignment distance is between ``variant_tolerance`` and ``model_tolerance`` joins
only if its cosine distance to the
nearest exemplar is no larger than the largest distance of an exact statement to the exemplars
(the family's own spread, so no absolute per-model threshold).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from motifcli.discovery.candidates import Lines


class Encoder(Protocol):
    """What discovery needs of a model: its roll grid and an embedding of rolls."""

    @property
    def spec(self) -> object: ...

    def embed(self, rolls: np.ndarray) -> np.ndarray: ...


def absolute_input(model: object) -> bool:
    """True when the model's card asks for windows at their written pitch (``input_pitch="absolute"``).

    Only a model trained without transposition views says so (the no-invariance ablation); a card
    without the field, or any other model, gets the pitch-normalised window as before.
    """
    card = getattr(model, "model_card", None)
    return getattr(card, "input_pitch", None) == "absolute"


def window_rolls(lines: Lines, statements: list[np.ndarray], spec: object, normalise: bool = True) -> np.ndarray:
    """Binary-sustain rolls [W, steps, pitches] of statements (positions in ``lines``).

    ``normalise``: the first note moved to mid-range (the encoder sees the shape, not the key);
    otherwise the written pitches, for a model whose card says ``input_pitch="absolute"``.
    """
    steps, low, count, spb = spec.steps, spec.pitch_low, spec.pitch_count, spec.steps_per_beat  # type: ignore[attr-defined]
    rolls = np.zeros((len(statements), steps, count), dtype=np.float32)
    centre = low + count // 2
    for w, pos in enumerate(statements):
        t0 = lines.onsets[pos[0]]
        shift = centre - int(lines.pitches[pos[0]]) if normalise else 0
        a = np.clip(np.round((lines.onsets[pos] - t0) * spb).astype(int), 0, steps)
        b = np.clip(np.round((lines.offsets[pos] - t0) * spb).astype(int), 0, steps)
        p = np.clip(lines.pitches[pos] + shift - low, 0, count - 1)
        for s, e, q in zip(a.tolist(), np.maximum(b, a + 1).tolist(), p.tolist()):
            rolls[w, s:min(e, steps), q] = 1.0
    return rolls


def cosine_to_nearest(model: Encoder, lines: Lines, exemplars: list[np.ndarray], cands: list[np.ndarray]) -> tuple[np.ndarray, float]:
    """Each candidate's cosine distance to its nearest exemplar, and the exemplars' own spread."""
    rolls = window_rolls(lines, exemplars + cands, model.spec, normalise=not absolute_input(model))
    emb = model.embed(rolls).astype(np.float64)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    ex, ca = emb[: len(exemplars)], emb[len(exemplars):]
    spread = 0.0
    if len(ex) > 1:
        d = 1.0 - ex @ ex.T
        np.fill_diagonal(d, np.inf)
        spread = float(d.min(axis=1).max())
    return (1.0 - ca @ ex.T).min(axis=1) if len(ca) else np.zeros(0), spread
