"""motifcli.fastargs: option values coerced without pydantic must be exactly typer's own values,
and every value it is unsure of must still get typer's own answer (value or error message)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.core as core
from typer.main import get_command

import motifcli.cli as cli
from motifcli import fastargs

REPO = Path(__file__).resolve().parents[1]
SONG = REPO / "examples" / "pop909-101.mid"

GOOD = [
    ["annotate", "a.mid"],
    ["annotate", "a.mid", "folder", "-o", "out/", "--format", "midi", "-f", "json,csv", "--threshold", "0.45",
     "--sensitivity", "0.3", "--window", "4", "--hop", "2", "--min-notes", "3", "--bar-offset", "1.5",
     "--max-notes", "1000", "--max-beats", "1e4", "--max-bytes", "123456789", "--track", "MELODY", "--workers", "2",
     "-q", "--resume", "--lyrics", "--provider", "cpu", "--model", "m.onnx", "--max-segments", "0"],
    ["annotate", "a.mid", "--threshold", "-0.5", "--window", "0", "--hop", "2.25e-2", "--track", "2"],
    ["embed", "a.mid", "-o", "x.npz", "--hop", "0.0001", "--window", "8", "--bar-offset", "0"],
    ["plot", "a.motifs.json", "-o", "p.png", "--threshold", "0.3", "--min-notes", "2"],
    ["info", "--json"],
]
UNSURE = [  # left to typer's pydantic coercion: odd spellings, specials, bad values
    ["annotate", "a.mid", "--threshold", "abc"],
    ["annotate", "a.mid", "--threshold", "inf"],
    ["annotate", "a.mid", "--threshold", "nan"],
    ["annotate", "a.mid", "--threshold", " 0.4 "],
    ["annotate", "a.mid", "--threshold", "1."],
    ["annotate", "a.mid", "--threshold", ".5"],
    ["annotate", "a.mid", "--window", "1e999"],
    ["annotate", "a.mid", "--hop", "0x10"],
    ["annotate", "a.mid", "--min-notes", "3.0"],
    ["annotate", "a.mid", "--min-notes", "1_000"],
    ["annotate", "a.mid", "--min-notes", "007"],
    ["annotate", "a.mid", "--min-notes", "+3"],
    ["annotate", "a.mid", "--max-notes", "99999999999999999999999"],
    ["annotate", "a.mid", "--workers", ""],
    ["annotate", ""],
]


def parse(argv: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """The values typer hands the command (or its error message), with or without fastargs."""
    installed = core.build_runtime_param
    assert getattr(installed, "motif_fast", False), "motifcli.cli installs fastargs on import"
    monkeypatch.setattr(core, "build_runtime_param", installed if fast else installed.original)
    group = get_command(cli.app)
    command = group.commands[argv[0]]
    try:
        ctx = command.make_context(argv[0], list(argv[1:]))
    except Exception as exc:  # noqa: BLE001 - click's usage errors: compare their messages
        return "error", (type(exc).__name__, exc.format_message() if hasattr(exc, "format_message") else str(exc))
    return "ok", {k: (type(v).__name__, repr(v)) for k, v in ctx.params.items()}


@pytest.mark.parametrize("argv", GOOD + UNSURE, ids=lambda a: " ".join(a)[:60])
def test_same_values_and_errors_as_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse(argv, True, monkeypatch)
    slow = parse(argv, False, monkeypatch)
    assert fast == slow
    if argv in GOOD:
        assert fast[0] == "ok", fast


def test_plain_values_need_no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The common options really take the fast path (else the start-up saving is gone)."""
    calls: list[Any] = []
    original = core.build_runtime_param.original

    def counting(descriptor: Any) -> Any:
        calls.append(descriptor.annotation)
        return original(descriptor)

    monkeypatch.setattr(core.build_runtime_param, "original", counting)
    assert fastargs.install()  # already installed: no second layer
    assert parse(GOOD[1], True, monkeypatch)[0] == "ok"
    assert calls == []
    assert parse(["annotate", "a.mid", "--threshold", "abc"], True, monkeypatch)[0] == "error"
    assert calls  # the odd value went to typer's own coercion


def test_annotate_song_imports_no_pydantic(tmp_path: Path) -> None:
    """A whole `motif annotate song.mid` process: pydantic (0.1-0.2 s to import) is never imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "motifcli", "annotate", str(SONG), "-o", f"{tmp_path}/", "-q"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "motifcli.fastargs" in imported and "mido" in imported  # the listing is real (the default note level
    # imports no onnxruntime: tests/test_speed_smoke.py)
    assert not {m for m in imported if m.split(".")[0] == "pydantic"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop909-101.motifs.json", "pop909-101.motifs.mid"]
