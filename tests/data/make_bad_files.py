"""Generate the bad-input corpus in tests/data/bad/ (run: python tests/data/make_bad_files.py).

Every file is deterministic, so re-running the script reproduces the committed files byte for byte.
MIDI files are written with raw bytes (struct) because mido refuses to write most of them; MusicXML
and .mxl files by hand. Big inputs (200,000 notes, a 3-hour file) are not committed: the tests build
them in a temporary folder with :func:`many_notes_midi`, :func:`long_midi` and
:func:`many_measures`.

The expected outcome of each file is stated in tests/test_readers_bad.py.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"

# --------------------------------------------------------------------------------------------
# MIDI, raw bytes
# --------------------------------------------------------------------------------------------


def vlq(value: int) -> bytes:
    """A MIDI variable-length quantity."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def chunk(tag: bytes, data: bytes, length: int | None = None) -> bytes:
    return tag + struct.pack(">I", len(data) if length is None else length) + data


def header(fmt: int = 1, ntracks: int = 1, division: int = 480) -> bytes:
    return chunk(b"MThd", struct.pack(">HHH", fmt, ntracks, division))


def track(events: bytes, end: bool = True, length: int | None = None) -> bytes:
    if end:
        events += b"\x00\xff\x2f\x00"
    return chunk(b"MTrk", events, length)


def note(delta: int, channel: int, pitch: int, velocity: int = 90) -> bytes:
    return vlq(delta) + bytes([0x90 | channel, pitch, velocity])


def note_off(delta: int, channel: int, pitch: int) -> bytes:
    return vlq(delta) + bytes([0x80 | channel, pitch, 0])


def meta(delta: int, kind: int, data: bytes) -> bytes:
    return vlq(delta) + bytes([0xFF, kind]) + vlq(len(data)) + data


def name(text: bytes) -> bytes:
    return meta(0, 0x03, text)


def tempo(us_per_beat: int, delta: int = 0) -> bytes:
    return meta(delta, 0x51, us_per_beat.to_bytes(3, "big"))


def melody(count: int = 8, channel: int = 0, step: int = 480, first: int = 60) -> bytes:
    """``count`` consecutive notes, one beat each at 480 ticks per beat."""
    out = b""
    for i in range(count):
        out += note(0, channel, first + i % 12) + note_off(step, channel, first + i % 12)
    return out


def far_apart(count: int, beats: int) -> bytes:
    """``count`` one-beat notes, ``beats`` beats apart (480 ticks per beat)."""
    events = b""
    for i in range(count):
        events += note(0 if i == 0 else (beats - 1) * 480, 0, 60 + i) + note_off(480, 0, 60 + i)
    return events


def many_notes_midi(count: int) -> bytes:
    """A single-track file with ``count`` sixteenth notes (built in tests' tmp dirs, not committed)."""
    events = bytearray(name(b"MANY"))
    for i in range(count):
        pitch = 48 + i % 36
        events += note(0, 0, pitch) + note_off(120, 0, pitch)
    return header(0, 1, 480) + track(bytes(events))


