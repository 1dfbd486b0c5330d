"""The note level's lazy bar model: opened (onnxruntime imported) only for a piece whose chordal
track leads, recorded in the report only then. Real files, the real shipped model, real onnxruntime."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import motifcli
from conftest import DATA, REPO, has_leading_chordal_track, subprocess_env
from motifcli.errors import ModelError
from motifcli.model import LazyModel, lazy, load_model
from motifcli.settings import Settings

POP = REPO / "examples" / "pop909-101.mid"
SONATA = DATA / "bps_motif_dev" / "scores" / "01-1.mid" if DATA is not None else None


def _chorale() -> Path:
    music21 = pytest.importorskip("music21")
    return Path(str(music21.corpus.getWork("bwv1.6")))


def test_the_expectations_are_what_discovery_says() -> None:
    """The rule the tests below lean on: POP909's piano leads, a Bach chorale's four voices do not."""
    assert has_leading_chordal_track(POP)
    assert not has_leading_chordal_track(_chorale())


def test_lazy_model_is_opened_only_for_a_leading_chordal_track() -> None:
    """One LazyModel across runs (as a batch holds it): a chorale leaves it shut and its report's card
    ``{}``; the POP909 song opens it and records the card; a chorale after that still records ``{}``."""
    model = LazyModel()
    chorale = motifcli.annotate(motifcli.read_score(_chorale()), model)
    assert not model.opened and model.uses == 0 and chorale.model == {} and chorale.motifs
    pop = motifcli.annotate(motifcli.read_score(POP), model)
    assert model.opened and model.uses > 0
    assert pop.model == model.card() and pop.model["distance"] == "cosine" and pop.model["path"] == str(model.path)
    again = motifcli.annotate(motifcli.read_score(_chorale()), model)
    assert again.model == {} and [m.name for m in again.motifs] == [m.name for m in chorale.motifs]


def test_cluster_changes_the_pop_song_and_off_matches_no_model() -> None:
    """The model really groups the texture bars (other families than without it), and
    ``texture_model="off"`` is exactly the no-model run (nothing opened, nothing recorded)."""
    score = motifcli.read_score(POP)
    model = LazyModel()
    off = motifcli.annotate(score, model, texture_model="off")
    assert not model.opened and off.model == {}
    from motifcli.families import discover_families

    bare = discover_families(score, None, Settings(texture_model="off").resolve(None).for_score(score))
    assert [len(m.occurrences) for m in off.motifs] == [len(f.occurrences) for f in bare if len(f.occurrences) >= 2][
        : len(off.motifs)
    ]
    clustered = motifcli.annotate(score, model)
    assert model.opened and clustered.model
    key = lambda a: sorted((o.track, round(o.start, 3), round(o.end, 3)) for o in a.occurrences)  # noqa: E731
    assert key(clustered) != key(off)


def test_lazy_model_delegates_opens_once_and_counts_uses(rawroll_path: Path) -> None:
    model = LazyModel(rawroll_path, provider="cpu")
    assert model.path == rawroll_path and not model.opened and "opened=False" in repr(model)
    loaded = load_model(rawroll_path, provider="cpu")
    assert model.spec == loaded.spec and model.opened and model.uses == 1
    session = model.open().session
    rolls = np.zeros((3, *loaded.spec.shape), dtype=np.float32)
    rolls[:, 0, 10] = 1.0
    np.testing.assert_array_equal(model.embed(rolls), loaded.embed(rolls))
    assert model.open().session is session and model.uses == 2  # one session, two uses
    assert model.card()["provider"] == "CPUExecutionProvider" and model.uses == 2  # the card is no use
    assert lazy(model) is model and lazy(loaded).opened and lazy(loaded).path == rawroll_path
    assert not lazy(None).opened and lazy(None).path.name == "motif-default.onnx"


def test_a_bad_lazy_model_fails_on_first_use_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not onnx")
    model = LazyModel(bad)  # nothing checked yet: a chorale would never need it
    with pytest.raises(ModelError, match="bad.onnx"):
        model.spec  # noqa: B018
    with pytest.raises(ModelError, match="provider"):
        LazyModel(bad, provider="tpu")  # the provider's name is checked at once


def test_note_level_defaults_group_texture_bars_with_the_model() -> None:
    from motifcli.discovery import DiscoverySettings
    from motifcli.families import discovery_options, discovery_settings

    assert Settings().texture_model == "cluster" and Settings().uses_model
    assert not Settings(texture_model="off").uses_model
    assert DiscoverySettings().texture_model == "cluster" and DiscoverySettings().texture_model_sensitivity == 0.5
    assert discovery_settings(Settings()).texture_model_distance == 0.0  # the model's calibrated threshold
    assert discovery_options(Settings(sensitivity=0.7))["texture_model_sensitivity"] == 0.7
    assert discovery_settings(Settings(threshold=0.3)).texture_model_distance == 0.3  # explicit, as --unit bar


def test_texture_distance_follows_the_sensitivity_as_unit_bar() -> None:
    """The texture bars' cut: the model's calibrated threshold at 0.5, moved by the sensitivity with
    the bar level's own rule (``threshold_for``)."""
    from motifcli.discovery import DiscoverySettings
    from motifcli.discovery.texture import _model_distances
    from motifcli.settings import threshold_for

    score = motifcli.read_score(POP)
    track = max(score.pitched_tracks(), key=lambda t: len(t.notes))
    used = np.arange(4)
    model = LazyModel()
    for sens in (0.5, 0.8):
        _, limit = _model_distances(score, track, used, model, DiscoverySettings(texture_model_sensitivity=sens))
        assert limit == pytest.approx(threshold_for(sens, model.grouping_threshold))
    assert threshold_for(0.5, model.grouping_threshold) == pytest.approx(model.grouping_threshold)


@pytest.mark.parametrize("option", ["bogus", "on"])
def test_cli_refuses_an_unknown_texture_model(tmp_path: Path, option: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(POP), "-o", str(tmp_path) + "/",
                           "--texture-model", option], env=subprocess_env(), cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "texture model" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_batch_of_a_sonata_and_a_song_records_the_model_for_the_song_only(tmp_path: Path) -> None:
    """Two workers, each with a lazy model: the sonata's report has no card, the song's has the
    shipped model's; the sonata's worker process never imports onnxruntime unless it also took the song."""
    if SONATA is None:
        pytest.skip("BPS data folder (shared/data) not found")
    code = textwrap.dedent(
        f"""
        import sys
        from motifcli.cli import main
        sys.argv = ["motif", "annotate", {str(SONATA)!r}, {str(POP)!r}, "-o", {str(tmp_path / "out")!r} + "/",
                    "--format", "json", "--workers", "2", "--json"]
        import motifcli.cli
        motifcli.cli._fast_exit = lambda code: None
        try:
            main()
        except SystemExit:
            pass
        print("PARENT", "onnxruntime" in sys.modules)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "PARENT False" in proc.stdout  # the main process hands workers a path; it never opens the model
    sonata = json.loads((tmp_path / "out" / f"{SONATA.stem}.motifs.json").read_text())
    song = json.loads((tmp_path / "out" / "pop909-101.motifs.json").read_text())
    assert sonata["model"] == {} and sonata["motifs"]
    assert song["model"]["path"].endswith("motif-default.onnx") and song["motifs"]
