"""Issue 8 #22: `motif annotate --help` names its arguments (PATHS), never a raw `{paths}` placeholder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command, metavar", [("annotate", "PATHS"), ("embed", "FILE"), ("plot", "FILE")])
def test_help_names_the_arguments(command: str, metavar: str) -> None:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "motifcli", command, "--help"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    usage = proc.stdout.replace("\n", " ")
    assert f"motif {command}" in usage and metavar in usage
    assert "{" not in usage and "}" not in usage  # no unfilled placeholder anywhere in the help
