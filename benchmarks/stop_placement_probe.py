"""Does another place for a bracket stop that ends with the piece's last note avoid MuseScore 3's
"no segment for tick N" (phase9-audit9.md 9.6; phase26-eye26.md)?

    python benchmarks/stop_placement_probe.py ANNOTATED.musicxml OUT

Writes one variant per placement of every bracket stop in each part's last measure, converts each
with ``mscore3`` to .mscx and PNG (-r 200) and prints MuseScore's "no segment" messages:
as-is (the writer's: after the last note, at its written end), none (no stop), before-last-note (the
stop before the part's last note: its onset), before-last-note+offset (the same with ``<offset>`` =
that note's duration) and minus-one (a division before the end: backup 1, stop, forward 1). Whether
the bracket still covers the last note is read off the PNGs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

STOP = re.compile(r'(?:<forward><duration>\d+</duration></forward>)?<direction placement="above"><direction-type>'
                  r'<bracket type="stop"[^>]*/></direction-type>(?:<voice>[^<]*</voice>)?(?:<staff>\d+</staff>)?'
                  r'</direction>(?:<backup><duration>\d+</duration></backup>)?')


def last_note(seg: str) -> int:
    return [m.start() for m in re.finditer(r"<note[ >]", seg)
            if "<chord/>" not in seg[m.start():].split("</note>")[0]][-1]


def before_last(seg: str, offset: bool) -> str:
    stops = STOP.findall(seg)
    if not stops:
        return seg
    seg = STOP.sub("", seg)
    k = last_note(seg)
    if offset:
        dur = re.search(r"<duration>(\d+)</duration>", seg[k:]).group(1)
        stops = [re.sub(r"^<forward>.*?</forward>", "", s).replace("</direction-type>", f"</direction-type><offset>{dur}</offset>", 1)
                 for s in stops]
    return seg[:k] + "".join(stops) + seg[k:]


def minus_one(seg: str) -> str:
    def step(m: re.Match) -> str:
        s = m.group(0)
        return s if s.startswith("<forward>") else f"<backup><duration>1</duration></backup>{s}<forward><duration>1</duration></forward>"
    return STOP.sub(step, seg)


VARIANTS = {"as-is": lambda s: s, "none": lambda s: STOP.sub("", s), "before-last-note": lambda s: before_last(s, False),
            "before-last-note+offset": lambda s: before_last(s, True), "minus-one": minus_one}


def edit(doc: str, fn) -> str:
    out, cursor = [], 0
    for part in re.finditer(r"<part id=[^>]*>.*?</part>", doc, re.S):
        a = part.start() + part.group(0).rfind("<measure")
        out += [doc[cursor:a], fn(doc[a:part.end()])]
        cursor = part.end()
    return "".join(out) + doc[cursor:]


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    doc = src.read_text(encoding="utf-8")
    for name, fn in VARIANTS.items():
        path = out / f"{src.stem}.{name}.musicxml"
        path.write_text(edit(doc, fn), encoding="utf-8")
        proc = subprocess.run(["mscore3", "-o", str(path.with_suffix(".mscx")), str(path)], env=env, capture_output=True, text=True)
        subprocess.run(["mscore3", "-r", "200", "-o", str(path.with_suffix(".png")), str(path)], env=env, capture_output=True)
        print(name, [line for line in (proc.stdout + proc.stderr).splitlines() if "no segment" in line])


if __name__ == "__main__":
    main()
