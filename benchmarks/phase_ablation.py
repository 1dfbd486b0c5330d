"""The phase ranker's settings on POP909 (benchmarks/METER.md, "Phase ranker"): one row per variant.

    PYTHONPATH=. python benchmarks/phase_ablation.py [--limit N] [--json out.json]

Each row: dominant phase / first mark / fraction of beat_midi's marks on an estimated bar line, for
the tune (id < 500) and test songs, scored as ``meter.py pop909`` scores them, and how many of the
clear hand-labelled songs (``meter.py labels``: >= 90% of label onsets on one bar phase) the
estimate's dominant phase agrees with. Variants set module constants of ``phase_ranker`` /
``meter_estimate`` (and the path's jump penalty) and are restored afterwards. The songs are read once.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meter import CLEAR_SHARE, DATA, dominant_phase, found_fraction, phase_ok, pop909_truth  # noqa: E402

from motifcli import meter_estimate, phase_ranker  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402

# name -> (module constants to set, jump penalty)
VARIANTS: dict[str, tuple[dict[str, object], float]] = {
    "per-beat log-odds + path (phase 2)": ({"PHASE_RANKER": False}, 6.0),
    "whole-song ranker only + path": ({"LOCAL_SHARE": 0.0, "RANKER_ON_QUANTISED": True}, 6.0),
    "whole song + 17-bar windows (kept), also quantised": ({"RANKER_ON_QUANTISED": True}, 6.0),
    "windows of 9 bars": ({"LOCAL_BARS": 4, "RANKER_ON_QUANTISED": True}, 6.0),
    "windows of 33 bars": ({"LOCAL_BARS": 16, "RANKER_ON_QUANTISED": True}, 6.0),
    "windows only (share 1.0)": ({"LOCAL_SHARE": 1.0, "RANKER_ON_QUANTISED": True}, 6.0),
    "share 0.7": ({"LOCAL_SHARE": 0.7, "RANKER_ON_QUANTISED": True}, 6.0),
    "jump penalty 3": ({"RANKER_ON_QUANTISED": True}, 3.0),
    "jump penalty 10": ({"RANKER_ON_QUANTISED": True}, 10.0),
    "kept, not on quantised input (default)": ({}, 6.0),
}


def clear_label_phases() -> dict[str, float]:
    """Song -> the whole beat (mod 4) its label onsets share, for songs where >= CLEAR_SHARE do."""
    out = {}
    for path in sorted((DATA / "pop909_motif_labels").glob("*.mid")):
        onsets = np.array([n.onset for t in read_midi(path).tracks for n in t.notes])
        phase, count = collections.Counter((np.round(onsets) % 4).tolist()).most_common(1)[0]
        if count / len(onsets) >= CLEAR_SHARE:
            out[path.stem] = phase
    return out


def run_variant(songs: list[tuple[str, object, tuple]], labels: dict[str, float], settings: dict[str, object],
                jump: float) -> dict[str, object]:
    """Score one variant; module constants are put back afterwards."""
    saved = {}
    for key, value in settings.items():
        module = phase_ranker if hasattr(phase_ranker, key) else meter_estimate
        saved[key] = (module, getattr(module, key))
        setattr(module, key, value)
    try:
        res: dict[str, list] = collections.defaultdict(list)
        for name, score, (bar, first, dominant, downbeats) in songs:
            est = meter_estimate.estimate_meter(score, jump_penalty=jump)
            split = "tune" if int(name) < 500 else "test"
            est_dominant = dominant_phase(est.downbeats, est.beats_per_bar)
            res[f"{split}.dominant"].append(phase_ok(est_dominant, dominant, bar))
            res[f"{split}.first"].append(phase_ok(est.first_downbeat, first, bar))
            res[f"{split}.found"].append(found_fraction(est.to_meter_map(score.end_beat).starts, downbeats))
            if name in labels:
                d = (est_dominant - labels[name]) % 4
                res["clear_labels_agree"].append(min(d, 4 - d) <= 0.75)
    finally:
        for key, (module, value) in saved.items():
            setattr(module, key, value)
    out: dict[str, object] = {k: round(float(np.mean(v)), 4) for k, v in res.items() if k != "clear_labels_agree"}
    out["clear_labels_agree"] = f"{sum(res['clear_labels_agree'])} of {len(res['clear_labels_agree'])}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json")
    args = parser.parse_args()
    songs = []
    for song in sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir())[: args.limit]:
        score = read_midi(song / f"{song.name}.mid")
        songs.append((song.name, score, pop909_truth(song, score)))
    labels = clear_label_phases()
    rows = {}
    for name, (settings, jump) in VARIANTS.items():
        rows[name] = run_variant(songs, labels, settings, jump)
        r = rows[name]
        print(f"| {name} | {r.get('tune.dominant', '-')} / {r.get('tune.first', '-')} / {r.get('tune.found', '-')} | "
              f"{r.get('test.dominant', '-')} / {r.get('test.first', '-')} / {r.get('test.found', '-')} | "
              f"{r['clear_labels_agree']} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
