"""The one lookup of the shared data folder, for training, tests and benchmarks alike.

``$MOTIF_DATA`` first, then ``../shared/data`` beside the repository (CI's layout), then
``/work/shared/data``; the first that holds ``pop909/`` wins. Standard library only, so tests and
benchmarks import it without torch (``training/__init__.py`` imports nothing).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FALLBACKS = (REPO.parent / "shared" / "data", Path("/work/shared/data"))


def candidates() -> list[Path]:
    """Where the data folder is looked for, in order."""
    env = os.environ.get("MOTIF_DATA")
    return ([Path(env)] if env else []) + list(FALLBACKS)


def find_data_root() -> Path | None:
    """The data folder (holding ``pop909/``), or None when there is none."""
    for candidate in candidates():
        if (candidate / "pop909").is_dir():
            return candidate
    return None


def data_root() -> Path:
    """The data folder; :class:`FileNotFoundError` naming the places looked at when there is none."""
    root = find_data_root()
    if root is None:
        looked = ", ".join(str(c) for c in candidates())
        raise FileNotFoundError(f"POP909 data not found (looked in {looked}): set MOTIF_DATA to the folder holding pop909/")
    return root
