"""``motif annotate FOLDER --across`` and ``motifcli.annotate_collection`` (phase20-acrosscli20.md).

Three short songs (MIDI written with mido, read by the real reader: test_discovery_across's songs)
each state one 5-note motif once, on C, F and B flat. Annotated on their own, no file has a family
holding it; annotated as a collection, every file's JSON report holds it under the same family name,
stated once there, with the collection recorded and the report valid against the schema.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_discovery_across import motif_notes, song, write
from typer.testing import CliRunner

import motifcli
from motifcli.annotation import Annotation
from motifcli.cli import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def motif(*args: object):  # noqa: ANN201
    return runner.invoke(app, [str(a) for a in args])


def folder(tmp_path: Path) -> Path:
    songs = tmp_path / "songs"
    songs.mkdir()
    for k in range(3):
        write(songs / f"song{k}.mid", song(k))
    return songs


def motif_family(data: dict, k: int) -> list[str]:
    """The families of song ``k``'s report with a statement holding the shared motif's notes."""
    return [m["name"] for m in data["motifs"] if any(
        motif_notes(k) <= {(n["onset"], n["pitch"]) for n in o["notes"]} for o in m["occurrences"])]


def reports(out: Path) -> list[dict]:
    return [json.loads((out / f"song{k}.motifs.json").read_text()) for k in range(3)]


def test_across_names_the_motif_stated_once_per_file_alike_in_every_file(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    songs = folder(tmp_path)
    alone = motif("annotate", songs, "-o", tmp_path / "alone", "-f", "json")
    assert alone.exit_code == 0, alone.output
    assert all(motif_family(d, k) == [] for k, d in enumerate(reports(tmp_path / "alone")))  # stated once: no family
    before = {p.name: p.read_bytes() for p in songs.iterdir()}
    result = motif("annotate", songs, "--across", "-o", tmp_path / "out", "-f", "json,musicxml")
    assert result.exit_code == 0, result.output
    datas = reports(tmp_path / "out")
    names = [motif_family(d, k) for k, d in enumerate(datas)]
    assert len(names[0]) == 1 and names[0] == names[1] == names[2], names  # one name, the same motif everywhere
    (name,) = names[0]
    schema = json.loads((REPO / "docs" / "annotation.schema.json").read_text())
    colours = set()
    for data in datas:
        jsonschema.validate(data, schema)
        assert data["collection"] == {"pieces": 3, "per_piece": 8}
        family = next(m for m in data["motifs"] if m["name"] == name)
        assert len(family["occurrences"]) == 1 and family["collection"] == {"pieces": 3, "statements": 3}
        colours.add(family["color"])
        back = Annotation.from_dict(data)  # read back
        assert back.collection == data["collection"]
        assert [m.collection for m in back.motifs] == [m["collection"] for m in data["motifs"]]
        assert data["run"]["options"]["across"] == {"pieces": 3, "per_piece": 8}  # --resume of a plain run redoes it
    assert len(colours) == 1  # one colour too
    assert {p.name: p.read_bytes() for p in songs.iterdir()} == before  # inputs untouched
    for k in range(3):
        assert (tmp_path / "out" / f"song{k}.motifs.musicxml").stat().st_size > 0


def test_across_reports_an_unreadable_file_and_writes_the_others(tmp_path: Path) -> None:
    songs = folder(tmp_path)
    (songs / "broken.mid").write_bytes(b"this is not a MIDI file")
    result = motif("annotate", songs, "--across", "-o", tmp_path / "out", "-f", "json", "--json")
    assert result.exit_code == 1, result.output  # the batch had a failure
    summary = json.loads(result.stdout)
    assert (summary["ok"], summary["failed"]) == (3, 1)
    (failed,) = [r for r in summary["results"] if r["status"] == "failed"]
    assert failed["path"].endswith("broken.mid") and "\n" not in failed["reason"]
    datas = reports(tmp_path / "out")
    assert all(d["collection"]["pieces"] == 3 for d in datas)  # left out of the collection
    names = [motif_family(d, k) for k, d in enumerate(datas)]
    assert len(names[0]) == 1 and names[0] == names[1] == names[2]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"song{k}.motifs.json" for k in range(3)]


@pytest.mark.parametrize("flag", [["--shard", "1/2"], ["--resume"], ["--unit", "bar"]])
def test_across_refuses_shards_resume_and_bar_windows(tmp_path: Path, flag: list[str]) -> None:
    songs = folder(tmp_path)
    result = motif("annotate", songs, "--across", "-o", tmp_path / "out", *flag)
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "--across" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_annotate_collection_is_the_library_entry(tmp_path: Path) -> None:
    songs = folder(tmp_path)
    paths = [songs / f"song{k}.mid" for k in range(3)]
    annotations = motifcli.annotate_collection(paths, motifcli.Settings(max_families=3))
    assert [Path(a.source).name for a in annotations] == [p.name for p in paths]
    assert all(len(a.motifs) <= 3 and a.collection == {"pieces": 3, "per_piece": 3} for a in annotations)
    held = [{m.name for m in a.motifs if any(motif_notes(k) <= {(n.onset, n.pitch) for n in o.notes}
                                             for o in m.occurrences)} for k, a in enumerate(annotations)]
    assert len(held[0]) == 1 and held[0] == held[1] == held[2]
    order = [[m.name for m in a.motifs] for a in annotations]
    assert all(o == sorted(o, key=lambda n: (len(n), n)) for o in order)  # the collection's order in every file


def test_a_family_keeps_its_colour_in_every_file_and_differs_from_its_neighbours() -> None:
    from motifcli.annotation import PALETTE, family_name
    from motifcli.collection import shared_colours

    names = [family_name(k) for k in range(40)]  # A and Q, B and R, ...: one colour each by place mod 16
    files = [[names[k], names[k + 16], names[k + 32 if k + 32 < 40 else k + 1]] for k in range(16)]
    colours = shared_colours(files)
    assert set(colours) == {n for f in files for n in f} and set(colours.values()) <= set(PALETTE)
    assert all(len({colours[n] for n in f}) == len(f) for f in files)  # no file repeats a colour


def test_across_refuses_a_collection_over_the_note_limit_as_one_error(tmp_path: Path) -> None:
    songs = folder(tmp_path)  # 3 songs of 13 notes: each under 20, together over 20
    result = motif("annotate", songs, "--across", "-o", tmp_path / "out", "--max-discovery-notes", 20)
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and "--max-discovery-notes" in result.output, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert motif("annotate", songs, "--across", "-o", tmp_path / "out", "--max-discovery-notes", 40).exit_code == 0


def test_the_note_limit_error_names_a_file_left_out_before_it(tmp_path: Path) -> None:
    """The run ends with one error and no summary, so the line a left-out file would have had in the
    summary goes into that error (before, "the 3 files hold ..." for 4 inputs, the 4th never named)."""
    songs = folder(tmp_path)  # 3 songs of 13 notes
    (songs / "broken.mid").write_bytes(b"this is not a MIDI file")
    result = motif("annotate", songs, "--across", "-o", tmp_path / "out", "--max-discovery-notes", 20)
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1, result.output
    assert "the 3 files hold 39 notes together" in result.output
    assert "; left out before it: " in result.output and "broken.mid: not a readable MIDI file" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
