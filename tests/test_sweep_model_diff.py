"""benchmarks/sweep_model_diff.py: a run opened the model when its report has a model card; real differences count."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmarks import sweep_model_diff


def _sweep(root: Path, rows: list[tuple[str, dict, dict]]) -> None:
    """A corpus_sweep folder: sweep.json rows and their reports under out/GENRE/FORMAT/."""
    sweep = []
    for name, row, report in rows:
        inp = root / "in" / "song" / name
        out = root / "out" / "song" / inp.suffix.lstrip(".")
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{inp.stem}.motifs.json").write_text(json.dumps(report))
        sweep.append({"genre": "song", "input": str(inp), **row})
    (root / "sweep.json").write_text(json.dumps(sweep))


def test_counts_opened_and_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    new, old = tmp_path / "new", tmp_path / "old"
    same = {"families": 2, "occurrences": 5}
    card_new, card_old = {"model": {"path": "/a/new.onnx"}}, {"model": {"path": "/b/old.onnx"}}
    motifs = {"motifs": [{"occurrences": [{"similarity": 0.9}]}]}
    # the same input by its path in both folders (as corpus_sweep run --code reads one pieces.json)
    _sweep(new, [("a.mid", same, {**card_new, **motifs, "run": {"t": 1}}),
                 ("b.mid", same, {"model": {}, **motifs}),
                 ("c.mxl", same, {**card_new, "motifs": [{"occurrences": [{"similarity": 0.8}]}]})])
    rows = json.loads((new / "sweep.json").read_text())
    _sweep(old, [("a.mid", same, {**card_old, **motifs, "run": {"t": 2}}),
                 ("b.mid", same, {"model": {}, **motifs}),
                 ("c.mxl", same, {**card_old, **motifs})])
    old_rows = json.loads((old / "sweep.json").read_text())
    for r, o in zip(rows, old_rows):
        o["input"] = r["input"]
    (old / "sweep.json").write_text(json.dumps(old_rows))
    monkeypatch.setattr(sys, "argv", ["sweep_model_diff", str(new), str(old)])
    sweep_model_diff.main()
    out = capsys.readouterr().out
    # a: model card and run record differ only (ignored); b: no model; c: a similarity moved
    assert "compared 3 runs; opened the model: 2; changed: 1 (of them opened the model: 1)" in out
    assert out.splitlines()[0].startswith("c.mxl ")
