"""How many labels a back-to-back run of statements would save (phase27-runs27.md): per report, per rule.

    motif annotate IN/* -f json -o OUT
    PYTHONPATH=$TREE python benchmarks/runs27_counts.py OUT [--grid]

For every ``*.motifs.json`` in OUT: the statements the MusicXML writer marks (one label and bracket
each: writers/shared.py), how many of them fall in runs (writers/runs.py: MIN_RUN or more of one
family, consecutive numbers, one line, each at most MAX_SPAN beats long, each starting at most the
previous one's span, at most MAX_GAP, at least GAP beats, after it ends) and the labels left when each run gets one.
``--grid`` prints the totals for other MIN_RUN / MAX_SPAN too (infinite: statements of any length).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.writers.runs import GAP, MAX_GAP, MAX_SPAN, MIN_RUN, runs
from motifcli.writers.shared import statements


def counts(annotation: Annotation, min_run: int = MIN_RUN, max_span: float = MAX_SPAN) -> tuple[int, int, int, int]:
    """(statements, statements in runs, runs, labels after)."""
    marks = statements(annotation)
    grouped = runs(marks, min_run=min_run, max_span=max_span)
    in_runs = [r for r in grouped if r.is_run]
    return len(marks), sum(len(r.statements) for r in in_runs), len(in_runs), len(grouped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    reports = {p.name.removesuffix(".motifs.json"): Annotation.from_dict(json.loads(p.read_text()))
               for p in sorted(args.folder.glob("*.motifs.json"))}
    print(f"MIN_RUN {MIN_RUN}, MAX_SPAN {MAX_SPAN} beats, gap up to the previous statement's span, at most {MAX_GAP}, at least {GAP} beats")
    print(f"{'piece':24} {'labels':>6} {'in runs':>7} {'runs':>4} {'after':>5}  longest run (family: statements)")
    total = [0, 0, 0, 0]
    for name, annotation in reports.items():
        row = counts(annotation)
        total = [t + r for t, r in zip(total, row)]
        grouped = [r for r in runs(statements(annotation)) if r.is_run]
        longest = max(grouped, key=lambda r: len(r.statements), default=None)
        where = f"{longest.first.lead.family}: {len(longest.statements)}" if longest else "-"
        print(f"{name:24} {row[0]:6} {row[1]:7} {row[2]:4} {row[3]:5}  {where}")
    print(f"{'total':24} {total[0]:6} {total[1]:7} {total[2]:4} {total[3]:5}")
    if args.grid:
        print("\ntotals: min_run max_span -> statements in runs, runs, labels after (of", total[0], "); the rag's after")
        for min_run in (2, 3, 4):
            for max_span in (1.0, 2.0, 4.0, float("inf")):
                rows = [counts(a, min_run, max_span) for a in reports.values()]
                rag = counts(reports["maple-leaf-rag"], min_run, max_span)[3] if "maple-leaf-rag" in reports else "-"
                print(f"  {min_run} {max_span:4}: {sum(r[1] for r in rows):4} {sum(r[2] for r in rows):4}"
                      f" {sum(r[3] for r in rows):4}   rag {rag}")


if __name__ == "__main__":
    main()
