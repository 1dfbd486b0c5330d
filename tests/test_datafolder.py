"""The one data-folder lookup (training/datafolder.py) that tests, benchmarks and training share."""

from __future__ import annotations

import subprocess
import sys

import pytest

from training import datafolder


def test_motif_data_comes_first(tmp_path, monkeypatch):
    (tmp_path / "pop909").mkdir()
    monkeypatch.setenv("MOTIF_DATA", str(tmp_path))
    assert datafolder.find_data_root() == tmp_path
    assert datafolder.data_root() == tmp_path


def test_a_folder_without_pop909_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTIF_DATA", str(tmp_path))
    monkeypatch.setattr(datafolder, "FALLBACKS", (tmp_path / "nowhere",))
    assert datafolder.find_data_root() is None
    with pytest.raises(FileNotFoundError, match="set MOTIF_DATA"):
        datafolder.data_root()


def test_every_user_imports_the_same_lookup():
    import conftest
    import writers_fixtures

    from training import data

    assert data.data_root is datafolder.data_root
    assert conftest.DATA == datafolder.find_data_root()
    assert writers_fixtures.DATA == (datafolder.find_data_root() or datafolder.FALLBACKS[-1])


def test_importing_it_does_not_import_torch():
    code = "import sys, training.datafolder; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
