"""The ``motif`` script's entry point (and ``python -m motifcli``'s).

It once started importing onnxruntime in a background thread for runs that open the model (bar
level), to overlap the disk reads of a cold start (~0.07 s). CI caught the price: numpy imported
by that thread and by the main thread at once can fail half-initialised ("cannot import name
multiarray"), so the thread is gone. The default note level never imports onnxruntime anyway
(benchmarks/SPEED.md). Library users never go through here, so what is set here (numpy's BLAS
threads) is the CLI's alone.
"""

from __future__ import annotations

import os

# numpy's OpenBLAS reads this once, when numpy is first imported (after this point: nothing above
# imports numpy). One thread: motif's matrices are small, and a second OpenBLAS thread made a one-file
# run cost more CPU (and, with another job on the second core, more wall time) for the same results
# (benchmarks/phase28-threads28.md). A value the user set is kept. Batch workers set their own share
# (batch_pool._limit_blas_threads), which may raise it again.
BLAS_THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"


def limit_blas_threads() -> None:
    """One OpenBLAS thread for this process and the ones it starts, unless the environment says otherwise."""
    os.environ.setdefault(BLAS_THREADS_VARIABLE, "1")


def main() -> None:
    limit_blas_threads()
    from motifcli.cli import main as cli_main

    cli_main()
