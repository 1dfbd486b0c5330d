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


# ----------------------------------------------------------------------------------------------
# variant views (issue 10 item 2, benchmarks/phase7-varmodel7.md): the ways a motif's genuine
# variants differ in BPS-motif (diatonic sequences, ornaments, changed intervals, re-divided
# rhythm, fragments), for an encoder fed first-note-normalised windows (``normalise_first``), so
# chromatic transposition is in the input already and the views spend the model on variation.

MAJOR = np.array([0, 2, 4, 5, 7, 9, 11])


def _ordered(notes: np.ndarray) -> np.ndarray:
    """Notes sorted by onset, then pitch (the order the runtime's ``window_rolls`` reads a statement in)."""
    return notes[np.lexsort((notes[:, 2], notes[:, 0]))] if len(notes) else notes.copy()


def window_scale(notes: np.ndarray, spec: EncodingSpec) -> np.ndarray:
    """Pitch classes (0-11, of the absolute pitch) of the major scale holding most of the window's note time."""
    pcs = (notes[:, 2].astype(int) + spec.pitch_low) % 12
    weight = np.bincount(pcs, weights=(notes[:, 1] - notes[:, 0]).astype(float) + 1.0, minlength=12)
    best = max(range(12), key=lambda t: (weight[(MAJOR + t) % 12].sum(), -t))
    return np.sort((MAJOR + best) % 12)


