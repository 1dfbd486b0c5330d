"""What each texture family is, read as a musician would: how much of the piece and of its track it covers.

    PYTHONPATH=$PWD python -m benchmarks.texture_survey files FILE... [--set key=value ...] [--json OUT]
    PYTHONPATH=$PWD python -m benchmarks.texture_survey pop909 val,train [--set ...] [--json OUT]
    PYTHONPATH=$PWD python -m benchmarks.texture_survey staves FILE...   # the parts texture_staff splits

Per input: pitched tracks, whether the texture track is the score's only part ("solo"), its staves'
notes, the families reported, and the line families the same run reports with ``texture=False`` (how
many line families the texture families take the place of). Per texture family: its rank, statements,
longest statement in bars, the share of the piece's notes and of its track's notes it holds, the
share of its track's sounding bars it spans, and the share of its bars in which a reported line family
also states something (does a line family already say the same); POP909: the family's best establishment score
against the song's labelled motifs (mir_eval's, as ``discovery_errors.fast_scores`` computes it). Written for phase18-tex18.md
(Clara Schumann's polonaise op. 1/3: one family of 94% of the notes).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
from pathlib import Path

import numpy as np

from motifcli.discovery.types import DiscoverySettings, Family


def _bar_of(starts: np.ndarray, beats: np.ndarray) -> np.ndarray:
    return np.searchsorted(starts, beats + 1e-6, side="right") - 1


def establishment(fam: Family, refs: list | None) -> float | None:
    """The best cardinality score of any statement of ``fam`` against any labelled occurrence (None: no labels)."""
    if not refs:
        return None
    from benchmarks.discovery_errors import clean

    est = [set(o) for o in clean([[o.points() for o in fam.occurrences]])[0]]
    return max(len(a & b) / max(len(a), len(b)) for r in refs for a in map(set, r) for b in est)


def family_rows(score, fams: list[Family], refs: list | None = None) -> list[dict]:
    """One row per texture family of ``fams`` (see the module doc)."""
    starts = np.asarray(score.meter_map.starts, dtype=float)
    total = sum(len(t.notes) for t in score.pitched_tracks())
    line_bars: set[int] = set()
    for f in fams:
        if not f.is_texture:
            for o in f.occurrences:
                line_bars.update(_bar_of(starts, np.array([n.onset for n in o.notes])).tolist())
    rows = []
    for rank, f in enumerate(fams):
        if not f.is_texture:
            continue
        track = next(t for t in score.tracks if t.index == f.occurrences[0].notes[0].track)
        track_bars = set(_bar_of(starts, track.arrays()[0]).tolist())
        notes = {(n.track, n.index) for o in f.occurrences for n in o.notes}
        bars: set[int] = set()
        longest = 0
        for o in f.occurrences:
            b = _bar_of(starts, np.array([n.onset for n in o.notes]))
            bars.update(b.tolist())
            longest = max(longest, int(b.max() - b.min() + 1))
        rows.append({
            "label": f.label, "rank": rank, "statements": len(f.occurrences), "longest_bars": longest,
            "piece_notes": len(notes) / max(total, 1), "track_notes": len(notes) / max(len(track.notes), 1),
            "track_bars": len(bars) / max(len(track_bars), 1), "bars": len(bars),
            "line_bars": len(bars & line_bars) / max(len(bars), 1), "est": establishment(f, refs),
        })
    return rows


def piece_row(name: str, score, model: object | None, settings: DiscoverySettings, refs: list | None = None) -> dict:
    """The input's context and its texture families' rows."""
    from motifcli.discovery import discover

    fams = discover(score, model, settings)
    plain = discover(score, model, dataclasses.replace(settings, texture=False))
    tracks = [t for t in score.pitched_tracks() if t.notes]
    tex = [f for f in fams if f.is_texture]
    staves = None
    if tex:
        track = next(t for t in score.tracks if t.index == tex[0].occurrences[0].notes[0].track)
        st = track.staves()
        staves = np.bincount(st)[np.unique(st)].tolist() if st is not None else None
    return {"input": name, "tracks": len(tracks), "solo": len(tracks) == 1, "staves": staves,
            "families": len(fams), "texture": len(tex), "lines": len(fams) - len(tex),
            "lines_without_texture": len(plain), "rows": family_rows(score, fams, refs)}


def split_staves(paths: list[str]) -> None:
    """Print each part whose texture ``texture_staff`` takes from one staff (only these can change)."""
    import motifcli
    from motifcli.discovery.texture_lead import chordal, leads, staff_track

    on = DiscoverySettings(texture_staff=True)
    for path in paths:
        score = motifcli.read_score(Path(path))
        for t in score.pitched_tracks():
            own, index, _ = staff_track(score, t, on)
            if index is not None:
                print(f"{Path(path).name} {t.name}: {len(t.notes)} notes, leading staff {len(index)};"
                      f" chordal: staff {chordal(own.arrays()[0], on)}, part {chordal(t.arrays()[0], on)};"
                      f" leads {leads(score, t, on)}", flush=True)
    print(f"{len(paths)} inputs read")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", choices=("files", "pop909", "staves"))
    ap.add_argument("paths", nargs="+", help="files, or pop909 splits (val,train)")
    ap.add_argument("--set", action="append", default=[], help="DiscoverySettings override key=value")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from benchmarks.discovery_sweep import parse_set

    settings = DiscoverySettings(**parse_set(args.set))
    if args.source == "staves":
        split_staves(args.paths)
        return
    if args.source == "pop909":
        import motifcli
        from benchmarks.discovery_sweep import pieces

        model = motifcli.load_model()
        from benchmarks.discovery_errors import clean

        inputs = [(p.name, p.score, clean(p.patterns)) for split in args.paths[0].split(",")
                  for p in pieces("pop909", split)]
    else:
        import motifcli
        from motifcli.model import LazyModel

        model = LazyModel()
        inputs = [(Path(p).name, motifcli.read_score(Path(p)), None) for p in args.paths]
    out = []
    for name, score, refs in inputs:
        r = piece_row(name, score, model, settings, refs)
        out.append(r)
        print(f"{name}: tracks {r['tracks']}{' solo' if r['solo'] else ''} staves {r['staves']}; families {r['families']}"
              f" (texture {r['texture']}, lines {r['lines']}; lines without texture {r['lines_without_texture']})",
              flush=True)
        for t in r["rows"]:
            print(f"   {t['label']} #{t['rank']}: {t['statements']} st, longest {t['longest_bars']} bars; notes: piece"
                  f" {t['piece_notes']:.0%} track {t['track_notes']:.0%}; track bars {t['track_bars']:.0%};"
                  f" bars with a line statement {t['line_bars']:.0%}"
                  + (f"; establishment {t['est']:.2f}" if t["est"] is not None else ""), flush=True)
    rows = [t for r in out for t in r["rows"]]
    if rows:
        for key in ("piece_notes", "track_notes", "track_bars", "longest_bars", "statements"):
            vals = sorted(t[key] for t in rows)
            q = np.quantile(vals, [0, 0.5, 0.9, 1.0])
            print(f"{key}: n={len(vals)} min {q[0]:.3g} median {q[1]:.3g} p90 {q[2]:.3g} max {q[3]:.3g}")
        print("texture families per input with any:", statistics.median(r["texture"] for r in out if r["texture"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
