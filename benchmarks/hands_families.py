"""One-track keyboard inputs against their track-per-staff files: what discovery reports (phase19-hand19.md).

    PYTHONPATH=$PWD python -m benchmarks.hands_families OUT [--set key=value ...]   # benchmarks.hands_inputs' OUT

Per piece, for ``OUT/staff/NAME.mid`` (a track per staff), ``OUT/one/NAME.mid`` with ``split_hands``
off (as before phase 19) and on (the run's settings): families, texture families, the largest
family's share of the notes, line families, of them right-hand ones (80% or more of their notes in
the right hand: the upper staff, from ``NAME.hands.json``), and the right-hand line family with the
most notes (statements x notes per statement, first bar): the tune's family, where there is one; and
how close each one-track reading is to the staff file's (its families scored as mir_eval scores a
discovery, the staff file's families as the reference: F_est, F_occ(.75), F_3).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from motifcli.discovery.types import DiscoverySettings
from motifcli.voices import TEXTURE


AGREE: dict[bool, list[tuple[float, float, float]]] = {}  # split_hands -> per piece F_est, F_occ, F_3 against the staff file


def patterns(fams: list) -> list:
    """The families as mir_eval patterns (occurrences of (onset, pitch) points), cleaned as the benchmarks do."""
    from benchmarks.discovery_errors import clean

    return clean([[o.points() for o in f.occurrences] for f in fams])


def row(path: Path, settings: DiscoverySettings, truth: dict[str, int] | None,
        reference: list | None = None) -> tuple[str, list]:
    import motifcli
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    score = motifcli.read_score(path)
    fams = discover(score, LazyModel(), settings)
    tracks = [t for t in score.pitched_tracks() if t.notes]
    total = sum(len(t.notes) for t in tracks)
    starts = np.asarray(score.meter_map.starts, dtype=float)
    tpb = score.ticks_per_beat or 480

    def right(track: int, index: int) -> bool:
        if truth is None:  # a track per staff: the first pitched track is the upper staff
            return track == tracks[0].index
        n = next(t for t in tracks if t.index == track).notes[index]
        return truth.get(f"{round(n.onset * tpb)},{n.pitch}", 0) == 1

    largest = max((len({(n.track, n.index) for o in f.occurrences for n in o.notes}) / total for f in fams), default=0)
    lines = [f for f in fams if f.occurrences[0].notes[0].voice != TEXTURE]
    rh = []
    for f in lines:
        keys = {(n.track, n.index) for o in f.occurrences for n in o.notes}
        if sum(right(*k) for k in keys) >= 0.8 * len(keys):
            rh.append((len(keys), f))
    tune = "none"
    if rh:
        _, f = max(rh, key=lambda x: x[0])
        bar = int(np.searchsorted(starts, f.occurrences[0].notes[0].onset + 1e-6, side="right"))
        tune = f"{f.label} {len(f.occurrences)}x{f.notes_per_occurrence} from bar {bar}"
    tex = len(fams) - len(lines)
    agree = ""
    if reference is not None:
        from benchmarks.discovery_errors import fast_scores

        sc = fast_scores(patterns(fams), reference)
        AGREE.setdefault(settings.split_hands, []).append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
        agree = f"; against the staff file F_est {sc['F_est']:.2f} F_occ {sc['F_occ.75']:.2f} F_3 {sc['F_3']:.2f}"
    return (f"{len(fams)} families ({tex} texture), largest {largest:.0%}; lines {len(lines)}, right-hand {len(rh)};"
            f" tune {tune}{agree}", fams)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    from benchmarks.discovery_sweep import parse_set

    on = DiscoverySettings(**parse_set(args.set))
    off = dataclasses.replace(on, split_hands=False)
    for staff in sorted((args.out / "staff").glob("*.mid")):
        one = args.out / "one" / staff.name
        truth = json.loads(one.with_suffix(".hands.json").read_text())
        print(staff.stem, flush=True)
        text, fams = row(staff, on, None)
        ref = patterns(fams)
        print(f"   staff tracks : {text}", flush=True)
        print(f"   one, before  : {row(one, off, truth, reference=ref)[0]}", flush=True)
        print(f"   one, hands   : {row(one, on, truth, reference=ref)[0]}", flush=True)
    for hands, rows in sorted(AGREE.items()):
        m = np.mean(rows, axis=0)
        print(f"mean against the staff files, split_hands={hands}: F_est {m[0]:.3f} F_occ {m[1]:.3f} F_3 {m[2]:.3f}")


if __name__ == "__main__":
    main()
