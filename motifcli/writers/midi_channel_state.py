"""What a player's channel state is at a tick of a song: its instrument, and where the song resets the synth.

Used by ``--motif-tracks`` (:mod:`motifcli.writers.midi_tracks`) so that a family track, which sits on a channel
of its own, (1) plays with the instrument its notes come from once a producer unmutes it (a channel with no
program change is a piano in every GM player, FluidSynth measured: benchmarks/phase27-daw27.md), and (2) stays
silent after a reset the song sends mid-file: a GM System On (also GM2, GS and XG resets) sets every channel's
volume back to 100 in a GM player, the family tracks' included, and FluidSynth then plays them aloud.
"""

from __future__ import annotations

from collections.abc import Iterable

import mido

BANK_MSB, BANK_LSB = 0, 32  # CC0 / CC32: bank select, sent before a program change (GS/XG variations)

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


Events = list[tuple[int, mido.Message]]  # (absolute tick, message) of a song, in playing order


def song_events(tracks: Iterable[mido.MidiTrack]) -> Events:
    """Every message of ``tracks`` with its absolute tick, in file order within a tick (track order): made once
    and handed to :func:`reset_ticks` and :func:`instrument_at` (each family asks)."""
    out: list[tuple[int, int, int, mido.Message]] = []
    for number, track in enumerate(tracks):
        tick = 0
        for position, msg in enumerate(track):
            tick += msg.time
            out.append((tick, number, position, msg))
    out.sort(key=lambda e: e[:3])
    return [(tick, msg) for tick, _, _, msg in out]


def reset_ticks(events: Events) -> list[int]:
    """The ticks (ascending, each once) at which the song (:func:`song_events`) resets the synth (:func:`is_reset`)."""
    return sorted({tick for tick, msg in events if is_reset(msg)})


def instrument_at(events: Events, channel: int, tick: int) -> list[mido.Message]:
    """The messages that give a fresh channel the instrument ``channel`` plays at ``tick`` in the song (``events``,
    :func:`song_events`): bank select (CC0, CC32: only those the song sent) and a program change, as the song
    last set them at or before ``tick`` (after its last reset). Messages on channel 0 at time 0, for the caller
    to move to its channel; empty when the song set no program there, so the copy keeps GM's default, the piano
    the song's channel plays too."""
    bank: dict[int, int] = {}
    program: int | None = None
    for at, msg in events:
        if at > tick:
            break
        if is_reset(msg):
            bank, program = {}, None
        if msg.is_meta or getattr(msg, "channel", None) != channel:
            continue
        if msg.type == "control_change" and msg.control in (BANK_MSB, BANK_LSB):
            bank[msg.control] = msg.value
        elif msg.type == "program_change":
            program = msg.program
    if program is None:
        return []
    out = [mido.Message("control_change", control=c, value=v) for c, v in sorted(bank.items())]
    return [*out, mido.Message("program_change", program=program)]
