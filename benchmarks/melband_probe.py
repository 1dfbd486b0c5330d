"""Cues that tell a tune riding over its accompaniment in one track from a piano's own top line
(phase21-melband21.md).

    PYTHONPATH=$PWD python -m benchmarks.melband_probe pop909 val,train
    PYTHONPATH=$PWD python -m benchmarks.melband_probe bps tune
    PYTHONPATH=$PWD python -m benchmarks.melband_probe --files DIR/one/*.mid

Per piece merged into one track (benchmarks.hands_merged.merged): the skyline's cues
(:func:`cues`) and, where the score names a melody track (POP909's MELODY),
the share of the skyline that is the melody's notes and of the melody's notes in the skyline.
"""

from __future__ import annotations

import sys

import numpy as np

from motifcli.discovery.texture_tune import TOLERANCE, skyline, sounding_top
from motifcli.streams import onset_groups


def cues(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
         tolerance: float = TOLERANCE) -> dict[str, float]:
    """How the top line (:func:`sounding_top`) sits over the other notes: the share of its notes that start
    alone (no other note in their onset group), the median gap (semitones) to the highest other note
    sounding at its onset, and the top line's share of the notes."""
    top = sounding_top(onsets, offsets, pitches, tolerance)
    if len(top) == 0:
        return {"alone": 0.0, "gap": 0.0, "top_share": 0.0}
    order = np.argsort(onsets, kind="stable")
    group = np.empty(len(onsets), dtype=np.int64)
    group[order] = onset_groups(onsets[order], tolerance)
    sizes = np.bincount(group)
    alone = float(np.mean(sizes[group[top]] == 1))
    rest = np.setdiff1d(np.arange(len(onsets)), top)
    gaps = []
    if len(rest):
        ro, rf, rp = onsets[rest], offsets[rest], pitches[rest]
        for i in top.tolist():
            t = onsets[i]
            under = rp[(ro <= t + tolerance) & (rf > t + tolerance)]
            if len(under):
                gaps.append(pitches[i] - under.max())
    gap = float(np.median(gaps)) if gaps else 0.0
    return {"alone": alone, "gap": gap, "top_share": len(top) / len(onsets)}


def _row(name: str, one, melody_keys: set | None) -> None:  # noqa: ANN001 - motifcli Score
    on, off, pi = one.tracks[0].arrays()
    c = cues(on, off, pi)
    extra = ""
    if melody_keys is not None:
        for label, top in (("sky", skyline(on, pi)), ("held", sounding_top(on, off, pi))):
            keys = {(round(float(on[i]), 4), int(pi[i])) for i in top.tolist()}
            hit = len(keys & melody_keys)
            extra += f" {label} P {hit / max(len(keys), 1):.3f} R {hit / max(len(melody_keys), 1):.3f}"
    print(f"{name} alone {c['alone']:.3f} gap {c['gap']:.1f} top_share {c['top_share']:.3f}{extra}", flush=True)


def main(args: list[str]) -> None:
    from benchmarks.hands_merged import merged

    if args[0] == "--files":
        from motifcli.readers import read_score

        for f in args[1:]:
            _row(f.rsplit("/", 1)[-1], read_score(f), None)
        return
    from benchmarks.discovery_sweep import pieces

    for split in args[1].split(","):
        for p in pieces(args[0], split):
            mel = [t for t in p.score.pitched_tracks() if "MELODY" in (t.name or "").upper()]
            keys = {(round(n.onset, 4), n.pitch) for t in mel for n in t.notes} if mel else None
            _row(p.name, merged(p.score), keys)


if __name__ == "__main__":
    main(sys.argv[1:])
