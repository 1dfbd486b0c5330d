"""A timeline picture of an annotation: one row per track, one coloured bar span per occurrence.

matplotlib is an optional extra (``pip install 'motif[plot]'``); it is imported only here, with the
non-interactive Agg backend, and its absence is a clear :class:`MotifError`, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.atomic import atomic_path
from motifcli.errors import MotifError, OutputError, UsageError


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


def plot_timeline(annotation: Annotation, dest: Path, title: str | None = None) -> None:
    """Draw the families over the bars of each track that has occurrences, and save as PNG/SVG/PDF."""
    _matplotlib()
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    occurrences = annotation.occurrences
    tracks = sorted({(o.track, o.track_name) for o in occurrences})
    rows = {t: i for i, t in enumerate(tracks)}
    last_bar = max((o.end_bar for o in occurrences), default=1)
    # a pickup is bar 0 (a chorale's first statement often starts there): from 0.5 its box and label fell left of
    # the axis, the label over the track's name ("A1Tenor")
    first_bar = min(1, min((o.start_bar for o in occurrences), default=1))
    # constrained layout with the legend "outside": at a fixed offset below the axes it stood over the "bar" label
    # wherever the axes were short (a piece of one part)
    fig, ax = plt.subplots(figsize=(max(6.0, min(30.0, last_bar * 0.12 + 2)), 1.2 + 0.6 * max(1, len(tracks))),
                           layout="constrained")
    colors = {m.name: m.color for m in annotation.motifs}
    for o in occurrences:
        y = rows[(o.track, o.track_name)]
        ax.broken_barh([(o.start_bar - 0.5, o.end_bar - o.start_bar + 1)], (y - 0.4, 0.8),
                       facecolors=colors.get(o.family, "#888888"), edgecolor="white", linewidth=0.5)
        ax.text(o.start_bar - 0.4, y, o.label, va="center", ha="left", fontsize=6)
    ax.set_yticks(range(len(tracks)), [name for _, name in tracks])
    ax.set_ylim(-0.6, max(1, len(tracks)) - 0.4)
    ax.set_xlim(first_bar - 0.5, last_bar + 0.5)
    ax.set_xlabel("bar")
    ax.invert_yaxis()
    ax.set_title(title or _title(annotation.source))
    if annotation.motifs:
        handles = [Patch(color=m.color, label=m.name) for m in annotation.motifs[:24]]
        fig.legend(handles=handles, ncol=min(12, len(handles)), fontsize=6, loc="outside lower center", frameon=False)
    fmt = dest.suffix.lstrip(".").lower() or "png"
    try:
        with atomic_path(dest) as tmp:
            fig.savefig(tmp, format=fmt, dpi=150)
    except ValueError as exc:
        raise OutputError(f"cannot save a plot as {fmt!r} ({exc})", dest) from exc
    finally:
        plt.close(fig)
