"""benchmarks/discovery_speed.py --cli builds its large pieces by joining BPS movements: the joined
file must hold every note of each movement, later movements after earlier ones, and read as one
piece of the same staves (else the time-against-size table would measure something else)."""

from __future__ import annotations

from pathlib import Path

import pytest

discovery_speed = pytest.importorskip("benchmarks.discovery_speed")

BPS = Path(discovery_speed.BPS)
pytestmark = pytest.mark.skipif(not BPS.is_dir(), reason="BPS-motif data (shared/data/bps_motif_dev) not found")


def test_joined_movements_keep_every_note_in_order(tmp_path: Path) -> None:
    from motifcli import read_score

    first, second = read_score(BPS / "13-1.mid"), read_score(BPS / "19-1.mid")
    dest = tmp_path / "joined.mid"
    notes = discovery_speed.join_midi(["13-1", "19-1"], str(dest))
    joined = read_score(dest)
    assert notes == first.note_count + second.note_count == joined.note_count
    assert len(joined.pitched_tracks()) == len(first.pitched_tracks())  # two staves stay two tracks
    onsets = sorted(n.onset for t in joined.pitched_tracks() for n in t.notes)
    # the second movement starts after the first one ends (plus the 4-beat gap)
    assert sum(1 for o in onsets if o >= first.end_beat + 4 - 1e-6) == second.note_count