def diatonic_transpose(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, max_steps: int = 3) -> np.ndarray:
    """Move every note by the same number (1..max_steps, either way) of steps of the window's own scale.

    A sequence in a key: the contour stays, but thirds turn major/minor and so on (unlike a chromatic
    shift). Notes outside the scale move by the semitones their nearest scale note below moves.
    """
    if len(notes) == 0:
        return notes.copy()
    scale = window_scale(notes, spec)
    k = int(rng.integers(1, max_steps + 1)) * (1 if rng.random() < 0.5 else -1)
    out = notes.astype(np.int16).copy()
    for i, col in enumerate(notes[:, 2].astype(int)):
        pitch = col + spec.pitch_low
        octave, pc = divmod(pitch, 12)
        j = int(np.searchsorted(scale, pc, side="right")) - 1  # the scale degree at or below (-1: below the first)
        base = octave * 12 + (scale[j] if j >= 0 else scale[-1] - 12)
        deg = j + k
        target = (octave + deg // 7) * 12 + scale[deg % 7]
        out[i, 2] = int(np.clip(col + target - base, 0, spec.pitch_count - 1))
    return out


def ornament(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """Insert a passing note (between notes a third apart) or a neighbour note into one long-enough note.

    The chosen note (>= 2 steps) gives up its second half: to the passing note half-way to the next
    pitch when the next note is 3-4 semitones away, else to an upper/lower neighbour (1-2 semitones).
    """
    out = _ordered(notes.astype(np.int16))
    long = np.flatnonzero(out[:, 1] - out[:, 0] >= 2)
    if len(long) == 0:
        return out
    i = int(rng.choice(long))
    on, off, p = (int(x) for x in out[i])
    cut = on + (off - on) // 2
    nxt = int(out[i + 1, 2]) if i + 1 < len(out) else None
    if nxt is not None and 3 <= abs(nxt - p) <= 4:
        q = p + (nxt - p) // 2 + (1 if (nxt - p) % 2 and nxt > p else 0)
    else:
        q = p + int(rng.integers(1, 3)) * (1 if rng.random() < 0.5 else -1)
    q = int(np.clip(q, 0, spec.pitch_count - 1))
    out[i, 1] = cut
    return _ordered(np.concatenate([out, np.array([[cut, off, q]], np.int16)]))


def change_intervals(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """Change one or two intervals: a note other than the first moved by 1-2 semitones (the first is the anchor)."""
    out = _ordered(notes.astype(np.int16))
    if len(out) < 2:
        return out
    for i in rng.choice(np.arange(1, len(out)), size=min(len(out) - 1, int(rng.integers(1, 3))), replace=False):
        step = int(rng.integers(1, 3)) * (1 if rng.random() < 0.5 else -1)
        t = int(out[i, 2]) + step
        out[i, 2] = t if 0 <= t < spec.pitch_count else int(out[i, 2]) - step
    return out


def redivide_rhythm(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """Re-divide the time of two successive notes (even <-> dotted): the second note's onset moves inside their span.

    The pair's span (first onset to the second's offset) stays; the boundary moves to another of
    1/4, 1/3, 1/2, 2/3, 3/4 of it (on the grid), so 2+2 steps can become 3+1 and back.
    """
    out = _ordered(notes.astype(np.int16))
    pairs = [i for i in range(len(out) - 1) if out[i + 1, 0] > out[i, 0] and out[i + 1, 1] - out[i, 0] >= 3]
    if not pairs:
        return out
    i = int(rng.choice(pairs))
    a, b, end = int(out[i, 0]), int(out[i + 1, 0]), int(out[i + 1, 1])
    cands = sorted({a + max(1, min(end - a - 1, int(round(f * (end - a))))) for f in (0.25, 1 / 3, 0.5, 2 / 3, 0.75)} - {b})
    if not cands:
        return out
    c = int(rng.choice(cands))
    if i + 2 < len(out) and c >= out[i + 2, 0]:
        return out
    out[i, 1] = min(int(out[i, 1]), c) if out[i, 1] < b else c  # a rest before the second note stays a rest
    out[i + 1, 0] = c
    return _ordered(out)


def fragment(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec) -> np.ndarray:
    """The first or the last 60-80% of the notes (>= 2), re-anchored to start at step 0."""
    out = _ordered(notes.astype(np.int16))
    n = len(out)
    keep = max(2, int(round(n * rng.uniform(0.6, 0.8))))
    if keep >= n:
        return out
    out = out[:keep] if rng.random() < 0.5 else out[n - keep:]
    out[:, :2] -= out[0, 0]
    return out


def normalise_first(notes: np.ndarray, spec: EncodingSpec) -> np.ndarray:
    """Start at step 0 with the first note (onset order) mid-range, as ``motifcli.discovery.embed.window_rolls`` draws a statement."""
    out = _ordered(notes.astype(np.int16))
    if len(out):
        out[:, :2] -= out[0, 0]
        out[:, 2] = np.clip(out[:, 2] + spec.pitch_count // 2 - int(out[0, 2]), 0, spec.pitch_count - 1)
    return out


VIEWS: dict[str, View] = {
    "transpose": transpose,
    "drop_note": drop_note,
    "shift_note": shift_note,
    "change_last_duration": change_last_duration,
    "time_shift": time_shift,
    "diatonic_transpose": diatonic_transpose,
    "ornament": ornament,
    "change_intervals": change_intervals,
    "redivide_rhythm": redivide_rhythm,
    "fragment": fragment,
}
BAR_VIEWS: tuple[str, ...] = ("transpose", "drop_note", "shift_note", "change_last_duration")  # the paper's four
NOTE_VIEWS: tuple[str, ...] = BAR_VIEWS + ("time_shift",)  # note-anchored windows: the anchor may be off too
# the "no invariance" ablation: the same views without transposition (nothing teaches pitch invariance)
NOTE_VIEWS_NO_TRANSPOSE: tuple[str, ...] = tuple(v for v in NOTE_VIEWS if v != "transpose")
# genuine variation (phase 7, training/variant_pipeline.py): one or two of these make a positive
VARIANT_VIEWS: tuple[str, ...] = ("diatonic_transpose", "ornament", "change_intervals", "redivide_rhythm",
                                  "fragment", "drop_note")


def random_view(
    notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, p: float = 0.5, names: tuple[str, ...] = BAR_VIEWS
) -> np.ndarray:
    """Apply each named view with probability ``p`` (in a random order), as the paper composes them."""
    out = notes
    for k in rng.permutation(len(names)):
        if rng.random() < p:
            out = VIEWS[names[k]](out, rng, spec)
    return out if out is not notes else notes.copy()
