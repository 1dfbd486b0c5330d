"""What ``motif annotate`` prints when a run ends: the written paths, the failures, the summary tables.

Kept apart from the command-line layer (motifcli/cli.py) because it is the run's one report: every
file's outcome, in an order a batch of thousands can be read in, as plain text for a pipe (the
MuseScore plugin, scripts, logs: rich is imported only for a terminal).
"""

from __future__ import annotations

import json
import sys

import typer

from motifcli.errors import one_line, quoted


def report(summary, as_json: bool, debug: bool, quiet: bool = False) -> None:  # noqa: ANN001
    """The written paths, then the failures (last, beside the table that counts them: in a batch of
    thousands they would scroll away above the ``wrote`` lines), then the summary."""
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2))
    if not quiet:
        written = [p for r in summary.results if r.status == "ok" for p in r.outputs]
        for path in written:  # where the files went (to stderr under --json: stdout is the JSON)
            typer.echo(f"wrote {quoted(path)}", err=as_json)
    if not quiet and not as_json:  # a file with no motif says so and why (--json: its result's "note"; stderr
        for r in summary.results:  # stays the failures' alone, one line each)
            if r.status == "ok" and r.note:
                typer.echo(f"{quoted(r.path)}: {r.note}")
    for r in summary.failures:
        if debug and r.detail:
            typer.echo(r.detail.rstrip(), err=True)
        typer.echo(f"{quoted(r.path)}: {one_line(r.reason)}", err=True)
    if quiet:
        return
    d = summary.to_dict()
    counts = {k: str(d[k]) for k in ("files", "ok", "skipped", "failed", "motifs", "occurrences", "seconds")}
    stages = {stage: f"{v:.3f}" for stage, v in d["stage_seconds"].items()}
    stream = sys.stderr if as_json else sys.stdout
    if d["redone"]:
        typer.echo(redone_line(summary.results), err=as_json)
    if not stream.isatty():  # a pipe (the MuseScore plugin, scripts, logs): plain text, no rich import
        typer.echo(plain_table("motif annotate", counts), err=as_json)
        typer.echo(plain_table("time per stage (s, summed over files)", stages), err=as_json)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=as_json, highlight=False)
    for title, row in (("motif annotate", counts), ("time per stage (s, summed over files)", stages)):
        table = Table(title=title, show_header=True)
        for column in row:
            table.add_column(column, justify="right")
        table.add_row(*row.values())
        console.print(table)


def redone_line(results) -> str:  # noqa: ANN001
    """``--resume``: how many files were redone although their outputs were there, and why."""
    from collections import Counter

    from motifcli.run_record import REDONE_REASONS

    why = Counter(r.redone for r in results if r.redone is not None)
    parts = "; ".join(f"{REDONE_REASONS.get(k, k)}: {n}" for k, n in sorted(why.items(), key=lambda kv: -kv[1]))
    total = sum(why.values())
    return f"resume: redid {total} file{'s' if total != 1 else ''} whose outputs were made otherwise ({parts})"


def plain_table(title: str, row: dict[str, str]) -> str:
    """A title and one right-aligned row under its header, as plain text."""
    widths = [max(len(k), len(v)) for k, v in row.items()]
    header = "  ".join(k.rjust(w) for k, w in zip(row, widths))
    values = "  ".join(v.rjust(w) for v, w in zip(row.values(), widths))
    return f"{title}\n{header}\n{values}"
