"""What ``motif info`` reports: versions, the providers motif can use here, and the model card.

Kept apart from the CLI so that the Typer layer stays thin; every string that comes from a model's
metadata is made printable first (a model file may carry control characters).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from motifcli.errors import MotifError, one_line, printable

RUNNABLE_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")


def usable_providers(available: list[str]) -> list[str]:
    """The onnxruntime providers motif can run on here (CPU, and CUDA where this build has it);
    an onnxruntime build also lists others (Azure, ...) that ``--provider`` cannot pick."""
    return [p for p in available if p in RUNNABLE_PROVIDERS]


def info_data(model: Path | None, provider: str) -> tuple[dict[str, Any], MotifError | None]:
    """The report as plain data (for ``--json``), and the model's load error if it has one."""
    import numpy as np
    import onnxruntime as ort

    import motifcli
    from motifcli.model import available_providers, default_model_path, load_model

    data: dict[str, Any] = {
        "versions": {
            "motif": motifcli.__version__,
            "onnxruntime": ort.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
        },
        "providers": usable_providers(available_providers()),
        "default_model": str(default_model_path()),
    }
    try:
        loaded = load_model(model, provider=provider)
    except MotifError as exc:
        data["model_error"] = printable(one_line(exc))
        return data, exc
    data["model"] = {
        "path": str(loaded.path),
        "session_providers": loaded.providers,
        "metadata": {printable(k): printable(v) for k, v in loaded.metadata.items()},
    }
    return data, None


def print_info(data: dict[str, Any]) -> None:
    """The same report as two rich tables; a long model path folds onto the next line, never cut."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    table = Table(title="motif", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for k, v in data["versions"].items():
        table.add_row(k, str(v))
    table.add_row("providers", ", ".join(data["providers"]))
    table.add_row("default model", data["default_model"])
    console.print(table)
    if "model" in data:
        card = Table(title="model", show_header=False)
        card.add_column(no_wrap=True)
        card.add_column(overflow="fold")
        card.add_row("path", data["model"]["path"])
        card.add_row("session providers", ", ".join(data["model"]["session_providers"]))
        for k, v in sorted(data["model"]["metadata"].items()):
            card.add_row(k, v)
        console.print(card)
