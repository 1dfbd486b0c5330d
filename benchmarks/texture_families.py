"""The families ``discover`` reports for some files, texture families spelled out (bars, track, notes).

    PYTHONPATH=$PWD python -m benchmarks.texture_families FILE... [--set key=value ...] [--json OUT]

Per input: families, of them texture families (statements of whole bars, ``voices.TEXTURE``), the
share of the score's notes the largest family covers; per texture family its track, statements and
the bars each spans (bar index + 1 in the score's meter map, so a pickup counts as bar 1). Run the
same command in two trees to compare (phase17-quartet17.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from motifcli.annotation import line_name
from motifcli.discovery.types import DiscoverySettings
from motifcli.voices import TEXTURE


def summary(path: Path, settings: DiscoverySettings) -> dict:
    """What the default run finds in ``path`` (model as the CLI hands it)."""
    import motifcli
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    score = motifcli.read_score(path)
    fams = discover(score, LazyModel(), settings)
    starts = np.asarray(score.meter_map.starts, dtype=float)
    names = {t.index: t.name for t in score.tracks}
    total = sum(len(t.notes) for t in score.pitched_tracks())

    def bar(beat: float) -> int:
        return int(np.searchsorted(starts, beat + 1e-6, side="right"))

    texture, lines = [], []
    for f in fams:
        first = f.occurrences[0]
        if first.notes[0].voice != TEXTURE:
            lines.append(f"{f.label} {line_name(names[first.notes[0].track], first.notes[0].voice)} {len(f.occurrences)}x{f.notes_per_occurrence}"
                         f" from bar {bar(first.notes[0].onset)}")
            continue
        occ = [(bar(o.notes[0].onset), bar(max(n.onset for n in o.notes)), len(o.notes)) for o in f.occurrences]
        texture.append({"label": f.label, "track": names[f.occurrences[0].notes[0].track], "statements": occ})
    covered = [len({(n.track, n.index) for o in f.occurrences for n in o.notes}) / max(total, 1) for f in fams]
    return {"input": str(path), "families": len(fams), "texture": len(texture),
            "occurrences": sum(len(f.occurrences) for f in fams),
            "largest_cover": max(covered, default=0.0), "texture_families": texture,
            "line_families": lines}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--set", action="append", default=[], help="DiscoverySettings override key=value")
    ap.add_argument("--lines", action="store_true", help="also one line per line family (line, statements x notes)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    settings = DiscoverySettings()
    for kv in args.set:
        key, value = kv.split("=", 1)
        kind = type(getattr(settings, key))
        settings = dataclasses.replace(settings, **{key: (value.lower() in ("1", "true")) if kind is bool else kind(value)})
    rows = []
    for path in args.paths:
        r = summary(path, settings)
        rows.append(r)
        print(f"{path.name}: {r['families']} families ({r['texture']} texture), {r['occurrences']} occurrences, "
              f"largest covers {r['largest_cover']:.0%}")
        for t in r["texture_families"]:
            spans = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b, _ in t["statements"])
            print(f"   {t['label']} {t['track']}: {len(t['statements'])} statements, bars {spans}")
        if args.lines:
            print("   lines: " + "; ".join(r["line_families"]))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
