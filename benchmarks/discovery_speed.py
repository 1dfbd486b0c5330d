"""Time and peak memory of motifcli.discovery against piece size (BPS movements end to end).

    PYTHONPATH=$PWD python benchmarks/discovery_speed.py [--runs 3]
    PYTHONPATH=$PWD python benchmarks/discovery_speed.py --cli [--runs 3]

``--cli`` measures the whole ``motif annotate PIECE.mid --unit note --format midi --format json``
process instead (interpreter start, imports, reading, model, discovery, writing): each size's
movements are joined into one two-staff MIDI file (mido, note events shifted in ticks), and each run
is a fresh CLI process whose wall time and peak RSS (``ru_maxrss`` of the child) are recorded.

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
CLI_SIZES = [["13-1"], ["09-1"], ["17-1"], ["21-1"], ["21-1", "03-1"], ["21-1", "29-1", "01-1", "19-1"]]
BPS = "/work/shared/data/bps_motif_dev/scores"


def join_midi(pieces: list[str], dest: str) -> int:
    """Write the movements one after another into one MIDI file (tracks matched by index); returns its note count."""
    import mido

    files = [mido.MidiFile(f"{BPS}/{p}.mid") for p in pieces]
    tpb = files[0].ticks_per_beat
    ntracks = max(len(m.tracks) for m in files)
    events: list[list[tuple[int, mido.Message]]] = [[] for _ in range(ntracks)]
    shift, notes = 0, 0
    for i, m in enumerate(files):
        assert m.ticks_per_beat == tpb, "movements with different resolutions"
        end = 0
        for k, track in enumerate(m.tracks):
            t = 0
            for msg in track:
                t += msg.time
                end = max(end, t)
                if msg.type == "end_of_track" or (i and msg.is_meta and msg.type != "marker"):
                    continue  # tempo, metre and names come from the first movement
                notes += msg.type == "note_on" and msg.velocity > 0
                events[k].append((t + shift, msg))
        shift += end + 4 * tpb
    out = mido.MidiFile(ticks_per_beat=tpb)
    for evs in events:
        track, last = mido.MidiTrack(), 0
        for t, msg in sorted(evs, key=lambda e: e[0]):
            track.append(msg.copy(time=t - last))
            last = t
        out.tracks.append(track)
    out.save(dest)
    return notes


def cli_sizes(runs: int) -> None:
    """One fresh ``motif annotate --unit note`` process per run; median wall time, max peak RSS."""
    import os
    import resource
    import statistics
    import tempfile
    import time

    print("notes  median_s  runs_s                 peak_rss_mb  families  load_1min  pieces")
    for pieces in CLI_SIZES:
        load = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix="motif-dspeed-") as tmp:
            src = os.path.join(tmp, "piece.mid")
            notes = join_midi(pieces, src)
            times, rss, fams = [], [], 0
            for k in range(runs):
                out = os.path.join(tmp, f"out{k}")
                motif = [sys.executable, "-m", "motifcli", "annotate", src, "-o", out, "--unit", "note",
                         "--format", "midi", "--format", "json"]
                # a fresh parent per run, so RUSAGE_CHILDREN's ru_maxrss is this run's peak alone
                cmd = [sys.executable, "-c", "import json,resource,subprocess,sys,time; t=time.perf_counter(); "
                       "r=subprocess.run(sys.argv[1:]); "
                       "print(json.dumps([r.returncode, time.perf_counter()-t, "
                       "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))", *motif]
                r = subprocess.run(cmd, capture_output=True, text=True)
                code, secs, maxrss = json.loads(r.stdout.strip().splitlines()[-1])
                if code:
                    raise SystemExit(f"motif failed on {pieces}: {r.stderr.strip()[-400:]}")
                times.append(secs)
                rss.append(maxrss / 1024)
                doc = json.loads(open(os.path.join(out, "piece.motifs.json"), encoding="utf-8").read())
                fams = len(doc["motifs"])
        runs_s = " ".join(f"{t:.2f}" for t in times)
        print(f"{notes:5d}  {statistics.median(times):8.2f}  {runs_s:21s}  {max(rss):11.0f}  {fams:8d}  {load:9.2f}  {'+'.join(pieces)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cli", action="store_true", help="time the whole `motif annotate --unit note` process per size")
    args = ap.parse_args()
    if args.cli:
        cli_sizes(args.runs)
        return
    print("notes  seconds  families  peak_rss_mb  pieces")
    for pieces in SIZES:
        out = subprocess.run([sys.executable, "-c", CHILD, ",".join(pieces), str(args.runs)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{r['notes']:5d}  {r['seconds']:7.2f}  {r['families']:8d}  {r['peak_rss_mb']:11d}  {'+'.join(r['pieces'])}")


if __name__ == "__main__":
    main()
