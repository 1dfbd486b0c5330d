"""`motif plot`'s picture: a pickup's statements inside the axes, the legend clear of the axis label."""

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


def test_the_legend_stands_clear_of_the_axis_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece of one part (Mozart K. 545's exposition, one piano) has a short axes; the legend, placed at a fixed
    fraction below them, was drawn over the "bar" label on main (seen on the Maple Leaf Rag's timeline)."""
    import matplotlib.pyplot as plt

    annotation = motifcli.annotate(music21.corpus.parse("mozart/k545/movement1_exposition"))
    assert len({o.track for o in annotation.occurrences}) == 1 and annotation.motifs
    kept = []
    monkeypatch.setattr(plt, "close", lambda fig=None: kept.append(fig))
    plot_timeline(annotation, tmp_path / "t.png")
    fig = kept[0]
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)  # the layout as saved
    legend = (fig.legends or [fig.axes[0].get_legend()])[0].get_window_extent(renderer)
    label = fig.axes[0].xaxis.label.get_window_extent(renderer)
    ticks = fig.axes[0].xaxis.get_tightbbox(renderer)
    assert not legend.overlaps(label) and legend.y1 <= ticks.y0  # wholly below the axis, its numbers and label
    assert legend.y0 >= 0  # and on the picture
