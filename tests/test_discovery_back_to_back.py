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
    # (as a long piece reads it: han2 is one line of 42 notes, which the short-tune rule reads otherwise, below)
    families = discover(han2, settings=DiscoverySettings(short_piece_notes=0))
    assert len(families) == 1
    (family,) = families
    assert family.notes_per_occurrence == 8
    starts = sorted(o.start for o in family.occurrences)
    assert starts == [0.0, 8.0, 12.0]  # the repeat in phase (not a rotation of it), and the opening's varied statement
    first, second = (o for o in family.occurrences if o.start in (8.0, 12.0))
    assert first.end <= second.start + 1e-9  # back to back, no note shared
    assert [n.pitch for n in first.notes] == [n.pitch for n in second.notes][:8] == [76, 76, 76, 79, 79, 81, 83, 81]
    # the rule as before phase 16: nothing is found; "always" gives the same here
    assert discover(han2, settings=DiscoverySettings(extend_kept="off", short_piece_notes=0)) == []
    assert discover(han2, settings=DiscoverySettings(extend_kept="always", short_piece_notes=0)) == families


def test_a_short_tune_keeps_its_phrase_and_adds_its_turn(han2: motifcli.Score) -> None:
    """By default han2 (one line, 42 notes) is a short tune (phase19-folk19.md): motifs from 3 notes, and the
    phrase repeated back to back kept as above, in phase, not as a rotation (the 3-note search alone finds a
    family, so the "empty" fallback would not run and the phrase came out one note late, at 8.5 and 13)."""
    phrase, turn = discover(han2)
    assert phrase.occurrences == discover(han2, settings=DiscoverySettings(short_piece_notes=0))[0].occurrences
    assert sorted(o.start for o in turn.occurrences) == [1.5, 4.0, 10.0, 14.0]  # the turn G A B A, 4 times
    assert all([n.pitch for n in o.notes][:3] == [79, 81, 83] for o in turn.occurrences)
    rotated = discover(han2, settings=DiscoverySettings(short_piece_notes=0, min_notes=3))
    assert sorted(o.start for o in rotated[0].occurrences) == [0.0, 4.0, 8.5, 13.0]


@needs_data
def test_a_folk_song_with_a_back_to_back_repeat_gets_families() -> None:
    """MTC-ANN NLB070532_01 (tune half): 0 families before, 2 with the phase-16 rule (phase16-shared16.md's
    table); as a short tune (phase19-folk19.md) a third, first: the opening's rising G B D (E), sung again at
    beat 8, the motif the annotators labelled there (class "gbd", beats 2 and 8). Since phase 25
    (``extend_tiled``, phase25-fixes25.md) the falling sequence of beats 15-24, stated three times back to
    back, is kept as such (one family of 3 statements where phase 16 found two of 2-3), and as a short tune
    it comes before the opening's family, which is found as before."""
    assert DATA is not None
    score = motifcli.read_score(Path(DATA) / "mtc_ann_dev" / "scores" / "NLB070532_01.mid")
    phase16 = DiscoverySettings(short_piece_notes=0, extend_tiled=0)
    assert len(discover(score, settings=phase16)) == 2
    assert discover(score, settings=DiscoverySettings(extend_kept="off", short_piece_notes=0)) == []
    (sequence,) = discover(score, settings=DiscoverySettings(short_piece_notes=0))
    assert [o.start for o in sequence.occurrences] == [15.0, 18.0, 21.0]

    def statements(families: list) -> list:
        return [[(o.start, o.end) for o in f.occurrences] for f in families]

    opening, *rest = discover(score, settings=DiscoverySettings(extend_tiled=0))  # before phase 25
    assert statements(rest) == statements(discover(score, settings=phase16))
    assert [(o.start, [n.pitch for n in o.notes][:3]) for o in opening.occurrences] == [(2.0, [67, 71, 74]), (8.0, [67, 71, 74])]
    families = discover(score)
    assert [[(o.start, [n.pitch for n in o.notes][:3]) for o in f.occurrences] for f in families][1] == [
        (2.0, [67, 71, 74]), (8.0, [67, 71, 74])]
