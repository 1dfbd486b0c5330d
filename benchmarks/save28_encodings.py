"""Which MusicXML spelling of a bracket below does MuseScore 3.2.3 keep through its own file? (phase28-save28.md)

    python benchmarks/save28_encodings.py OUT

Writes a two-bar score per variant: a bracket "Motif A1" above (as motif writes it) and a bracket "Motif B1"
spelled as the variant says, below; MuseScore 3 (``mscore3``, headless) saves it as ``.mscx`` and renders the
MusicXML and the ``.mscx`` (``-r 80``). Prints per variant how many ``<placement>`` / ``<offset>`` /
``<beginHookHeight>`` the ``.mscx`` holds and how many pixels differ between the two renderings (0: the
placement survived the save).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

NOTE = ("<note><pitch><step>{}</step><octave>5</octave></pitch><duration>1</duration><voice>1</voice>"
        "<type>quarter</type></note>")
ATTRIBUTES = ("<attributes><divisions>1</divisions><key><fifths>0</fifths></key><time><beats>4</beats>"
              "<beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>")
A1_START = ('<direction placement="above"><direction-type><bracket type="start" number="1" line-end="down"'
            ' line-type="solid"/></direction-type><direction-type><words>Motif A1</words></direction-type></direction>')
A1_STOP = ('<direction placement="above"><direction-type><bracket type="stop" number="1" line-end="down"/>'
           "</direction-type></direction>")


def score(start: str, stop: str) -> str:
    """Two bars of quarters: "Motif A1" above over bar 1, the variant's "Motif B1" from bar 1 into bar 2."""
    n = [NOTE.format(step) for step in "CDEFGABC"]
    bar1 = f'<measure number="1">{ATTRIBUTES}{A1_START}{start}{"".join(n[:4])}{A1_STOP}</measure>'
    bar2 = f'<measure number="2">{n[4]}{n[5]}{stop}{n[6]}{n[7]}</measure>'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list><score-part id="P1">'
            f'<part-name>P</part-name></score-part></part-list><part id="P1">{bar1}{bar2}</part></score-partwise>\n')


def variant(direction: str = 'placement="below"', on_marks: str = "", *, hooks: str = "up", split: bool = False,
            extra: str = "") -> tuple[str, str]:
    """The start and stop directions of bracket 2 ("Motif B1"): ``direction``'s attributes, ``on_marks`` on its
    <bracket> and <words>, ``extra`` children after them; ``split``: the words in a direction of their own."""
    attrs = f" {direction}" if direction else ""
    stop_attrs = attrs.replace(' directive="yes"', "")
    bracket = (f'<direction-type><bracket type="start" number="2" line-end="{hooks}" line-type="solid"{on_marks}/>'
               "</direction-type>")
    words = f"<direction-type><words{on_marks}>Motif B1</words></direction-type>"
    start = (f"<direction{attrs}>{bracket}</direction><direction{attrs}>{words}{extra}</direction>" if split
             else f"<direction{attrs}>{bracket}{words}{extra}</direction>")
    stop = (f'<direction{stop_attrs}><direction-type><bracket type="stop" number="2" line-end="{hooks}"{on_marks}/>'
            f"</direction-type>{extra if extra.startswith('<staff') else ''}</direction>")
    return start, stop


V = {
    "main": variant(),  # motif's writer
    "defy": variant(on_marks=' default-y="-80"'),
    "defy_noplace": variant("", ' default-y="-80"'),
    "rely": variant(on_marks=' relative-y="-80"'),
    "split": variant(split=True),
    "directive": variant('placement="below" directive="yes"'),
    "offset": variant(extra="<offset>0</offset>"),
    "on_children": variant("", ' placement="below"'),
    "control_above": variant('placement="above"', hooks="down"),
    "staff": variant(extra="<staff>1</staff>"),
}


def render(src: Path, png: Path) -> np.ndarray:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(["mscore3", "-r", "80", "-o", str(png), str(src)], env=env, capture_output=True, check=False)
    im = Image.open(png.with_name(png.stem + "-1.png")).convert("RGBA")
    white = Image.new("RGBA", im.size, "white")
    white.alpha_composite(im)
    return np.asarray(white.convert("L"))


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    print("| variant | <placement> | <offset> | hooks up | pixels differing, MusicXML vs reopened .mscx |")
    print("|---|---|---|---|---|")
    for name, (start, stop) in V.items():
        xml = out / f"{name}.musicxml"
        xml.write_text(score(start, stop))
        mscx = out / f"{name}.mscx"
        subprocess.run(["mscore3", "-o", str(mscx), str(xml)], env=env, capture_output=True, check=False)
        text = mscx.read_text()
        diff = int((render(xml, out / f"{name}.direct.png") != render(mscx, out / f"{name}.reopened.png")).sum())
        print(f"| {name} | {text.count('<placement>')} | {text.count('<offset')} | "
              f"{len(re.findall(r'<beginHookHeight>-', text))} | {diff} |")


if __name__ == "__main__":
    main()
