"""A notated keyboard piece made *performed* (a seeded simulation of a pianist on a digital piano), and
what the one-track reading makes of it (phase21-perfpiano21.md).

    PYTHONPATH=$PWD python -m benchmarks.perf_piano bps tune [seed=K jitter=MS roll=P] [--set k=v ...]   # BPS merged, notated and performed
    PYTHONPATH=$PWD python -m benchmarks.perf_piano --model pop909 val,train [...]  # POP909 merged (already performed)
    PYTHONPATH=$PWD python -m benchmarks.perf_piano files IN OUT                    # hands_inputs' IN -> performed OUT

The simulation (:func:`perform`), per note, seeded: onset jitter N(0, 15 ms) clipped to +-30 ms (a
good amateur's spread at the piece's own tempo: the score's first tempo, 100 bpm if none); a chord of
3+ notes rolled upward 12 ms per note with probability 0.35; each duration x U(0.7, 1.3) and, for a
note under middle C, x1.5 with probability 0.5 (pedal held by the key's MIDI note, as some digital
pianos write it), but never past the same key's next onset (one key is one string: a re-struck key
ends its note); velocity 64 + N(0, 14) in 20..120. No tempo drift: the beats stay the notated ones,
so the labels' onsets and the meter are the notated ones and only the one-track reading is tested.
Scored against the notated onsets (each performed note keeps its notated note's (onset, pitch)).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from motifcli.score import Note
from motifcli.streams import restruck

JITTER_MS, ROLL_MS, ROLL_P = 15.0, 12.0, 0.35


def perform(notes: list[Note], bpm: float, seed: int, jitter_ms: float = JITTER_MS, roll_p: float = ROLL_P) -> list[Note]:
    """The notes as played (same order as ``notes``): see the module docstring (``jitter_ms`` the
    onsets' spread, clipped at twice it; ``roll_p`` a chord's chance of being rolled)."""
    rng = np.random.default_rng(seed)
    beat_ms = 60000.0 / bpm
    on = np.array([n.onset for n in notes])
    off = np.array([n.offset for n in notes])
    pitch = np.array([n.pitch for n in notes])
    shift = np.clip(rng.normal(0.0, jitter_ms, len(notes)), -2 * jitter_ms, 2 * jitter_ms) / beat_ms
    keys = np.round(on * 48).astype(np.int64)
    for k in np.unique(keys):
        at = np.flatnonzero(keys == k)
        if len(at) >= 3 and rng.random() < roll_p:
            at = at[np.argsort(pitch[at])]
            shift[at] = shift[at[0]] + np.arange(len(at)) * ROLL_MS / beat_ms
    dur = (off - on) * rng.uniform(0.7, 1.3, len(notes))
    dur *= np.where((pitch < 60) & (rng.random(len(notes)) < 0.5), 1.5, 1.0)
    new_on = np.maximum(on + shift, 0.0)
    new_off = new_on + np.maximum(dur, 0.05)
    for p in np.unique(pitch):  # a re-struck key ends its note
        at = np.flatnonzero(pitch == p)
        at = at[np.argsort(new_on[at], kind="stable")]
        nxt = new_on[at][1:]
        new_off[at[:-1]] = np.minimum(new_off[at[:-1]], np.maximum(nxt - 1e-3, new_on[at[:-1]] + 1e-3))
    vel = np.clip(np.round(64 + rng.normal(0, 14, len(notes))), 20, 120).astype(int)
    return [dataclasses.replace(n, onset=float(a), offset=float(b), velocity=int(v))
            for n, a, b, v in zip(notes, new_on, new_off, vel)]


def _bpm(score) -> float:  # noqa: ANN001 - motifcli Score
    return 60e6 / score.tempos[0].microseconds_per_beat if score.tempos else 100.0


def _one_track(score, notes: list[Note]):  # noqa: ANN001, ANN202
    """``notes`` as the score's one MIDI track, sorted as a file reads them; and each one's place in ``notes``."""
    from motifcli.score import Track

    order = sorted(range(len(notes)), key=lambda i: (notes[i].onset, notes[i].pitch))
    track = Track(0, "Piano", [dataclasses.replace(notes[i], channel=0, staff=1) for i in order], channel=0)
    return dataclasses.replace(score, tracks=[track], meter=score.meter_map), order


def corpus_rows(args: list[str]) -> None:
    from benchmarks.discovery_errors import clean, fast_scores
    from benchmarks.discovery_sweep import parse_set, pieces
    from motifcli.discovery import DiscoverySettings, discover
    import motifcli.hands as hands_mod
    from motifcli.hands import split
    from motifcli.streams import notated

    model = None
    if args[0] == "--model":
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    corpus, splits = args[0], args[1].split(",")
    sim = dict(a.split("=") for a in args[2:] if a.split("=")[0] in ("seed", "jitter", "roll"))
    sets = parse_set([a for a in args[2:] if a != "--set" and a.split("=")[0] not in sim])
    seed, jitter, roll = int(sim.get("seed", 0)), float(sim.get("jitter", JITTER_MS)), float(sim.get("roll", ROLL_P))
    gate, restruck_at = hands_mod.notated, hands_mod.RESTRUCK  # "forced": every part past the grid gate (the others stay)
    play = corpus == "bps"  # POP909 merged is a performance already
    runs: dict[str, list] = {}
    for split_name in splits:
        for p in pieces(corpus, split_name):
            refs = clean(p.patterns)
            tracks = [t for t in p.score.pitched_tracks() if t.notes]
            notes = [n for t in tracks for n in t.notes]
            truth = np.concatenate([np.full(len(t.notes), k + 1) for k, t in enumerate(tracks)])
            versions = {"notated": notes}
            if play:
                versions["performed"] = perform(notes, _bpm(p.score), len(notes) + seed, jitter, roll)
            line = [p.name]
            for vname, vnotes in versions.items():
                one, order = _one_track(p.score, vnotes)
                on, off, pi = one.tracks[0].arrays()
                right = float((split(on, off, pi) == truth[order]).mean())
                line.append(f"{vname}: grid {notated(on):d} samekey {restruck(on, off, pi, 0.05):.3f} hands {right:.3f}")
                for setname in ("grid", "gate", "forced"):  # main's gate, this one, the split always
                    hands_mod.notated = (lambda _o: True) if setname == "forced" else gate
                    hands_mod.RESTRUCK = -1.0 if setname == "grid" else restruck_at
                    fams = discover(one, model, DiscoverySettings(**sets))
                    hands_mod.notated, hands_mod.RESTRUCK = gate, restruck_at
                    pts = [[[(notes[order[n.index]].onset, n.pitch) for n in o.notes]
                            for o in f.occurrences] for f in fams]
                    sc = fast_scores(clean(pts), refs)
                    runs.setdefault(f"{vname} {setname}", []).append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
                    line.append(f"{setname} {sc['F_est']:.3f}/{sc['F_occ.75']:.3f}/{sc['F_3']:.3f}")
            print(" | ".join(line), flush=True)
    for name, rows in runs.items():
        m = np.mean(rows, axis=0)
        print(f"{corpus} {','.join(splits)} merged {name}: F_est {m[0]:.3f} F_occ(.75) {m[1]:.3f} F_3 {m[2]:.3f}"
              f" ({len(rows)} pieces)")


def performed_files(src: Path, out: Path) -> None:
    """``benchmarks.hands_inputs``' ``src/staff/*.mid`` performed (both staves' notes together, seeded by
    the piece's note count) as ``out/staff``, merged into ``out/one`` with their hands (hands_inputs.merged)."""
    import mido

    from benchmarks.hands_inputs import merged

    (out / "staff").mkdir(parents=True, exist_ok=True)
    (out / "one").mkdir(parents=True, exist_ok=True)
    for f in sorted((src / "staff").glob("*.mid")):
        mid = mido.MidiFile(f)
        tempo = next((m.tempo for t in mid.tracks for m in t if m.type == "set_tempo"), 600000)
        tpb = mid.ticks_per_beat
        notes, where = [], []
        for k, t in enumerate(mid.tracks):
            tick, held = 0, {}
            for m in t:
                tick += m.time
                if m.type == "note_on" and m.velocity > 0:
                    held.setdefault((m.channel, m.note), []).append((tick, m.velocity))
                elif m.type in ("note_off", "note_on") and held.get((m.channel, m.note)):
                    start, vel = held[(m.channel, m.note)].pop(0)
                    notes.append(Note(start / tpb, max(tick, start + 1) / tpb, m.note, vel, m.channel))
                    where.append(k)
        played = perform(notes, 60e6 / tempo, seed=len(notes))
        tracks = []
        for k, t in enumerate(mid.tracks):
            events = [(round(a.onset * tpb), 1, mido.Message("note_on", channel=a.channel, note=a.pitch,
                                                               velocity=a.velocity))
                      for a, w in zip(played, where) if w == k]
            events += [(round(a.offset * tpb), 0, mido.Message("note_off", channel=a.channel, note=a.pitch))
                       for a, w in zip(played, where) if w == k]
            tick = 0
            for m in t:
                tick += m.time
                if m.type not in ("note_on", "note_off"):
                    events.append((tick, -1, m))
            events.sort(key=lambda e: (e[0], e[1]))
            events = [e for e in events if e[2].type != "end_of_track"]
            track, last = mido.MidiTrack(), 0
            for tk, _, m in events:
                track.append(m.copy(time=tk - last))
                last = tk
            track.append(mido.MetaMessage("end_of_track", time=0))
            tracks.append(track)
        staff = out / "staff" / f.name
        mido.MidiFile(type=1, ticks_per_beat=tpb, tracks=tracks).save(staff)
        one, hands = merged(staff)
        one.save(out / "one" / f.name)
        (out / "one" / f.with_suffix(".hands.json").name).write_text(json.dumps(hands))
        print(f.stem, len(notes), "notes", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "files":
        performed_files(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        corpus_rows(sys.argv[1:])
