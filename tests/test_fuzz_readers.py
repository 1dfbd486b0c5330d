"""Fuzzing both readers: the only allowed outcomes are a Score or a ScoreReadError, within 10 s.

Inputs are real files mutated byte by byte (flips, truncations, insertions, deletions), MusicXML with
its numbers replaced by hostile ones, and MIDI files generated from random mido message lists.
``MOTIF_FUZZ_EXAMPLES`` sets the number of examples per test (default: a few hundred in all).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.readers.midi import count_events, read_midi
from motifcli.readers.musicxml import read_musicxml
from motifcli.score import Score
from training.datafolder import find_data_root

BAD = Path(__file__).resolve().parent / "data" / "bad"
SECONDS = 10.0
_ENV = os.environ.get("MOTIF_FUZZ_EXAMPLES")


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=int(_ENV) if _ENV else default,
        deadline=None,  # music21's first import takes seconds; time is checked in `outcome` instead
        database=None,  # nothing written into the repository
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _pop909_song() -> Path | None:
    root = find_data_root()
    song = root / "pop909" / "021" / "021.mid" if root is not None else None
    return song if song is not None and song.is_file() else None


POP909_SONG = _pop909_song()

HAND_MUSICXML = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="4.0">
<part-list><score-part id="P1"><part-name>Flute</part-name><midi-instrument id="I1"><midi-channel>1</midi-channel></midi-instrument></score-part>
<score-part id="P2"><part-name>Drums</part-name></score-part></part-list>
<part id="P1"><measure number="1"><attributes><divisions>4</divisions><key><fifths>2</fifths></key>
<time><beats>3</beats><beat-type>4</beat-type></time><staves>1</staves></attributes>
<direction><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>90</per-minute></metronome></direction-type></direction>
<note><grace/><pitch><step>A</step><octave>5</octave></pitch><type>16th</type></note>
<note><pitch><step>B</step><alter>-1</alter><octave>5</octave></pitch><duration>6</duration><tie type="start"/><type>quarter</type><dot/></note>
<note><chord/><pitch><step>D</step><octave>5</octave></pitch><duration>6</duration><type>quarter</type><dot/></note>
<note><pitch><step>C</step><octave>6</octave></pitch><duration>2</duration><type>eighth</type>
<time-modification><actual-notes>3</actual-notes><normal-notes>2</normal-notes></time-modification></note>
<backup><duration>8</duration></backup><forward><duration>2</duration></forward>
<note><rest/><duration>2</duration><voice>2</voice><type>eighth</type></note></measure>
<measure number="2"><note><pitch><step>B</step><alter>-1</alter><octave>5</octave></pitch><duration>12</duration><tie type="stop"/><type>half</type><dot/></note></measure></part>
<part id="P2"><measure number="1"><attributes><divisions>1</divisions></attributes>
<note><unpitched><display-step>C</display-step><display-octave>5</display-octave></unpitched><duration>3</duration><type>half</type><dot/></note></measure>
<measure number="2"><note><unpitched><display-step>F</display-step><display-octave>4</display-octave></unpitched><duration>3</duration><type>half</type><dot/></note></measure></part>
</score-partwise>
"""


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="motif-fuzz-") as name:
        yield Path(name)


def outcome(reader: Callable[[Path], Score], path: Path) -> Score | ScoreReadError:
    """Read ``path``; anything but a Score or a ScoreReadError fails the test (and so does taking
    more than 10 s of CPU time)."""
    start = time.process_time()
    try:
        result: Score | ScoreReadError = reader(path)
    except ScoreReadError as exc:
        result = exc
        assert "\n" not in str(exc) and "Traceback" not in str(exc)
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"{path.name}: {elapsed:.1f} s"
    if isinstance(result, Score):
        for track in result.tracks:
            for note in track.notes:
                assert 0 <= note.pitch <= 127
                assert note.offset >= note.onset >= 0
            assert track.notes == sorted(track.notes, key=lambda n: (n.onset, n.pitch))
    return result


