"""Variants of the tune's removal measured and not kept (phase21-melband21.md), on the pieces merged into one
track (benchmarks.melband_merged's rows; its 'texture_tune' row is the variant's).

    PYTHONPATH=$PWD python -m benchmarks.melband_variants twice --model pop909 val,train
    PYTHONPATH=$PWD python -m benchmarks.melband_variants topvoice --model pop909 val,train

``twice``: the top line taken out, then the remainder's top line too (a band's second melody, POP909's
BRIDGE, under the tune). ``topvoice``: the chordal track's upper voice is its top line
(texture_tune.sounding_top: no note under a held one) instead of the skyline of onsets, so the tune is
searched as the line the bars lost. ``chordtop[=G]``: a top note that tops a chord of 3+ notes struck
together within G semitones of the next one down stays in the bars (a piano's voicing where the tune rests).
``repeat[=M]``: the bars without the top line only where their phrases cover a share of their notes at least
that of the whole track's bars less M (a gate from the music's own repetition). ``low[=K]``: top notes
more than K semitones under the top line's median pitch stay in the bars.
"""

from __future__ import annotations

import sys

import numpy as np

import motifcli.discovery.texture_tune as tt
import motifcli.voices as mv
from motifcli.voice_ids import UPPER


def _twice(track):  # noqa: ANN001, ANN202
    on, off, pi = track.arrays()
    first = tt.sounding_top(on, off, pi)
    rest = np.setdiff1d(np.arange(len(on)), first)
    return np.union1d(first, rest[tt.sounding_top(on[rest], off[rest], pi[rest])])


_split_track = mv.split_track
from motifcli.discovery import texture as _texture  # noqa: E402

_ORIG = _texture.texture_phrases
CHORD_GAP = 4  # chordtop: semitones from a top note down to the next note of its onset group


def _chord_top(track):  # noqa: ANN001, ANN202
    """The top line but the notes that top a chord of 3+ notes struck together, within CHORD_GAP of the
    next one down (a piano's voicing where the tune rests)."""
    on, off, pi = track.arrays()
    top = tt.sounding_top(on, off, pi)
    from motifcli.streams import highest_first

    order, starts = highest_first(on, pi, tt.TOLERANCE)
    ends = np.append(starts[1:], len(order))
    chord_top = {int(order[a]) for a, b in zip(starts.tolist(), ends.tolist())
                 if b - a >= 3 and pi[order[a]] - pi[order[a + 1]] <= CHORD_GAP}
    return np.asarray([i for i in top.tolist() if i not in chord_top], dtype=np.int64)


def _top_voice(track_index, onsets, offsets, pitches, onset_tolerance=0.05, min_chord_share=0.2):  # noqa: ANN001, ANN202
    voices = _split_track(track_index, onsets, offsets, pitches, onset_tolerance, min_chord_share)
    if len(voices) == 2:  # a chordal track: skyline and bass
        top = tt.sounding_top(onsets, offsets, pitches, onset_tolerance)
        voices[0] = mv._voice(track_index, UPPER, top, onsets[top], offsets[top], pitches[top])
    return voices


MARGIN = 0.0  # repeat: the bars without the top line are taken when their repeated share is this much less or more


def _covered(phrases) -> float:  # noqa: ANN001
    """Share of the bars' notes in the phrases' statements (the bars' track: the whole or without its top line)."""
    if not phrases:
        return 0.0
    notes = {i for p in phrases for k in range(len(p.starts)) for i in p.statement(k).tolist()}
    return len(notes) / max(len(phrases[0].bars.track.notes), 1)


def _repeating(score, settings, model=None):  # noqa: ANN001, ANN202
    """The bars without the top line only where they repeat more than the whole track's bars (one lone track)."""
    import dataclasses

    without = _ORIG(score, settings, model)
    if not settings.texture_tune:
        return without
    whole = _ORIG(score, dataclasses.replace(settings, texture_tune=False), model)
    return without if _covered(without) >= _covered(whole) - MARGIN else whole


LOW = 8  # low: semitones below the top line's median pitch a top note may lie and still be the tune's


def _not_low(track):  # noqa: ANN001, ANN202
    """The top line but its notes more than LOW semitones under its median pitch (the piano's own top where
    the tune rests lies well under the tune: POP909 top-line notes of the PIANO track, quartiles -13 / -5 / 0
    semitones from the median, MELODY's -3 / 0 / +3)."""
    on, off, pi = track.arrays()
    top = tt.sounding_top(on, off, pi)
    return top[pi[top] >= np.median(pi[top]) - LOW] if len(top) else top


def main(args: list[str]) -> None:
    if args[0] == "twice":
        tt.tune_notes = _twice
    elif args[0].startswith("chordtop"):  # chordtop or chordtop=G
        global CHORD_GAP
        CHORD_GAP = int(args[0].split("=")[1]) if "=" in args[0] else CHORD_GAP
        tt.tune_notes = _chord_top
    elif args[0].startswith("repeat"):  # repeat or repeat=M
        global MARGIN
        MARGIN = float(args[0].split("=")[1]) if "=" in args[0] else MARGIN
        from motifcli.discovery import texture

        texture.texture_phrases = _repeating
    elif args[0].startswith("low"):  # low or low=K
        global LOW
        LOW = float(args[0].split("=")[1]) if "=" in args[0] else LOW
        tt.tune_notes = _not_low
    elif args[0] == "topvoice":
        mv.split_track = _top_voice
    else:
        raise SystemExit(f"unknown variant {args[0]!r}: twice or topvoice")
    from benchmarks import melband_merged

    melband_merged.main(args[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
