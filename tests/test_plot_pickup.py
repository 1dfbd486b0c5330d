"""`motif plot` on a piece that opens with a pickup: the statements in bar 0 are drawn inside the axes."""

from __future__ import annotations

from pathlib import Path

import pytest

import motifcli
from motifcli.plot import plot_timeline

music21 = pytest.importorskip("music21")
matplotlib = pytest.importorskip("matplotlib")


def test_a_pickup_statement_is_inside_the_plot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bwv66.6 opens with a one-beat pickup (bar 0) in which the tenor's and the bass's first statements start;
    on main the x axis started at 0.5, so their boxes were cut and their labels stood over the track names."""
    import matplotlib.pyplot as plt

    annotation = motifcli.annotate(music21.corpus.parse("bach/bwv66.6"))
    in_pickup = [o for o in annotation.occurrences if o.start_bar == 0]
    assert in_pickup  # the piece this test is about
    kept = []
    monkeypatch.setattr(plt, "close", lambda fig=None: kept.append(fig))  # keep the figure to look at it
    plot_timeline(annotation, tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 0
    ax = kept[0].axes[0]
    left, right = ax.get_xlim()
    assert left <= -0.5 and right >= max(o.end_bar for o in annotation.occurrences) + 0.5
    labels = {t.get_text(): t.get_position()[0] for t in ax.texts}
    for occurrence in in_pickup:
        assert left < labels[occurrence.label] < right
