"""Count what the drawing writers mark, and the statements two or more families share (phase17-shared17.md).

    PYTHONPATH=TREE python benchmarks/shared_marks.py annotate OUTDIR INPUT...   # motif annotate -f musicxml,midi,json
    python benchmarks/shared_marks.py count OUTDIR OUT.json                      # per input, and totals
    python benchmarks/shared_marks.py compare BEFORE.json AFTER.json            # the table of the write-up

``annotate`` runs the CLI of the tree on PYTHONPATH (each input on its own: one slow or failing input
does not stop the rest). ``count`` reads every ``*.motifs.json`` of OUTDIR and its MusicXML and MIDI
siblings: occurrences, statements (distinct track + note set), statement copies shared by 2+ families,
MusicXML label words, bracket starts and labels written without a bracket, colour attributes, MIDI
markers, markers at a tick that holds another marker; and a hash of the JSON's motifs (discovery must
be the same in both trees).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import mido

_WORDS = re.compile(rb"<words[^>]*>(Motif [A-Z]+[0-9]+(?: = [A-Z]+[0-9]+)*)(?:&#160;)*</words>")  # less musicxml_room
_DIRECTION = re.compile(rb"<direction\b.*?</direction>", re.S)


def annotate(out: Path, inputs: list[str]) -> None:
    for path in inputs:  # OUTDIR/mid/x.motifs.*, OUTDIR/musicxml/x.motifs.*: a piece's MIDI and MusicXML apart
        dest = out / (Path(path).suffix.lstrip(".").lower() or "other")
        dest.mkdir(parents=True, exist_ok=True)
        # run from the output folder: ``-m`` puts the working folder first on sys.path, before PYTHONPATH
        proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(Path(path).resolve()), "-f",
                               "musicxml,midi,json", "-o", f"{dest.resolve()}/", "-q"], capture_output=True, text=True,
                              env=os.environ.copy(), cwd=dest)
        print(path, "ok" if proc.returncode == 0 else f"rc {proc.returncode}: {proc.stderr.strip()[-200:]}", flush=True)


def _shared(report: dict) -> tuple[int, int]:
    """(distinct statements, occurrences whose note set another family holds too)."""
    families: dict[tuple, set[str]] = collections.defaultdict(set)
    copies: collections.Counter = collections.Counter()
    for m in report["motifs"]:
        for o in m["occurrences"]:
            key = (o["track"], *sorted((n["track"], round(n["onset"], 6), round(n["offset"], 6), n["pitch"])
                                       for n in o["notes"]))
            families[key].add(m["name"])
            copies[key] += 1
    return len(families), sum(copies[k] for k, names in families.items() if len(names) > 1)


def count_one(json_path: Path) -> dict:
    report = json.loads(json_path.read_text())
    stem = json_path.name[: -len(".json")]
    occurrences = sum(len(m["occurrences"]) for m in report["motifs"])
    statements, shared = _shared(report)
    row = {"occurrences": occurrences, "statements": statements, "shared_copies": shared,
           "motifs_sha": hashlib.sha256(json.dumps(report["motifs"], sort_keys=True).encode()).hexdigest()[:16]}
    xml_path = json_path.with_name(stem + ".musicxml")
    if xml_path.exists():
        xml = xml_path.read_bytes()
        directions = _DIRECTION.findall(xml)
        labels = [d for d in directions if _WORDS.search(d)]
        row.update(labels=len(labels), brackets=xml.count(b'<bracket type="start"'),
                   labels_without_bracket=sum(b'<bracket type="start"' not in d for d in labels),
                   merged_labels=sum(b" = " in _WORDS.search(d).group(1) for d in labels))
    mid_path = json_path.with_name(stem + ".mid")
    if mid_path.exists():
        midi = mido.MidiFile(mid_path)
        ticks: collections.Counter = collections.Counter()
        for track in midi.tracks:
            now = 0
            for msg in track:
                now += msg.time
                if msg.type == "marker" and msg.text.startswith("Motif "):
                    ticks[now] += 1
        row.update(markers=sum(ticks.values()), markers_sharing_a_tick=sum(c for c in ticks.values() if c > 1))
    return row


def count(out: Path, dest: Path) -> None:
    rows = {str(p.relative_to(out)): count_one(p) for p in sorted(out.rglob("*.motifs.json"))}
    totals: collections.Counter = collections.Counter()
    for row in rows.values():
        totals.update({k: v for k, v in row.items() if isinstance(v, int)})
    dest.write_text(json.dumps({"inputs": rows, "totals": dict(totals)}, indent=1))
    print(json.dumps(dict(totals)))


def compare(before: Path, after: Path) -> None:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    same = [k for k in a["inputs"] if a["inputs"][k]["motifs_sha"] == b["inputs"].get(k, {}).get("motifs_sha")]
    print(f"inputs {len(a['inputs'])} / {len(b['inputs'])}, JSON motifs identical in {len(same)}")
    print("| count | before | after |\n|---|---|---|")
    for key in a["totals"]:
        print(f"| {key} | {a['totals'][key]:,} | {b['totals'].get(key, 0):,} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="stage", required=True)
    p = sub.add_parser("annotate")
    p.add_argument("out", type=Path)
    p.add_argument("inputs", nargs="+")
    p = sub.add_parser("count")
    p.add_argument("out", type=Path)
    p.add_argument("dest", type=Path)
    p = sub.add_parser("compare")
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.stage == "annotate":
        annotate(args.out, args.inputs)
    elif args.stage == "count":
        count(args.out, args.dest)
    else:
        compare(args.before, args.after)


if __name__ == "__main__":
    main()
