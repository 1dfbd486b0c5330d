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

NOTE = '<note><pitch><step>{s}</step><octave>5</octave></pitch><duration>1</duration><voice>1</voice><type>quarter</type></note>'
def score(start_dir, stop_dir):
    notes = [NOTE.format(s=s) for s in "CDEFGABC"]
    m1 = ('<measure number="1"><attributes><divisions>1</divisions><key><fifths>0</fifths></key>'
          '<time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>'
          + '<direction placement="above"><direction-type><bracket type="start" number="1" line-end="down" line-type="solid"/></direction-type>'
            '<direction-type><words>Motif A1</words></direction-type></direction>'
          + start_dir + notes[0] + notes[1] + notes[2] + notes[3]
          + '<direction placement="above"><direction-type><bracket type="stop" number="1" line-end="down"/></direction-type></direction>'
          + '</measure>')
    m2 = '<measure number="2">' + notes[4] + notes[5] + stop_dir + notes[6] + notes[7] + '</measure>'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n'
            '<score-partwise version="3.1"><part-list><score-part id="P1"><part-name>P</part-name></score-part></part-list>'
            '<part id="P1">' + m1 + m2 + '</part></score-partwise>\n')
B = '<bracket type="start" number="2" line-end="up" line-type="solid"/>'
E = '<bracket type="stop" number="2" line-end="up"/>'
W = '<words{a}>Motif B1</words>'
V = {
 "main": ('<direction placement="below"><direction-type>'+B+'</direction-type><direction-type>'+W.format(a='')+'</direction-type></direction>',
          '<direction placement="below"><direction-type>'+E+'</direction-type></direction>'),
 "defy": ('<direction placement="below"><direction-type>'+B.replace('/>',' default-y="-80"/>')+'</direction-type><direction-type>'+W.format(a=' default-y="-80"')+'</direction-type></direction>',
          '<direction placement="below"><direction-type>'+E.replace('/>',' default-y="-80"/>')+'</direction-type></direction>'),
 "defy_noplace": ('<direction><direction-type>'+B.replace('/>',' default-y="-80"/>')+'</direction-type><direction-type>'+W.format(a=' default-y="-80"')+'</direction-type></direction>',
          '<direction><direction-type>'+E.replace('/>',' default-y="-80"/>')+'</direction-type></direction>'),
 "rely": ('<direction placement="below"><direction-type>'+B.replace('/>',' relative-y="-80"/>')+'</direction-type><direction-type>'+W.format(a=' relative-y="-80"')+'</direction-type></direction>',
          '<direction placement="below"><direction-type>'+E.replace('/>',' relative-y="-80"/>')+'</direction-type></direction>'),
 "split": ('<direction placement="below"><direction-type>'+B+'</direction-type></direction><direction placement="below"><direction-type>'+W.format(a='')+'</direction-type></direction>',
          '<direction placement="below"><direction-type>'+E+'</direction-type></direction>'),
 "directive": ('<direction placement="below" directive="yes"><direction-type>'+B+'</direction-type><direction-type>'+W.format(a='')+'</direction-type></direction>',
          '<direction placement="below"><direction-type>'+E+'</direction-type></direction>'),
 "offset": ('<direction placement="below"><direction-type>'+B+'</direction-type><direction-type>'+W.format(a='')+'</direction-type><offset>0</offset></direction>',
          '<direction placement="below"><direction-type>'+E+'</direction-type></direction>'),
 "on_children": ('<direction><direction-type>'+B.replace('/>',' placement="below"/>')+'</direction-type><direction-type>'+W.format(a=' placement="below"')+'</direction-type></direction>',
          '<direction><direction-type>'+E.replace('/>',' placement="below"/>')+'</direction-type></direction>'),
 "control_above": ('<direction placement="above"><direction-type>'+B.replace('"up"','"down"')+'</direction-type><direction-type>'+W.format(a='')+'</direction-type></direction>',
          '<direction placement="above"><direction-type>'+E.replace('"up"','"down"')+'</direction-type></direction>'),
 "staff": ('<direction placement="below"><direction-type>'+B+'</direction-type><direction-type>'+W.format(a='')+'</direction-type><staff>1</staff></direction>',
          '<direction placement="below"><direction-type>'+E+'</direction-type><staff>1</staff></direction>'),
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
