"""`motif plot`'s picture: a lane per family, each statement over its own beats, a pickup's statements inside the
axes, bar numbers from the meter (a run's or its JSON's), a bounded size, the legend clear of the axis label."""

from __future__ import annotations

from pathlib import Path

import pytest

import motifcli
from motifcli.annotation import Annotation
from motifcli.plot import plot_timeline

music21 = pytest.importorskip("music21")
matplotlib = pytest.importorskip("matplotlib")


def _figure(annotation: Annotation, dest: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202 - a Figure
    """Plot ``annotation`` to ``dest`` and return the figure as saved (plt.close kept from closing it)."""
    import matplotlib.pyplot as plt

    kept = []
    monkeypatch.setattr(plt, "close", lambda fig=None: kept.append(fig))
    plot_timeline(annotation, dest)
    assert dest.stat().st_size > 0
    return kept[0]


def _boxes(fig) -> dict[str, tuple[float, float, float]]:  # noqa: ANN001 - a Figure
    """Each drawn statement's box by its label ("A5"): its left and right edges in beats and its row's centre."""
    out = {}
    for collection in fig.axes[0].collections:
        if collection.get_gid():
            box = collection.get_paths()[0].get_extents()
            out[collection.get_gid()] = (box.x0, box.x1, (box.y0 + box.y1) / 2)
    return out


@pytest.fixture(scope="module")
def rag() -> Annotation:
    return motifcli.annotate(music21.corpus.parse("joplin/maple_leaf_rag"))


def test_each_family_of_the_rag_has_its_own_lane(rag: Annotation, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The rag's 120 statements (one piano) were one row of overlapping boxes on main; each family is now a lane,
    so where a family comes back reads along one line."""
    assert len({o.track for o in rag.occurrences}) == 1 and len(rag.motifs) >= 5  # the piece this test is about
    boxes = _boxes(_figure(rag, tmp_path / "rag.png", monkeypatch))
    assert set(boxes) == {o.label for o in rag.occurrences}
    lane_of = {}
    for o in rag.occurrences:
        lane_of.setdefault(o.family, set()).add(round(boxes[o.label][2], 6))
    assert all(len(rows) == 1 for rows in lane_of.values())  # a family's statements in one lane
    assert len({next(iter(rows)) for rows in lane_of.values()}) == len(rag.motifs)  # each family its own
    rows = [next(iter(lane_of[m.name])) for m in rag.ranked]
    assert rows == sorted(rows)  # most salient on top (y grows downwards: the axis is inverted)


def test_a_statement_spans_its_own_beats_not_whole_bars(rag: Annotation, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Note-level statements are sub-bar (a 2-note cell); drawn over whole bars they hid where they stand."""
    fig = _figure(rag, tmp_path / "rag.png", monkeypatch)
    extents = (c.get_paths()[0].get_extents() for c in fig.axes[0].collections)
    drawn = {(round(b.x0, 6), round(b.x1, 6)) for b in extents}
    short = [o for o in rag.occurrences if o.end - o.start < 1.0]
    assert short  # cells shorter than a beat: their box is not a 2-beat bar
    assert {(round(o.start, 6), round(o.end, 6)) for o in rag.occurrences} <= drawn  # a box over each one's beats


def test_a_pickup_statement_is_inside_the_plot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bwv66.6 opens with a one-beat pickup (bar 0) in which the tenor's and the bass's first statements start;
    before trial27 the x axis started at bar 0.5, so their boxes were cut and their labels stood over the track
    names. The axis is in beats now: the pickup's beat is inside it, and bar 0 is a tick."""
    annotation = motifcli.annotate(music21.corpus.parse("bach/bwv66.6"))
    in_pickup = [o for o in annotation.occurrences if o.start_bar == 0]
    assert in_pickup  # the piece this test is about
    fig = _figure(annotation, tmp_path / "t.png", monkeypatch)
    ax = fig.axes[0]
    left, right = ax.get_xlim()
    boxes = _boxes(fig)
    for o in annotation.occurrences:
        assert left <= boxes[o.label][0] and boxes[o.label][1] <= right
    texts = {t.get_gid(): t.get_position()[0] for t in ax.texts}
    for o in in_pickup:
        assert left <= texts[o.label] < right
    ticks = dict(zip([t.get_text() for t in ax.get_xticklabels()], ax.get_xticks(), strict=True))
    assert ticks["0"] == pytest.approx(0.0) and ticks["1"] == pytest.approx(annotation.meter["pickup_beats"])


def test_bar_numbers_from_a_json_report_are_the_runs_own(rag: Annotation) -> None:
    """A report read back has no meter map; its ``meter`` summary gives the same bar lines and numbers."""
    from motifcli.plot_layout import layout

    for annotation in (rag, motifcli.annotate(music21.corpus.parse("bach/bwv66.6"))):
        read_back = Annotation.from_dict(annotation.to_dict())
        assert read_back.meter_map is None
        assert layout(read_back).ticks == layout(annotation).ticks and layout(annotation).ticks
        assert layout(read_back).bar_lines == layout(annotation).bar_lines


def test_a_quartet_movement_stays_a_bounded_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beethoven's op. 18 no. 1, i (310 bars, four parts, two named "Violin"): at most 24 x 20 inches, with a
    bar number every few bars, not 310, and the two violins told apart."""
    annotation = motifcli.annotate(music21.corpus.parse("beethoven/opus18no1/movement1"))
    fig = _figure(annotation, tmp_path / "q.svg", monkeypatch)
    width, height = fig.get_size_inches()
    assert width <= 24 and height <= 20
    ax = fig.axes[0]
    assert 5 <= len(ax.get_xticks()) <= 30
    names = [t.get_text() for t in ax.get_yticklabels() if "\u00b7" in t.get_text()]
    assert len(names) == len({o.track for o in annotation.occurrences}) == len(set(names))


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


def test_a_run_of_the_rags_cell_is_numbered_once(rag: Annotation) -> None:
    """The rag's 2-note cell restated back to back is one run in the score ("Motif B3–B8"); the chart numbers it
    once ("3–8", over the run's span) and leaves its other statements' boxes bare, as writers/runs.py groups it."""
    from motifcli.plot_layout import layout
    from motifcli.writers.runs import runs
    from motifcli.writers.shared import Statement

    found = [r for r in runs([Statement((o,)) for o in rag.occurrences]) if r.is_run]
    assert found  # the piece this test is about
    boxes = {b.label: b for b in layout(rag).boxes}
    for run in found:
        first, last = run.first.lead, run.last.lead
        assert boxes[first.label].text == f"{first.number}\u2013{last.number}"
        assert boxes[first.label].text_end == pytest.approx(last.end)
        assert all(boxes[s.lead.label].text == "" for s in run.statements[1:])
