"""The CLI runs numpy's OpenBLAS on one thread (a second one cost CPU and, on a busy machine, wall time:
benchmarks/phase28-threads28.md); a value the user set is kept, and a library user's process is left as
numpy set it. Each case is a fresh Python process that really runs the command (the real OpenBLAS,
counted by threadpoolctl)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, subprocess_env

pytest.importorskip("threadpoolctl")
POP = REPO / "examples" / "pop909-101.mid"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
needs_two_cores = pytest.mark.skipif(CORES < 2, reason="one usable core: OpenBLAS starts one thread anyway")


def _blas_threads_after(body: str, tmp_path: Path, **env: str) -> dict[str, object]:
    """Run ``body`` in a fresh process (no BLAS variable unless given), then report OpenBLAS's threads."""
    code = textwrap.dedent(body) + textwrap.dedent(
        """
        import json, os, threadpoolctl
        blas = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
        print("RESULT", json.dumps({"threads": blas, "variable": os.environ.get("OPENBLAS_NUM_THREADS")}))
        """
    )
    environ = {k: v for k, v in subprocess_env().items() if k != "OPENBLAS_NUM_THREADS"} | env
    proc = subprocess.run([sys.executable, "-c", code], env=environ, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    if not result["threads"]:
        pytest.skip("numpy's BLAS here is not OpenBLAS")
    return result


def _cli(tmp_path: Path) -> str:
    """``motif annotate POP`` as the script runs it (``motifcli.launch.main``), the process kept afterwards."""
    return f"""
        import sys
        import motifcli.cli
        motifcli.cli._fast_exit = lambda code: None  # keep the process to look at it
        sys.argv = ["motif", "annotate", {str(POP)!r}, "-o", {str(tmp_path / "out")!r} + "/", "-q"]
        from motifcli.launch import main
        main()
        from pathlib import Path
        assert Path({str(tmp_path / "out" / "pop909-101.motifs.json")!r}).is_file()
        """


@needs_two_cores
def test_a_motif_run_uses_one_blas_thread(tmp_path: Path) -> None:
    result = _blas_threads_after(_cli(tmp_path), tmp_path)
    assert result == {"threads": [1], "variable": "1"}


@needs_two_cores
def test_a_blas_variable_the_user_set_is_kept(tmp_path: Path) -> None:
    result = _blas_threads_after(_cli(tmp_path), tmp_path, OPENBLAS_NUM_THREADS="2")
    assert result == {"threads": [2], "variable": "2"}


@needs_two_cores
def test_the_library_leaves_blas_threads_as_numpy_set_them(tmp_path: Path) -> None:
    body = f"""
        import motifcli
        annotation = motifcli.annotate({str(POP)!r})
        assert annotation.motifs and annotation.model  # the bar model ran too
        """
    result = _blas_threads_after(body, tmp_path)
    plain = _blas_threads_after("import numpy", tmp_path)  # what OpenBLAS starts with here
    assert result["variable"] is None and result == plain and plain["threads"][0] > 1
