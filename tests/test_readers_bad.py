"""Every file of the bad-input corpus (tests/data/bad, made by tests/data/make_bad_files.py) has one
exact expected outcome at the reader level: a Score with stated properties, or a ScoreReadError whose
message holds a stated phrase. Each read must finish within 10 s and keep its Python allocations
small (tracemalloc), which is what catches entity and zip bombs. Time is this process's CPU time
(time.process_time), so a busy shared machine does not make the bounds flaky.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# imported before any measurement, so music21's own import time and memory are not counted
from music21.musicxml import xmlToM21  # noqa: F401

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits
from motifcli.readers.midi import read_midi
from motifcli.readers.musicxml import read_musicxml
from motifcli.score import Score, TempoChange, TimeSignature

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
SECONDS = 10.0
PEAK_BYTES = 64 * 1024 * 1024  # Python allocations while reading one file


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_bad_files", DATA / "make_bad_files.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("make_bad_files", module)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@dataclass(frozen=True)
class Ok:
    """The file reads; ``check`` states what the Score must look like."""

    check: Callable[[Score], bool]
    what: str


@dataclass(frozen=True)
class Err:
    """The file is refused with a ScoreReadError whose message contains ``phrase``."""

    phrase: str


def names(score: Score) -> list[str]:
    return [t.name for t in score.tracks]


def counts(score: Score) -> list[int]:
    return [len(t.notes) for t in score.tracks]


EXPECTED: dict[str, Ok | Err] = {
    # ---- MIDI -------------------------------------------------------------------------------
    "midi_empty.mid": Err("file is empty"),
    "midi_random_bytes.mid": Err("MThd not found"),
    "midi_truncated_in_track.mid": Err("not a readable MIDI file (it ends before its last track does: cut short or damaged)"),
    "midi_chunk_length_too_long.mid": Err("not a readable MIDI file (it ends before its last track does: cut short or damaged)"),
    "midi_chunk_length_too_short.mid": Err("not a readable MIDI file (it ends before its last track does: cut short or damaged)"),
    "midi_header_length_huge.mid": Err("not a readable MIDI file"),
    "midi_header_says_3_tracks_has_1.mid": Err("not a readable MIDI file (it ends before its last track does: cut short or damaged)"),
    "midi_running_status_first.mid": Err("running status without last_status"),
    "midi_running_status_across_sysex.mid": Ok(
        lambda s: counts(s) == [2] and [n.pitch for n in s.tracks[0].notes] == [60, 62], "two notes, 60 and 62"
    ),
    "midi_type2.mid": Ok(lambda s: names(s) == ["A", "B"] and counts(s) == [4, 6], "tracks A (4 notes), B (6)"),
    "midi_no_tracks.mid": Ok(lambda s: s.tracks == [] and s.note_count == 0, "no tracks"),
    "midi_tracks_without_notes.mid": Ok(
        lambda s: names(s) == ["CONDUCTOR", "EMPTY"]
        and s.note_count == 0
        and s.pitched_tracks() == []
        and s.tempos == [TempoChange(0.0, 400_000)],
        "two empty tracks, no pitched track, tempo kept",
    ),
    "midi_drums_only.mid": Ok(
        lambda s: len(s.tracks) == 1 and s.tracks[0].is_drum and counts(s) == [12] and s.pitched_tracks() == [],
        "one drum track of 12 notes, no pitched track",
    ),
    "midi_one_note.mid": Ok(
        lambda s: s.note_count == 1 and (s.tracks[0].notes[0].onset, s.tracks[0].notes[0].offset) == (0.0, 1.0),
        "one note, beats 0-1",
    ),
    "midi_note_ons_without_offs.mid": Ok(
        lambda s: counts(s) == [3] and all(n.offset == 3.0 for n in s.tracks[0].notes),
        "three notes ended at the end of the track (beat 3)",
    ),
    "midi_tempo_zero.mid": Ok(lambda s: s.tempos == [] and s.note_count == 8, "tempo 0 ignored, 8 notes"),
    "midi_tempo_max.mid": Ok(lambda s: s.tempos == [TempoChange(0.0, 2**24 - 1)], "tempo 2^24-1 kept"),
    "midi_1_tick_per_beat.mid": Ok(
        lambda s: s.ticks_per_beat == 1 and [n.onset for n in s.tracks[0].notes] == [0.0, 1.0, 2.0, 3.0],
        "1 tick per beat: onsets 0,1,2,3",
    ),
    "midi_32767_ticks_per_beat.mid": Ok(
        lambda s: s.ticks_per_beat == 32767 and s.end_beat == 4.0, "32767 ticks per beat: 4 beats"
    ),
    "midi_division_2_15.mid": Err("SMPTE time division is not supported"),
    "midi_division_0.mid": Err("invalid ticks per beat (0)"),
    "midi_timesig_0_0.mid": Ok(lambda s: s.time_signatures == [] and s.note_count == 8, "0/x signature ignored"),
    "midi_timesig_7_1.mid": Ok(lambda s: s.time_signatures == [TimeSignature(0.0, 7, 1)], "7/1 kept"),
    "midi_timesig_short.mid": Err("not a readable MIDI file"),
    "midi_key_signature_invalid.mid": Err("Could not decode key"),
    "midi_non_ascii_names.mid": Ok(lambda s: names(s) == ["メロディー", "Mélodie bass"], "UTF-8 and latin-1 names"),
    "midi_pitch_and_velocity_over_127.mid": Ok(
        lambda s: all(0 <= n.pitch <= 127 and 0 <= n.velocity <= 127 for n in s.tracks[0].notes) and s.note_count == 2,
        "data bytes over 127 clipped",
    ),
    "midi_sysex_length_huge.mid": Err("exceeds maximum length"),
    # issue 8 #13: read as the three tracks it holds (the MIDI writer saves it as type 1)
    "midi_type0_says_3_tracks.mid": Ok(lambda s: counts(s) == [8, 8, 8], "three tracks of 8 notes"),
    # issue 8 #10: names keep what the file says; writers drop the control characters
    "midi_control_chars_in_names.mid": Ok(
        lambda s: names(s) == ["Mel\x00ody \x1b[31mred\x1b[0m", "Bass\x07"], "names as written (stripped)"
    ),
    # issue 8 #18: 20 tracks read (music21 is not involved in reading MIDI)
    "midi_20_tracks.mid": Ok(lambda s: counts(s) == [4] * 20, "20 tracks of 4 notes"),
    # issue 8 #4: reads fine (the MusicXML writer refuses to notate 37,500 bars: test_writers_musicxml)
    "midi_notes_far_apart.mid": Ok(lambda s: s.note_count == 4 and s.end_beat == 150_001.0, "4 notes"),
    # ---- MusicXML ---------------------------------------------------------------------------
    "mx_not_xml.musicxml": Err("not an XML file"),
    "mx_binary.xml": Err("not an XML file"),
    "mx_not_musicxml.xml": Err("XML but not MusicXML: the root element is <html>"),
    "mx_broken_xml.musicxml": Err("broken XML"),
    "mx_xxe_local_file.musicxml": Err("declares XML entities"),
    "mx_xxe_parameter_entity.musicxml": Err("declares XML entities"),
    "mx_billion_laughs.musicxml": Err("declares XML entities"),
    "mx_10000_parts.musicxml": Err("more than 1,000 parts (raise the limit with --max-parts)"),
    "mx_1024th_note.musicxml": Ok(
        lambda s: [(n.onset, n.offset, n.pitch) for n in s.tracks[0].notes] == [(0.0, 1 / 256, 67), (4.0, 5.0, 60)],
        "a 1/1024 note lasts 1/256 beat; the next note starts on beat 4",
    ),
    # documented choice: missing <divisions> means 1 division per quarter note
    "mx_missing_divisions.musicxml": Ok(
        lambda s: [(n.onset, n.offset) for n in s.tracks[0].notes] == [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, 4.0)],
        "missing divisions default to 1: four quarter notes",
    ),
    "mx_divisions_zero.musicxml": Err("invalid <divisions> value '0'"),
    "mx_duration_nan.musicxml": Err("invalid <duration> value 'NaN'"),
    "mx_deep_nesting.musicxml": Err("nested more than 64 elements deep"),
    "mx_no_parts.musicxml": Err("without any <part>"),
    "mx_bad_pitch.musicxml": Err("music21 cannot read (PitchException"),
    "mx_utf16.musicxml": Ok(lambda s: names(s) == ["Mélodie"] and s.note_count == 4, "UTF-16 file reads"),
    # ---- .mxl -------------------------------------------------------------------------------
    "mxl_not_zip.mxl": Err("not a .mxl file (not a readable zip archive"),
    "mxl_random_bytes.mxl": Err("not a .mxl file"),
    "mxl_zip_bomb.mxl": Err("over the 268,435,456-byte limit (raise the limit with --max-unzipped-bytes)"),
    "mxl_zip_bomb_lying_size.mxl": Err("Bad CRC-32"),
    "mxl_zip_bomb_bzip2_lying_size.mxl": Err("uses compression method 12; only stored and deflated members are read"),
    "mxl_evil_entry.mxl": Ok(lambda s: names(s) == ["Melody"] and s.note_count == 4, "reads score.xml, in memory"),
    "mxl_evil_rootfile.mxl": Err("points to an unsafe path '../../evil.xml'"),
    "mxl_container_missing_target.mxl": Err("points to 'missing.xml', which is not in the archive"),
    "mxl_no_container.mxl": Ok(lambda s: names(s) == ["Melody"] and s.note_count == 4, "root-level fallback"),
    "mxl_no_container_only_nested.mxl": Err("no .xml/.musicxml file at the archive root"),
    "mxl_xxe_inside.mxl": Err("declares XML entities"),
    "mxl_container_xxe.mxl": Err("declares XML entities"),
    "mxl_container_not_xml.mxl": Err("not an XML file"),
    # issue 8 #9: the container's rootfile wins over a decoy, however it is spelled (the writer
    # annotates the same member: tests/test_writers_musicxml.py)
    "mxl_rootfile_dot_slash.mxl": Ok(lambda s: names(s) == ["Melody"] and s.note_count == 4, "./score.xml"),
    "mxl_rootfile_application_xml.mxl": Ok(lambda s: names(s) == ["Melody"] and s.note_count == 4, "application/xml"),
    "mxl_no_container_decoy.mxl": Ok(lambda s: names(s) == ["Melody"] and s.note_count == 4, "first root member"),
}


def read_any(path: Path, limits: ReadLimits | None = None) -> Score:
    return read_midi(path, limits) if path.suffix == ".mid" else read_musicxml(path, limits)


def measured(fn: Callable[[], object]) -> tuple[object, float, int]:
    """(result or ScoreReadError, seconds, peak traced bytes); other exceptions propagate."""
    tracemalloc.start()
    start = time.process_time()
    try:
        try:
            result: object = fn()
        except ScoreReadError as exc:
            result = exc
        return result, time.process_time() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def check_outcome(result: object, expected: Ok | Err) -> None:
    if isinstance(expected, Err):
        assert isinstance(result, ScoreReadError), f"expected an error with {expected.phrase!r}, got {result!r}"
        assert expected.phrase in result.message, result.message
        assert "Traceback" not in str(result) and "\n" not in str(result)
    else:
        assert isinstance(result, Score), f"expected a Score ({expected.what}), got {result!r}"
        assert expected.check(result), f"{expected.what}: got {[(t.name, len(t.notes)) for t in result.tracks]}"


def test_table_covers_the_whole_corpus():
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == set(EXPECTED), (on_disk ^ set(EXPECTED))


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_bad_file(filename: str):
    path = BAD / filename
    result, seconds, peak = measured(lambda: read_any(path))
    check_outcome(result, EXPECTED[filename])
    if isinstance(result, ScoreReadError):
        assert result.path == str(path)
    assert seconds < SECONDS
    assert peak < PEAK_BYTES, f"{peak:,} bytes traced"


def test_committed_corpus_matches_the_generator():
    """The script stays the source of the files: regenerating gives the same content."""
    files = gen.all_files(include_big=False)
    assert set(files) == set(EXPECTED) - {"mxl_zip_bomb.mxl"}
    with zipfile.ZipFile(BAD / "mxl_zip_bomb.mxl") as archive:  # the big one, by its directory
        info = archive.getinfo("score.xml")
        assert info.file_size == gen.BIG_BOMB_BYTES and info.compress_size < 1_000
    for filename, data in files.items():
        on_disk = (BAD / filename).read_bytes()
        if on_disk != data and filename.endswith(".mxl") and zipfile.is_zipfile(io.BytesIO(data)):
            # compressed bytes may differ between zlib builds: compare what the archives hold
            def members(blob: bytes) -> list[tuple[str, int, int]]:
                with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                    return [(i.filename, i.CRC, i.file_size) for i in archive.infolist()]

            assert members(on_disk) == members(data), filename
        else:
            assert on_disk == data, filename


# ---- bombs and secrets, with tighter budgets --------------------------------------------------


def test_billion_laughs_fails_fast_with_little_memory():
    result, seconds, peak = measured(lambda: read_musicxml(BAD / "mx_billion_laughs.musicxml"))
    assert isinstance(result, ScoreReadError)
    assert seconds < 1.0
    assert peak < 4 * 1024 * 1024, f"{peak:,} bytes traced"


def test_zip_bomb_fails_fast_with_little_memory():
    result, seconds, peak = measured(lambda: read_musicxml(BAD / "mxl_zip_bomb.mxl"))
    assert isinstance(result, ScoreReadError)
    assert seconds < 1.0
    assert peak < 4 * 1024 * 1024, f"{peak:,} bytes traced"


@pytest.mark.parametrize("filename", ["mxl_zip_bomb_lying_size.mxl", "mxl_zip_bomb_bzip2_lying_size.mxl"])
def test_lying_zip_bomb_stops_early(filename: str):
    result, seconds, peak = measured(lambda: read_musicxml(BAD / filename))
    assert isinstance(result, ScoreReadError)
    assert seconds < 1.0
    assert peak < 4 * 1024 * 1024, f"{peak:,} bytes traced"


def test_archive_with_too_many_files_fails_before_zipfile_lists_them(tmp_path: Path):
    path = tmp_path / "crowded.mxl"
    path.write_bytes(gen.mxl([(f"f{i}.txt", b"") for i in range(20_000)] + [("score.xml", gen.musicxml(gen.FOUR))]))
    result, seconds, peak = measured(lambda: read_musicxml(path))
    assert isinstance(result, ScoreReadError)
    assert "holds 20,001 files, more than the 10,000 motif reads" in result.message
    assert seconds < 1.0 and peak < 4 * 1024 * 1024


@pytest.mark.parametrize(("count", "declare", "shown"), [(70_000, None, "70,002"), (12_000, 3, "12,002")])
def test_entry_limit_holds_for_zip64_counts_and_lying_end_records(tmp_path: Path, count, declare, shown):
    """Issue 8 #8: over 65,535 entries the end record's count is 0xFFFF (ZIP64), which used to skip
    the 10,000-entry limit; an end record that lies about the count must not skip it either."""
    path = tmp_path / "crowded.mxl"
    path.write_bytes(gen.many_entries_mxl(count, declare))
    if declare is None:
        assert path.read_bytes().count(b"PK\x06\x06") == 1  # really a ZIP64 archive
    result, seconds, peak = measured(lambda: read_musicxml(path))
    assert isinstance(result, ScoreReadError), result
    assert f"holds {shown} files, more than the 10,000 motif reads" in result.message
    assert seconds < 2.0 and peak < path.stat().st_size + 4 * 1024 * 1024  # the file, read once, and little more


def test_reading_is_linear_in_bars(tmp_path: Path):
    """Issue 8 #5: music21 inserted each measure with a scan of all earlier ones (20,000 one-note
    bars took 7.8 minutes). 10,000 bars must now cost about ten times what 1,000 cost, not 100."""
    def cpu_seconds(bars: int) -> float:
        path = tmp_path / f"bars{bars}.musicxml"
        path.write_text(gen.one_note_bars(bars))
        start = time.process_time()
        score = read_musicxml(path)
        seconds = time.process_time() - start
        assert score.note_count == bars and len(score.measure_starts or []) == bars
        assert score.tracks[0].notes[-1].onset == 4.0 * (bars - 1)
        return seconds

    small, big = cpu_seconds(1_000), cpu_seconds(10_000)
    assert big < 25 * small + 1.0, f"1,000 bars: {small:.2f} s, 10,000 bars: {big:.2f} s"


def test_unzipped_limit_is_the_one_from_limits(tmp_path: Path):
    path = tmp_path / "small.mxl"
    path.write_bytes((BAD / "mxl_no_container.mxl").read_bytes())
    assert read_musicxml(path).note_count == 4
    with pytest.raises(ScoreReadError, match="over the 100-byte limit"):
        read_musicxml(path, ReadLimits(max_unzipped_bytes=100))


def test_byte_cap_holds_even_when_the_zip_lies():
    """A member that yields more bytes than it declares is cut at the cap (zipfile is not trusted)."""
    from motifcli.readers import mxl as mx

    class LyingArchive:
        def open(self, info):
            return io.BytesIO(b"<" + b" " * 10_000)

    info = zipfile.ZipInfo("score.xml")
    info.file_size = 10
    with pytest.raises(mx.Refused, match="expands past the 1,000-byte limit"):
        mx._read_member(LyingArchive(), info, 1000)  # type: ignore[arg-type]


def test_ten_thousand_parts_fail_fast(tmp_path: Path):
    result, seconds, _ = measured(lambda: read_musicxml(BAD / "mx_10000_parts.musicxml"))
    assert isinstance(result, ScoreReadError) and "--max-parts" in result.message
    assert seconds < 1.0
    # the limit is the one passed in: at it, the (empty) parts are read; one over, refused
    path = tmp_path / "thirty.musicxml"
    path.write_text(gen.many_parts(30))
    score = read_musicxml(path, ReadLimits(max_parts=30))
    assert len(score.tracks) == 30 and score.note_count == 0
    assert [t.part_id for t in score.tracks[:3]] == ["P0", "P1", "P2"]
    with pytest.raises(ScoreReadError, match=r"more than 29 parts \(raise the limit with --max-parts\)"):
        read_musicxml(path, ReadLimits(max_parts=29))


def test_millions_of_measures_fail_fast(tmp_path: Path):
    """music21 spends ~0.2 ms and kilobytes per measure: 200,000 empty ones are refused while parsing."""
    path = tmp_path / "measures.musicxml"
    path.write_text(gen.many_measures(200_000))
    result, seconds, peak = measured(lambda: read_musicxml(path))
    assert isinstance(result, ScoreReadError)
    assert "more than 100,000 measures in all parts (raise the limit with --max-notes)" in result.message
    assert seconds < SECONDS and peak < PEAK_BYTES
    # the limit follows --max-notes (a fifth of it), never below 1,000 measures
    small = tmp_path / "thousand.musicxml"
    small.write_text(gen.many_measures(1_500))
    assert len(read_musicxml(small, ReadLimits(max_notes=7_500)).measure_starts or []) == 1_500
    with pytest.raises(ScoreReadError, match="more than 1,000 measures"):
        read_musicxml(small, ReadLimits(max_notes=10))


@pytest.mark.parametrize("builder", ["xxe_musicxml", "xxe_parameter_musicxml"])
def test_xxe_never_reads_the_local_file(tmp_path: Path, builder: str):
    secret = "TOP-SECRET-" + os.urandom(8).hex()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret)
    path = tmp_path / "xxe.musicxml"
    path.write_text(getattr(gen, builder)(secret_file.as_uri()))
    with pytest.raises(ScoreReadError) as info:
        read_musicxml(path)
    assert secret not in str(info.value) and secret not in repr(info.value)
    assert info.value.__cause__ is None or secret not in str(info.value.__cause__)


def test_xxe_inside_mxl_never_reads_the_local_file(tmp_path: Path):
    secret = "TOP-SECRET-" + os.urandom(8).hex()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret)
    path = tmp_path / "xxe.mxl"
    path.write_bytes(gen.mxl([("META-INF/container.xml", gen.container("s.xml")), ("s.xml", gen.xxe_musicxml(secret_file.as_uri()))]))
    with pytest.raises(ScoreReadError) as info:
        read_musicxml(path)
    assert secret not in str(info.value)


def test_evil_entry_is_never_written_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    for name in ("mxl_evil_entry.mxl", "mxl_evil_rootfile.mxl", "mxl_no_container_only_nested.mxl"):
        (deep / name).write_bytes((BAD / name).read_bytes())
    monkeypatch.chdir(deep)
    before = {p for p in tmp_path.rglob("*")}
    assert read_musicxml(deep / "mxl_evil_entry.mxl").note_count == 4
    for name in ("mxl_evil_rootfile.mxl", "mxl_no_container_only_nested.mxl"):
        with pytest.raises(ScoreReadError):
            read_musicxml(deep / name)
    assert {p for p in tmp_path.rglob("*")} == before
    assert not (tmp_path / "a" / "evil.xml").exists()


# ---- big MIDI files, built in the tmp dir ------------------------------------------------------


def test_200000_notes(tmp_path: Path):
    path = tmp_path / "many.mid"
    path.write_bytes(gen.many_notes_midi(200_000))
    start = time.process_time()  # no tracemalloc here: it slows mido's byte-by-byte parsing 8-fold
    result = read_midi(path)
    assert time.process_time() - start < SECONDS
    assert result.note_count == 200_000 and result.end_beat == 200_000 / 4
    small = tmp_path / "some.mid"
    small.write_bytes(gen.many_notes_midi(2_000))
    with pytest.raises(ScoreReadError, match=r"more than 1,000 notes \(raise the limit with --max-notes\)"):
        read_midi(small, ReadLimits(max_notes=1_000))


def test_too_many_notes_are_refused_before_mido_builds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """600,000 notes (4.8 MB) would cost mido ~150 MB and seconds: the byte scan refuses first."""
    from motifcli.readers import midi as midi_reader

    path = tmp_path / "too_many.mid"
    path.write_bytes(gen.many_notes_midi(600_000))

    def no_mido(*args, **kwargs):
        raise AssertionError("mido should not have been asked to parse this file")

    monkeypatch.setattr(midi_reader.mido, "MidiFile", no_mido)
    start = time.process_time()
    with pytest.raises(ScoreReadError, match=r"more than 500,000 notes \(raise the limit with --max-notes\)"):
        read_midi(path)
    assert time.process_time() - start < SECONDS


def test_too_many_events_are_refused_before_mido(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from motifcli.readers import midi as midi_reader

    controllers = b"".join(gen.vlq(1) + bytes([0xB0, 64, i % 128]) for i in range(5_000))
    path = tmp_path / "pedal.mid"
    path.write_bytes(gen.header(0, 1) + gen.track(gen.melody(4) + controllers))
    assert read_midi(path).note_count == 4
    monkeypatch.setattr(midi_reader, "MIN_EVENT_LIMIT", 1_000)
    with pytest.raises(ScoreReadError, match=r"more than 1,000 MIDI events \(raise the limit with --max-notes\)"):
        read_midi(path, ReadLimits(max_notes=100))
    assert read_midi(path, ReadLimits(max_notes=2_000)).note_count == 4


def test_three_hour_file(tmp_path: Path):
    path = tmp_path / "long.mid"
    path.write_bytes(gen.long_midi(hours=3.0, bpm=120))
    score = read_midi(path)
    assert score.end_beat == 3 * 60 * 120
    assert score.seconds_at(score.end_beat) == pytest.approx(3 * 3600)
    with pytest.raises(ScoreReadError, match="--max-beats"):
        read_midi(path, ReadLimits(max_beats=10_000))


def test_size_limit_comes_first(tmp_path: Path):
    path = tmp_path / "big.musicxml"
    path.write_bytes(b"<" + b" " * 5000)
    with pytest.raises(ScoreReadError, match="over the 1,000-byte limit"):
        read_musicxml(path, ReadLimits(max_bytes=1000))
    with pytest.raises(ScoreReadError, match="over the 1,000-byte limit"):
        read_midi(BAD / "midi_random_bytes.mid", ReadLimits(max_bytes=1000))


def test_missing_file_is_a_read_error(tmp_path: Path):
    with pytest.raises(ScoreReadError, match="cannot read file"):
        read_musicxml(tmp_path / "nope.musicxml")
    with pytest.raises(ScoreReadError, match="cannot read file"):
        read_midi(tmp_path / "nope.mid")


def test_external_dtd_is_never_loaded(tmp_path: Path):
    """A DOCTYPE pointing at a local DTD that defines an entity: the DTD is not read, the entity
    stays undefined, and the secret it holds appears nowhere in the Score."""
    secret = "TOP-SECRET-" + os.urandom(8).hex()
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{secret}">')
    text = gen.musicxml(gen.FOUR, part_name="&leak;", doctype=f'<!DOCTYPE score-partwise SYSTEM "{dtd.as_uri()}">\n')
    path = tmp_path / "external_dtd.musicxml"
    path.write_text(text)
    score = read_musicxml(path)
    assert secret not in repr(score)
    # the name was only the undefined entity: the part is named by its place (its id "P1" since session 25)
    assert score.tracks[0].name == "Part 1" and score.note_count == 4


def test_internal_subset_without_entities_is_fine(tmp_path: Path):
    doctype = '<!DOCTYPE score-partwise [\n  <!ELEMENT score-partwise ANY>\n  <!ATTLIST score-partwise version CDATA "4.0">\n]>\n'
    path = tmp_path / "subset.musicxml"
    path.write_text(gen.musicxml(gen.FOUR, doctype=doctype))
    assert read_musicxml(path).note_count == 4
