"""The ``motif`` script's entry point: starts loading what the run will need, then runs the CLI.

On a cold file cache most of a ``motif annotate`` start-up is waiting for the disk: numpy and
onnxruntime (~0.35 s cold) on one side; Python's own modules, Typer, mido and motif's modules on the
other. This module is imported before any of them, starts importing onnxruntime (with numpy) in a
background thread for the runs that will open the model (``embed``; ``annotate``/``plot`` with
``--unit bar`` or an explicit ``--model``), and hands over to :func:`motifcli.cli.main`. The main
thread's own ``import onnxruntime`` then waits for the thread (Python's per-module import lock)
instead of reading the same files again. The default note level opens no model, and importing
onnxruntime there would cost ~0.1 s of CPU for nothing; it preloads ``PRELOAD_NOTE``: nothing, since
preloading numpy in the thread was measured no faster, warm or cold (benchmarks/SPEED.md, "Start-up
with note level as the default"). The guess reads the command line only (Settings decide for real; a
wrong guess costs time, never a result). Library users never go through here.
"""

from __future__ import annotations

import sys

PRELOADING_COMMANDS = ("annotate", "embed", "plot")
MODEL_RUNNING_COMMANDS = ("embed",)  # always open the model
PRELOAD_NOTE: str | None = None  # what a note-level run preloads: nothing ("numpy" measured no faster)
DEFAULT_UNIT = "note"  # settings.DEFAULT_UNIT, spelled here to start the thread before any import (a test compares)


def main() -> None:
    target = preload_target(sys.argv[1:])
    if target is not None:
        _preload(target)
    from motifcli.cli import main as cli_main

    cli_main()


def preload_target(args: list[str]) -> str | None:
    """The module to import in the background for this command line, or None."""
    if not args[:1] or args[0] not in PRELOADING_COMMANDS or "--help" in args or "-h" in args:
        return None
    if args[0] in MODEL_RUNNING_COMMANDS or _option(args, "--model") is not None:
        return "onnxruntime"
    unit = (_option(args, "--unit") or DEFAULT_UNIT).strip().lower()
    return "onnxruntime" if unit == "bar" else PRELOAD_NOTE


def _option(args: list[str], name: str) -> str | None:
    """The last value given to option ``name`` (``--name VALUE`` or ``--name=VALUE``), else None."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1 :]
    return value


def _preload(module: str) -> None:
    import threading

    def load() -> None:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001, S110 - any failure comes again, reported, in the main thread
            pass

    threading.Thread(target=load, name=f"motif-preload-{module}", daemon=True).start()
