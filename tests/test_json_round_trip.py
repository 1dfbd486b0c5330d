"""An annotation read back from its JSON equals the annotation (session 26's "left": ``from_dict(json) == annotation``
was False).

The JSON rounded every beat, similarity and salience to 6 digits, so a statement read back had 0.6 where the run
had 0.6000000000000001, and a performed MIDI file's onsets (ticks / 480: a third of a tick is no 6-digit decimal)
moved by up to half a millionth of a beat: a notebook comparing a saved report with a fresh run saw every family
differ. The numbers ``from_dict`` reads are now written at full precision. Real files, the real reader, discovery
and the bar model; the JSON as the CLI's writer renders it too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

import motifcli
from motifcli.annotation import Annotation
from motifcli.writers.json_out import render

SONG = REPO / "examples" / "pop909-101.mid"  # a performed song: onsets on a 480-tick grid


@pytest.fixture(scope="module")
def score() -> motifcli.score.Score:
    return motifcli.read_score(SONG)


@pytest.mark.parametrize("unit", ["note", "bar"])
def test_an_annotation_read_back_from_its_json_equals_it(score: motifcli.score.Score, unit: str) -> None:
    annotation = motifcli.annotate(score, unit=unit)
    assert annotation.motifs
    back = Annotation.from_dict(json.loads(json.dumps(annotation.to_dict())))
    assert back == annotation
    assert Annotation.from_dict(json.loads(render(annotation, score))) == annotation  # the file motif writes
    # not a vacuous pass: the run holds beats and similarities no 6-digit decimal holds
    occurrences = [o for m in annotation.motifs for o in m.occurrences]
    onsets = [n.onset for o in occurrences for n in o.notes]
    assert any(round(x, 6) != x for x in onsets + [o.similarity for o in occurrences])


def test_a_musicxml_report_read_back_equals_it_too(tmp_path: Path) -> None:
    """A chorale from music21's corpus through the CLI's own JSON file (``motif annotate -f json``'s writer)."""
    music21 = pytest.importorskip("music21")
    from motifcli.writers import write

    path = Path(music21.corpus.getWork("bach/bwv66.6"))
    score = motifcli.read_score(path)
    annotation = motifcli.annotate(score)
    dest = tmp_path / "bwv66.6.motifs.json"
    write(annotation, score, "json", dest)
    assert Annotation.from_dict(json.loads(dest.read_text(encoding="utf-8"))) == annotation
