"""Rolls of the one renderer against an older revision's segment.py + encoding.py, on POP909.

Issue 11 moved the grid (window starts snapped to it, membership by onset step). This counts the
windows whose segments or rolls differ from a git revision's code, for origins on the grid (which
every benchmark figure uses) and off it. Result recorded in RESULTS.md ("One roll renderer").

    python benchmarks/renderer_parity.py --rev e426515 --every 15
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from motifcli import encoding as new_encoding  # noqa: E402
from motifcli import segment as new_segment  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402
from training.data import data_root  # noqa: E402

SETTINGS = {"on the grid": ((4.0, None, 0.0), (4.0, 2.0, 1.0), (3.0, 1.5, 0.5), (4.0, None, 2.0)),
            "off the grid": ((4.0, None, 0.3), (4.0, None, 1.0 / 3.0), (4.0, 2.0, 0.1))}


def old_modules(rev: str, folder: Path):  # noqa: ANN201
    """Import the revision's segment.py and encoding.py as the package ``oldmotif``."""
    pkg = folder / "oldmotif"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name in ("segment", "encoding"):
        text = subprocess.run(["git", "show", f"{rev}:motifcli/{name}.py"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout
        (pkg / f"{name}.py").write_text(text.replace("from motifcli.segment", "from oldmotif.segment"))
    sys.path.insert(0, str(folder))
    import oldmotif.encoding as enc
    import oldmotif.segment as seg

    return seg, enc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default="e426515", help="git revision with the old renderer")
    ap.add_argument("--every", type=int, default=15, help="every n-th POP909 song")
    args = ap.parse_args()
    songs = sorted((data_root() / "pop909").glob("*/[0-9][0-9][0-9].mid"))[:: args.every]
    with tempfile.TemporaryDirectory() as tmp:
        old_seg, old_enc = old_modules(args.rev, Path(tmp))
        for label, settings in SETTINGS.items():
            windows = unmatched = moved = 0
            roll_diff = {"binary-sustain": 0, "onset-sustain": 0}
            for path in songs:
                score = read_midi(path)
                for track in score.pitched_tracks():
                    for window, hop, origin in settings:
                        old = old_seg.segment_track(track, window, hop, 8, origin=origin)
                        new = new_segment.segment_track(track, window, hop, 8, origin=origin)
                        windows += len(new)
                        old_at = {s.start: i for i, s in enumerate(old)}
                        new_at = {s.start: i for i, s in enumerate(new)}
                        unmatched += len(set(old_at) ^ set(new_at))
                        both = sorted(set(old_at) & set(new_at))
                        moved += sum(old[old_at[t]].note_indices != new[new_at[t]].note_indices for t in both)
                        for encoding in ("binary-sustain", "onset-sustain"):
                            a = old_enc.encode_segments(track, old, old_enc.EncodingSpec(encoding=encoding))
                            b = new_encoding.encode_segments(track, new, new_encoding.EncodingSpec(encoding=encoding))
                            a = a[[old_at[t] for t in both]].reshape(len(both), -1)
                            b = b[[new_at[t] for t in both]].reshape(len(both), -1)
                            roll_diff[encoding] += int((a != b).any(1).sum())
            print(f"{label}: {len(songs)} songs, {windows} windows; windows only in one version: {unmatched}; "
                  f"windows holding other notes: {moved}; rolls that differ: {roll_diff}")


if __name__ == "__main__":
    main()
