"""A short tune's rhythmic motif: a rhythm that returns with other pitches (``DiscoverySettings.rhythm_motifs``).

Folk-song analysts name motifs by their rhythm as well as by their intervals: MTC-ANN's "8884.8884." is three
quavers and a long note, twice, sung to other pitches in the next phrase. The interval keys of
:mod:`motifcli.discovery.candidates` cannot join such statements. In a short tune (``core._short_tune``) the
longest window of ``rhythm_min_notes``-``rhythm_max_notes`` notes whose inter-onset intervals and last note
value return at a place that does not overlap it, with other intervals, and whose rhythm is not one even
value, is one more family, added before the output order (salience.opening_ordered) ranks them all
(phase19-folk19.md).
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.candidates import diatonic_steps
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.voices import Voice

DECIMALS = 3  # beats: a notated rhythm compares exactly at this rounding


def rhythm_starts(voice: Voice, lo: int, hi: int) -> tuple[list[int], int] | None:
    """Starts and length of the longest returning rhythm with other intervals (earliest first), or None."""
    onsets, offsets, pitches = voice.onsets, voice.offsets, voice.pitches
    for length in range(hi, lo - 1, -1):
        keys: dict[tuple[float, ...], list[int]] = {}
        for s in range(len(voice) - length + 1):
            iois = np.round(np.diff(onsets[s:s + length]), DECIMALS)
            last = round(float(offsets[s + length - 1] - onsets[s + length - 1]), DECIMALS)
            keys.setdefault((*iois.tolist(), last), []).append(s)
        for key, starts in keys.items():  # in order of first statement
            if len(set(key[:-1])) < 2:  # one even value is a pulse, not a rhythm
                continue
            chosen: list[int] = []
            for s in starts:
                if all(abs(s - c) >= length for c in chosen):
                    chosen.append(s)
            shapes = {tuple(np.diff(pitches[s:s + length]).tolist()) for s in chosen}
            if len(chosen) >= 2 and len(shapes) > 1:  # one shape is a pitch repeat: the interval keys have it
                return chosen, length
    return None


def rhythm_family(voice: Voice, settings: DiscoverySettings) -> Family | None:
    """The tune's rhythmic motif as a family (prototype = first statement), or None."""
    found = rhythm_starts(voice, settings.rhythm_min_notes, settings.rhythm_max_notes)
    if found is None:
        return None
    starts, length = found
    first = voice.pitches[starts[0]:starts[0] + length]
    occs = []
    for s in starts:
        idx = range(s, s + length)
        notes = tuple(NoteRef(voice.track, int(voice.note_indices[i]), voice.voice, float(voice.onsets[i]),
                              float(voice.offsets[i]), int(voice.pitches[i])) for i in idx)
        here = voice.pitches[s:s + length]
        shift = int(here[0] - first[0])
        change = float(np.mean(np.abs(np.diff(here) - np.diff(first))))  # semitones per interval
        occs.append(Occurrence(notes, shift, diatonic_steps(shift), 1.0 / (1.0 + change)))
    coverage = len(starts) * length / max(len(voice), 1)
    salience = coverage * float(np.mean([o.similarity for o in occs])) * float(np.log2(1 + len(occs)))
    return Family("", tuple(occs), salience, coverage, length)
