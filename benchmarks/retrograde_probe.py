"""How often a window's retrograde occurs by chance (groundwork for a strict retrograde option).

    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe [--written] bps tune
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe [--written] files A.mxl B.mid ...

Over the lines discovery builds (default settings), per window length n: the windows whose retrograde
(the same notes in reverse order: intervals reversed and negated, inter-onset intervals reversed) occurs
elsewhere in the piece as a non-overlapping window with that key ("retrograde occurs"), leaving out a
window that is its own retrograde (a palindrome); of those the share that run one way (a scale's
retrograde is a scale the other way), zigzag (trills, Alberti figures) or move in one note value; and
those a guard like the inversion one keeps (turns, not at every note, leaps a third or more), and of
those the ones in two note values or more. Interval classes, as the keys.

Two rhythms of a retrograde: by default the onsets are reversed in time (the inter-onset intervals in
reverse order, what "IOIs reversed" says); ``--written`` reverses the note values as a score writes a
retrograde (a note's value = its inter-onset interval, the voice's last note its duration), so the
retrograde's first inter-onset interval is the value of the window's LAST note, which the window's own
key does not hold: a key for written retrogrades has to hash the last note's value too.
"""

from __future__ import annotations

import sys

import numpy as np

from benchmarks.inversion_probe import LENGTHS, _lines, _partnered, _scores
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import Lines, build_lines, window_keys
from motifcli.voices import Voice


def reversed_lines(lines: Lines, written: bool = False) -> Lines:
    """Every voice backwards: onsets negated and reversed (``written``: note values reversed), pitches reversed."""
    voices = []
    for v in lines.voices:
        if written:
            values = np.append(np.diff(v.onsets), v.offsets[-1] - v.onsets[-1])[::-1]
            on = np.concatenate([[0.0], np.cumsum(values[:-1])])
        else:
            on = -v.onsets[::-1].copy()
        voices.append(Voice(v.track, v.voice, v.note_indices[::-1].copy(), on, on + 0.1, v.pitches[::-1].copy(), v.staff))
    return build_lines(voices)


def retrograde_keys(lines: Lines, n: int, rev_keys: np.ndarray) -> np.ndarray:
    """Per window (start position in ``lines``) the key of its retrograde, from the reversed lines' keys."""
    out = np.full(len(lines), -1, dtype=np.int64)
    base = 0
    for v in lines.voices:
        size = len(v)
        for j in range(0, size - n + 1):  # reversed window j holds original notes size-n-j .. size-1-j
            out[base + size - n - j] = rev_keys[base + j]
        base += size
    return out


def chance(named: list[tuple[str, object]], written: bool = False) -> None:
    settings = DiscoverySettings()
    totals = {n: np.zeros(7, dtype=np.int64) for n in LENGTHS}
    for _, score in named:
        lines = _lines(score, settings)
        if len(lines) < 8:
            continue
        rev = reversed_lines(lines, written)
        fwd, back = window_keys(lines, max(LENGTHS), settings.max_beats), window_keys(rev, max(LENGTHS), settings.max_beats)
        rq = np.round(lines.ioi / lines.grid).astype(np.int64)
        for n in LENGTHS:
            k = fwd[n]
            r = retrograde_keys(lines, n, back[n])
            r = np.where(k == -1, -1, r)
            found = _partnered(k, r, n, lines) & (r != k)
            idx = np.flatnonzero(found)
            span = idx[:, None] + np.arange(n - 1)[None, :]
            signs = np.sign(lines.interval[span]) if len(idx) else np.zeros((0, n - 1), int)
            one_way = ~(np.any(signs > 0, axis=1) & np.any(signs < 0, axis=1))
            zigzag = np.all(signs != 0, axis=1) & np.all(signs[:, 1:] == -signs[:, :-1], axis=1)
            even = np.all(rq[span] == rq[idx][:, None], axis=1) if len(idx) else np.zeros(0, bool)
            leaps = np.any(np.abs(lines.interval[span]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
            guarded = ~one_way & ~zigzag & leaps
            totals[n] += [(k != -1).sum(), found.sum(), one_way.sum(), zigzag.sum(), even.sum(), guarded.sum(),
                          (guarded & ~even).sum()]
    print("| n | windows | retrograde occurs | of those: one way | zigzag | one note value | guarded (turns, not every note, leaps) | guarded, 2+ note values |")
    print("|---|---|---|---|---|---|---|---|")
    for n, t in totals.items():
        w, f, o, z, e, g, g2 = (int(x) for x in t)
        print(f"| {n} | {w} | {f} ({f / max(w, 1):.1%}) | {o / max(f, 1):.0%} | {z / max(f, 1):.0%} | {e / max(f, 1):.0%} "
              f"| {g} ({g / max(w, 1):.2%}) | {g2} ({g2 / max(w, 1):.2%}) |")


if __name__ == "__main__":
    args = sys.argv[1:]
    written = "--written" in args
    chance(_scores([a for a in args if a != "--written"]), written)
