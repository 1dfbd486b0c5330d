"""The mark of a MIDI track that motif appended as a copy of one family's notes (``--motif-tracks``).

Shared by the writer that appends such tracks (:mod:`motifcli.writers.midi_tracks`) and the reader that
skips them (:mod:`motifcli.readers.midi`), so that annotating an annotated file finds the song's families;
it lives beside both rather than in either, since writers do not import readers (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any, Iterable

# the data of the sequencer-specific event (FF 7F; 0x7D: the ID for non-commercial use) at tick 0 of a
# track motif wrote as a copy of one family's notes (--motif-tracks). Not a text event: MuseScore 3's
# import prints a text event as staff text, on another part's staff
COPY_TAG = (0x7D, *b"motif family copy")


def is_copy_track(track: Iterable[Any]) -> bool:
    """Whether ``track`` (a mido track) is a family's copy motif appended: :data:`COPY_TAG` at tick 0."""
    for msg in track:
        if msg.time:
            return False
        if msg.type == "sequencer_specific" and tuple(msg.data) == COPY_TAG:
            return True
    return False