def long_midi(hours: float = 3.0, bpm: int = 120) -> bytes:
    """A file ``hours`` long at ``bpm``: one long note every 8 beats and a tempo mark at the start."""
    beats = int(hours * 60 * bpm)
    events = bytearray(name(b"LONG") + tempo(60_000_000 // bpm))
    for _ in range(beats // 8):
        events += note(0, 0, 60) + note_off(8 * 480, 0, 60)
    return header(0, 1, 480) + track(bytes(events))


def midi_files() -> dict[str, bytes]:
    good = header(1, 2, 480) + track(name(b"META") + tempo(500_000)) + track(name(b"MELODY") + melody(16))
    # a valid file cut in the middle of its second track
    truncated = good[: len(good) - 40]
    rng = random.Random(909)
    random_bytes = bytes(rng.randrange(256) for _ in range(2048))
    body = name(b"MELODY") + melody(8)
    files = {
        "midi_empty.mid": b"",
        "midi_random_bytes.mid": random_bytes,
        "midi_truncated_in_track.mid": truncated,
        # declared track length 1,000 bytes longer than the data that follows
        "midi_chunk_length_too_long.mid": header(0, 1) + track(body, length=len(body) + 4 + 1000),
        # declared length 5 bytes short: the last event straddles the chunk end
        "midi_chunk_length_too_short.mid": header(0, 1) + track(body, length=len(body) + 4 - 5),
        # header chunk says 6 bytes are 0xFFFFFFFF bytes
        "midi_header_length_huge.mid": b"MThd" + struct.pack(">IHHH", 0xFFFFFFFF, 0, 1, 480) + track(body),
        # a data byte where the first status byte should be
        "midi_running_status_first.mid": header(0, 1) + track(b"\x00\x3c\x40" + body),
        # running status carried across a meta event and a sysex (allowed only across meta)
        "midi_running_status_across_sysex.mid": header(0, 1)
        + track(
            note(0, 0, 60)
            + b"\x60\x3c\x00"  # running-status note-on velocity 0 (= off)
            + meta(0, 0x01, b"text")
            + b"\x00\x3e\x50"  # running status after meta: legal
            + b"\x00\xf0\x03\x7e\x01\xf7"  # sysex
            + b"\x60\x3e\x00"  # running status after sysex: not legal
        ),
        "midi_type2.mid": header(2, 2) + track(name(b"A") + melody(4)) + track(name(b"B") + melody(6)),
        "midi_no_tracks.mid": header(1, 0),
        "midi_header_says_3_tracks_has_1.mid": header(1, 3) + track(body),
        "midi_tracks_without_notes.mid": header(1, 2)
        + track(name(b"CONDUCTOR") + tempo(400_000))
        + track(name(b"EMPTY") + meta(0, 0x01, b"no notes here")),
        "midi_drums_only.mid": header(0, 1) + track(name(b"DRUMS") + melody(12, channel=9, first=36)),
        "midi_one_note.mid": header(0, 1) + track(name(b"ONE") + note(0, 0, 64) + note_off(480, 0, 64)),
        "midi_note_ons_without_offs.mid": header(0, 1)
        + track(name(b"OPEN") + note(0, 0, 60) + note(0, 0, 64) + note(480, 0, 67) + vlq(960) + b"\xff\x01\x00"),
        "midi_tempo_zero.mid": header(0, 1) + track(tempo(0) + body),
        "midi_tempo_max.mid": header(0, 1) + track(tempo(2**24 - 1) + body),
        "midi_1_tick_per_beat.mid": header(0, 1, 1) + track(name(b"COARSE") + melody(4, step=1)),
        "midi_32767_ticks_per_beat.mid": header(0, 1, 32767) + track(name(b"FINE") + melody(4, step=32767)),
        # 2^15 = 0x8000 sets the SMPTE bit of the division word
        "midi_division_2_15.mid": header(0, 1, 0x8000) + track(body),
        "midi_division_0.mid": header(0, 1, 0) + track(body),
        "midi_timesig_0_0.mid": header(0, 1) + track(meta(0, 0x58, bytes([0, 0, 24, 8])) + body),
        "midi_timesig_7_1.mid": header(0, 1) + track(meta(0, 0x58, bytes([7, 0, 24, 8])) + body),
        "midi_timesig_short.mid": header(0, 1) + track(meta(0, 0x58, bytes([4])) + body),
        "midi_key_signature_invalid.mid": header(0, 1) + track(meta(0, 0x59, bytes([20, 0])) + body),
        "midi_non_ascii_names.mid": header(1, 2)
        + track(name("メロディー".encode()) + melody(4))
        + track(name("Mélodie bass".encode("latin-1")) + melody(4, first=40)),
        "midi_pitch_and_velocity_over_127.mid": header(0, 1)
        + track(vlq(0) + b"\x90\x3c\x40" + vlq(0) + b"\x90" + b"\x7f\x7f" + vlq(480) + b"\x80\x3c\x00"),
        "midi_sysex_length_huge.mid": header(0, 1) + track(vlq(0) + b"\xf0" + vlq(0x0FFFFFFF) + b"\x01\x02", end=False),
        # issue 8 #13: a type-0 header that declares (and holds) 3 tracks
        "midi_type0_says_3_tracks.mid": header(0, 3) + track(body) + track(body) + track(body),
        # issue 8 #10: NUL, ESC and BEL in track names (XML 1.0 cannot hold them; terminals obey ESC)
        "midi_control_chars_in_names.mid": header(1, 2)
        + track(name(b"Mel\x00ody \x1b[31mred\x1b[0m") + melody(8))
        + track(name(b"Bass\x07\x0b") + melody(8, first=40)),
        # issue 8 #18: 20 pitched tracks, more than MIDI's 16 channels
        "midi_20_tracks.mid": header(1, 20)
        + b"".join(track(name(b"T%d" % i) + melody(4, channel=i % 9, first=50 + i)) for i in range(20)),
        # issue 8 #4: 4 notes 50,000 beats apart (under --max-beats), 37,500 bars as notation
        "midi_notes_far_apart.mid": header(0, 1) + track(name(b"FAR") + far_apart(4, 50_000)),
    }
    return files


# --------------------------------------------------------------------------------------------
# MusicXML
# --------------------------------------------------------------------------------------------

PARTWISE_DOCTYPE = (
    '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
    '"http://www.musicxml.org/dtds/partwise.dtd">\n'
)


def musicxml(measures: str, part_name: str = "Melody", divisions: str | None = "<divisions>1</divisions>",
             doctype: str = PARTWISE_DOCTYPE) -> str:
    attributes = f"<attributes>{divisions or ''}<time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + doctype
        + '<score-partwise version="4.0">\n'
        + f'<part-list><score-part id="P1"><part-name>{part_name}</part-name></score-part></part-list>\n'
        + f'<part id="P1"><measure number="1">{attributes}{measures}</measure></part>\n'
        + "</score-partwise>\n"
    )


def quarter(step: str = "C", octave: int = 4, duration: str = "1", kind: str = "quarter") -> str:
    return (
        f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch>"
        f"<duration>{duration}</duration><type>{kind}</type></note>"
    )


FOUR = quarter("C") + quarter("D") + quarter("E") + quarter("F")
SECRET_FILE = "file:///etc/passwd"


def xxe_musicxml(target: str = SECRET_FILE) -> str:
    doctype = f'<!DOCTYPE score-partwise [\n  <!ENTITY xxe SYSTEM "{target}">\n]>\n'
    return musicxml(FOUR, part_name="&xxe;", doctype=doctype)


def xxe_parameter_musicxml(target: str = SECRET_FILE) -> str:
    doctype = f'<!DOCTYPE score-partwise [\n  <!ENTITY % ext SYSTEM "{target}">\n  %ext;\n]>\n'
    return musicxml(FOUR, doctype=doctype)


def billion_laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        lines.append(f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">')
    doctype = "<!DOCTYPE score-partwise [\n" + "\n".join(lines) + "\n]>\n"
    return musicxml(FOUR, part_name="&lol9;", doctype=doctype)


def many_parts(count: int) -> str:
    score_parts = "".join(f'<score-part id="P{i}"><part-name/></score-part>' for i in range(count))
    parts = "".join(f'<part id="P{i}"/>' for i in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise>'
        f"<part-list>{score_parts}</part-list>{parts}</score-partwise>\n"
    )


def many_measures(count: int) -> str:
    """One part of ``count`` empty measures (built in tests' tmp dirs: 200,000 of them is 5 MB)."""
    measures = "".join(f'<measure number="{i + 1}"/>' for i in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise><part-list><score-part id="P1">'
        f'<part-name/></score-part></part-list><part id="P1">{measures}</part></score-partwise>\n'
    )


def one_note_bars(count: int) -> str:
    """One part of ``count`` 4/4 bars of one whole note each (built in tests' tmp dirs)."""
    whole = quarter("C", duration="4", kind="whole")
    first = "<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
    measures = "".join(f'<measure number="{i + 1}">{first if i == 0 else ""}{whole}</measure>' for i in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise><part-list><score-part id="P1">'
        f'<part-name>Bars</part-name></score-part></part-list><part id="P1">{measures}</part></score-partwise>\n'
    )


def musicxml_files() -> dict[str, bytes]:
    tiny_note = (
        "<note><pitch><step>G</step><octave>4</octave></pitch><duration>1</duration><type>1024th</type></note>"
    )
    files = {
        "mx_not_xml.musicxml": b"This is not XML at all.\x00\x01\x02 {not: json either}\n",
        "mx_binary.xml": bytes(random.Random(1).randrange(256) for _ in range(512)),
        "mx_not_musicxml.xml": b'<?xml version="1.0"?>\n<html><body><p>hello</p></body></html>\n',
        "mx_broken_xml.musicxml": musicxml(FOUR).encode()[:-60],
        "mx_xxe_local_file.musicxml": xxe_musicxml().encode(),
        "mx_xxe_parameter_entity.musicxml": xxe_parameter_musicxml().encode(),
        "mx_billion_laughs.musicxml": billion_laughs().encode(),
        "mx_10000_parts.musicxml": many_parts(10_000).encode(),
        # 256 divisions per quarter: a 1/1024 note lasts 1 division
        "mx_1024th_note.musicxml": musicxml(
            tiny_note + "<forward><duration>1023</duration></forward>" + quarter("C", duration="256")
            + "<forward><duration>512</duration></forward>",
            divisions="<divisions>256</divisions>",
        ).encode(),
        "mx_missing_divisions.musicxml": musicxml(FOUR, divisions=None).encode(),
        "mx_divisions_zero.musicxml": musicxml(FOUR, divisions="<divisions>0</divisions>").encode(),
        "mx_duration_nan.musicxml": musicxml(quarter(duration="NaN") + quarter()).encode(),
        "mx_deep_nesting.musicxml": (
            '<?xml version="1.0"?><score-partwise>' + "<x>" * 5000 + "</x>" * 5000 + "</score-partwise>"
        ).encode(),
        "mx_no_parts.musicxml": b'<?xml version="1.0"?><score-partwise><part-list/></score-partwise>',
        "mx_bad_pitch.musicxml": musicxml(
            "<note><pitch><step>Q</step><octave>4</octave></pitch><duration>4</duration><type>whole</type></note>"
        ).encode(),
        "mx_utf16.musicxml": musicxml(FOUR, part_name="Mélodie").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16"),
    }
    return files


# --------------------------------------------------------------------------------------------
# .mxl
# --------------------------------------------------------------------------------------------


def container(full_path: str, media: str = "application/vnd.recordare.musicxml+xml") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<container><rootfiles>'
        f'<rootfile full-path="{full_path}" media-type="{media}"/>'
        "</rootfiles></container>\n"
    )


def mxl(members: list[tuple[str, bytes | str]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def lie_about_size(data: bytes, declared: int, member: bytes = b"score.xml") -> bytes:
    """Rewrite the uncompressed-size fields of ``member`` (local and central headers) to ``declared``."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        if out[at + 30 : at + 30 + len(member)] == member:
            struct.pack_into("<I", out, at + 22, declared)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        if out[at + 46 : at + 46 + len(member)] == member:
            struct.pack_into("<I", out, at + 24, declared)
        at += 4
    return bytes(out)


def bomb(size: int, declared: int | None = None, compression: int = zipfile.ZIP_BZIP2) -> bytes:
    """A .mxl whose score.xml is ``size`` bytes of spaces after '<' (bzip2: a few hundred bytes).

    Written in 1 MB pieces so making it costs no memory; ``declared`` rewrites the sizes in the zip
    headers to lie about the expansion.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", (2024, 1, 1, 0, 0, 0)), container("score.xml"))
        info = zipfile.ZipInfo("score.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = compression
        with archive.open(info, "w", force_zip64=False) as member:
            member.write(b"<")
            piece = b" " * (1024 * 1024)
            for _ in range(size // len(piece)):
                member.write(piece)
    data = buffer.getvalue()
    return data if declared is None else lie_about_size(data, declared)


def many_entries_mxl(count: int, declare: int | None = None) -> bytes:
    """A .mxl of ``count`` tiny members plus a score (built in tests' tmp dirs: 70,000 is ~7 MB).

    Over 65,535 entries zipfile writes a ZIP64 end record, whose 16-bit count says 0xFFFF;
    ``declare`` rewrites the end record's counts to lie about how many entries there are.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", (2024, 1, 1, 0, 0, 0)), container("score.xml"))
        archive.writestr(zipfile.ZipInfo("score.xml", (2024, 1, 1, 0, 0, 0)), musicxml(FOUR))
        for i in range(count):
            archive.writestr(zipfile.ZipInfo(f"x/{i}", (2024, 1, 1, 0, 0, 0)), b"")
    out = bytearray(buffer.getvalue())
    if declare is not None:
        at = out.rfind(b"PK\x05\x06")
        struct.pack_into("<HH", out, at + 8, declare, declare)
    return bytes(out)


DECOY = musicxml(FOUR + FOUR, part_name="Decoy")  # what a reader of the wrong member would find


BIG_BOMB_BYTES = 300 * 1024 * 1024 + 1  # what mxl_zip_bomb.mxl's score.xml expands to


def mxl_files(include_big: bool = True) -> dict[str, bytes]:
    """The .mxl corpus; ``include_big=False`` leaves out the 300 MB bomb (3 s of bzip2 to make)."""
    score = musicxml(FOUR)
    files = {
        "mxl_not_zip.mxl": score.encode(),
        "mxl_random_bytes.mxl": b"PK\x03\x04" + bytes(random.Random(2).randrange(256) for _ in range(1000)),
        # deflate, declares 1,000 bytes, holds 40 MB: reading stops at the declared size (bad CRC)
        "mxl_zip_bomb_lying_size.mxl": bomb(40 * 1024 * 1024, declared=1000, compression=zipfile.ZIP_DEFLATED),
        # bzip2 expands a whole compressed chunk at once (zipfile gives it no output limit): refused
        "mxl_zip_bomb_bzip2_lying_size.mxl": bomb(40 * 1024 * 1024, declared=1000),
        "mxl_evil_entry.mxl": mxl(
            [("META-INF/container.xml", container("score.xml")), ("score.xml", score), ("../../evil.xml", score)]
        ),
        "mxl_evil_rootfile.mxl": mxl([("META-INF/container.xml", container("../../evil.xml")), ("../../evil.xml", score)]),
        "mxl_container_missing_target.mxl": mxl([("META-INF/container.xml", container("missing.xml")), ("score.xml", score)]),
        "mxl_no_container.mxl": mxl([("mimetype", "application/vnd.recordare.musicxml"), ("song.musicxml", score)]),
        "mxl_no_container_only_nested.mxl": mxl([("sub/score.xml", score), ("../../evil.xml", score)]),
        "mxl_xxe_inside.mxl": mxl([("META-INF/container.xml", container("score.xml")), ("score.xml", xxe_musicxml())]),
        "mxl_container_xxe.mxl": mxl(
            [
                (
                    "META-INF/container.xml",
                    '<?xml version="1.0"?><!DOCTYPE container [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    '<container><rootfiles><rootfile full-path="&e;"/></rootfiles></container>',
                ),
                ("score.xml", score),
            ]
        ),
        "mxl_container_not_xml.mxl": mxl([("META-INF/container.xml", "garbage"), ("score.xml", score)]),
        # issue 8 #9: the score is score.xml; a reader that misses it takes decoy.xml (first by name)
        "mxl_rootfile_dot_slash.mxl": mxl(
            [("META-INF/container.xml", container("./score.xml")), ("score.xml", score), ("decoy.xml", DECOY)]
        ),
        "mxl_rootfile_application_xml.mxl": mxl(
            [("META-INF/container.xml", container("score.xml", "application/xml")), ("score.xml", score),
             ("decoy.xml", DECOY)]
        ),
        "mxl_no_container_decoy.mxl": mxl([("score.xml", score), ("a_decoy.xml", DECOY)]),
    }
    if include_big:
        # 300 MB once unzipped, over the 256 MB default of --max-unzipped-bytes
        files["mxl_zip_bomb.mxl"] = bomb(BIG_BOMB_BYTES - 1)
    return files


def all_files(include_big: bool = True) -> dict[str, bytes]:
    return {**midi_files(), **musicxml_files(), **mxl_files(include_big)}


def main() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    files = all_files()
    for filename, data in sorted(files.items()):
        (BAD / filename).write_bytes(data)
    print(f"wrote {len(files)} files to {BAD}")


if __name__ == "__main__":
    main()
