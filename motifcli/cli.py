"""The ``motif`` command: a thin Typer layer over :mod:`motifcli` and :mod:`motifcli.batch`.

Exit codes: 0 everything worked, 1 a file (or the model) failed, 2 the command line was wrong.
Errors are one line each (``path: reason``); a traceback only with ``--debug``. Everything heavy
is imported inside the commands so that ``motif --help`` imports neither torch nor music21.
"""

from __future__ import annotations

import contextlib
import json
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from motifcli import fastargs
from motifcli.errors import MotifError, UsageError, one_line, quoted
from motifcli.options import (
    BarOffsetOpt,
    MeterOpt,
    TextureModelOpt,
    InversionsOpt,
    AugmentationsOpt,
    RetrogradesOpt,
    DebugOpt,
    EmbedMinNotesOpt,
    EmbedModelOpt,
    HopOpt,
    InfoModelOpt,
    MaxBeatsOpt,
    MaxBytesOpt,
    MaxDiscoveryNotesOpt,
    MaxFamiliesOpt,
    MaxNotesOpt,
    MaxPartsOpt,
    MaxSegmentsOpt,
    MaxUnzippedOpt,
    MinNotesOpt,
    ModelOpt,
    ProviderOpt,
    SensitivityOpt,
    ThresholdOpt,
    TrackOpt,
    UnitOpt,
    WindowOpt,
    build_settings,
    note_midi_only,
    note_unused,
)
from motifcli.run_report import report
from motifcli.settings import DEFAULT_UNIT


fastargs.install()  # option values without pydantic (0.15-0.25 s of every run): see fastargs.py

class _Command(typer.core.TyperCommand):
    """Usage lines in the usual form (``PATHS...``, not Typer's ``{PATHS}...``)."""

    def collect_usage_pieces(self, ctx):  # noqa: ANN001, ANN201
        pieces = super().collect_usage_pieces(ctx)
        return [p[1 : p.index("}")] + p[p.index("}") + 1 :] if p.startswith("{") and "}" in p else p for p in pieces]


app = typer.Typer(
    cls=typer.core.TyperGroup,
    name="motif",
    help="Find the motifs of a piece of music (MIDI, MusicXML) and write them into the score.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

def _err(text: str) -> None:
    typer.echo(text, err=True)


@contextlib.contextmanager
def _reported(debug: bool) -> Iterator[None]:
    """Turn errors into one line and an exit code (2 for usage, 1 otherwise)."""
    try:
        yield
    except typer.Exit:
        raise
    except MotifError as exc:
        if debug:
            traceback.print_exc()
        _err(f"error: {one_line(exc)}")
        raise typer.Exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED) from None
    except KeyboardInterrupt as exc:  # batch.Interrupted says how far the batch got and its signal
        import signal

        for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the exit short
            signal.signal(sig, signal.SIG_IGN)
        _err(one_line(exc) if str(exc) else "interrupted")
        raise typer.Exit(getattr(exc, "exit_code", 130)) from None
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if debug:
            traceback.print_exc()
        _err(f"internal error: {type(exc).__name__}: {one_line(exc)} (rerun with --debug for the traceback)")
        raise typer.Exit(EXIT_FAILED) from None


