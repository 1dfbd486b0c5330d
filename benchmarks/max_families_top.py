"""Is ``--max-families n`` the default run's n first families? (phase 15, formats15; docs/cli.md)

    PYTHONPATH=$TREE python benchmarks/max_families_top.py    # run in each tree

For each BPS-motif tune movement and POP909 val song, the library call ``motif annotate`` makes
(the shipped model, lazily), with ``max_families`` 1, 3 and 5: are its families the default run's
first n, statement for statement (notes by track and index)? Tuning halves only; no score is made.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def statements(annotation) -> list[list[tuple[tuple[int, int], ...]]]:
    return [[tuple((n.track, n.index) for n in o.notes) for o in m.occurrences] for m in annotation.motifs]


def main() -> None:
    import motifcli
    from benchmarks.motif_corpora import load_corpus
    from motifcli.model import LazyModel

    lazy = LazyModel()
    for corpus, split in (("bps", "tune"), ("pop909", "val")):
        same = total = 0
        for piece in load_corpus(corpus, split):
            full = statements(motifcli.annotate(piece.score, lazy))
            for n in (1, 3, 5):
                total += 1
                same += statements(motifcli.annotate(piece.score, lazy, max_families=n)) == full[:n]
        print(f"{corpus} {split}: --max-families 1/3/5 equal to the default run's first n: {same} of {total}")


if __name__ == "__main__":
    main()
