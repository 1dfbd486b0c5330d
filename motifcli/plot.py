"""A form chart of an annotation: one lane per family in each track, each statement a box over its own beats.

The plan (lanes, boxes, bar ticks) is :mod:`motifcli.plot_layout`'s; this module only draws it.

matplotlib is an optional extra (``pip install 'motif[plot]'``); it is imported only here, with the
non-interactive Agg backend, and its absence is a clear :class:`MotifError`, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_path
from motifcli.errors import MotifError, OutputError, UsageError
from motifcli.plot_layout import Layout, layout


def _matplotlib():  # noqa: ANN202 - the module, imported with the Agg backend
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError as exc:
        raise MotifError("plotting needs matplotlib: pip install 'motif[plot]'") from exc
    return matplotlib


def check_picture_path(dest: Path) -> None:
    """Refuse a picture format matplotlib cannot write (or a missing matplotlib) before any work: a
    score takes seconds to annotate, and ``-o x.txt`` is a mistake on the command line (exit 2)."""
    _matplotlib()
    from matplotlib.backend_bases import FigureCanvasBase

    fmt = dest.suffix.lstrip(".").lower() or "png"
    supported = FigureCanvasBase.get_supported_filetypes()
    if fmt not in supported:
        raise UsageError(f"-o {dest}: cannot save a plot as {fmt!r}; use one of {', '.join(sorted(supported))}")


def _title(source: str) -> str:
    """The picture's default title: the file's name, a music21 stream's whole name (a title may hold "/")."""
    from motifcli.piece_names import is_stream_name

    if not source:
        return "motifs"
    return source if is_stream_name(source) else Path(source).name


FONT = 6.5  # points: lane names, numbers in boxes, the legend
LANE_INCHES = 0.26  # one lane's height while the figure stays under MAX_HEIGHT
MAX_WIDTH, MAX_HEIGHT = 24.0, 20.0  # inches: a 15-page quartet stays one picture a viewer opens
LEFT_INCHES = 1.6  # about what the lane names take (constrained layout measures the real width)


def _size(beats: float, lanes: int) -> tuple[float, float]:
    """The figure's width (about 0.06 inch a beat, 7 to MAX_WIDTH) and height (a lane each, up to MAX_HEIGHT)."""
    return max(7.0, min(MAX_WIDTH, LEFT_INCHES + 0.06 * beats)), min(MAX_HEIGHT, 1.5 + LANE_INCHES * max(1, lanes))


def _lane_names(plan: Layout) -> list[str]:
    """"Piano · A" on a track's first lane, the family alone ("B") on the others: the track names the group; a
    name two tracks share (a quartet's "Violin" and "Violin") gets the track's number, "Violin (2) · A"."""
    tracks = {(lane.track, lane.track_name) for lane in plan.lanes}
    shared = {name for _, name in tracks if sum(n == name for _, n in tracks) > 1}
    names, seen = [], set()
    for lane in plan.lanes:
        key = (lane.track, lane.track_name)
        track = f"{lane.track_name} ({lane.track + 1})" if lane.track_name in shared else lane.track_name
        names.append(lane.family if key in seen else f"{track} \u00b7 {lane.family}")
        seen.add(key)
    return names


def plot_timeline(annotation: Annotation, dest: Path, title: str | None = None) -> None:
    """Draw the form chart (:func:`motifcli.plot_layout.layout`) and save it as PNG/SVG/PDF."""
    _matplotlib()
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    plan = layout(annotation)
    lo, hi = plan.x_range
    width, height = _size(hi - lo, len(plan.lanes))
    # constrained layout with the legend "outside": at a fixed offset below the axes it stood over the axis label
    # wherever the axes were short (a piece of one part)
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    lanes = max(1, len(plan.lanes))
    points_per_beat = (width - LEFT_INCHES) * 72 / (hi - lo)
    lane_points = min(LANE_INCHES, (height - 1.5) / lanes) * 72
    fontsize = max(4.0, min(FONT, lane_points * 0.55))
    for beat in plan.bar_lines:
        ax.axvline(beat, color="#dddddd", linewidth=0.4, zorder=0)
    for k in range(1, len(plan.lanes)):
        if (plan.lanes[k].track, plan.lanes[k].track_name) != (plan.lanes[k - 1].track, plan.lanes[k - 1].track_name):
            ax.axhline(k - 0.5, color="#555555", linewidth=0.8, zorder=0)  # between two tracks' groups of lanes
    for box in plan.boxes:
        ax.broken_barh([(box.start, box.end - box.start)], (box.row - 0.38, 0.76), facecolors=box.color,
                       edgecolor="white", linewidth=0.3, zorder=2, gid=box.label)
        room = (box.text_end - box.start) * points_per_beat
        if box.text and len(box.text) * fontsize * 0.62 + 2 <= room:  # only where it fits: no label over the next
            ax.text(box.start + 1.0 / points_per_beat, box.row, box.text, va="center", ha="left", fontsize=fontsize,
                    color="black", zorder=3, clip_on=True, gid=box.label)
    ax.set_yticks(range(len(plan.lanes)), _lane_names(plan), fontsize=fontsize)
    ax.set_ylim(-0.6, lanes - 0.4)
    ax.invert_yaxis()
    ax.set_xlim(lo, hi)
    ax.set_xticks([b for b, _ in plan.ticks], [n for _, n in plan.ticks], fontsize=fontsize)
    ax.set_xlabel("bar" if plan.ticks else "beat")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or _title(annotation.source))
    if annotation.motifs:
        handles = [Patch(color=m.color, label=m.name) for m in annotation.ranked[:24]]
        fig.legend(handles=handles, ncol=min(12, len(handles)), fontsize=fontsize, loc="outside lower center",
                   frameon=False)
    fmt = dest.suffix.lstrip(".").lower() or "png"
    try:
        with atomic_path(dest) as tmp:
            fig.savefig(tmp, format=fmt, dpi=150)
    except ValueError as exc:
        raise OutputError(f"cannot save a plot as {fmt!r} ({exc})", dest) from exc
    finally:
        plt.close(fig)
