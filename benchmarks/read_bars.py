"""Reading time of MusicXML against its length in bars (issue 8 #5), median of several runs.

    PYTHONPATH=. python benchmarks/read_bars.py --bars 1000 5000 20000 --runs 3

Each score is one part of N 4/4 bars holding one whole note each (the corpus generator's
``one_note_bars``), written to a temporary folder and read with ``read_musicxml``; the time is
this process's CPU time (a shared machine's waiting is not counted). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _generator():
    spec = importlib.util.spec_from_file_location("make_bad_files", REPO / "tests" / "data" / "make_bad_files.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from music21.musicxml import xmlToM21  # noqa: F401 - import time is not reading time

    from motifcli.readers.musicxml import read_musicxml

    gen = _generator()
    print("| bars | file bytes | CPU s (median) | runs |")
    print("|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for bars in args.bars:
            path = Path(tmp) / f"bars{bars}.musicxml"
            path.write_text(gen.one_note_bars(bars))
            runs = []
            for _ in range(args.runs):
                start = time.process_time()
                score = read_musicxml(path)
                runs.append(time.process_time() - start)
                assert score.note_count == bars
            shown = ", ".join(f"{r:.2f}" for r in runs)
            print(f"| {bars:,} | {path.stat().st_size:,} | {statistics.median(runs):.2f} | {shown} |")


if __name__ == "__main__":
    main()
