"""A fast path for mido's own parse: the same :class:`mido.MidiFile` from ordinary MIDI bytes, ~4x sooner.

``mido.MidiFile(file=..., clip=True)`` reads a file one byte at a time through a file object and
builds each channel message through ``Message.from_bytes`` (decode, then a range check of every
data byte): on a POP909 song that is a quarter of a batch worker's CPU. This module walks the
bytes once and builds the same objects: channel messages with the attributes, values and
attribute order ``Message.from_bytes`` gives them (data bytes clipped to 127, as ``clip=True``
does), meta and sysex messages through mido's own constructors.

Anything out of the ordinary (a chunk that is not MTrk where a track is due, a message running
past its chunk, system common or real-time status bytes, running status with no status, a
truncated file, a negative track count) makes :func:`parse` return None, and the caller falls
back to mido, so unusual and broken files get exactly mido's result or mido's error.
"""

from __future__ import annotations

from typing import Any

import mido

try:  # mido's internals, pinned by the version we test; without them the fast path is off
    from mido.midifiles.meta import build_meta_message, meta_charset
    from mido.midifiles.midifiles import MAX_MESSAGE_LENGTH
    from mido.messages.specs import MIN_PITCHWHEEL
except ImportError:  # pragma: no cover - another mido layout: always mido's parse
    build_meta_message = None  # type: ignore[assignment]

# channel message kinds by the status byte's high nibble: (type, names of the data bytes)
_KINDS: dict[int, tuple[str, tuple[str, ...]]] = {
    0x80: ("note_off", ("note", "velocity")),
    0x90: ("note_on", ("note", "velocity")),
    0xA0: ("polytouch", ("note", "value")),
    0xB0: ("control_change", ("control", "value")),
    0xC0: ("program_change", ("program",)),
    0xD0: ("aftertouch", ("value",)),
}
_PITCHWHEEL = 0xE0


class _Fallback(Exception):
    """Something this fast path does not do exactly as mido: let mido parse the file."""


def parse(data: bytes, charset: str = "latin1") -> mido.MidiFile | None:
    """The :class:`mido.MidiFile` that ``mido.MidiFile(file=BytesIO(data), clip=True)`` builds, or
    None where this fast path cannot promise the same (the caller then asks mido)."""
    if build_meta_message is None:
        return None
    try:
        with meta_charset(charset):
            kind, tracks, tpb = _parse(data)
    except Exception:  # noqa: BLE001 - _Fallback, a truncated file, a meta mido refuses: mido decides
        return None
    midi = mido.MidiFile(charset=charset, clip=True)
    midi.type, midi.ticks_per_beat = kind, tpb  # set after __init__, as mido's own load does (no check)
    midi.tracks = tracks
    return midi


def _parse(data: bytes) -> tuple[int, list[mido.MidiTrack], int]:
    size = len(data)
    if size < 14 or data[:4] != b"MThd":
        raise _Fallback
    header_size = int.from_bytes(data[4:8], "big")
    if header_size < 6 or 8 + header_size > size:
        raise _Fallback
    kind = int.from_bytes(data[8:10], "big", signed=True)
    count = int.from_bytes(data[10:12], "big", signed=True)
    tpb = int.from_bytes(data[12:14], "big", signed=True)
    if count < 0:
        raise _Fallback
    pos = 8 + header_size
    tracks = []
    for _ in range(count):
        if pos + 8 > size or data[pos : pos + 4] != b"MTrk":
            raise _Fallback
        end = pos + 8 + int.from_bytes(data[pos + 4 : pos + 8], "big")
        if end > size:
            raise _Fallback
        tracks.append(_track(data, pos + 8, end))
        pos = end
    return kind, tracks, tpb


def _track(data: bytes, i: int, end: int) -> mido.MidiTrack:
    """The messages of one MTrk chunk's body ``data[i:end]``."""
    track = mido.MidiTrack()
    append = track.append
    new = mido.Message.__new__
    message = mido.Message
    kinds = _KINDS
    last_status = None
    while i < end:
        delta = 0
        while True:  # variable-length delta time
            byte = data[i]
            i += 1
            delta = (delta << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        status = data[i]
        i += 1
        if status < 0x80:  # running status: this byte is the first data byte
            if last_status is None:
                raise _Fallback
            status = last_status
            if status < 0xF0:
                i -= 1  # (mido drops this byte before a sysex: so does this loop)
        elif status != 0xFF:
            last_status = status
        if status < 0xF0:
            high = status & 0xF0
            if high == 0x90 or high == 0x80:  # most of a file: the same dict, built in one go
                msg = new(message)
                vars(msg).update(type="note_on" if high == 0x90 else "note_off", time=delta,
                                 note=min(data[i], 127), velocity=min(data[i + 1], 127), channel=status & 0x0F)
                i += 2
            elif high == _PITCHWHEEL:
                a, b = min(data[i], 127), min(data[i + 1], 127)
                i += 2
                msg = new(message)
                vars(msg).update(type="pitchwheel", time=delta, channel=status & 0x0F,
                                 pitch=a | ((b << 7) + MIN_PITCHWHEEL))
            else:
                type_, names = kinds[high]
                msg = new(message)
                fields: dict[str, Any] = {"type": type_, "time": delta}
                for name in names:
                    fields[name] = min(data[i], 127)
                    i += 1
                fields["channel"] = status & 0x0F
                vars(msg).update(fields)
        elif status == 0xFF:
            meta_type = data[i]
            length, i = _varint(data, i + 1)
            if length > MAX_MESSAGE_LENGTH or i + length > end:
                raise _Fallback
            msg = build_meta_message(meta_type, list(data[i : i + length]), delta)
            i += length
        elif status in (0xF0, 0xF7):
            length, i = _varint(data, i)
            if length > MAX_MESSAGE_LENGTH or i + length > end:
                raise _Fallback
            body = list(data[i : i + length])
            i += length
            if body and body[0] == 0xF0:
                body = body[1:]
            if body and body[-1] == 0xF7:
                body = body[:-1]
            msg = message("sysex", data=[b if b < 127 else 127 for b in body], time=delta)
        else:  # system common / real-time inside a file: rare, mido's business
            raise _Fallback
        if i > end:  # ran past the chunk: mido would read on into the next one
            raise _Fallback
        append(msg)
    return track


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = 0
    while True:
        byte = data[i]
        i += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i
