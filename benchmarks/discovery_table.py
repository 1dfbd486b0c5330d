"""Print DISCOVERY.md's tables from the JSON files that discovery_eval and mtc_retrieval wrote.

    python -m benchmarks.discovery_table           # print them
    python -m benchmarks.discovery_table --write   # and put them into benchmarks/DISCOVERY.md
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from benchmarks.discovery_eval import RESULTS, TABLE_HEADER, table_row

ORDER = [("bps", "tune"), ("bps", "test"), ("pop909", "val"), ("pop909", "test"), ("mtc", "tune"), ("mtc", "test")]
METHODS = ["shipped", "siatec", "siatec-morph", "discovery", "discovery+model", "discovery+note-vicreg",
           "discovery-across", "discovery-across-family"]  # the last two: MTC only (collections, phase20-across20.md)


def discovery_table() -> str:
    lines = [TABLE_HEADER]
    for corpus, split in ORDER:
        for method in METHODS:
            path = RESULTS / f"{method}-{corpus}-{split}.json"
            if path.exists():
                lines.append(table_row(json.loads(path.read_text())))
    return "\n".join(lines)


# issue 10's ablations of the default (method -> what it takes away), in the order DISCOVERY.md reads them
ABLATIONS = [
    ("discovery", "**default** (texture bars of a leading chordal track grouped by the shipped bar model)"),
    ("discovery-nomodel", "no learned embedding (texture bars by their points alone)"),
    ("discovery+texture-vicreg", "texture bars by the VICReg-only bar model: **no fine-tuning**"),
    ("discovery+texture-cl", "texture bars by the triplet-only bar model: no VICReg pretraining"),
    ("discovery+model", "+ the shipped bar model vetting looser alignments too"),
    ("discovery+note-vicreg", "+ note model (VICReg + triplets) vetting looser alignments"),
    ("discovery+note-noinv", "+ note model trained **without invariance** vetting looser alignments"),
    ("discovery-notranspose", "**no invariance** in discovery (exact-pitch repeats only)"),
]
ABLATION_COLUMNS = ("F_est", "F_occ.75", "F_3", "FFTP_est", "FFP")


def ablation_table() -> str:
    lines = ["| ablation | method | split | " + " | ".join(ABLATION_COLUMNS) + " | s/piece |",
             "|" + "---|" * (len(ABLATION_COLUMNS) + 4)]
    for corpus, split in ORDER:
        for method, what in ABLATIONS:
            path = RESULTS / f"{method}-{corpus}-{split}.json"
            if path.exists():
                r = json.loads(path.read_text())
                cells = [what, f"`{method}`", f"{corpus} {split}", *(f"{r['mean'][k]:.3f}" for k in ABLATION_COLUMNS),
                         f"{r['median_seconds_per_piece']:.2f}"]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mtc_table() -> str:
    lines = ["| representation | MTC split | queries | positives/pairs | AUC-PR | mAP |", "|---|---|---|---|---|---|"]
    for split in ("tune", "test"):
        path = RESULTS / f"mtc-retrieval-{split}.json"
        if not path.exists():
            continue
        for name, r in json.loads(path.read_text())["rows"].items():
            lines.append(f"| {name} | {split} ({r['occurrences']} occ.) | {r['queries']} | {r['positive_rate']:.3f} "
                         f"| {r['auc_pr']:.3f} | {r['map']:.3f} |")
    return "\n".join(lines)


DOC = Path(__file__).resolve().parent / "DISCOVERY.md"


def write(doc: Path = DOC) -> None:
    """Replace the text between ``<!-- table:NAME -->`` and ``<!-- /table -->`` with the fresh table."""
    text = doc.read_text()
    for name, table in (("discovery", discovery_table()), ("ablation", ablation_table()), ("mtc", mtc_table())):
        text = re.sub(rf"(<!-- table:{name} -->\n).*?(<!-- /table -->)", lambda m: m.group(1) + table + "\n" + m.group(2),
                      text, flags=re.S)
    doc.write_text(text)


def main() -> int:
    print(discovery_table())
    print()
    print(ablation_table())
    print()
    print(mtc_table())
    if "--write" in sys.argv[1:]:
        write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
