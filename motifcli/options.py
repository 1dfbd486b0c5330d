"""The options every ``motif`` command shares, and the one function that turns them into Settings.

``annotate``, ``embed`` and ``plot`` declare their run options with these aliases and pass them to
:func:`build_settings`, so the same flags mean the same thing and give the same
:class:`~motifcli.settings.Settings` (hence the same windows and families) in every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer

from motifcli.errors import UsageError
from motifcli.limits import ReadLimits
from motifcli.settings import TRANSFORM_OPTIONS

ModelOpt = Annotated[
    Optional[Path],
    typer.Option("--model", help="ONNX model file (default: the shipped model). Run by --unit bar and embed; "
                 "--unit note runs it only on a leading chordal track's bars (see --texture-model). "
                 "Given, it is loaded and checked before the first file."),
]
InfoModelOpt = Annotated[  # info reads no score: the annotate text ("before the first file", units) does not apply
    Optional[Path],
    typer.Option("--model", help="ONNX model file whose card, providers and check to show (default: the shipped model)."),
]
EmbedModelOpt = Annotated[
    Optional[Path],
    typer.Option("--model", help="ONNX model file that embeds the windows (default: the shipped model)."),
]
ProviderOpt = Annotated[str, typer.Option("--provider", help="auto (CUDA if available), cpu or cuda.")]
SensitivityOpt = Annotated[
    float,
    typer.Option(
        "--sensitivity",
        help="0..1, higher = looser. --unit note: how far a varied statement may differ (0 = exact or transposed "
        "repeats only, 0.5 = the tuned default); --unit bar: 0.5 = the model's calibrated grouping, 0 = only identical bars.",
    ),
]
ThresholdOpt = Annotated[
    Optional[float],
    typer.Option("--threshold", help="Grouping distance (the model's metric); overrides --sensitivity: --unit bar's bars, "
                 "and at --unit note a leading chordal track's texture bars (--texture-model cluster)."),
]
TrackOpt = Annotated[Optional[str], typer.Option(
    "--track", help="Only this track: its name, or its number counted from 0 as in the JSON's tracks list "
                    "(in a type-1 MIDI file 0 is often the tempo track)."
)]
WindowOpt = Annotated[
    Optional[float],
    typer.Option("--window", help="--unit bar and embed: fixed windows of this many beats from the first downbeat "
                 "(default: one bar of the meter map each; 4 beats if only --hop is given)."),
]
HopOpt = Annotated[
    Optional[float],
    typer.Option("--hop", help="--unit bar and embed: hop between fixed windows, in beats (default: the window)."),
]
MinNotesOpt = Annotated[
    Optional[int],
    typer.Option("--min-notes", help="Fewest notes an occurrence may have: --unit note, the shortest motif (at least 2; "
                 "default 4; not given, rhythmic cells of 2-3 notes are also shown); --unit bar, windows with fewer "
                 "notes are skipped (default 1)."),
]
EmbedMinNotesOpt = Annotated[
    Optional[int],
    typer.Option("--min-notes", help="Windows with fewer notes are skipped (default 1)."),
]
UnitOpt = Annotated[
    str,
    typer.Option("--unit", help="What an occurrence is: note (the default: the notes of one statement in one "
                 "voice, from note-level discovery; the model only for a leading chordal track's bars) or bar (runs of whole bars of one track "
                 "grouped by the learned embedding, the paper's model; suits POP909-style pop songs)."),
]
MaxFamiliesOpt = Annotated[
    Optional[int],
    typer.Option("--max-families", help="Report at most this many families, the most salient "
                 "(default: bar, all; note, 3 to 25, more for a longer piece)."),
]
BarOffsetOpt = Annotated[
    Optional[float],
    typer.Option("--bar-offset", help="Beat where the first full bar starts (a pickup), 0 to 64; "
                 "default: MusicXML's written bars; for MIDI its time signatures if they fit the notes, else estimated."),
]
MeterOpt = Annotated[
    Optional[str],
    typer.Option("--meter", help="Time signature of the whole piece, like 3/4 or 6/8 (default: the written one, "
                 "else MIDI's if it fits the notes, else estimated)."),
]
TextureModelOpt = Annotated[
    str,
    typer.Option("--texture-model", metavar="off|cluster",
                 help="--unit note: group the texture bars of a leading chordal track (a pop song's piano) "
                 "with the bar model (cluster, default; loads it only for such a piece) or by their notes alone (off)."),
]
InversionsOpt = Annotated[
    bool,
    typer.Option("--inversions", help="--unit note: also find statements in strict inversion, every interval mirrored "
                 "and the rhythm kept (a canon's, fugue's or invention's subject upside down), of 6 notes or more; "
                 "marked 'Motif A3 inv.'. Off by default: sonatas and songs rarely invert a motif, and their "
                 "figures match upside down by chance."),
]
AugmentationsOpt = Annotated[
    bool,
    typer.Option("--augmentations", help="--unit note: also find statements in augmentation or diminution, the same "
                 "intervals with every note value doubled or halved (a fugue's subject in long values), of 6 notes "
                 "or more; marked 'Motif A3 aug.' / 'dim.'. Off by default, as --inversions."),
]
RetrogradesOpt = Annotated[
    bool,
    typer.Option("--retrogrades", help="--unit note: also find statements in retrograde, the notes in reverse order "
                 "(intervals reversed and mirrored, note values reversed: crab canons, rows), of 6 notes or more; "
                 "marked 'Motif A3 retr.' ('retr. inv.' in retrograde inversion with --inversions). Off by default, as --inversions."),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
_LIMIT = ReadLimits()  # the defaults each limit's help names, read from the one place that sets them
MaxBytesOpt = Annotated[Optional[int], typer.Option(
    "--max-bytes", help=f"Largest input file, in bytes (default {_LIMIT.max_bytes:,}: {_LIMIT.max_bytes >> 20} MiB).")]
MaxNotesOpt = Annotated[Optional[int], typer.Option(
    "--max-notes", help=f"Most notes in one score (default {_LIMIT.max_notes:,}).")]
MaxBeatsOpt = Annotated[Optional[float], typer.Option(
    "--max-beats", help=f"Longest track, in beats (default {_LIMIT.max_beats:,.0f}).")]
MaxPartsOpt = Annotated[Optional[int], typer.Option(
    "--max-parts", help=f"Most parts in a MusicXML score (default {_LIMIT.max_parts:,}).")]
MaxUnzippedOpt = Annotated[Optional[int], typer.Option(
    "--max-unzipped-bytes", help="Largest score inside a .mxl, in bytes once unzipped "
    f"(default {_LIMIT.max_unzipped_bytes:,}: {_LIMIT.max_unzipped_bytes >> 20} MiB).")]
MaxDiscoveryNotesOpt = Annotated[
    Optional[int],
    typer.Option("--max-discovery-notes", help="--unit note: most pitched notes discovery searches in one score "
                 f"(time grows with them; default {_LIMIT.max_discovery_notes:,})."),
]
MaxSegmentsOpt = Annotated[
    Optional[int],
    typer.Option("--max-segments", help="Most windows to embed and group in one score: --unit bar and embed "
                 f"(time and memory grow with its square; default {_LIMIT.max_segments:,})."),
]


def build_settings(
    *,
    sensitivity: float = 0.5,
    threshold: float | None = None,
    track: str | None = None,
    window: float | None = None,
    hop: float | None = None,
    min_notes: int | None = None,
    unit: str | None = None,
    max_families: int | None = None,
    bar_offset: float | None = None,
    meter: str | None = None,
    lyrics: bool = False,
    keep_time_signatures: bool = False,
    motif_tracks: bool = False,
    max_bytes: int | None = None,
    max_notes: int | None = None,
    max_beats: float | None = None,
    max_parts: int | None = None,
    max_unzipped_bytes: int | None = None,
    max_segments: int | None = None,
    max_discovery_notes: int | None = None,
    texture_model: str = "cluster",
    inversions: bool = False,
    augmentations: bool = False,
    retrogrades: bool = False,
):  # noqa: ANN202 - a motifcli.settings.Settings (imported lazily)
    """The one place every command turns its options into :class:`~motifcli.settings.Settings`
    (a bad value is a UsageError: exit 2)."""
    from dataclasses import replace

    from motifcli.settings import Settings

    given = {
        "max_bytes": max_bytes,
        "max_notes": max_notes,
        "max_beats": max_beats,
        "max_parts": max_parts,
        "max_unzipped_bytes": max_unzipped_bytes,
        "max_segments": max_segments,
        "max_discovery_notes": max_discovery_notes,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    bad = [k for k, v in changes.items() if not v > 0]  # also catches nan
    if bad:
        raise UsageError(", ".join("--" + k.replace("_", "-") for k in bad) + " must be positive")
    from motifcli.settings import DEFAULT_UNIT

    try:
        return Settings(
            unit=str(unit).strip().lower() if unit is not None else DEFAULT_UNIT,
            max_families=max_families,
            sensitivity=sensitivity,
            threshold=threshold,
            track=track,
            window=window,
            hop=hop,
            min_notes=min_notes,
            origin=bar_offset,
            meter=meter,
            texture_model=str(texture_model).strip().lower(),
            inversions=inversions,
            augmentations=augmentations,
            retrogrades=retrogrades,
            lyrics=lyrics,
            keep_time_signatures=keep_time_signatures,
            motif_tracks=motif_tracks,
            limits=replace(ReadLimits(), **changes),
        )
    except UsageError as exc:  # name the flag, not the Settings field
        for field_name, flag in _FLAGS.items():
            if exc.message.startswith(field_name + " "):
                raise UsageError(flag + exc.message[len(field_name):]) from None
        raise


_FLAGS = {
    "sensitivity": "--sensitivity",
    "threshold": "--threshold",
    "window": "--window",
    "hop": "--hop",
    "bar offset": "--bar-offset",
    "meter": "--meter",
    "min_notes": "--min-notes",
    "max_families": "--max-families",
    "unit": "--unit",
}


# options that only one --unit reads: given for the other unit, they are accepted and do nothing
# (--threshold is read at --unit note too: it cuts a leading chordal track's texture bars with the model,
# families.discovery_options; only --texture-model off leaves it nothing to do there)
UNUSED_AT = {"note": ("window", "hop"), "bar": ("texture_model", *TRANSFORM_OPTIONS)}


def _given(ctx: typer.Context, names: Sequence[str]) -> list[tuple[str, str]]:
    """(name, --flag) of the options among ``names`` that were typed on the command line (not defaults)."""
    out = []
    for name in names:
        source = ctx.get_parameter_source(name)
        if source is not None and source.name == "COMMANDLINE":
            out.append((name, "--" + name.replace("_", "-")))
    return out


def note_unused(ctx: typer.Context, unit: str, texture_model: str | None = "cluster") -> None:
    """A one-line note on stderr for each option given on the command line that ``unit`` does not read
    (as ``--workers`` above the core count gets one): a user who tunes ``--window`` at note level
    should know it changed nothing. The run, its stdout and its exit status are unchanged."""
    other = "bar" if unit == "note" else "note"
    unused = [(name, f"it acts at --unit {other}") for name in UNUSED_AT.get(unit, ())]
    if unit == "note" and texture_model == "off":
        unused.append(("threshold", "it acts at --unit bar, and at --unit note on texture bars grouped by the model"))
    where = dict(unused)
    for name, flag in _given(ctx, list(where)):
        mode = " --texture-model off" if name == "threshold" else ""
        typer.echo(f"note: {flag} has no effect with --unit {unit}{mode} ({where[name]}); ignored", err=True)


MIDI_ONLY = ("lyrics", "keep_time_signatures", "motif_tracks")  # options only the MIDI writer reads


def note_midi_only(ctx: typer.Context, jobs: Sequence[object]) -> None:
    """A one-line note on stderr for ``--lyrics`` / ``--keep-time-signatures`` / ``--motif-tracks`` given where
    no MIDI file is written (a MusicXML score annotated as MusicXML): the user asked for something the run cannot do."""
    if any("midi" in getattr(job, "outputs", {}) for job in jobs):
        return
    for _, flag in _given(ctx, MIDI_ONLY):
        typer.echo(f"note: {flag} acts on MIDI output only (add -f midi); ignored", err=True)
