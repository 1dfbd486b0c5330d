"""Figuration in place (motifcli.discovery.figuration) and evenness judged on the statements before
growing (``accompaniment_even_on``): phase13-fig13.md."""

from __future__ import annotations

from dataclasses import replace

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.accompaniment import even_share
from motifcli.discovery.core import _relabel
from motifcli.discovery.figuration import in_place_figure, in_place_share, leap_share
from tests.conftest import DATA

BPS = DATA / "bps_motif_dev" / "scores" if DATA is not None else None
WIDE = 60  # a cap that never binds, so what the stage drops is not hidden by slots refilled under the cap


def _sets(families: list[Family]) -> list[frozenset[frozenset[tuple[int, int]]]]:
    return [frozenset(frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences) for f in families]


def _protos(families: list[Family]) -> list[list[int]]:
    return [[n.pitch for n in f.prototype.notes] for f in families]


@pytest.mark.skipif(BPS is None or not (BPS / "21-1.mid").exists(), reason="BPS-motif data not found")
def test_arpeggios_marking_time_in_the_waldstein_are_dropped() -> None:
    """Op. 53's falling sixteenth arpeggio (83 78 75 71 70 71) runs back to back on one chord
    (transpositions 0, -24, 0, 0 ...): figuration, at the top of the texture, which no register rule sees."""
    score = read_score(BPS / "21-1.mid")
    on = DiscoverySettings(max_families=WIDE)
    off = replace(on, figuration_in_place=0.0)
    before, after = discover(score, settings=off), discover(score, settings=on)
    gone = [f for f in before if _sets([f])[0] not in _sets(after)]
    # the falling arpeggio (at this wide cap, with no salience floor since est20, its family's prototype is its head)
    assert any(p[:4] == [83, 78, 75, 71] for p in _protos(gone))
    assert all(in_place_figure(f, on.figuration_in_place) and even_share(f) >= on.accompaniment_even for f in gone)
    assert [f.label for f in after] == [_relabel(f, i).label for i, f in enumerate(after)]  # A..Z, AA, AB ...
    assert [83, 78, 75, 71, 70, 71] not in _protos(discover(score))
    assert [83, 78, 75, 71, 70, 71] in _protos(discover(score, settings=DiscoverySettings(figuration_in_place=0.0)))


@pytest.mark.skipif(BPS is None or not (BPS / "09-1.mid").exists(), reason="BPS-motif data not found")
def test_an_arpeggio_motif_descending_by_octaves_stays() -> None:
    """Op. 14 no. 1's labelled arpeggio (80 76 81 78 83 ...) also runs back to back, even and leaping,
    but each statement an octave lower (0, -12, -24, -36): it moves on, so it is no figuration in place."""
    score = read_score(BPS / "09-1.mid")
    families = discover(score)
    arpeggio = [f for f in families if _protos([f])[0][:5] == [80, 76, 81, 78, 83]]
    assert len(arpeggio) == 1
    f = arpeggio[0]
    assert even_share(f) == 1.0 and leap_share(f) >= 0.5
    assert in_place_share(f) == 0.0
    assert _sets(families) == _sets(discover(score, settings=DiscoverySettings(figuration_in_place=0.0)))


@pytest.mark.skipif(BPS is None or not (BPS / "05-1.mid").exists(), reason="BPS-motif data not found")
def test_a_pedal_figure_grown_back_over_a_held_note_is_judged_by_its_core() -> None:
    """Op. 10 no. 1's pedal figure on 60 (54, 60 55 60 59 60 ...) grew back over a held note, so its grown
    prototype is not even (0.8) and the pivot rule let it lead the ranking; its statements before growing are."""
    score = read_score(BPS / "05-1.mid")
    pedal = [54, 60, 55, 60, 59, 60]
    grown = discover(score, settings=DiscoverySettings(accompaniment_even_on="grown"))
    held = [f for f in grown if _protos([f])[0][:6] == pedal]
    assert len(held) == 1 and even_share(held[0]) < DiscoverySettings().accompaniment_even
    assert not any(p[:6] == pedal for p in _protos(discover(score)))


@pytest.mark.skipif(BPS is None or not (BPS / "21-1.mid").exists(), reason="BPS-motif data not found")
def test_the_register_rule_still_reads_the_grown_statement() -> None:
    """Op. 53's labelled falling figure (71 72 67 63 60 55) is low and even before growing only: it stays,
    since the register rule, which has no shape to go by, needs the whole statement even (a register rule
    on the core dropped it: BPS tune 21-1 0.725 -> 0.691, commit 2a567ec's "core")."""
    score = read_score(BPS / "21-1.mid")
    figure = [f for f in discover(score) if _protos([f])[0] == [71, 72, 67, 63, 60, 55]]
    assert len(figure) == 1 and even_share(figure[0]) < DiscoverySettings().accompaniment_even


def test_in_place_share_counts_returns_within_a_run() -> None:
    """Statements back to back at one transposition count from the second on; a run that moves on does not."""
    from motifcli.discovery.types import NoteRef, Occurrence

    def occ(start: float, t: int) -> Occurrence:
        notes = tuple(NoteRef(1, int(start * 4) + k, 0, start + k * 0.25, start + (k + 1) * 0.25, 72 + t - 4 * k)
                      for k in range(4))
        return Occurrence(notes, t, 0, 1.0)

    def fam(*occs: Occurrence) -> Family:
        return Family("A", occs, 1.0, 0.1, 4)

    assert in_place_share(fam(occ(0, 0), occ(1, 0), occ(2, -24), occ(3, 0))) == 0.5  # 0, 0, -24, 0: two returns
    assert in_place_share(fam(occ(0, 0), occ(1, -12), occ(2, -24), occ(3, -36))) == 0.0  # an octave descent
    assert in_place_share(fam(occ(0, 0), occ(8, 0), occ(16, 0))) == 0.0  # the same pitch, returning apart
    assert leap_share(fam(occ(0, 0))) == 1.0
