"""Which corpus-sweep inputs open the bar model, and which did another model's run change (sweep25)?

    PYTHONPATH=$PWD python -m benchmarks.sweep_model_diff NEW_DIR OLD_DIR

NEW_DIR and OLD_DIR are two ``corpus_sweep run`` folders over the same ``pieces.json`` (e.g. the shipped model, and
a tree whose ``exported_models/motif-default.onnx`` is another model). A run opened the model when its report's
``model`` card is not empty (the CLI records it only then). Prints, per input whose ``sweep.json`` row or report
differs (the report without ``model``, ``run`` and ``generator``, which name the tree and the time), both rows'
families, occurrences, notes covered, largest family's share and texture families; then the counts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

FIELDS = ("families", "occurrences", "covered", "largest_covered", "texture_families")
VOLATILE = ("model", "run", "generator")


def report_of(root: Path, row: dict) -> dict:
    """The run's report (``out/GENRE/FORMAT/STEM.motifs.json``), as corpus_sweep names it."""
    inp = Path(row["input"])
    path = root / "out" / row["genre"] / inp.suffix.lstrip(".") / f"{inp.stem}.motifs.json"
    return json.loads(path.read_text()) if path.exists() else {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("new", type=Path)
    ap.add_argument("old", type=Path)
    args = ap.parse_args()
    new_rows = json.loads((args.new / "sweep.json").read_text())
    old_rows = {r["input"]: r for r in json.loads((args.old / "sweep.json").read_text())}
    opened, changed, compared = [], [], 0
    for row in new_rows:
        old = old_rows.get(row["input"])
        if old is None:
            continue
        compared += 1
        new_rep, old_rep = report_of(args.new, row), report_of(args.old, old)
        if new_rep.get("model") or old_rep.get("model"):
            opened.append(row["input"])
        same_report = ({k: v for k, v in new_rep.items() if k not in VOLATILE}
                       == {k: v for k, v in old_rep.items() if k not in VOLATILE})
        if not same_report or any(row.get(f) != old.get(f) for f in FIELDS):
            changed.append(row["input"])
            print(Path(row["input"]).name, " ".join(f"{f}={old.get(f)}->{row.get(f)}" for f in FIELDS))
    print(f"compared {compared} runs; opened the model: {len(opened)}; changed: {len(changed)}"
          f" (of them opened the model: {sum(c in opened for c in changed)})")
    for inp in opened:
        print("opened:", Path(inp).relative_to(args.new / "in") if Path(inp).is_relative_to(args.new / "in") else inp)


if __name__ == "__main__":
    main()
