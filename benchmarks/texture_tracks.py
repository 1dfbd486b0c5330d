"""What the texture rule sees: every track ``leads()`` + ``chordal()`` accept, and what its chords are.

    PYTHONPATH=$PWD python -m benchmarks.texture_tracks pop909 [--ids val,train|all] [--json OUT]
    PYTHONPATH=$PWD python -m benchmarks.texture_tracks files FILE... [--json OUT]

Per accepted track: notes, onset groups (notes starting within ``CHORD_TOLERANCE``), the share of
groups that are chords (``chord_share``), of chord groups with 2 notes and with 3+, of all groups
with 3+ notes, of the notes that sound in chords, the notes against the largest other track and
against all other tracks together, and the track's name (POP909: PIANO; a score: the part's
instrument). Written for phase17-quartet17.md (a quartet's 2nd violin with double stops vs a POP909
piano); prints a table and the quartiles per group.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from motifcli.discovery.texture import CHORD_TOLERANCE, chordal, leads
from motifcli.discovery.types import DiscoverySettings
from motifcli.streams import onset_groups


def track_stats(score, track, settings: DiscoverySettings) -> dict | None:
    """The figures of one track, or None when the texture rule does not accept it."""
    onsets = track.arrays()[0]
    if not chordal(onsets, settings) or not leads(score, track, settings):
        return None
    sizes = np.bincount(onset_groups(np.sort(onsets), CHORD_TOLERANCE))
    chords = sizes[sizes > 1]
    others = [len(t.notes) for t in score.pitched_tracks() if t.index != track.index and t.notes]
    return {
        "track": track.name, "notes": len(onsets), "groups": len(sizes),
        "chord_share": float(np.mean(sizes > 1)),
        "two_of_chords": float(np.mean(chords == 2)) if len(chords) else 0.0,
        "three_plus_share": float(np.mean(sizes >= 3)),
        "notes_in_chords": float(chords.sum() / len(onsets)),
        "vs_max_other": len(onsets) / max(others, default=0) if others else float("inf"),
        "vs_sum_others": len(onsets) / sum(others) if others else float("inf"),
        "others": len(others),
    }


def pop909_ids(which: str) -> list[str]:
    from benchmarks.motif_corpora import data_root, split_pieces

    if which == "all":
        return sorted(p.name for p in (data_root() / "pop909").iterdir() if p.is_dir())
    return sorted(n for s in which.split(",") for n in split_pieces("pop909", s))


def main() -> None:
    import motifcli

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", choices=("pop909", "files"))
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--ids", default="val,train", help="pop909: splits (val,train) or 'all' (every song folder)")
    ap.add_argument("--exclude", default="", help="pop909: leave out these splits' songs (e.g. test)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    settings = DiscoverySettings()
    if args.source == "pop909":
        from benchmarks.motif_corpora import data_root

        drop = set(pop909_ids(args.exclude)) if args.exclude else set()
        inputs = [(n, data_root() / "pop909" / n / f"{n}.mid") for n in pop909_ids(args.ids) if n not in drop]
    else:
        inputs = [(Path(p).name, Path(p)) for p in args.paths]
    rows = []
    for name, path in inputs:
        try:
            score = motifcli.read_score(path)
        except Exception as exc:  # noqa: BLE001 - an unreadable file is reported, not fatal
            print(f"skip {name}: {exc!r}", file=sys.stderr)
            continue
        for track in score.pitched_tracks():
            row = track_stats(score, track, settings)
            if row is not None:
                rows.append({"piece": name, **row})
    keys = ("chord_share", "two_of_chords", "three_plus_share", "notes_in_chords", "vs_max_other", "vs_sum_others")
    print("piece | track | notes | " + " | ".join(keys))
    for r in rows:
        print(f"{r['piece']} | {r['track']} | {r['notes']} | " + " | ".join(f"{r[k]:.3f}" for k in keys))
    if rows:
        print(f"\n{len(rows)} accepted tracks; min / q1 / median / q3 / max:")
        for k in keys:
            v = np.array([r[k] for r in rows], dtype=float)
            v = v[np.isfinite(v)]
            if len(v):
                q = np.quantile(v, [0, 0.25, 0.5, 0.75, 1])
                print(f"  {k:18s} " + " / ".join(f"{x:.3f}" for x in q) + f"  (n={len(v)})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
