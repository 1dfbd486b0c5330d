"""Do the fast MIDI paths agree with mido on every MIDI file of the data folder (and mutations of them)?

    PYTHONPATH=$PWD python benchmarks/midi_fast_check.py [--seed 1] [--mutations 200]

For every ``*.mid`` under the data folder and this repository: ``readers.midi_fast.parse`` must give
what ``mido.MidiFile(file=..., clip=True)`` gives (message classes, attributes in order, type,
division) or decline (None); ``writers.midi_encode.encode`` must give ``MidiFile.save``'s bytes, on
the file as read and with markers, lyrics, a sysex, a pitch bend and a mid-track end-of-track
inserted, or decline. Then ``--mutations`` random files get 5 truncations / byte flips each: the
fast parse must match mido or decline, and never read a file that mido refuses. Prints counts
and the CPU time of each side; exit 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

import mido

REPO = Path(__file__).resolve().parents[1]


def key(midi: mido.MidiFile) -> object:
    tracks = [[(type(m).__name__, list(vars(m).items())) for m in t] for t in midi.tracks]
    return midi.type, midi.ticks_per_beat, tracks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mutations", type=int, default=200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from motifcli.readers.midi_fast import parse
    from motifcli.writers.midi_encode import encode
    from training.datafolder import data_root

    files = sorted(data_root().rglob("*.mid")) + sorted(REPO.rglob("*.mid"))
    bad: list[str] = []
    declined = encoded = enc_declined = 0
    t_fast = t_mido = t_enc = t_save = 0.0
    for f in files:
        data = f.read_bytes()
        t0 = time.process_time()
        fast = parse(data)
        t1 = time.process_time()
        try:
            slow: mido.MidiFile | None = mido.MidiFile(file=io.BytesIO(data), clip=True)
        except Exception:  # noqa: BLE001
            slow = None
        t2 = time.process_time()
        t_fast, t_mido = t_fast + t1 - t0, t_mido + t2 - t1
        if fast is None:
            declined += 1
        elif slow is None or key(fast) != key(slow):
            bad.append(f"parse: {f}")
        if slow is None:
            continue
        for variant in (0, 1):
            if variant:
                for track in slow.tracks[:2]:
                    track.insert(min(3, len(track)), mido.MetaMessage("marker", text="Motif A1", time=0))
                    track.insert(min(5, len(track)), mido.MetaMessage("end_of_track", time=7))
                    track.insert(min(6, len(track)), mido.Message("pitchwheel", pitch=-8192, time=1))
                    track.insert(min(7, len(track)), mido.Message("sysex", data=[1, 2, 3], time=1))
                    track.insert(min(8, len(track)), mido.MetaMessage("lyrics", text="Motif \xe9", time=0))
            t0 = time.process_time()
            out = encode(slow)
            t1 = time.process_time()
            buf = io.BytesIO()
            try:
                slow.save(file=buf)
                saved: bytes | None = buf.getvalue()
            except Exception:  # noqa: BLE001
                saved = None
            t2 = time.process_time()
            t_enc, t_save = t_enc + t1 - t0, t_save + t2 - t1
            if out is None:
                enc_declined += 1
            elif out != saved:
                bad.append(f"encode (variant {variant}): {f}")
            else:
                encoded += 1
    rng = random.Random(args.seed)
    matched = mut_declined = 0
    for f in rng.sample(files, min(args.mutations, len(files))):
        data = f.read_bytes()
        if len(data) < 2:
            continue
        for _ in range(5):
            broken = bytearray(data)
            if rng.random() < 0.3:
                broken = broken[: rng.randrange(len(broken))]
            else:
                for _ in range(rng.randint(1, 5)):
                    broken[rng.randrange(len(broken))] = rng.randrange(256)
            fast = parse(bytes(broken))
            if fast is None:
                mut_declined += 1
                continue
            try:
                slow = mido.MidiFile(file=io.BytesIO(bytes(broken)), clip=True)
            except Exception:  # noqa: BLE001
                bad.append(f"mutation read what mido refuses: {f}")
                continue
            if key(fast) != key(slow):
                bad.append(f"mutation differs: {f}")
            else:
                matched += 1
    for line in bad:
        print("DISAGREES", line)
    print(f"{len(files)} files: parse declined {declined} (mido's turn), CPU fast {t_fast:.1f} s vs mido {t_mido:.1f} s; "
          f"encode equal {encoded}, declined {enc_declined}, CPU fast {t_enc:.1f} s vs mido {t_save:.1f} s; "
          f"mutations equal {matched}, declined {mut_declined}; disagreements {len(bad)}")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
