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


def test_occ_sides_name_the_side_a_statement_differs_on() -> None:
    """benchmarks/occ_sides16.py: a labelled occurrence against our statement (onset, pitch) lists."""
    sides16 = pytest.importorskip("benchmarks.occ_sides16")
    ref = [(0.0, 60), (1.0, 62), (1.5, 64), (2.0, 65)]
    assert sides16.sides(ref, ref[1:]) == ["short-start"]  # the held first note missing
    assert sides16.sides(ref, ref[:3]) == ["short-end"]
    assert sides16.sides(ref, [*ref, (3.0, 67)]) == ["long-end"]
    assert sides16.sides(ref, [(-1.0, 59), *ref[:3]]) == ["short-end", "long-start"]
    assert sides16.sides(ref, [ref[0], ref[1], ref[3]]) == ["missing inside"]


def test_est_halves_reports_each_metric_and_leaves_one_piece_out(capsys: pytest.CaptureFixture) -> None:
    """benchmarks/est_halves.report: per metric, the table, the halves check and the leave-one-piece-out line;
    a variant better on one piece only gains there when the other pieces choose it (here: never)."""
    halves = pytest.importorskip("benchmarks.est_halves")
    names = ["a", "b", "c", "d"]
    base = [{"F_est": 0.5, "F_occ.75": 0.5, "F_3": 0.5} for _ in names]
    one = [dict(r) for r in base]
    one[0]["F_occ.75"] = 0.7  # better on piece a only
    worse = [{**r, "F_occ.75": 0.45} for r in base]
    scores = {"": base, "x=1": one, "x=2": worse}
    halves.report(names, scores, ["", "x=1", "x=2"], "", "F_occ.75")
    out = capsys.readouterr().out
    assert "| `x=1` | 0.700 | 0.500 | 0.500 | 0.500 | 0.550 |" in out
    # left out, piece a is not chosen for (the others tie: the defaults win ties); every other piece: x=1, gain 0
    assert "leave one piece out (F_occ.75): a `defaults` +0.000; b `x=1` +0.000; c `x=1` +0.000; d `x=1` +0.000" in out
