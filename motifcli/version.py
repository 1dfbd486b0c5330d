"""The installed package's version (``motif --version``, the JSON report)."""

from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("motif")
    except PackageNotFoundError:
        return "0.1.0+local"


__version__ = _version()
