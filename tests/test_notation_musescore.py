"""Issue 9: MIDI notated in its meter map's bars, as MuseScore 3 opens it (real mscore3, real CLI).

The music21 corpus pieces of tests/test_notation_meter.py (3/4 and 6/8, pickups, Mozart K. 458 i in
6/8 with a one-eighth pickup) as MIDI with and without their time signature: ``motif annotate``
writes the annotated MusicXML and the report; MuseScore opens it and saves ``.mscx``. Its measures
must be the written ones (start ticks), the pickup an irregular measure that MuseScore does not
count, and the number MuseScore prints on every measure holding a "Motif A1" bracket the report's
``start_bar``; every occurrence's notes coloured where they are (``assert_shown``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_musescore import (  # noqa: F401 - musescore is a fixture
    DIVISION,
    MuseScore,
    assert_shown,
    model_args,
    motif_annotate,
    musescore,
    read_mscx,
)
from test_notation_meter import corpus_file, midi_of

pytestmark = pytest.mark.musescore
music21 = pytest.importorskip("music21")

# (work, with its time signature, written meter, first downbeat)
CASES = [
    ("bach/bwv130.6", True, "3/4", 1.0),
    ("bach/bwv130.6", False, "3/4", 1.0),
    ("johnson_j_r/lift_every_voice", False, "6/8", 1.5),
    ("schumann_robert/opus41no1/movement2", True, "6/8", 0.0),
    pytest.param("mozart/k458/movement1", False, "6/8", 0.5, marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("work", "signature", "meter", "downbeat"), CASES)
def test_midi_notation_opens_in_musescore_at_the_written_bars(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest, work: str, signature: bool, meter: str,
    downbeat: float,
) -> None:
    from motifcli.readers import read_score

    src = midi_of(work, tmp_path / "piece.mid", signature=signature)
    xml, report = motif_annotate(src, tmp_path / "out", "--sensitivity", "0.3", *model_args(request))
    assert report["meter"]["source"] in ("midi", "estimated")
    assert report["meter"]["sections"][0]["time_signature"] == meter
    written = read_score(corpus_file(work)).meter_map
    mscx_path = tmp_path / "score.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx_path)]}], tmp_path)
    mscx = read_mscx(mscx_path)

    ticks = mscx.measure_ticks[:-1]
    lines = {round(b.start * DIVISION) for b in written.bars}
    full = {round(b.start * DIVISION) for b in written.bars[:-1] if b.length == b.nominal_length}
    assert set(ticks[: len(written.bars) - 1]) <= lines, "a MuseScore measure starts off the written bar lines"
    assert full <= set(ticks), "a written bar line is missing in MuseScore"
    if downbeat > 0:  # the pickup: its own measure, not counted (the next one is printed 1)
        assert ticks[1] == round(downbeat * DIVISION) and mscx.printed[:2] == [0, 1]
    else:
        assert ticks[1] == round(written.bars[0].nominal_length * DIVISION) and mscx.printed[0] == 1
    assert_shown(mscx, report)  # notes coloured; each bracket in the bar MuseScore numbers start_bar
