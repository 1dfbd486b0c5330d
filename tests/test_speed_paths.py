"""The fast paths of issue 10 (branch speed6) give exactly what the slow paths gave.

Each fast path replaces a generic one without changing a result: the closure test of every
repeated pattern (patterns.extending_groups vs. the plain per-group test kept here) and the JSON layout that
cleans strings in the same pass. (speed6 also built one-pass MIDI parse/save paths beside mido's;
they were not merged: the project reads and writes MIDI with mido, not hand-written codecs.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import build_lines, window_keys
from motifcli.discovery.patterns import extending_groups, groups_of
from motifcli.voices import split_voices
from motifcli.writers import json_out

REPO = Path(__file__).resolve().parents[1]


def _extends(mem: np.ndarray, gid_next: np.ndarray, lines: object, share: float) -> bool:
    """The plain per-group closure test (as patterns.closed_patterns ran it before extending_groups):
    True when ``share`` of the statements continue into one longer pattern (right or left)."""
    need = share * len(mem)
    right = gid_next[mem]
    right = right[right >= 0]
    if len(right) and np.bincount(right).max() >= need:
        return True
    left_pos = mem[mem > 0] - 1
    left_pos = left_pos[lines.same_next[left_pos]]  # type: ignore[attr-defined]
    left = gid_next[left_pos]
    left = left[left >= 0]
    return bool(len(left) and np.bincount(left).max() >= need)


@pytest.mark.parametrize("path", [REPO / "examples" / "pop909-101.mid",
                                  REPO / "tests" / "data" / "bad" / "midi_20_tracks.mid"], ids=lambda p: p.name)
@pytest.mark.parametrize("share", [0.0, 0.5, 0.8, 1.0])
def test_extending_groups_is_extends_per_group(path: Path, share: float) -> None:
    settings = DiscoverySettings()
    lines = build_lines(split_voices(read_score(path)))
    keys = window_keys(lines, settings.max_notes + 1, settings.max_beats, chromatic=True, absolute=False)
    checked = 0
    for n in range(settings.min_notes, settings.max_notes + 1):
        _, indptr, members = groups_of(keys[n])
        gid_next = groups_of(keys[n + 1])[0]
        fast = extending_groups(indptr, members, gid_next, lines, share)
        slow = [_extends(members[indptr[g] : indptr[g + 1]], gid_next, lines, share)
                for g in range(len(indptr) - 1)]
        assert fast.tolist() == slow
        checked += len(slow)
    assert checked > 0


_STD = json.JSONEncoder(ensure_ascii=False)


def _old_layout(value: object, depth: int, out: list[str]) -> None:
    """json_out._layout as it was before speed6 (verbatim but for the encoder's name)."""
    nested = isinstance(value, (dict, list)) and any(
        isinstance(v, (dict, list)) for v in (value.values() if isinstance(value, dict) else value)
    )
    if not nested:
        out.append(_STD.encode(value))
        return
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append(("," if n else "") + pad + _STD.encode(key) + ": ")
            _old_layout(item, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        out.append("[")
        for n, item in enumerate(value):
            out.append(("," if n else "") + pad)
            _old_layout(item, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def _two_pass(annotation: object, score: object) -> str:
    """The JSON text before speed6: clean the whole document, then lay it out with the standard encoder."""
    parts: list[str] = []
    _old_layout(json_out._cleaned(json_out.to_json_dict(annotation, score)), 0, parts)
    return "".join(parts) + "\n"


def test_json_render_cleans_like_the_two_pass_layout(tmp_path: Path) -> None:
    """Control characters in names (a track name with NUL, ESC, DEL, a C1 and a tab) are cleaned
    exactly as before, wherever they sit (a flat record, a list of names, a nested record)."""
    from motifcli import annotate

    score = read_score(REPO / "tests" / "data" / "bad" / "midi_control_chars_in_names.mid")
    score.tracks[0].name = "Pi\x00a\x1bno\x7f\x85\tleft"
    annotation = annotate(score, settings=None)
    text = json_out.render(annotation, score)
    assert text == _two_pass(annotation, score)
    assert "\x1b" not in text and "\x7f" not in text and "\x85" not in text
    assert json.loads(text)["tracks"][0] == "Piano left"


def test_json_encode_is_the_standard_encoder() -> None:
    """The C encoder built once encodes as ``JSONEncoder(ensure_ascii=False).encode`` does, raises
    its errors, and still works after one (its circular-reference markers are rebuilt)."""
    std = json.JSONEncoder(ensure_ascii=False)
    values = [{"track": 3, "onset": 94.160417, "pitch": 43, "voice": None}, ["a", "é\u2028", 1.5e-7, True],
              {"x": float("nan"), "y": float("inf")}, "Motif \x85A1", 12, 0.1, None, {}, [], {"k": (1, 2)}]
    for value in values:
        assert json_out._encode(value) == std.encode(value)
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        json_out._encode(loop)
    with pytest.raises(TypeError):
        json_out._encode({"a": object()})
    assert [json_out._encode(v) for v in values] == [std.encode(v) for v in values]


def test_json_render_of_a_pop_song_is_the_two_pass_layout() -> None:
    """A real pop song's document (thousands of one-line notes, nested records, names): the same text."""
    from motifcli import annotate

    score = read_score(REPO / "examples" / "pop909-101.mid")
    annotation = annotate(score, settings=None)
    text = json_out.render(annotation, score)
    assert text == _two_pass(annotation, score)
    assert text.count('{"track": ') > 500  # notes, one per line


def test_json_clock_times_are_those_of_each_occurrence_alone() -> None:
    """to_json_dict looks the clock times of all occurrences up in one call (phase 7): the same
    values as one lookup per occurrence, here under a tempo map of several changes."""
    from dataclasses import replace

    from motifcli import annotate
    from motifcli.score import TempoChange

    score = read_score(REPO / "examples" / "pop909-101.mid")
    score = replace(score, tempos=[TempoChange(0.0, 500_000), TempoChange(37.25, 612_345), TempoChange(90.0, 411_111)])
    annotation = annotate(score, settings=None)
    data = json_out.to_json_dict(annotation, score)
    checked = 0
    for motif_dict, motif in zip(data["motifs"], annotation.motifs):
        for occ_dict, occ in zip(motif_dict["occurrences"], motif.occurrences):
            start_s, end_s = (float(v) for v in score.seconds_at([occ.start, occ.end]))
            assert list(occ_dict)[-2:] == ["start_seconds", "end_seconds"]  # added last, after "text" and "line"
            assert (occ_dict["start_seconds"], occ_dict["end_seconds"]) == (round(start_s, 6), round(end_s, 6))
            checked += 1
    assert checked > 50 and len({o["start_seconds"] > 37.25 * 0.5 for m in data["motifs"] for o in m["occurrences"]}) == 2


def test_stale_temps_prefilter_removes_what_the_pattern_names_and_nothing_else(tmp_path: Path) -> None:
    """remove_stale_temps skips entries by their start before the regex (phase 7): the temp files
    of a dead writer of dest and of dest's staged copy go, everything else stays."""
    from motifcli.atomic import remove_stale_temps

    dead = 2**22 + 7  # above any pid this machine gives out
    dest = tmp_path / "song.motifs.json"
    gone = [f".song.motifs.json.{dead}.ab12.part", f"..song.motifs.json.{os.getpid()}.staged.part.{dead}.cd_3.part"]
    kept = [f".other.json.{dead}.ab12.part", f"x.song.motifs.json.{dead}.ab12.part", "song.motifs.json",
            f".song.motifs.json.{os.getpid()}.ab12.part", f".song.motifs.jsonx.{dead}.ab12.part",
            f".song.motifs.json.{dead}.ab12.partial", "100.motifs.mid"]
    for name in gone + kept:
        (tmp_path / name).write_text("x")
    removed = remove_stale_temps(dest)
    assert sorted(p.name for p in removed) == sorted(gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_insert_events_keeps_unmoved_messages_and_leaves_the_input_alone() -> None:
    """insert_events reuses each message whose delta does not change (phase 7) instead of copying
    it: the saved bytes are those of copying every message, and the input track is not touched."""
    import io

    import mido

    from motifcli.writers.midi import insert_events

    source = mido.MidiFile(REPO / "examples" / "pop909-101.mid", clip=True)
    for number, track in enumerate(source.tracks):
        before = [m.copy() for m in track]
        ticks, now = [], 0
        for m in track:
            now += m.time
            ticks.append(now)
        new = [(t, mido.MetaMessage("marker", text=f"M{k}")) for k, t in enumerate(ticks[1::7] + [ticks[-1] + 5, 0])]
        out = insert_events(track, new)
        copied = mido.MidiTrack()  # the reference: every event copied with its new delta
        last = 0
        pending = sorted(new, key=lambda e: e[0])
        j = 0
        for tick, msg in zip(ticks, track):
            is_end = msg.type == "end_of_track"
            while j < len(pending) and (pending[j][0] <= tick or is_end):
                copied.append(pending[j][1].copy(time=pending[j][0] - last))
                last = pending[j][0]
                j += 1
            copied.append(msg.copy(time=max(tick, last) - last))
            last = max(tick, last)
        for tick, msg in pending[j:]:
            copied.append(msg.copy(time=tick - last))
            last = tick
        assert [m.bytes() for m in out] == [m.bytes() for m in copied] and [m.time for m in out] == [m.time for m in copied]
        assert list(track) == before, number  # the parsed input is not edited
        reused = {id(m) for m in out} & {id(m) for m in track}
        assert reused or len(track) < 10, number  # most messages are kept, not copied
    def save(tracks: list) -> bytes:
        buf = io.BytesIO()
        mido.MidiFile(type=1, ticks_per_beat=source.ticks_per_beat, tracks=tracks).save(file=buf)
        return buf.getvalue()
    assert save([insert_events(t, [(0, mido.MetaMessage("marker", text="A1"))]) for t in source.tracks]) == save(
        [mido.MidiTrack([mido.MetaMessage("marker", text="A1", time=0), *(m.copy() for m in t)]) for t in source.tracks])
