"""Random MIDI files with drums through ``motif annotate -f musicxml`` (session 25): every run must end, exit 0
and write MusicXML that music21 reads back. The drum staff's first version looped for ever on a hit after the
tune's last bar: 1 of these 20 files (f12) did not end with it (commit 14ccee9), 4 of 20 of a first ad-hoc probe.

    python benchmarks/drum_fuzz25.py [--files 20] [--out /tmp/drumfuzz] [--timeout 60]

Each file: a 2-30-bar tune (type 0 or 1, 96/480/960 ticks a beat) and 0-300 hits on channel 10 at random ticks
(any note 20-90, lengths 0 to 3 beats, up to half the tune's length after it ends), half of them with a tempo change.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

import mido


def random_file(seed: int, path: Path) -> None:
    rnd = random.Random(seed)
    mid = mido.MidiFile(type=rnd.choice([0, 1]), ticks_per_beat=rnd.choice([96, 480, 960]))
    tpb = mid.ticks_per_beat
    notes = [((bar * 4 + k) * tpb, 0, 60 + rnd.randint(-5, 7), rnd.randint(tpb // 4, tpb))
             for bar in range(rnd.randint(2, 30)) for k in range(4)]
    span = len(notes) * tpb * 3 // 2  # drums may play on for half the tune's length after it ends
    notes += [(rnd.randint(0, span), 9, rnd.randint(20, 90), rnd.choice([0, 1, 5, tpb // 8, tpb * 3]))
              for _ in range(rnd.randint(0, 300))]
    msgs = [(t, 1, mido.Message("note_on", channel=c, note=p, velocity=80)) for t, c, p, _ in notes]
    msgs += [(t + d, 0, mido.Message("note_off", channel=c, note=p, velocity=0)) for t, c, p, d in notes]
    if rnd.random() < 0.5:
        msgs.append((rnd.randint(0, 8 * tpb), 0, mido.MetaMessage("set_tempo", tempo=rnd.randint(300000, 900000))))
    msgs.sort(key=lambda m: (m[0], m[1]))
    groups = [None] if mid.type == 0 else [0, 9]
    for channel in groups:
        track, now = mido.MidiTrack(), 0
        for t, _, m in msgs:
            if channel is None or getattr(m, "channel", 0 if m.is_meta else None) == channel and not (
                    m.is_meta and channel == 9):
                track.append(m.copy(time=t - now))
                now = t
        mid.tracks.append(track)
    mid.save(str(path))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("/tmp/drumfuzz"))
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for seed in range(args.files):
        src = args.out / f"f{seed:02d}.mid"
        random_file(seed, src)
        began = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o",
                                   str(args.out / "out") + "/", "-q"], capture_output=True, text=True,
                                  timeout=args.timeout)
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.strip()[:120]}"
        except subprocess.TimeoutExpired:
            status = f"did not end in {args.timeout:.0f} s"
        if status == "ok":
            import music21

            music21.converter.parse(str(args.out / "out" / f"{src.stem}.motifs.musicxml"))
        bad += status != "ok"
        print(f"{src.name}: {status} ({time.perf_counter() - began:.1f} s)")
    print(f"{args.files - bad} of {args.files} ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
