"""Instructions of annotating POP909 songs (cachegrind), for a CPU comparison that the load of a
shared machine does not move (phase 8).

    for mode in read annotate; do
      PYTHONHASHSEED=0 PYTHONPATH=$PWD OMP_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file=/dev/null python benchmarks/annotate_instructions.py $mode 4 2>&1 | grep "I *refs"
    done

Reads POP909 songs 100.. (``COUNT``), annotates one warm-up song (the model's open, lazy imports), and
in ``annotate`` mode annotates the ``COUNT`` songs: the difference of the two counts over ``COUNT`` is
the instructions per song annotated. About 5 minutes per tree under valgrind.
"""

from __future__ import annotations

import sys
from benchmarks.workers import songs
from motifcli.batch_pool import _limit_blas_threads
from motifcli.model import LazyModel, default_model_path
from motifcli.options import build_settings
from motifcli.pipeline import annotate
from motifcli.readers import read_score
_limit_blas_threads(1)
model = LazyModel(default_model_path(), provider="cpu", threads=1)
settings = build_settings()
files = songs(int(sys.argv[2]))
scores = [read_score(p, settings.limits) for p in files]
annotate(read_score(songs(1)[0], settings.limits), model, settings)  # warm-up: model open, lazy imports
if sys.argv[1] == "annotate":
    for s in scores:
        annotate(s, model, settings)
