"""Augmented views of a bar for VICReg pretraining (paper, Sec. 3.2), one small function each.

Each takes a note array int16 [n, 3] = (onset step, offset step, pitch column), a numpy Generator
and the spec, and returns a new array; the input is never modified. Every view keeps all notes
inside the pitch range and the bar, so a rendered view is always a valid roll.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from motifcli.encoding import EncodingSpec

View = Callable[[np.ndarray, np.random.Generator, EncodingSpec], np.ndarray]


def transpose(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, max_shift: int = 6) -> np.ndarray:
    """Shift every note by the same interval in [-max_shift, +max_shift], never leaving the range."""
    if len(notes) == 0:
        return notes.copy()
    lo = max(-max_shift, -int(notes[:, 2].min()))
    hi = min(max_shift, spec.pitch_count - 1 - int(notes[:, 2].max()))
    out = notes.copy()
    out[:, 2] += int(rng.integers(lo, hi + 1))
    return out


def drop_note(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """Remove one note at random (a bar keeps at least one note)."""
    if len(notes) <= 1:
        return notes.copy()
    return np.delete(notes, int(rng.integers(len(notes))), axis=0)


def shift_note(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, max_step: int = 2) -> np.ndarray:
    """Move one note up or down by 1..max_step semitones (reflected when it would leave the range)."""
    if len(notes) == 0:
        return notes.copy()
    out = notes.copy()
    i = int(rng.integers(len(out)))
    step = int(rng.integers(1, max_step + 1)) * (1 if rng.random() < 0.5 else -1)
    target = int(out[i, 2]) + step
    if not 0 <= target < spec.pitch_count:
        target = int(out[i, 2]) - step
    out[i, 2] = target
    return out


def change_last_duration(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """Give the last-starting note(s) a new duration between one step and the end of the bar."""
    if len(notes) == 0:
        return notes.copy()
    out = notes.copy()
    last = out[:, 0] == out[:, 0].max()
    onset = int(out[last, 0][0])
    new_off = int(rng.integers(onset + 1, spec.steps + 1))
    out[last, 1] = new_off
    return out


def time_shift(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, max_steps: int = 2) -> np.ndarray:
    """Move every note by 1..max_steps steps either way: a window anchored slightly off its onset.

    Notes pushed past either end of the roll are dropped (at least one note stays), as the renderer
    keeps only the notes whose onset lies inside a window.
    """
    if len(notes) == 0:
        return notes.copy()
    step = int(rng.integers(1, max_steps + 1)) * (1 if rng.random() < 0.5 else -1)
    out = notes.astype(np.int16).copy()
    out[:, 0] += step
    out[:, 1] = np.minimum(out[:, 1] + step, spec.steps)
    keep = (out[:, 0] >= 0) & (out[:, 0] < spec.steps)
    return out[keep] if keep.any() else notes.copy()


VIEWS: dict[str, View] = {
    "transpose": transpose,
    "drop_note": drop_note,
    "shift_note": shift_note,
    "change_last_duration": change_last_duration,
    "time_shift": time_shift,
}
BAR_VIEWS: tuple[str, ...] = ("transpose", "drop_note", "shift_note", "change_last_duration")  # the paper's four
NOTE_VIEWS: tuple[str, ...] = BAR_VIEWS + ("time_shift",)  # note-anchored windows: the anchor may be off too
# the "no invariance" ablation: the same views without transposition (nothing teaches pitch invariance)
NOTE_VIEWS_NO_TRANSPOSE: tuple[str, ...] = tuple(v for v in NOTE_VIEWS if v != "transpose")


def random_view(
    notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, p: float = 0.5, names: tuple[str, ...] = BAR_VIEWS
) -> np.ndarray:
    """Apply each named view with probability ``p`` (in a random order), as the paper composes them."""
    out = notes
    for k in rng.permutation(len(names)):
        if rng.random() < p:
            out = VIEWS[names[k]](out, rng, spec)
    return out if out is not notes else notes.copy()