# ---- byte mutations --------------------------------------------------------------------------

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**31), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 2**31), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 2**31), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 2**31), st.integers(1, 64)),
    st.tuples(st.just("set"), st.integers(0, 2**31), st.sampled_from([0x00, 0x7F, 0x80, 0xFF])),
)


def mutate(data: bytes, operations: list[tuple]) -> bytes:
    out = bytearray(data)
    for kind, position, arg in operations:
        if not out:
            break
        at = position % len(out)
        if kind == "flip":
            out[at] ^= arg
        elif kind == "truncate":
            del out[at:]
        elif kind == "insert":
            out[at:at] = arg
        elif kind == "delete":
            del out[at : at + arg]
        elif kind == "set":
            out[at] = arg
    return bytes(out)


def seeds(*names: str) -> list[tuple[str, bytes]]:
    return [(name, (BAD / name).read_bytes()) for name in names]


MIDI_SEEDS = seeds("midi_type2.mid", "midi_drums_only.mid", "midi_non_ascii_names.mid", "midi_tracks_without_notes.mid")
if POP909_SONG is not None:
    MIDI_SEEDS.append(("pop909.mid", POP909_SONG.read_bytes()[:6000]))  # header and a few hundred events


@fuzz_settings(200)
@given(seed=st.sampled_from(MIDI_SEEDS), operations=st.lists(mutation, min_size=1, max_size=6))
def test_mutated_midi(workdir: Path, seed: tuple[str, bytes], operations: list[tuple]):
    path = workdir / "mutated.mid"
    data = mutate(seed[1], operations)
    path.write_bytes(data)
    outcome(read_midi, path)
    # the byte scan that guards the note limit never raises and always ends, whatever the bytes
    notes, events = count_events(data)
    assert 0 <= notes <= events <= len(data)
    # and with the limits forced low, the reader's own scan refuses or lets mido decide
    outcome(lambda p: read_midi(p, ReadLimits(max_notes=1)), path)


MUSICXML_SEEDS = [("hand.musicxml", HAND_MUSICXML.encode())] + seeds("mx_1024th_note.musicxml", "mx_utf16.musicxml")


