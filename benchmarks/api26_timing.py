"""What reading a music21 stream costs next to its file (phase26-api26.md): median of 7 runs each.

    python benchmarks/api26_timing.py      # music21's corpus only
"""

import statistics
import time
from collections.abc import Callable

import motifcli
from music21 import corpus


def median_ms(call: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


path = corpus.getWork("bach/bwv66.6")
stream = corpus.parse(path)
tune = list(corpus.parse("essenFolksong/altdeu10").scores)[0]
motifcli.read_score(path)  # music21 imported once before timing
print(f"read_score(bwv66.6 file)       {median_ms(lambda: motifcli.read_score(path)):.0f} ms")
print(f"read_score(bwv66.6 stream)     {median_ms(lambda: motifcli.read_score(stream)):.0f} ms")
print(f"read_score(Essen tune stream)  {median_ms(lambda: motifcli.read_score(tune)):.0f} ms")
print(f"annotate(bwv66.6 path)         {median_ms(lambda: motifcli.annotate(path)):.0f} ms")
