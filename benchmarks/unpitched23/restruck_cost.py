"""What computing streams.restruck twice per one-track run costs (phase23-unpitched23.md, question 2).

Run from the tree root: python benchmarks/unpitched23/restruck_cost.py FILE.mid ... ; for each file: every
restruck call of one in-process `motif annotate` (notes, value, ms), then the median (and range) of 5
`motif annotate` runs as subprocesses, the wall time a user sees."""
import statistics
import subprocess
import sys
import tempfile
import time

import motifcli.discovery.texture_tune as texture_tune
import motifcli.hands as hands
import motifcli.streams as streams
from motifcli.cli import app
from typer.testing import CliRunner


def calls_of(path: str) -> list[tuple[int, float, float]]:
    calls: list[tuple[int, float, float]] = []
    original = streams.restruck

    def counted(*args):  # noqa: ANN002, ANN202
        start = time.perf_counter()
        value = original(*args)
        calls.append((len(args[0]), round(value, 4), round((time.perf_counter() - start) * 1e3, 3)))
        return value

    hands.restruck = texture_tune.restruck = counted
    with tempfile.TemporaryDirectory() as out:
        result = CliRunner().invoke(app, ["annotate", path, "-o", f"{out}/", "-f", "json", "--workers", "1", "-q"])
    hands.restruck = texture_tune.restruck = original
    assert result.exit_code == 0, result.output
    return calls


def wall(path: str, runs: int = 5) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "motifcli", "annotate", path, "-o", f"{out}/", "-f", "json,midi",
                            "--workers", "1", "-q"], check=True)
            times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    for path in sys.argv[1:]:
        calls = calls_of(path)
        times = wall(path)
        print(f"{path}: restruck calls {calls}; annotate median {statistics.median(times):.3f} s "
              f"(range {min(times):.3f}-{max(times):.3f}); the repeated call's share "
              f"{(sum(c[2] for c in calls[1:]) / 1e3) / statistics.median(times):.5%}")
