"""The ``motif`` script's entry point: starts loading the inference runtime, then runs the CLI.

On a cold file cache most of a ``motif annotate`` start-up is waiting for the disk: numpy and
onnxruntime (~0.35 s cold) on one side; Python's own modules, Typer, mido and motif's modules on the
other. This module is imported before any of them, starts importing onnxruntime (with numpy) in a
background thread for the commands that run the model, and hands over to :func:`motifcli.cli.main`.
The main thread's own ``import onnxruntime`` then waits for the thread (Python's per-module import
lock) instead of reading the same files again. Library users never go through here.
"""

from __future__ import annotations

import sys

PRELOADING_COMMANDS = ("annotate", "embed", "plot")


def main() -> None:
    args = sys.argv[1:]
    if args[:1] and args[0] in PRELOADING_COMMANDS and "--help" not in args and "-h" not in args:
        _preload("onnxruntime")
    from motifcli.cli import main as cli_main

    cli_main()


def _preload(module: str) -> None:
    import threading

    def load() -> None:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001, S110 - any failure comes again, reported, in the main thread
            pass

    threading.Thread(target=load, name=f"motif-preload-{module}", daemon=True).start()
