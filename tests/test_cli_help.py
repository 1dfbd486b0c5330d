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


def _options_help(command: str) -> dict[str, str]:
    """``--flag`` -> its whole help text (joined over the wrapped lines) in ``motif COMMAND --help``."""
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "motifcli", command, "--help"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    lines: dict[str, str] = {}
    name = ""
    for line in proc.stdout.splitlines():  # an option's help wraps onto indented lines of its own
        if line.strip().startswith("-") and len(line) - len(line.lstrip()) <= 4:  # not a wrapped "--unit bar ..."
            name = next(w for w in line.split() if w.startswith("--")).rstrip(",")
        if name:
            lines[name] = (lines.get(name, "") + " " + " ".join(line.split())).strip()
    return lines


def test_annotate_help_says_what_the_defaults_are() -> None:
    """Audit 9: --window's default is a bar of the meter map (issue 9), not 'the model's' 4 beats, and an
    explicit --model is run at note level for a leading chordal track (it said 'checked but not used')."""
    lines = _options_help("annotate")
    assert "one bar of the meter map" in lines["--window"]
    assert "not used" not in lines["--model"] and "leading chordal track" in lines["--model"]
    assert "2-3 notes" in lines["--min-notes"]


def test_embed_help_has_no_unit_in_its_min_notes() -> None:
    """``motif embed`` has no --unit: its --min-notes says what it does there (it shared annotate's text)."""
    help_ = _options_help("embed")["--min-notes"]
    assert "--unit" not in help_ and "skipped" in help_


@pytest.mark.parametrize("command", ["info", "embed"])
def test_info_and_embed_help_describe_their_own_model(command: str) -> None:
    """Audit 13: ``info --help`` said the model is "loaded and checked before the first file" and spoke of
    --unit (annotate's text); info reads no score, embed has no --unit."""
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "motifcli", command, "--help"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())  # the help wraps; an option's text may wrap onto a line starting "--"
    assert "before the first file" not in text and "--unit note runs it" not in text
    assert "ONNX model file whose card" in text if command == "info" else "ONNX model file that embeds" in text


@pytest.mark.parametrize("command", ["annotate", "embed", "plot"])
def test_every_limit_flag_names_its_default(command: str) -> None:
    """Audit 18: the --max-* limits said what they bound but not where (docs/cli.md sends a reader to
    robustness.md's table); each help now names ReadLimits' default, so the two cannot drift apart."""
    from motifcli.limits import ReadLimits

    lines = _options_help(command)
    limits = ReadLimits()
    for field in ("max_bytes", "max_notes", "max_beats", "max_parts", "max_unzipped_bytes", "max_segments",
                  "max_discovery_notes"):
        flag = "--" + field.replace("_", "-")
        if flag not in lines:
            assert command == "embed" and field == "max_discovery_notes"  # embed runs no discovery
            continue
        assert f"default {getattr(limits, field):,.0f}" in lines[flag], (flag, lines[flag])


def test_across_help_names_its_per_file_cap_and_what_it_refuses() -> None:
    """Audit 21: ``--across`` lists at most ACROSS_PER_PIECE families a file unless --max-families is given
    (whose own help, shared with ``plot``, names one score's cap), and refuses --resume, --shard and
    --unit bar; its help said neither."""
    from motifcli.collection import ACROSS_PER_PIECE

    help_ = _options_help("annotate")["--across"]
    assert f"at most {ACROSS_PER_PIECE} families a file" in help_ and "--max-families" in help_
    assert all(flag in help_ for flag in ("--resume", "--shard", "--unit bar"))
