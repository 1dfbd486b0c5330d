"""benchmarks/room28_measure.py tells motif's labels from the score's own texts on MuseScore 3's SVG page.

The held-out check of the label room (phase28-room28.md) found touching pairs left only between a label and the
score's own staff text ("Motif A6cresc."): that count rests on ``is_label``, which reads a text's glyph outline,
so it is checked here on a page MuseScore itself draws: two labels, the key's three lines and a "cresc.".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.room28_measure import _TEXT, is_label, staff_space
from test_musescore import MuseScore, musescore  # noqa: F401
from test_writers_label_room import MIDI, SCALE, two_notes
from test_writers_musicxml_voices import annotate, document, note

CRESC = '<direction placement="above"><direction-type><words>cresc.</words></direction-type></direction>'
# the scale of test_writers_label_room, with the score's own "cresc." at bar 5, far from the labels (beats 0 and 3)
SCORE = document([([CRESC] if b == 4 else []) + [note(p, 1, 1) for p in (SCALE[:4] if b % 2 == 0 else SCALE[4:])]
                  for b in range(8)])


@pytest.mark.musescore
def test_labels_and_other_texts_on_musescores_page(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    assert len(MIDI) == len(SCALE)
    _, data = annotate(tmp_path, SCORE, [two_notes(0), two_notes(3)])
    xml, svg = tmp_path / "out.musicxml", tmp_path / "out.svg"
    xml.write_bytes(data)
    proc = musescore.run("-o", str(svg), str(xml))
    assert proc.returncode == 0, proc.stderr
    (page,) = sorted(tmp_path.glob("out-*.svg"))
    text = page.read_text(encoding="utf-8")
    space = staff_space(text)
    assert 20 < space < 30
    kinds = [is_label(m.group(2), space) for m in _TEXT.finditer(text)]
    assert sorted(kinds) == [False] * 4 + [True] * 2, kinds  # the key's three lines and cresc.; Motif A1, A2
    assert staff_space("<svg/>") == 0.0
