"""The error analysis's fast scorer must give mir_eval's numbers (benchmarks/discovery_errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover

errors = pytest.importorskip("benchmarks.discovery_errors")
from benchmarks.discovery_eval import clean, score  # noqa: E402

POP = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"


def test_fast_scores_equal_mir_eval_on_a_real_song() -> None:
    s = read_score(POP)
    # two different real outputs stand in for reference and estimate (the voice families only: mir_eval is slow)
    ref = clean([[o.points() for o in f.occurrences] for f in discover(s, settings=DiscoverySettings(texture=False))])
    est = clean([[o.points() for o in f.occurrences]
                 for f in discover(s, settings=DiscoverySettings(texture=False, min_notes=5, variant_tolerance=0.5))])
    assert ref and est and ref != est
    fast, slow = errors.fast_scores(est, ref), score(est, ref)
    for k in ("F_est", "P_est", "R_est", "F_occ.75", "F_3"):
        assert fast[k] == pytest.approx(slow[k], abs=1e-9), k
    assert 0 < fast["F_est"] < 1


def test_patched_output_with_every_reference_scores_establishment_one() -> None:
    s = read_score(POP)
    ref = clean([[o.points() for o in f.occurrences] for f in discover(s, settings=DiscoverySettings(texture=False))])
    est = clean([[o.points() for o in f.occurrences]
                 for f in discover(s, settings=DiscoverySettings(texture=False, min_notes=6))])
    patched = errors.patched(ref, est, list(range(len(ref))))
    assert errors.fast_scores(patched, ref)["R_est"] == pytest.approx(1.0)


def test_occurrence_losses_add_up_to_mir_eval_occurrence_scores() -> None:
    """benchmarks/occ_errors.py splits 1 - R_occ and 1 - P_occ (c = .75) into per-occurrence losses: they must add up."""
    import mir_eval.pattern

    occ_errors = pytest.importorskip("benchmarks.occ_errors")
    s = read_score(POP)
    ref = clean([[o.points() for o in f.occurrences] for f in discover(s, settings=DiscoverySettings(texture=False))])
    est = clean([[o.points() for o in f.occurrences]
                 for f in discover(s, settings=DiscoverySettings(texture=False, max_notes=8))])  # P_occ, R_occ < 1
    rloss, ploss, count = occ_errors.piece_losses(est, ref, [])
    _, p_occ, r_occ = mir_eval.pattern.occurrence_FPR(ref, est, thres=0.75)
    assert 0 < p_occ < 1 and 0 < r_occ < 1
    assert 1 - sum(rloss.values()) == pytest.approx(r_occ, abs=1e-9)
    assert 1 - sum(ploss.values()) == pytest.approx(p_occ, abs=1e-9)
    assert min([*rloss.values(), *ploss.values()]) >= 0 and sum(count.values()) > len(count) > 1


def test_occurrence_loss_records_are_the_recall_side_split() -> None:
    """occ_errors.piece_losses(records=...) hands benchmarks/inline_probe.py one record per recall-side
    occurrence: their losses, summed by kind, are the recall-side losses."""
    occ_errors = pytest.importorskip("benchmarks.occ_errors")
    s = read_score(POP)
    ref = clean([[o.points() for o in f.occurrences] for f in discover(s, settings=DiscoverySettings(texture=False))])
    est = clean([[o.points() for o in f.occurrences]
                 for f in discover(s, settings=DiscoverySettings(texture=False, max_notes=8))])
    records: list = []
    rloss, _, count = occ_errors.piece_losses(est, ref, [], records)
    assert len(records) == sum(v for k, v in count.items() if k.startswith("R "))
    for kind, loss in rloss.items():
        assert sum(r[4] for r in records if "R " + r[0] == kind) == pytest.approx(loss, abs=1e-12)
    assert all(0 <= i < len(ref) and 0 <= j < len(est) and 0 <= k < len(ref[i]) for _, i, j, k, _ in records)
