"""Does the MusicXML notated from a one-track keyboard MIDI put each note on its written staff?

    PYTHONPATH=$PWD python -m benchmarks.hands_notation OUT [OUTDIR]

``OUT`` is :mod:`benchmarks.hands_inputs`' folder: ``OUT/one/NAME.mid`` (a keyboard piece in one track)
and ``OUT/one/NAME.hands.json`` (each note's written staff, keyed "tick,pitch"). Per piece the default
note-level annotation is notated twice: with the middle-C cut the writer used before (session 19's
hand19: an annotation that read no hands, ``Annotation.hands`` ``{}``) and with the hand split (the default). Printed per
piece and in all: the share of the written notes (first pieces of tied notes) on their written staff,
and of the brackets, how many start on the written staff of their statement's first note (of notes
struck together, the top staff's) and how many on the staff where that note is notated. With
``OUTDIR`` the annotated files (``NAME.cut.musicxml``, ``NAME.hands.musicxml``) are kept there.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import motifcli
from motifcli.settings import Settings
from motifcli.writers import musicxml
from motifcli.writers.musicxml_scan import scan_parts
from motifcli.writers.notation_bars import GRID, quantise


def written(xml: bytes) -> dict[tuple[Fraction, int], int]:
    """(onset on the grid, pitch) -> the staff it is written on (the top one where both hold it)."""
    out: dict[tuple[Fraction, int], int] = {}
    for part in scan_parts(xml).parts.values():
        for n in part.notes:
            if n.pitch is None or n.rest or n.continues or n.grace:
                continue
            key = (quantise(float(n.onset), GRID), int(n.pitch))
            out[key] = min(out.get(key, 9), int(n.staff))
    return out


def bracket_staves(xml: bytes) -> dict[str, int]:
    """Label ("Motif A1") -> the staff its bracket starts in (1 where the direction names none)."""
    out: dict[str, int] = {}
    for direction in ET.fromstring(xml).iter("direction"):
        bracket = direction.find("direction-type/bracket")
        words = direction.find("direction-type/words")
        if bracket is None or bracket.get("type") != "start" or words is None:
            continue
        staff = direction.find("staff")
        out[words.text or ""] = int(staff.text) if staff is not None else 1
    return out


def main(root: Path, keep: Path | None) -> None:
    totals = {"cut": [0, 0, 0, 0, 0], "hands": [0, 0, 0, 0, 0]}  # notes on staff, notes, brackets right, on note, brackets
    for mid in sorted((root / "one").glob("*.mid")):
        truth_ticks = json.loads(mid.with_suffix(".hands.json").read_text())
        score = motifcli.read_score(mid)
        tpb = score.ticks_per_beat
        truth = {(quantise(int(k.split(",")[0]) / tpb, GRID), int(k.split(",")[1])): v for k, v in truth_ticks.items()}
        annotation = motifcli.annotate(score, None, Settings(unit="note"))
        row = [mid.stem[:34]]
        for name, run in (("cut", dataclasses.replace(annotation, hands={})), ("hands", annotation)):
            xml = musicxml.render(run, score)  # the cut: an annotation that read no hands (Annotation.hands {})
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{mid.stem}.{name}.musicxml").write_bytes(xml)
            staff_of = written(xml)
            keys = [k for k in staff_of if k in truth]
            right = sum(staff_of[k] == truth[k] for k in keys)
            starts = bracket_staves(xml)
            b_right = b_note = b_all = 0
            for motif in annotation.motifs:
                for occ in motif.occurrences:
                    first = min(occ.notes, key=lambda n: (n.onset, -n.pitch))  # the top note struck first
                    key = (quantise(first.onset, GRID), first.pitch)
                    if occ.text not in starts or key not in truth or key not in staff_of:
                        continue
                    b_all += 1
                    b_right += starts[occ.text] == truth[key]
                    b_note += starts[occ.text] == staff_of.get(key)
            for i, v in enumerate((right, len(keys), b_right, b_note, b_all)):
                totals[name][i] += v
            row.append(f"{name}: notes {right / max(len(keys), 1):.3f} of {len(keys)}, brackets on written staff "
                       f"{b_right}/{b_all}, on the note's staff {b_note}/{b_all}")
        print(" | ".join(row), flush=True)
    for name, (right, notes, b_right, b_note, b_all) in totals.items():
        print(f"all, {name}: notes on their written staff {right / notes:.3f} ({right}/{notes}); brackets on the "
              f"written staff of their first note {b_right}/{b_all}, on the staff it is notated on {b_note}/{b_all}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
