"""The fast paths of issue 10 (branch speed6) give exactly what the slow paths gave.

Each fast path replaces a generic one without changing a result: mido's MIDI parse
(motifcli.readers.midi_fast), mido's MIDI save (motifcli.writers.midi_encode), the closure test of
every repeated pattern (patterns.extending_groups vs. the per-group _extends), and the JSON layout
that cleans strings in the same pass. Real files, real mido; where a fast path declines (returns
None), mido is the one that answers, so its errors stay the same.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import mido
import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import build_lines, window_keys
from motifcli.discovery.patterns import _extends, extending_groups, groups_of
from motifcli.readers.midi_fast import parse
from motifcli.voices import split_voices
from motifcli.writers import json_out
from motifcli.writers.midi_encode import encode

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.mid"))
BAD = sorted((REPO / "tests" / "data" / "bad").glob("midi_*.mid"))


def _messages(midi: mido.MidiFile) -> object:
    """Everything mido's parse decides: file type, division, and per message its class and its
    attributes in order."""
    tracks = [(type(t).__name__, [(type(m).__name__, list(vars(m).items())) for m in t]) for t in midi.tracks]
    return midi.type, midi.ticks_per_beat, midi.charset, tracks


def _mido(data: bytes) -> mido.MidiFile | Exception:
    try:
        return mido.MidiFile(file=io.BytesIO(data), clip=True)
    except Exception as exc:  # noqa: BLE001 - whatever mido raises is the expected answer
        return exc


@pytest.mark.parametrize("path", EXAMPLES + BAD, ids=lambda p: p.name)
def test_fast_parse_is_midos_parse(path: Path) -> None:
    data = path.read_bytes()
    fast, slow = parse(data), _mido(data)
    if fast is None:  # declined: only allowed where mido itself fails or the file is unusual
        assert isinstance(slow, Exception) or path in BAD
        return
    assert not isinstance(slow, Exception), f"fast path read what mido refuses: {slow!r}"
    assert _messages(fast) == _messages(slow)


def test_fast_parse_declines_what_mido_refuses() -> None:
    """Truncations and byte flips of a real song: the fast path either matches mido or declines."""
    data = (REPO / "examples" / "pop909-101.mid").read_bytes()
    rng = np.random.default_rng(7)
    matched = declined = 0
    for k in range(60):
        broken = bytearray(data)
        if k % 3 == 0:
            broken = broken[: int(rng.integers(14, len(data)))]
        else:
            for pos in rng.integers(0, len(data), size=int(rng.integers(1, 6))):
                broken[int(pos)] = int(rng.integers(0, 256))
        fast, slow = parse(bytes(broken)), _mido(bytes(broken))
        if fast is None:
            declined += 1
            continue
        assert not isinstance(slow, Exception), f"case {k}: fast path read what mido refuses ({slow!r})"
        assert _messages(fast) == _messages(slow)
        matched += 1
    assert matched > 0 and declined > 0  # both branches were taken


def test_running_status_across_sysex_matches_mido() -> None:
    """mido drops the data byte that follows a sysex under running status: so must the fast path."""
    data = (REPO / "tests" / "data" / "bad" / "midi_running_status_across_sysex.mid").read_bytes()
    fast = parse(data)
    assert fast is not None
    assert _messages(fast) == _messages(mido.MidiFile(file=io.BytesIO(data), clip=True))


def _saved(midi: mido.MidiFile) -> bytes:
    buf = io.BytesIO()
    midi.save(file=buf)
    return buf.getvalue()


@pytest.mark.parametrize("path", EXAMPLES + [p for p in BAD if not isinstance(_mido(p.read_bytes()), Exception)],
                         ids=lambda p: p.name)
def test_fast_encode_is_midos_save(path: Path) -> None:
    midi = mido.MidiFile(file=io.BytesIO(path.read_bytes()), clip=True)
    try:
        expected: bytes | None = _saved(midi)
    except Exception:  # noqa: BLE001 - mido cannot save it: the fast path must decline
        expected = None
    fast = encode(midi)
    assert fast == expected or (fast is None and expected is not None and midi.type == 0)


def test_fast_encode_with_new_events_is_midos_save() -> None:
    """Markers, lyrics, a sysex, a pitch bend and an end-of-track in mid-track (its time moves on)."""
    midi = mido.MidiFile(REPO / "examples" / "pop909-202.mid", clip=True)
    for track in midi.tracks[:2]:
        track.insert(3, mido.MetaMessage("marker", text="Motif A1", time=0))
        track.insert(5, mido.MetaMessage("end_of_track", time=7))
        track.insert(6, mido.Message("pitchwheel", pitch=-8192, time=1))
        track.insert(7, mido.Message("sysex", data=[1, 2, 3], time=200))
        track.insert(8, mido.MetaMessage("lyrics", text="Motif \xe9", time=20000))
        track.insert(9, mido.Message("aftertouch", value=5, channel=3, time=0))
    assert encode(midi) == _saved(midi)


def test_fast_encode_declines_what_it_does_not_do() -> None:
    midi = mido.MidiFile(REPO / "examples" / "pop909-101.mid", clip=True)
    midi.tracks[1].insert(2, mido.Message("clock", time=0))  # real-time: mido refuses it
    assert encode(midi) is None
    with pytest.raises(ValueError):
        _saved(midi)
    two = mido.MidiFile(type=0)
    two.tracks += [mido.MidiTrack(), mido.MidiTrack()]
    assert encode(two) is None  # mido: "type 0 file must have exactly 1 track"


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
        slow = [_extends(members[indptr[g] : indptr[g + 1]], gid_next, lines, len(lines), share)
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
