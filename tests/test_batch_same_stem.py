"""A folder holding ``song.mid`` and ``song.musicxml`` (a MuseScore export often does) is annotated whole: the
formats both would write (the JSON report) are named after each whole input name; nothing is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import music21
import pytest
from typer.testing import CliRunner

from motifcli import batch
from motifcli.cli import app
from motifcli.errors import UsageError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_plan_names_shared_formats_after_the_whole_input_name(tmp_path: Path) -> None:
    mid, xml = _touch(tmp_path / "song.mid"), _touch(tmp_path / "song.musicxml")
    alone = _touch(tmp_path / "other.mid")
    jobs = {j.source.name: j.outputs for j in batch.plan(batch.discover([tmp_path]))}
    assert jobs["song.mid"] == {"midi": tmp_path / "song.motifs.mid", "json": tmp_path / "song.mid.motifs.json"}
    assert jobs["song.musicxml"] == {"musicxml": tmp_path / "song.motifs.musicxml",
                                     "json": tmp_path / "song.musicxml.motifs.json"}
    assert jobs["other.mid"]["json"] == tmp_path / "other.motifs.json"  # no clash, the usual name
    # the same with an output folder, and whichever order the files come in
    out = tmp_path / "out"
    for order in ([mid, xml, alone], [xml, alone, mid]):
        named = {j.source.name: j.outputs["json"].name for j in batch.plan(batch.discover(order), None, out)}
        assert named == {"song.mid": "song.mid.motifs.json", "song.musicxml": "song.musicxml.motifs.json",
                         "other.mid": "other.motifs.json"}


def test_same_name_from_two_folders_is_still_refused(tmp_path: Path) -> None:
    one, two = _touch(tmp_path / "one/s.mid"), _touch(tmp_path / "two/s.mid")
    with pytest.raises(UsageError, match="would both write"):
        batch.plan(batch.discover([one, two]), ["json"], tmp_path / "out")


def test_a_folder_with_a_midi_and_a_musicxml_of_one_song_is_annotated_whole(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "song.mid")
    music21.corpus.parse("bach/bwv66.6").write("musicxml", fp=str(folder / "song.musicxml"))
    result = CliRunner().invoke(app, ["annotate", str(folder), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "song.mid.motifs.json", "song.motifs.mid", "song.motifs.musicxml", "song.musicxml.motifs.json"]
    reports = {name: json.loads((out / name).read_text()) for name in ("song.mid.motifs.json", "song.musicxml.motifs.json")}
    assert reports["song.mid.motifs.json"]["source"].endswith("song.mid")
    assert reports["song.musicxml.motifs.json"]["source"].endswith("song.musicxml")
    assert all(r["motifs"] for r in reports.values())
