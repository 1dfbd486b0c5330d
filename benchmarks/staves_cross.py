"""Do motif occurrences cross a piano part's staves? Before/after splitting voices per staff (staves11).

    PYTHONPATH=$PWD python benchmarks/staves_cross.py            # music21's multi-staff corpus pieces

"before": ``staff_voices="off"``, ``texture_staves=False`` (as before session 11); "all":
``staff_voices="all"`` (every multi-staff part split per staff); "after": the defaults
(``staff_voices="alone"``: only a part alone in its score; ``texture_staves=True``). Per piece: families (voice / texture),
occurrences, and how many voice families / occurrences hold notes of two staves (a texture family's
occurrence is a whole bar, both hands by design: counted apart). Product default settings and model,
as ``motif annotate`` runs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# one-part piano scores (two staves), then songs/concertos with a two-staff piano part
PIECES = (
    "mozart/k545/movement1_exposition.mxl", "bach/bwv846.mxl", "cpebach/h186.mxl", "joplin/maple_leaf_rag.mxl",
    "schoenberg/opus19/movement2.mxl", "schoenberg/opus19/movement6.mxl", "schumann_clara/polonaise_op1n1.mxl",
    "schumann_clara/polonaise_op1n2.mxl", "schumann_clara/polonaise_op1n3.mxl", "schumann_clara/polonaise_op1n4.mxl",
    "verdi/laDonnaEMobile.mxl", "handel/rinaldo/Lascia_chio_pianga.mxl", "schubert/Lindenbaum.xml",
    "schumann_robert/dichterliebe_no2.xml", "beach/prayer_of_a_tired_child.musicxml", "liliuokalani/aloha_oe.mxl",
)


def measure(score: object, families: list) -> dict[str, int]:
    """Counts for one run: families and occurrences, and those whose notes lie in two staves."""

    staff = {(t.index, i): n.staff for t in score.tracks for i, n in enumerate(t.notes)}
    out = dict(families=0, texture=0, occ=0, cross_fam=0, cross_occ=0)
    for f in families:
        if f.is_texture:
            out["texture"] += 1
            continue
        out["families"] += 1
        crossing = [len({staff[(n.track, n.index)] for n in o.notes}) > 1 for o in f.occurrences]
        out["occ"] += len(crossing)
        out["cross_occ"] += sum(crossing)
        out["cross_fam"] += any(crossing)
    return out


def main() -> None:
    import music21

    import motifcli
    from motifcli.discovery import DiscoverySettings, discover
    from motifcli.model import LazyModel

    lazy = LazyModel()
    runs = {"before": DiscoverySettings(staff_voices="off", texture_staves=False),
            "all": DiscoverySettings(staff_voices="all"), "after": DiscoverySettings()}
    totals: dict[str, dict[str, int]] = {k: {} for k in runs}
    print("| piece | notes | before: voice fam / texture fam / occ / crossing fam / crossing occ | all | after |")
    print("|---|---|---|---|---|")
    for name in PIECES:
        score = motifcli.read_score(music21.corpus.getWork(name))
        row = []
        for when, settings in runs.items():
            counts = measure(score, discover(score, lazy, settings))
            for k, v in counts.items():
                totals[when][k] = totals[when].get(k, 0) + v
            row.append(f"{counts['families']} / {counts['texture']} / {counts['occ']} / {counts['cross_fam']} / "
                       f"{counts['cross_occ']}")
        print(f"| {name} | {score.note_count} | {' | '.join(row)} |")
    for when, t in totals.items():
        print(f"{when}: voice families {t['families']}, texture families {t['texture']}, occurrences {t['occ']}, "
              f"crossing families {t['cross_fam']} ({t['cross_fam'] / max(t['families'], 1):.1%}), "
              f"crossing occurrences {t['cross_occ']} ({t['cross_occ'] / max(t['occ'], 1):.1%})")


if __name__ == "__main__":
    main()
