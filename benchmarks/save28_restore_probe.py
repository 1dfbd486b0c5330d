"""Can a saved .mscx be given back motif's placement? A probe, not shipped (phase28-save28.md, "Left").

    python benchmarks/save28_restore_probe.py SAVED.mscx FIXED.mscx

MuseScore 3.2.3's ``.mscx`` of motif's MusicXML keeps no placement but keeps each bracket's hooks, and
motif's writer points hooks up exactly for the brackets it puts below. So, per run of texts and lines
that MuseScore stores before one chord or rest of a voice (one segment): a line whose hooks point up gets
``<placement>below</placement>``, and so does the "Motif ..." label stored in the same place in the
order of the labels there (MuseScore keeps the labels and the line starts in motif's document order),
where the labels and the line starts there are as many; the key gets it too. Prints what it changed.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

KEY_START = "Motifs: one colour per motif;"


def text_of(el: ET.Element) -> str:
    t = el.find("text")
    return "".join(t.itertext()) if t is not None else ""


def place_below(el: ET.Element) -> None:
    placement = ET.Element("placement")
    placement.text = "below"
    placement.tail = el[0].tail if len(el) else None
    el.insert(0, placement)


def fix(root: ET.Element) -> dict[str, int]:
    done = {"lines": 0, "labels": 0, "key": 0, "groups skipped": 0}
    for voice in root.iter("voice"):
        group: list[ET.Element] = []
        for child in [*list(voice), None]:
            if child is not None and child.tag in ("StaffText", "Spanner"):
                group.append(child)
                continue
            labels = [e for e in group if e.tag == "StaffText" and text_of(e).startswith("Motif ")]
            starts = [e.find("TextLine") for e in group if e.tag == "Spanner" and e.get("type") == "TextLine"
                      and e.find("TextLine") is not None]
            for e in group:
                if e.tag == "StaffText" and KEY_START in text_of(e) and e.find("placement") is None:
                    place_below(e)
                    done["key"] += 1
            ups = [k for k, line in enumerate(starts) if (line.findtext("beginHookHeight") or "").startswith("-")]
            for k in ups:
                place_below(starts[k])
                done["lines"] += 1
            if ups and len(labels) == len(starts):
                for k in ups:
                    place_below(labels[k])
                    done["labels"] += 1
            elif ups:
                done["groups skipped"] += 1
            group = []
    return done


def main() -> None:
    src, dest = Path(sys.argv[1]), Path(sys.argv[2])
    tree = ET.parse(src)
    print(fix(tree.getroot()))
    text = ET.tostring(tree.getroot(), encoding="unicode")
    dest.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + re.sub(r"\n\s*\n", "\n", text) + "\n")


if __name__ == "__main__":
    main()