def _split_formats(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [f.strip() for v in values for f in v.split(",") if f.strip()]


def _version_callback(value: bool) -> None:
    if value:
        from motifcli import __version__

        typer.echo(f"motif {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Find the motifs of a piece of music (MIDI, MusicXML) and write them into the score."""


@app.command(cls=_Command)
def annotate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Score files or folders (searched recursively).", metavar="PATHS")
    ],
    output: Annotated[
        Optional[str],
        typer.Option("-o", "--output", metavar="PATH",
                     help="Output folder (a trailing /, an existing folder, or a name with no output "
                     "extension), or output file for one input."),
    ] = None,
    formats: Annotated[
        Optional[list[str]],
        typer.Option("--format", "-f", metavar="FORMAT",
                     help="musicxml (coloured notes and brackets, for MuseScore), midi (markers, for a DAW), json, "
                          "csv, mirex (MIREX pattern lists), labels (an Audacity / Sonic Visualiser label track, in "
                          "seconds); repeat or comma-separate."),
    ] = None,
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    sensitivity: SensitivityOpt = 0.5,
    threshold: ThresholdOpt = None,
    track: TrackOpt = None,
    window: WindowOpt = None,
    hop: HopOpt = None,
    min_notes: MinNotesOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    max_families: MaxFamiliesOpt = None,
    bar_offset: BarOffsetOpt = None,
    meter: MeterOpt = None,
    texture_model: TextureModelOpt = "cluster",
    inversions: InversionsOpt = False,
    augmentations: AugmentationsOpt = False,
    retrogrades: RetrogradesOpt = False,
    workers: Annotated[int, typer.Option("--workers", "-j", help="Processes working in parallel.")] = 1,
    threads: Annotated[
        Optional[int], typer.Option("--threads", help="onnxruntime threads per process (default: cores / workers).")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip files whose outputs are up to date.")] = False,
    shard: Annotated[Optional[str], typer.Option("--shard", help="I/N: process only shard I of N (1-based).")] = None,
    across: Annotated[bool, typer.Option(
        "--across", help="The files as one collection: families shared across them, one name in every file, "
                         "a family kept in a file that states it once; at most 8 families a file (--max-families "
                         "sets it). Not with --resume, --shard or --unit bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary to stdout.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors (no paths written, no tables).")] = False,
    lyrics: Annotated[bool, typer.Option("--lyrics", help="MIDI output: also write motif labels as lyrics.")] = False,
    keep_time_signatures: Annotated[bool, typer.Option(
        "--keep-time-signatures",
        help="MIDI output: keep the input's time signatures (default: the bars the report numbers)."),
    ] = False,
    motif_tracks: Annotated[bool, typer.Option(
        "--motif-tracks",
        help="MIDI output: also a silent track per family (after the song's) holding a copy of its "
             "occurrences' notes, for a DAW's piano roll."),
    ] = False,
    max_bytes: MaxBytesOpt = None,
    max_notes: MaxNotesOpt = None,
    max_beats: MaxBeatsOpt = None,
    max_parts: MaxPartsOpt = None,
    max_unzipped_bytes: MaxUnzippedOpt = None,
    max_segments: MaxSegmentsOpt = None,
    max_discovery_notes: MaxDiscoveryNotesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Find the motifs of each score and write annotated copies (default: the input's format + JSON)."""
    from motifcli.batch_pool import start_early

    start_early(1 if across else workers, paths)  # the workers' forkserver imports on another core while this process goes on
    from motifcli import batch

    with _reported(debug):
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        if threads is not None and threads < 1:
            raise UsageError("--threads must be at least 1")
        settings = build_settings(
            sensitivity=sensitivity, threshold=threshold, track=track, window=window, hop=hop,
            min_notes=min_notes, unit=unit, max_families=max_families, bar_offset=bar_offset, meter=meter,
            texture_model=texture_model, inversions=inversions, augmentations=augmentations, retrogrades=retrogrades,
            lyrics=lyrics, keep_time_signatures=keep_time_signatures, motif_tracks=motif_tracks, max_bytes=max_bytes, max_notes=max_notes, max_beats=max_beats, max_parts=max_parts,
            max_unzipped_bytes=max_unzipped_bytes, max_segments=max_segments, max_discovery_notes=max_discovery_notes,
        )
        note_unused(ctx, settings.unit, settings.texture_model)
        if across:
            from motifcli.batch_across import check_across, run_across

            check_across(resume, shard, settings)
        shard_spec = batch.parse_shard(shard) if shard else None
        sources = batch.discover(paths)
        if not sources:
            raise UsageError(f"no score files ({', '.join(batch.SCORE_SUFFIXES)}) found in {', '.join(map(quoted, paths))}")
        out = Path(output) if output is not None else None
        folder = output is not None and names_a_folder(output)
        single = out is not None and not folder and len(paths) == 1 and Path(paths[0]).is_file()
        if out is not None and not single and out.exists() and not out.is_dir():
            raise UsageError(f"-o {quoted(out)} is a file; several inputs need an output folder")
        jobs = batch.plan(batch.take_shard(sources, shard_spec), _split_formats(formats), out, single)
        note_midi_only(ctx, jobs)
        workers, threads = _capped(workers, threads)
        loaded = _model_if_used(settings, model, provider, threads)
        if across:  # one discovery for all the files, in this process (motifcli/batch_across.py)
            summary = run_across(jobs, loaded, settings)
        else:
            summary = _run_with_progress(jobs, loaded, settings, workers, resume, threads)
        report(summary, as_json, debug, quiet)
        if summary.failures:
            raise typer.Exit(EXIT_FAILED)


def _model_if_used(settings, model: Path | None, provider: str, threads: int | None = None):  # noqa: ANN001, ANN202
    """The model the run may use (``settings.uses_model``), else None.

    Bar level: loaded up front. Note level with the shipped model: a ``LazyModel`` that imports
    onnxruntime and opens the session only if discovery needs it (texture bars of a chordal track
    that leads the piece), so a chorale's run never pays for it. An explicit ``--model`` is always
    loaded and checked up front (a bad file is a one-line error, exit 1, before any output; checking
    it without opening a session would need an ONNX parser, itself as slow to import), then used
    only if the run needs it; ``--provider`` is always checked by name."""
    from motifcli.model import LazyModel, check_provider_name, load_model

    check_provider_name(provider)
    if model is not None:
        loaded = load_model(model, provider=provider, threads=threads)
        return loaded if settings.uses_model else None
    if not settings.uses_model:
        return None
    if settings.unit == "bar":
        return load_model(None, provider=provider, threads=threads)
    return LazyModel(None, provider=provider, threads=threads)


def _capped(workers: int, threads: int | None) -> tuple[int, int | None]:
    """--workers and --threads above the usable cores only make processes and threads wait for each
    other (and cost memory): cap them, with a one-line note."""
    from motifcli.batch import usable_cores

    cores = usable_cores()
    for flag, value in (("--workers", workers), ("--threads", threads)):
        if value is not None and value > cores:
            _err(f"note: {flag} {value} is more than the {cores} usable cores; using {cores}")
    return min(workers, cores), (min(threads, cores) if threads is not None else None)


def names_a_folder(output: str) -> bool:
    """``-o`` names a folder when it ends in a slash, is an existing folder, or has no extension of
    an output format (``results.v2`` is a folder; ``x.mid``, ``x.motifs.json`` are files)."""
    import os

    from motifcli.readers import SCORE_SUFFIXES
    from motifcli.writers import FORMATS

    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        return True
    name = Path(output).name.lower()
    known = {*FORMATS.values(), *SCORE_SUFFIXES, ".txt"}
    return not any(name.endswith(ext) and len(name) > len(ext) for ext in known)


def _run_with_progress(jobs, model, settings, workers: int, resume: bool, threads: int | None):  # noqa: ANN001, ANN202
    from motifcli.batch import run_batch

    if len(jobs) <= 1 or not sys.stderr.isatty():  # no bar to show: do not pay for rich.progress
        return run_batch(jobs, model, settings, workers=workers, resume=resume, threads=threads)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=len(jobs) <= 1 or not console.is_terminal,  # no stray lines in logs and pipes
    ) as progress:
        task = progress.add_task("annotating", total=len(jobs))
        return run_batch(
            jobs, model, settings, workers=workers, resume=resume, threads=threads,
            on_result=lambda r: progress.advance(task),
        )


@app.command(cls=_Command)
def embed(
    file: Annotated[Path, typer.Argument(help="A score file.", metavar="FILE")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="The .npz to write.")] = None,
    track: TrackOpt = None,
    window: WindowOpt = None,
    hop: HopOpt = None,
    min_notes: EmbedMinNotesOpt = None,
    bar_offset: BarOffsetOpt = None,
    meter: MeterOpt = None,
    model: EmbedModelOpt = None,
    provider: ProviderOpt = "auto",
    max_bytes: MaxBytesOpt = None,
    max_notes: MaxNotesOpt = None,
    max_beats: MaxBeatsOpt = None,
    max_parts: MaxPartsOpt = None,
    max_unzipped_bytes: MaxUnzippedOpt = None,
    max_segments: MaxSegmentsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the embedding of every window to an .npz (embeddings, track, track_name, start, end)."""
    with _reported(debug):
        settings = build_settings(  # embed's windows are the bar level's
            unit="bar", track=track, window=window, hop=hop, min_notes=min_notes, bar_offset=bar_offset, meter=meter,
            max_bytes=max_bytes, max_notes=max_notes, max_beats=max_beats, max_parts=max_parts,
            max_unzipped_bytes=max_unzipped_bytes, max_segments=max_segments,
        )
        import numpy as np

        import motifcli
        from motifcli.atomic import atomic_path, output_errors
        from motifcli.errors import OutputError

        dest = output or file.with_name(f"{file.stem}.embeddings.npz")
        if dest.suffix.lower() != ".npz":
            raise UsageError(f"-o {quoted(dest)}: the output of motif embed is an .npz file")
        if dest.exists() and file.exists() and dest.resolve() == file.resolve():
            raise OutputError("refusing to overwrite the input file", dest)
        from motifcli.batch import check_notes_to_search, check_source

        check_source(file)  # a FIFO or a folder is refused before any reader opens it
        score = motifcli.read_score(file, settings.limits)
        check_notes_to_search(score, settings, file)
        loaded = motifcli.load_model(model, provider=provider)
        result = motifcli.embed(score, loaded, settings)
        names = np.array([result.track_names[t] for t in result.track.tolist()], dtype=str)
        with output_errors(dest), atomic_path(dest) as tmp, open(tmp, "wb") as fh:  # full disk: one line
            np.savez(fh, embeddings=result.vectors, track=result.track, track_name=names,
                     start=result.start, end=result.end)
        _err(f"{quoted(dest)}: {len(result)} segments x {result.vectors.shape[1]} dimensions")


@app.command(cls=_Command)
def info(
    model: InfoModelOpt = None,
    provider: ProviderOpt = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Show the model card (metadata), the onnxruntime providers and the versions in use."""
    with _reported(debug):
        from motifcli.info import info_data, print_info

        data, error = info_data(model, provider)
        if as_json:
            typer.echo(json.dumps(data, indent=2))
        else:
            print_info(data)
        if error is not None:
            raise error


@app.command(cls=_Command)
def plot(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A score file, or a .motifs.json written by motif annotate.", metavar="FILE")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Picture to write (.png, .svg, .pdf).")],
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    sensitivity: SensitivityOpt = 0.5,
    threshold: ThresholdOpt = None,
    track: TrackOpt = None,
    window: WindowOpt = None,
    hop: HopOpt = None,
    min_notes: MinNotesOpt = None,
    unit: UnitOpt = DEFAULT_UNIT,
    max_families: MaxFamiliesOpt = None,
    bar_offset: BarOffsetOpt = None,
    meter: MeterOpt = None,
    texture_model: TextureModelOpt = "cluster",
    inversions: InversionsOpt = False,
    augmentations: AugmentationsOpt = False,
    retrogrades: RetrogradesOpt = False,
    max_bytes: MaxBytesOpt = None,
    max_notes: MaxNotesOpt = None,
    max_beats: MaxBeatsOpt = None,
    max_parts: MaxPartsOpt = None,
    max_unzipped_bytes: MaxUnzippedOpt = None,
    max_segments: MaxSegmentsOpt = None,
    max_discovery_notes: MaxDiscoveryNotesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Draw a form chart: a lane per family in each track, each statement over its beats (a score: as annotate)."""
    with _reported(debug):
        settings = build_settings(
            sensitivity=sensitivity, threshold=threshold, track=track, window=window, hop=hop,
            min_notes=min_notes, unit=unit, max_families=max_families, bar_offset=bar_offset, meter=meter,
            texture_model=texture_model, inversions=inversions, augmentations=augmentations, retrogrades=retrogrades,
            max_bytes=max_bytes, max_notes=max_notes, max_beats=max_beats, max_parts=max_parts,
            max_unzipped_bytes=max_unzipped_bytes, max_segments=max_segments, max_discovery_notes=max_discovery_notes,
        )
        note_unused(ctx, settings.unit, settings.texture_model)
        import motifcli
        from motifcli.annotation import Annotation
        from motifcli.atomic import output_errors
        from motifcli.batch import check_notes_to_search, check_source
        from motifcli.plot import check_picture_path, plot_timeline

        check_picture_path(output)
        check_source(file)  # the readers' rules for every input: a regular file (no FIFO, no device) ...
        if file.suffix.lower() == ".json":
            data = settings.limits.read_file(file)  # ... under the size limit
            try:
                annotation = Annotation.from_dict(json.loads(data.decode("utf-8")))
            except (ValueError, KeyError, TypeError) as exc:
                raise MotifError(f"not a motif annotation JSON ({exc})", file) from exc
        else:
            score = motifcli.read_score(file, settings.limits)
            check_notes_to_search(score, settings, file)
            annotation = motifcli.annotate(score, _model_if_used(settings, model, provider), settings)
        with output_errors(output):  # a full disk: one line, and atomic_path leaves no partial picture
            plot_timeline(annotation, output)
        _err(f"{quoted(output)}: {len(annotation.motifs)} motifs")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``motif`` script (and ``python -m motifcli``).

    Run from the command line (``argv`` None), the process ends with ``os._exit`` once its output
    is flushed and every file is written and closed: the interpreter's own teardown (freeing the
    onnxruntime session, numpy's and onnxruntime's thread pools, hundreds of modules) adds
    0.1-0.2 s to every ``motif annotate`` and does nothing a finished command needs. Called with
    ``argv`` (tests, scripts), it returns or raises ``SystemExit`` as usual.
    """
    if argv is not None:
        app(args=argv, prog_name="motif")
        return
    code: int | str | None = 0
    try:
        app(prog_name="motif")
    except SystemExit as exc:
        code = exc.code
    if "multiprocessing.util" in sys.modules:  # worker processes ran: release their semaphores (else the
        import contextlib  # resource tracker warns of leaks) with multiprocessing's own exit step, and
        import multiprocessing.util  # skip the rest: Python 3.11's concurrent.futures exit hook can

        with contextlib.suppress(Exception):  # write to a pipe a stopped pool closed (a traceback)
            multiprocessing.util._exit_function()
    _fast_exit(code)


def _fast_exit(code: int | str | None) -> None:
    import os

    if isinstance(code, str):  # SystemExit("message"): print it, exit 1, as Python would
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()
