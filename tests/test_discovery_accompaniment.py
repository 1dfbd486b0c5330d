"""Accompaniment figures (motifcli.discovery.accompaniment): low, even-rhythm voice families are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.accompaniment import even_share, mean_pitch
from motifcli.voices import TEXTURE
from tests.conftest import DATA

BPS = DATA / "bps_motif_dev" / "scores" if DATA is not None else None
POP = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"
WIDE = 60  # a cap that never binds, so the stage's effect is not hidden by slots refilled under the cap


def _sets(families: list[Family]) -> list[frozenset[frozenset[tuple[int, int]]]]:
    return [frozenset(frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences) for f in families]


def _dropped(f: Family, floor: float, settings: DiscoverySettings) -> bool:
    return (f.prototype.notes[0].voice != TEXTURE and f.notes_per_occurrence >= settings.min_notes
            and mean_pitch(f) <= floor and even_share(f) >= settings.accompaniment_even)


@pytest.mark.skipif(BPS is None or not (BPS / "01-1.mid").exists(), reason="BPS-motif data not found")
def test_left_hand_figures_of_a_sonata_are_dropped_and_nothing_else() -> None:
    score = read_score(BPS / "01-1.mid")  # op. 2 no. 1: the left hand's broken chords repeat as families
    on = DiscoverySettings(max_families=WIDE)
    off = DiscoverySettings(max_families=WIDE, accompaniment_below=0.0)
    before, after = discover(score, settings=off), discover(score, settings=on)
    floor = sorted(mean_pitch(f) for f in before[: on.accompaniment_lead])[on.accompaniment_lead // 2] - on.accompaniment_below
    gone = [f for f in before if _dropped(f, floor, on)]
    assert gone, "01-1 has low even-rhythm families to drop"
    assert all(f.prototype.track == 2 for f in gone)  # all in the left hand's staff
    assert _sets(after) == [s for f, s in zip(before, _sets(before)) if not _dropped(f, floor, on)]
    assert [f.label for f in after] == [chr(ord("A") + i) for i in range(len(after))]  # relabelled in order
    default = discover(score)
    assert len(default) <= DiscoverySettings().max_families
    assert not any(_dropped(f, floor, on) for f in default)


def test_a_pop_song_keeps_its_families() -> None:
    score = read_score(POP)  # texture families and the melody's motifs: nothing low and even to drop
    on, off = discover(score), discover(score, settings=DiscoverySettings(accompaniment_below=0.0))
    assert _sets(on) == _sets(off) and on


def test_even_share_and_mean_pitch_on_real_statements() -> None:
    families = discover(read_score(POP))
    for f in families:
        pitches = [n.pitch for o in f.occurrences for n in o.notes]
        assert min(pitches) <= mean_pitch(f) <= max(pitches)
        assert 0.0 <= even_share(f) <= 1.0
    voice = [f for f in families if f.prototype.notes[0].voice != TEXTURE and f.notes_per_occurrence >= 4]
    assert voice and any(even_share(f) < 1.0 for f in voice)  # a sung melody is not all even notes
