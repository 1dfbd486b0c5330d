"""Time and peak memory of motifcli.discovery against piece size (BPS movements end to end).

    PYTHONPATH=$PWD python benchmarks/discovery_speed.py [--runs 3]

Each size runs in a fresh subprocess (so ru_maxrss is that size's peak); pieces of more than one
movement are built by placing BPS tune movements one after another on the time axis. Prints the
median discovery time over ``--runs`` runs, the number of families and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import dataclasses, json, resource, statistics, sys, time
from motifcli import read_score
from motifcli.discovery import discover
from motifcli.score import Score
pieces, runs = sys.argv[1].split(","), int(sys.argv[2])
from training.datafolder import data_root
scores = [read_score(data_root() / "bps_motif_dev" / "scores" / f"{p}.mid") for p in pieces]
tracks, shift = [], 0.0
for s in scores:
    for k, t in enumerate(s.pitched_tracks()):
        notes = [dataclasses.replace(n, onset=n.onset + shift, offset=n.offset + shift) for n in t.notes]
        if len(tracks) <= k:
            tracks.append(dataclasses.replace(t, notes=[]))
        tracks[k].notes.extend(notes)
    shift += s.end_beat + 4
score = Score(tracks=tracks)
times = []
for _ in range(runs):
    t0 = time.perf_counter(); fams = discover(score); times.append(time.perf_counter() - t0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pieces": pieces, "notes": score.note_count, "seconds": statistics.median(times), "families": len(fams), "peak_rss_mb": round(rss)}))
"""

SIZES = [["13-1"], ["09-1"], ["03-1"], ["03-1", "11-1"], ["03-1", "11-1", "15-1", "07-1"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("notes  seconds  families  peak_rss_mb  pieces")
    for pieces in SIZES:
        out = subprocess.run([sys.executable, "-c", CHILD, ",".join(pieces), str(args.runs)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{r['notes']:5d}  {r['seconds']:7.2f}  {r['families']:8d}  {r['peak_rss_mb']:11d}  {'+'.join(r['pieces'])}")


if __name__ == "__main__":
    main()
