"""Where MuseScore 3 ends each motif bracket, against the occurrence's end (session 10, phase10-mend10.md).

Annotates each source with ``motif annotate --format musicxml,json`` (the motif code of ``--tree``,
default this checkout), converts every annotated score to MuseScore's ``.mscx`` in one ``mscore3 -j``
job (headless, throw-away HOME) and reads each bracket's end with ``tests/test_musescore.read_mscx``
of *this* checkout (a line's end from its start's ``<next>`` location). Prints, per source, the
brackets ending more than half a beat after / before their occurrence's ``end_beat``, the extreme
differences, and MuseScore's "no segment for tick" warnings.

    PYTHONPATH=$PWD python benchmarks/musescore_brackets.py OUTDIR examples/pop909-101.mid \\
        examples/pop909-202.mid examples/pop909-303.mid corpus:bach/bwv1.6 \\
        corpus:mozart/k545/movement1_exposition.mxl [--tree OTHER_CHECKOUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO)]

from test_musescore import DIVISION, find_mscore, part_of_track, read_mscx  # noqa: E402

HALF_BEAT = 0.5


def mscore_env(root: Path) -> dict[str, str]:
    home, runtime = root / "home", root / "runtime"
    home.mkdir(exist_ok=True)
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_", "DISPLAY", "WAYLAND"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_RUNTIME_DIR=str(runtime))
    return env


def source_path(name: str) -> Path:
    if name.startswith("corpus:"):
        import music21

        return Path(str(music21.corpus.getWork(name[len("corpus:"):])))
    return Path(name).resolve()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("sources", nargs="+")
    ap.add_argument("--tree", type=Path, default=REPO, help="checkout whose motif annotates (PYTHONPATH)")
    args = ap.parse_args(argv)
    root = args.out.resolve()
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve()), "NO_COLOR": "1"}
    jobs = []
    for name in args.sources:
        out = root / name.replace("/", "_").replace(":", "_").replace(".", "_")
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-m", "motifcli", "annotate", str(source_path(name)), "--format", "musicxml",
               "--format", "json", "-o", f"{out}/"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=args.tree)  # -m: cwd first on sys.path
        if proc.returncode != 0:
            raise SystemExit(f"{name}: {proc.stderr.strip()}")
        jobs.append((name, next(out.glob("*.motifs.musicxml")), next(out.glob("*.motifs.json")), out / "score.mscx"))
    (root / "job.json").write_text(json.dumps([{"in": str(x), "out": [str(m)]} for _, x, _, m in jobs]))
    proc = subprocess.run([find_mscore(), "-j", str(root / "job.json")], env=mscore_env(root),
                          capture_output=True, text=True, timeout=1800)
    print(f"mscore3 exit {proc.returncode}; 'no segment for tick' warnings: {proc.stderr.count('no segment for tick')}")
    print("| source | occurrences | > 0.5 beat past end | > 0.5 beat before end | max past | max before | no bracket end |")
    print("|---|---|---|---|---|---|---|")
    for name, _, report_path, mscx_path in jobs:
        report, mscx = json.loads(report_path.read_text()), read_mscx(mscx_path)
        diffs, late, early, missing = [], [], [], 0
        for motif in report["motifs"]:
            for occ in motif["occurrences"]:
                staves = set(mscx.staves_of(part_of_track(mscx, report, occ["track"], occ["track_name"])))
                lines = [t for t in mscx.texts if t.kind == "TextLine" and t.staff in staves
                         and t.text == f"Motif {occ['label']}"]
                if len(lines) != 1 or lines[0].end_tick is None:
                    missing += 1
                    continue
                d = lines[0].end_tick / DIVISION - occ["end_beat"]
                diffs.append(d)
                if d > HALF_BEAT:
                    late.append((occ["label"], occ["end_beat"], lines[0].end_tick / DIVISION))
                elif d < -HALF_BEAT:
                    early.append((occ["label"], occ["end_beat"], lines[0].end_tick / DIVISION))
        print(f"| {name} | {len(diffs) + missing} | {len(late)} | {len(early)} | {max(diffs, default=0):+.3f} | "
              f"{min(diffs, default=0):+.3f} | {missing} |")
        for label, end, drawn in late + early:
            print(f"|   {label}: ends {end}, drawn to {drawn} | | | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
