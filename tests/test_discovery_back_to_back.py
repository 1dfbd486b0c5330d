"""A phrase repeated back to back is a motif (DiscoverySettings.extend_kept, phase16-shared16.md).

Its n-note statements all extend alike into one (n+1)-note pattern, the first statement's extra
note being the second one's first note; that longer pattern overlaps itself, so it cannot be kept.
Before phase 16 the n-note pattern was dropped as a piece of it, and the tune had no family. The rule
applies where the plain one leaves a piece no family (``extend_kept="empty"``, the default).
"""

from __future__ import annotations

from pathlib import Path

import music21
import pytest

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from tests.conftest import DATA, needs_data


@pytest.fixture(scope="module")
def han2(tmp_path_factory: pytest.TempPathFactory) -> motifcli.Score:
    """Essen han2's first tune (music21's corpus), written to MusicXML as the corpus sweep does."""
    opus = music21.converter.parse(music21.corpus.getWork("essenFolksong/han2.abc"))
    path = tmp_path_factory.mktemp("han2") / "han2.musicxml"
    opus.scores[0].write("musicxml", fp=path)
    return motifcli.read_score(path)


def test_a_phrase_repeated_back_to_back_is_a_family(han2: motifcli.Score) -> None:
    # beats 8-16: 76 76 76 79 79 81 83 81 twice in a row, then the tune turns away
    families = discover(han2)
    assert len(families) == 1
    (family,) = families
    assert family.notes_per_occurrence == 8
    starts = sorted(o.start for o in family.occurrences)
    assert starts == [0.0, 8.0, 12.0]  # the repeat in phase (not a rotation of it), and the opening's varied statement
    first, second = (o for o in family.occurrences if o.start in (8.0, 12.0))
    assert first.end <= second.start + 1e-9  # back to back, no note shared
    assert [n.pitch for n in first.notes] == [n.pitch for n in second.notes][:8] == [76, 76, 76, 79, 79, 81, 83, 81]
    # the rule as before phase 16: nothing is found; "always" gives the same here
    assert discover(han2, settings=DiscoverySettings(extend_kept="off")) == []
    assert discover(han2, settings=DiscoverySettings(extend_kept="always")) == families


@needs_data
def test_a_folk_song_with_a_back_to_back_repeat_gets_families() -> None:
    """MTC-ANN NLB070532_01 (tune half): 0 families before, 2 now (phase16-shared16.md's table)."""
    assert DATA is not None
    score = motifcli.read_score(Path(DATA) / "mtc_ann_dev" / "scores" / "NLB070532_01.mid")
    assert len(discover(score)) == 2
    assert discover(score, settings=DiscoverySettings(extend_kept="off")) == []
