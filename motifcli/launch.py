"""The ``motif`` script's entry point.

It once started importing onnxruntime in a background thread for runs that open the model (bar
level), to overlap the disk reads of a cold start (~0.07 s). CI caught the price: numpy imported
by that thread and by the main thread at once can fail half-initialised ("cannot import name
multiarray"), so the thread is gone. The default note level never imports onnxruntime anyway
(benchmarks/SPEED.md). Library users never go through here.
"""

from __future__ import annotations


def main() -> None:
    from motifcli.cli import main as cli_main

    cli_main()