@fuzz_settings(150)
@given(seed=st.sampled_from(MUSICXML_SEEDS), operations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_musicxml(workdir: Path, seed: tuple[str, bytes], operations: list[tuple]):
    path = workdir / "mutated.musicxml"
    path.write_bytes(mutate(seed[1], operations))
    outcome(read_musicxml, path)


hostile_number = st.one_of(
    st.sampled_from(["0", "-1", "-0", "1e308", "1e-308", "inf", "nan", "", " ", "9" * 40, "0.0001", "1/2", "x"]),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
NUMBERS = [m.start() for m in re.finditer(r">-?\d+<", HAND_MUSICXML)] + [
    m.start() for m in re.finditer(r'"\d+"', HAND_MUSICXML)
]


@fuzz_settings(150)
@given(changes=st.lists(st.tuples(st.sampled_from(NUMBERS), hostile_number), min_size=1, max_size=3))
def test_musicxml_with_hostile_numbers(workdir: Path, changes: list[tuple[int, str]]):
    """Every number in the hand score (divisions, durations, octaves, alters, tuplets, ...) replaced."""
    text = HAND_MUSICXML
    for at, value in sorted(set(changes), reverse=True):
        end = text.index("<" if text[at] == ">" else '"', at + 1)
        text = text[: at + 1] + value + text[end:]
    path = workdir / "numbers.musicxml"
    path.write_text(text, encoding="utf-8")
    outcome(read_musicxml, path)


MXL_SEEDS = seeds("mxl_no_container.mxl", "mxl_evil_entry.mxl", "mxl_container_missing_target.mxl")


@fuzz_settings(100)
@given(seed=st.sampled_from(MXL_SEEDS), operations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_mxl(workdir: Path, seed: tuple[str, bytes], operations: list[tuple]):
    path = workdir / "mutated.mxl"
    path.write_bytes(mutate(seed[1], operations))
    outcome(read_musicxml, path)


# ---- generated MIDI structures ---------------------------------------------------------------

channel = st.integers(0, 15)
data7 = st.integers(0, 127)
delta = st.one_of(st.integers(0, 960), st.integers(0, 2**20))
latin1 = st.text(st.characters(min_codepoint=1, max_codepoint=255), max_size=12)

message = st.one_of(
    st.builds(lambda c, n, v, t: mido.Message("note_on", channel=c, note=n, velocity=v, time=t), channel, data7, data7, delta),
    st.builds(lambda c, n, t: mido.Message("note_off", channel=c, note=n, time=t), channel, data7, delta),
    st.builds(lambda c, p, t: mido.Message("program_change", channel=c, program=p, time=t), channel, data7, delta),
    st.builds(lambda c, v, t: mido.Message("pitchwheel", channel=c, pitch=v, time=t), channel, st.integers(-8192, 8191), delta),
    st.builds(lambda d, t: mido.Message("sysex", data=d, time=t), st.lists(data7, max_size=8), delta),
    st.builds(lambda v, t: mido.MetaMessage("set_tempo", tempo=v, time=t), st.integers(0, 2**24 - 1), delta),
    st.builds(
        lambda n, d, t: mido.MetaMessage("time_signature", numerator=n, denominator=d, time=t),
        st.integers(0, 255),
        st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128, 2**20]),
        delta,
    ),
    st.builds(lambda s, t: mido.MetaMessage("track_name", name=s, time=t), latin1, delta),
    st.builds(lambda s, t: mido.MetaMessage("text", text=s, time=t), latin1, delta),
    st.builds(lambda k, t: mido.MetaMessage("key_signature", key=k, time=t), st.sampled_from(["C", "F#m", "Bb"]), delta),
)


@fuzz_settings(200)
@given(
    kind=st.integers(0, 2),
    tpb=st.one_of(st.sampled_from([1, 2, 96, 480, 32767]), st.integers(1, 32767)),
    tracks=st.lists(st.lists(message, max_size=30), min_size=1, max_size=4),
)
def test_generated_midi(workdir: Path, kind: int, tpb: int, tracks: list[list]):
    if kind == 0:
        tracks = tracks[:1]
    midi = mido.MidiFile(type=kind, ticks_per_beat=tpb)
    for messages in tracks:
        midi.tracks.append(mido.MidiTrack(messages))
    path = workdir / "generated.mid"
    midi.save(path)
    result = outcome(read_midi, path)
    longest = max(sum(m.time for m in t) for t in tracks) / tpb
    if longest > ReadLimits().max_beats:
        assert isinstance(result, ScoreReadError) and "--max-beats" in result.message
        return
    # a well-formed file always reads, and every note-on with velocity becomes a note
    assert isinstance(result, Score), result
    expected = sum(1 for t in tracks for m in t if m.type == "note_on" and m.velocity > 0)
    assert result.note_count == expected
    assert count_events(path.read_bytes())[0] == expected  # the pre-scan counts the same notes
    assert result.ticks_per_beat == tpb


# ---- generated MusicXML structures -----------------------------------------------------------

small = st.integers(0, 12)
step = st.sampled_from(list("ABCDEFG") + ["H", ""])
kinds = st.sampled_from(["whole", "half", "quarter", "eighth", "16th", "32nd", "1024th", "breve", "long", "", "x"])


@st.composite
def xml_note(draw) -> str:
    parts = ["<note>"]
    if draw(st.booleans()) and draw(st.booleans()):
        parts.append("<grace/>")
    if draw(st.integers(0, 4)) == 0:
        parts.append("<chord/>")
    body = draw(st.sampled_from(["pitch", "pitch", "pitch", "rest", "unpitched", "none"]))
    if body == "pitch":
        alter = draw(st.sampled_from(["", "<alter>1</alter>", "<alter>-2</alter>", "<alter>0.5</alter>", "<alter>40</alter>"]))
        parts.append(f"<pitch><step>{draw(step)}</step>{alter}<octave>{draw(st.integers(-2, 11))}</octave></pitch>")
    elif body == "rest":
        parts.append("<rest/>")
    elif body == "unpitched":
        parts.append(f"<unpitched><display-step>{draw(step)}</display-step><display-octave>{draw(small)}</display-octave></unpitched>")
    if draw(st.integers(0, 5)):
        parts.append(f"<duration>{draw(small)}</duration>")
    for tie in draw(st.lists(st.sampled_from(["start", "stop", "continue", "bogus"]), max_size=2)):
        parts.append(f'<tie type="{tie}"/>')
    if draw(st.booleans()):
        parts.append(f"<voice>{draw(st.integers(1, 4))}</voice>")
    parts.append(f"<type>{draw(kinds)}</type>" + "<dot/>" * draw(st.integers(0, 3)))
    if draw(st.integers(0, 6)) == 0:
        parts.append(
            f"<time-modification><actual-notes>{draw(small)}</actual-notes>"
            f"<normal-notes>{draw(small)}</normal-notes></time-modification>"
        )
    if draw(st.integers(0, 8)) == 0:
        parts.append(f"<staff>{draw(st.integers(1, 3))}</staff>")
    parts.append("</note>")
    return "".join(parts)


xml_event = st.one_of(
    xml_note(),
    xml_note(),
    xml_note(),
    st.builds(lambda d: f"<backup><duration>{d}</duration></backup>", small),
    st.builds(lambda d: f"<forward><duration>{d}</duration></forward>", small),
    st.builds(
        lambda d, b, t, s: f"<attributes><divisions>{d}</divisions><time><beats>{b}</beats><beat-type>{t}</beat-type></time>"
        f"<staves>{s}</staves></attributes>",
        st.integers(1, 16),
        st.sampled_from(["1", "3", "4", "3+2", "7", "0", "33"]),
        st.sampled_from(["1", "2", "4", "8", "3", "0"]),
        st.integers(1, 3),
    ),
    st.builds(
        lambda bpm: f'<direction><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>{bpm}</per-minute>'
        f'</metronome></direction-type><sound tempo="{bpm}"/></direction>',
        st.sampled_from(["60", "0", "-5", "1e9", "x", "120.5"]),
    ),
)


@st.composite
def xml_score(draw) -> str:
    part_count = draw(st.integers(1, 3))
    score_parts = "".join(
        f'<score-part id="P{i}"><part-name>{draw(st.sampled_from(["", "Piano", "Drums"]))}</part-name></score-part>'
        for i in range(part_count)
    )
    parts = []
    for i in range(draw(st.integers(0, part_count + 1))):  # sometimes a part with no <score-part>
        measures = []
        for number in range(draw(st.integers(0, 4))):
            head = "<attributes><divisions>2</divisions></attributes>" if number == 0 and draw(st.booleans()) else ""
            events = "".join(draw(st.lists(xml_event, max_size=8)))
            implicit = ' implicit="yes"' if draw(st.integers(0, 5)) == 0 else ""
            measures.append(f'<measure number="{number}"{implicit}>{head}{events}</measure>')
        parts.append(f'<part id="P{i}">{"".join(measures)}</part>')
    return f'<?xml version="1.0"?><score-partwise><part-list>{score_parts}</part-list>{"".join(parts)}</score-partwise>'


@fuzz_settings(100)
@given(text=xml_score())
def test_generated_musicxml(workdir: Path, text: str):
    path = workdir / "generated.musicxml"
    path.write_text(text, encoding="utf-8")
    result = outcome(read_musicxml, path)
    if isinstance(result, Score):
        assert result.note_count <= text.count("<note>")
        assert all(n.duration > 0 for t in result.tracks for n in t.notes)
        if result.measure_starts is not None:
            assert len(result.measure_starts) == len(result.measure_numbers or [])
