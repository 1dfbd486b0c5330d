"""Where a song resets the synth, for the channel state of ``--motif-tracks``' copies.

Used by ``--motif-tracks`` (:mod:`motifcli.writers.midi_tracks`) so that a family track, which sits on a channel
of its own, stays silent after a reset the song sends mid-file: a GM System On (also GM2, GS and XG resets) sets every channel's
volume back to 100 in a GM player, the family tracks' included, and FluidSynth then plays them aloud.
"""

from __future__ import annotations

from collections.abc import Iterable

import mido

# (manufacturer-ID prefix, the bytes after the device ID) of a sysex that resets the whole synth: GM System
# On / GM2 System On (7E), Roland GS Reset (41 .. 42 12 40 00 7F 00 41), Yamaha XG System On (43 1n 4C 00 00 7E 00)
_RESETS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (0x7E, (0x09, 0x01)),
    (0x7E, (0x09, 0x03)),
    (0x41, (0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41)),
    (0x43, (0x4C, 0x00, 0x00, 0x7E, 0x00)),
)


def is_reset(msg: mido.Message) -> bool:
    """Whether ``msg`` is a sysex that resets every channel (GM, GM2, GS, XG), whatever its device ID."""
    if msg.type != "sysex" or len(msg.data) < 2:
        return False
    data = tuple(msg.data)
    return any(data[0] == maker and data[2:2 + len(rest)] == rest for maker, rest in _RESETS)


def _absolute(tracks: Iterable[mido.MidiTrack]) -> list[tuple[int, mido.Message]]:
    """Every message of ``tracks`` with its absolute tick, in file order within a tick (track order)."""
    out: list[tuple[int, int, int, mido.Message]] = []
    for number, track in enumerate(tracks):
        tick = 0
        for position, msg in enumerate(track):
            tick += msg.time
            out.append((tick, number, position, msg))
    out.sort(key=lambda e: e[:3])
    return [(tick, msg) for tick, _, _, msg in out]


def reset_ticks(tracks: Iterable[mido.MidiTrack]) -> list[int]:
    """The ticks (ascending, each once) at which a song track resets the synth (:func:`is_reset`)."""
    return sorted({tick for tick, msg in _absolute(tracks) if is_reset(msg)})
