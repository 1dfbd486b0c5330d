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

from motifcli.errors import MotifError, UsageError

app = typer.Typer(
    name="motif",
    help="Find the motifs of a piece of music (MIDI, MusicXML) and write them into the score.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

ModelOpt = Annotated[Optional[Path], typer.Option("--model", help="ONNX model file (default: the shipped model).")]
ProviderOpt = Annotated[str, typer.Option("--provider", help="auto (CUDA if available), cpu or cuda.")]
SensitivityOpt = Annotated[
    float,
    typer.Option(
        "--sensitivity",
        help="0..1: 0.5 = the model's calibrated grouping; higher = looser, more families; 0 = only identical bars.",
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
MaxBytesOpt = Annotated[Optional[int], typer.Option("--max-bytes", help="Largest input file, in bytes.")]
MaxNotesOpt = Annotated[Optional[int], typer.Option("--max-notes", help="Most notes in one score.")]
MaxBeatsOpt = Annotated[Optional[float], typer.Option("--max-beats", help="Longest track, in beats.")]
MaxPartsOpt = Annotated[Optional[int], typer.Option("--max-parts", help="Most parts in a MusicXML score.")]
MaxUnzippedOpt = Annotated[
    Optional[int], typer.Option("--max-unzipped-bytes", help="Largest score inside a .mxl, in bytes once unzipped.")
]
MaxSegmentsOpt = Annotated[
    Optional[int], typer.Option("--max-segments", help="Most windows to group in one score (time and memory grow with its square).")
]


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _line(text: object) -> str:
    """One line, whatever a library put in an error message (the contract: one line per error)."""
    return " ".join(str(text).split())


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
        _err(f"error: {_line(exc)}")
        raise typer.Exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED) from None
    except KeyboardInterrupt as exc:  # batch.Interrupted says how far the batch got and its signal
        import signal

        for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the exit short
            signal.signal(sig, signal.SIG_IGN)
        _err(_line(exc) if str(exc) else "interrupted")
        raise typer.Exit(getattr(exc, "exit_code", 130)) from None
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if debug:
            traceback.print_exc()
        _err(f"internal error: {type(exc).__name__}: {_line(exc)} (rerun with --debug for the traceback)")
        raise typer.Exit(EXIT_FAILED) from None


def _limits(
    max_bytes: int | None = None,
    max_notes: int | None = None,
    max_beats: float | None = None,
    max_parts: int | None = None,
    max_unzipped_bytes: int | None = None,
    max_segments: int | None = None,
):  # noqa: ANN202
    """ReadLimits with the flags given on the command line; a limit must be positive (else exit 2)."""
    from dataclasses import replace

    from motifcli.limits import ReadLimits

    given = {
        "max_bytes": max_bytes,
        "max_notes": max_notes,
        "max_beats": max_beats,
        "max_parts": max_parts,
        "max_unzipped_bytes": max_unzipped_bytes,
        "max_segments": max_segments,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    bad = [k for k, v in changes.items() if not v > 0]
    if bad:
        raise UsageError(", ".join("--" + k.replace("_", "-") for k in bad) + " must be positive")
    return replace(ReadLimits(), **changes)


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


@app.command()
def annotate(
    paths: Annotated[list[Path], typer.Argument(help="Score files or folders (searched recursively).")],
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Output folder, or output file for one input.")
    ] = None,
    formats: Annotated[
        Optional[list[str]],
        typer.Option("--format", "-f", help="musicxml, midi, json, csv, mirex, labels (repeat or comma-separate)."),
    ] = None,
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    sensitivity: SensitivityOpt = 0.5,
    threshold: Annotated[
        Optional[float], typer.Option("--threshold", help="Cosine-distance threshold; overrides --sensitivity.")
    ] = None,
    min_notes: Annotated[int, typer.Option("--min-notes", help="Skip bars with fewer notes.")] = 1,
    bar_offset: Annotated[
        Optional[float],
        typer.Option("--bar-offset", help="Beat where the first full bar starts (a MIDI pickup); "
                     "default: MusicXML's written bars, beat 0 for MIDI."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-j", help="Processes working in parallel.")] = 1,
    threads: Annotated[
        Optional[int], typer.Option("--threads", help="onnxruntime threads per process (default: cores / workers).")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip files whose outputs are up to date.")] = False,
    shard: Annotated[Optional[str], typer.Option("--shard", help="I/N: process only shard I of N (1-based).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary to stdout.")] = False,
    lyrics: Annotated[bool, typer.Option("--lyrics", help="Also write motif labels as lyrics.")] = False,
    max_bytes: MaxBytesOpt = None,
    max_notes: MaxNotesOpt = None,
    max_beats: MaxBeatsOpt = None,
    max_parts: MaxPartsOpt = None,
    max_unzipped_bytes: MaxUnzippedOpt = None,
    max_segments: MaxSegmentsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Find the motifs of each score and write annotated copies (default: the input's format + JSON)."""
    from motifcli import batch

    with _reported(debug):
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        if threads is not None and threads < 1:
            raise UsageError("--threads must be at least 1")
        if min_notes < 1:
            raise UsageError("--min-notes must be at least 1")
        if bar_offset is not None and not (0 <= bar_offset < 64):
            raise UsageError("--bar-offset must be a number of beats from 0 to 64")
        settings = batch.AnnotateSettings(
            sensitivity=sensitivity,
            threshold=threshold,
            min_notes=min_notes,
            origin=bar_offset,
            lyrics=lyrics,
            limits=_limits(max_bytes, max_notes, max_beats, max_parts, max_unzipped_bytes, max_segments),
            debug=debug,
        )
        from motifcli.grouping import GroupingSettings

        GroupingSettings(sensitivity, threshold).resolved_threshold(None)  # bad values: exit 2 before work
        shard_spec = batch.parse_shard(shard) if shard else None
        sources = batch.discover(paths)
        if not sources:
            raise UsageError(f"no score files ({', '.join(batch.SCORE_SUFFIXES)}) found in {', '.join(map(str, paths))}")
        single = (
            output is not None
            and len(paths) == 1
            and Path(paths[0]).is_file()
            and not output.is_dir()
            and output.suffix != ""
        )
        if output is not None and not single and output.exists() and not output.is_dir():
            raise UsageError(f"-o {output} is a file; several inputs need an output folder")
        jobs = batch.plan(batch.take_shard(sources, shard_spec), _split_formats(formats), output, single)
        workers, threads = _capped(workers, threads)
        from motifcli.model import load_model

        loaded = load_model(model, provider=provider, threads=threads)
        summary = _run_with_progress(jobs, loaded, settings, workers, resume, threads)
        _report(summary, as_json, debug)
        if summary.failures:
            raise typer.Exit(EXIT_FAILED)


def _capped(workers: int, threads: int | None) -> tuple[int, int | None]:
    """--workers and --threads above the usable cores only make processes and threads wait for each
    other (and cost memory): cap them, with a one-line note."""
    from motifcli.batch import usable_cores

    cores = usable_cores()
    for flag, value in (("--workers", workers), ("--threads", threads)):
        if value is not None and value > cores:
            _err(f"note: {flag} {value} is more than the {cores} usable cores; using {cores}")
    return min(workers, cores), (min(threads, cores) if threads is not None else None)


def _run_with_progress(jobs, model, settings, workers: int, resume: bool, threads: int | None):  # noqa: ANN001, ANN202
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from motifcli.batch import run_batch

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


def _report(summary, as_json: bool, debug: bool) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.table import Table

    for r in summary.failures:
        if debug and r.detail:
            _err(r.detail.rstrip())
        _err(f"{r.path}: {_line(r.reason)}")
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2))
    d = summary.to_dict()
    table = Table(title="motif annotate", show_header=True)
    table.add_column("files", justify="right")
    table.add_column("ok", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("motifs", justify="right")
    table.add_column("occurrences", justify="right")
    table.add_column("seconds", justify="right")
    table.add_row(*(str(d[k]) for k in ("files", "ok", "skipped", "failed", "motifs", "occurrences", "seconds")))
    stages = Table(title="time per stage (s, summed over files)")
    for stage in d["stage_seconds"]:
        stages.add_column(stage, justify="right")
    stages.add_row(*(f"{v:.3f}" for v in d["stage_seconds"].values()))
    console = Console(stderr=as_json, highlight=False)
    console.print(table)
    console.print(stages)


@app.command()
def embed(
    file: Annotated[Path, typer.Argument(help="A score file.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="The .npz to write.")] = None,
    track: Annotated[Optional[str], typer.Option("--track", help="Only this track (name or index).")] = None,
    window: Annotated[Optional[float], typer.Option("--window", help="Window length in beats.")] = None,
    hop: Annotated[Optional[float], typer.Option("--hop", help="Hop between windows in beats.")] = None,
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    max_bytes: MaxBytesOpt = None,
    max_notes: MaxNotesOpt = None,
    max_beats: MaxBeatsOpt = None,
    max_parts: MaxPartsOpt = None,
    max_unzipped_bytes: MaxUnzippedOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the embedding of every window to an .npz (embeddings, track, track_name, start, end)."""
    with _reported(debug):
        import numpy as np

        import motifcli
        from motifcli.atomic import atomic_path, output_errors
        from motifcli.errors import OutputError

        dest = output or file.with_name(f"{file.stem}.embeddings.npz")
        if dest.suffix.lower() != ".npz":
            raise UsageError(f"-o {dest}: the output of motif embed is an .npz file")
        if dest.exists() and file.exists() and dest.resolve() == file.resolve():
            raise OutputError("refusing to overwrite the input file", dest)
        from motifcli.batch import check_source

        check_source(file)  # a FIFO or a folder is refused before any reader opens it
        score = motifcli.read_score(file, _limits(max_bytes, max_notes, max_beats, max_parts, max_unzipped_bytes))
        loaded = motifcli.load_model(model, provider=provider)
        result = motifcli.embed(score, loaded, track=track, window=window, hop=hop)
        names = np.array([result.track_names[t] for t in result.track.tolist()], dtype=str)
        with output_errors(dest), atomic_path(dest) as tmp, open(tmp, "wb") as fh:  # full disk: one line
            np.savez(fh, embeddings=result.vectors, track=result.track, track_name=names,
                     start=result.start, end=result.end)
        _err(f"{dest}: {len(result)} segments x {result.vectors.shape[1]} dimensions")


@app.command()
def info(
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Show the model card (metadata), the onnxruntime providers and the versions in use."""
    with _reported(debug):
        import numpy as np
        import onnxruntime as ort

        import motifcli
        from motifcli.model import available_providers, default_model_path, load_model

        data: dict[str, object] = {
            "versions": {
                "motif": motifcli.__version__,
                "onnxruntime": ort.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
            },
            "providers": available_providers(),
            "default_model": str(default_model_path()),
        }
        error: MotifError | None = None
        try:
            loaded = load_model(model, provider=provider)
            data["model"] = {"path": str(loaded.path), "session_providers": loaded.providers, "metadata": loaded.metadata}
        except MotifError as exc:
            error = exc
            data["model_error"] = str(exc)
        if as_json:
            typer.echo(json.dumps(data, indent=2))
        else:
            _print_info(data)
        if error is not None:
            raise error


def _print_info(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="motif", show_header=False)
    for k, v in data["versions"].items():
        table.add_row(k, str(v))
    table.add_row("providers", ", ".join(data["providers"]))
    table.add_row("default model", data["default_model"])
    console.print(table)
    if "model" in data:
        card = Table(title=f"model {data['model']['path']}", show_header=False)
        card.add_row("session providers", ", ".join(data["model"]["session_providers"]))
        for k, v in sorted(data["model"]["metadata"].items()):
            card.add_row(k, v)
        console.print(card)


@app.command()
def plot(
    file: Annotated[Path, typer.Argument(help="A score file, or a .motifs.json written by motif annotate.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Picture to write (.png, .svg, .pdf).")],
    model: ModelOpt = None,
    provider: ProviderOpt = "auto",
    sensitivity: SensitivityOpt = 0.5,
    max_bytes: MaxBytesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Draw the motif families over the bars of each track."""
    with _reported(debug):
        import motifcli
        from motifcli.annotation import Annotation
        from motifcli.atomic import output_errors
        from motifcli.batch import check_source
        from motifcli.plot import plot_timeline

        limits = _limits(max_bytes)
        check_source(file)  # the readers' rules for every input: a regular file (no FIFO, no device) ...
        if file.suffix.lower() == ".json":
            data = limits.read_file(file)  # ... under the size limit
            try:
                annotation = Annotation.from_dict(json.loads(data.decode("utf-8")))
            except (ValueError, KeyError, TypeError) as exc:
                raise MotifError(f"not a motif annotation JSON ({exc})", file) from exc
        else:
            score = motifcli.read_score(file, limits)
            annotation = motifcli.annotate(score, motifcli.load_model(model, provider=provider), sensitivity)
        with output_errors(output):  # a full disk: one line, and atomic_path leaves no partial picture
            plot_timeline(annotation, output)
        _err(f"{output}: {len(annotation.motifs)} motifs")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``motif`` script (and ``python -m motifcli``)."""
    app(args=argv, prog_name="motif")


if __name__ == "__main__":  # pragma: no cover
    main()
