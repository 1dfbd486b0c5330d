"""--sensitivity, --min-notes and --max-families reach texture families (issue 10: "keep clear meanings").

Through the real CLI on the bundled POP909 song (its PIANO track gets texture families), reading the
JSON it writes: ``voice`` 2 marks a texture occurrence's notes.

- ``--sensitivity s``: two bars are one texture symbol when their cardinality score is at least
  ``0.4 ** (2 s)`` (1 = identical at 0, the tuned 0.4 at 0.5, 0.16 at 1); an occurrence's similarity
  is the mean of its bars' scores, so no texture occurrence is less similar than that bound, and
  at 0 every one is an exact (transposed) repeat.
- ``--min-notes n``: a bar with fewer than n notes states no texture (library level: every bar of
  every texture statement has n notes or more).
- ``--max-families n``: the n most salient families of the default run, texture ones included.

These are the semantics of texture bars compared by their points, so the runs here say
``--texture-model off``: with the default ``cluster`` a leading chordal track's bars are grouped by
the bar model instead, cut at the model's threshold moved by the sensitivity (tests/test_lazy_model.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.texture import texture_phrases
from motifcli.families import discovery_options
from motifcli.settings import Settings
from motifcli.voice_ids import TEXTURE

REPO = Path(__file__).resolve().parents[1]
SONG = REPO / "examples" / "pop909-101.mid"


def _annotate(tmp_path: Path, *options: str) -> dict:
    out = tmp_path / "-".join(o.strip("-") for o in options or ("default",))
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(SONG), "-o", f"{out}/", "-f", "json",
         "--texture-model", "off", *options],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "pop909-101.motifs.json").read_text())


def _texture_occurrences(doc: dict) -> list[dict]:
    return [o for m in doc["motifs"] for o in m["occurrences"] if o["notes"][0]["voice"] == TEXTURE]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("texture-options")
    return {
        "default": _annotate(tmp),
        "exact": _annotate(tmp, "--sensitivity", "0"),
        "loose": _annotate(tmp, "--sensitivity", "1"),
        "top3": _annotate(tmp, "--max-families", "3"),
    }


def test_the_report_records_texture_bars_grouped_by_their_notes(runs: dict[str, dict]) -> None:
    """``--texture-model off`` changes the families found, so the report's settings say it; a default run's
    settings (the bar model, "cluster") and a bar-level run (which has no texture bars) do not carry the key."""
    assert all(doc["settings"]["texture_model"] == "off" for doc in runs.values())
    assert "texture_model" not in Settings(unit="note").to_dict()
    assert "texture_model" not in Settings(unit="bar", texture_model="off").to_dict()
    assert Settings(unit="note", texture_model="off").to_dict()["texture_model"] == "off"


def test_sensitivity_maps_to_the_texture_bar_similarity() -> None:
    sims = [discovery_options(Settings(sensitivity=s, unit="note"))["texture_similarity"] for s in (0.0, 0.5, 1.0)]
    assert sims == pytest.approx([1.0, DiscoverySettings().texture_similarity, 0.16])


def test_sensitivity_bounds_texture_similarity(runs: dict[str, dict]) -> None:
    default, exact, loose = (_texture_occurrences(runs[k]) for k in ("default", "exact", "loose"))
    assert default and exact and loose, "the POP909 song has texture families at every sensitivity"
    assert all(o["similarity"] == pytest.approx(1.0) for o in exact)
    assert min(o["similarity"] for o in default) >= 0.4 - 1e-6
    assert min(o["similarity"] for o in default) < 1.0  # varied bars are accepted at the default
    assert min(o["similarity"] for o in loose) >= 0.16 - 1e-6
    assert min(o["similarity"] for o in loose) < 0.4  # and looser ones at sensitivity 1
    # looser matching puts more of the piano's bars into texture statements than exact matching
    assert sum(len(o["notes"]) for o in loose) > sum(len(o["notes"]) for o in exact)


def test_max_families_keeps_the_most_salient_texture_families(runs: dict[str, dict]) -> None:
    top, full = runs["top3"]["motifs"], runs["default"]["motifs"]
    assert len(top) == 3 < len(full)

    def notes(m: dict) -> list[list[tuple[int, int]]]:
        return sorted(sorted((n["track"], n["index"]) for n in o["notes"]) for o in m["occurrences"])

    assert [notes(m) for m in top] == [notes(m) for m in full[:3]]
    assert any(o["notes"][0]["voice"] == TEXTURE for m in top for o in m["occurrences"])


def test_min_notes_is_the_fewest_notes_of_a_texture_bar(tmp_path: Path) -> None:
    score = read_score(SONG)
    fewest = {}
    for n in (4, 12):
        phrases = texture_phrases(score, DiscoverySettings(min_notes=n))
        assert phrases
        fewest[n] = min(len(p.bars.notes[b]) for p in phrases for k, s in enumerate(p.starts.tolist())
                        for b in range(s, s + int(p.spans[k])))
        assert fewest[n] >= n
    assert fewest[4] < 12  # at the default, bars of fewer than 12 notes do state textures
    doc = _annotate(tmp_path, "--min-notes", "12")
    tex = _texture_occurrences(doc)
    assert tex and min(len(o["notes"]) for o in tex) >= 12
