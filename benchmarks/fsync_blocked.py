"""Main-thread milliseconds per song that ``batch._write_all`` spends blocked on fsyncs (phase 8).

    PYTHONPATH=$PWD python benchmarks/fsync_blocked.py 15 2          # this tree: 15 songs, 2 passes
    PYTHONPATH=/tmp/speed8/before python benchmarks/fsync_blocked.py 15 2   # another tree

Reads and annotates POP909 songs 100, 101, ... once (a worker's set-up), then writes MIDI + JSON of
each with the real ``batch._write_all`` into a fresh temporary folder per pass, timing every
``os.fsync`` made in the main thread and (where the tree has them) the joins of
``atomic._Fsync`` threads. Prints the median and mean blocked time per song and the median wall
time of a song's write (rendering included). Run the trees alternately: fsync time depends on
what the neighbours do with the disk.
"""

from __future__ import annotations

import time, tempfile, sys, statistics, os, threading
from pathlib import Path
from benchmarks.workers import songs
from motifcli import batch, atomic
from motifcli.batch_plan import Source, plan
from motifcli.batch_pool import _limit_blas_threads
from motifcli.model import LazyModel, default_model_path
from motifcli.options import build_settings
from motifcli.pipeline import annotate
from motifcli.readers import read_score
_limit_blas_threads(1)
model = LazyModel(default_model_path(), provider="cpu", threads=1)
settings = build_settings()
done = [(p, read_score(p, settings.limits)) for p in songs(int(sys.argv[1]))]
done = [(p, s, annotate(s, model, settings)) for p, s in done]
blocked = [0.0]
real_fsync = os.fsync
main = threading.main_thread()
def fsync(fd):
    if threading.current_thread() is not main: return real_fsync(fd)
    t = time.perf_counter()
    try: return real_fsync(fd)
    finally: blocked[0] += time.perf_counter() - t
os.fsync = fsync
if hasattr(atomic, "_Fsync"):
    w = atomic._Fsync.wait
    def wait(self):
        t = time.perf_counter()
        try: return w(self)
        finally: blocked[0] += time.perf_counter() - t
    atomic._Fsync.wait = wait
per = []; walls = []
for rep in range(int(sys.argv[2])):
    with tempfile.TemporaryDirectory() as out:
        jobs = plan([Source(p, p.parent) for p, _, _ in done], ["midi", "json"], Path(out))
        for j, (p, s, a) in zip(jobs, done):
            blocked[0] = 0.0; t = time.perf_counter()
            batch._write_all(j, a, s, settings)
            walls.append(time.perf_counter() - t); per.append(blocked[0])
print(f"blocked median {statistics.median(per)*1000:.2f} mean {statistics.mean(per)*1000:.2f} ms/song; write wall median {statistics.median(walls)*1000:.1f}")
