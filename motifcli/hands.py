"""A keyboard part written in one MIDI track, split into its two hands (the staves it was written on).

Many MIDI files hold a piano piece, or a lead sheet's tune and chords, in one track. A MusicXML
piano part says each note's staff (:attr:`motifcli.score.Note.staff`) and a track-per-staff MIDI
file says it by track; one track says nothing, so its texture was both hands' bars together: the
tune inside the surface, one family over 70-94% of the notes, and its top line took the left hand's
chord tops wherever the tune held or rested (benchmarks/phase19-hand19.md). Here
the notes are given to two hands as MuseScore's MIDI import puts a piano track on two staves: each
group of notes starting together is cut between the hands where the notes lie nearest to each
hand's recent register (two running centres, a leaky mean of each hand's pitches), each hand as
narrow as it can be, never spanning more than ``SPAN`` semitones with the notes it still holds nor
sounding more than ``FINGERS`` keys. Where one fixed cut lets each hand play every group (a lead
sheet's chords under its tune, Verdi's oom-pah-pah under a resting tune), the piece is cut there
(:func:`clean_cut`): the running centres moved a left-hand chord's upper notes to the right hand.
Measured against the staves of 10 music21 keyboard pieces and 8 BPS movements: 95% / 91% of the
notes in their hand (a fixed cut at middle C: 82% / 80%; phase20-lefthand20.md).

:func:`hands` answers only for a part that needs both staves (as the MusicXML writer's grand staff:
a range of two octaves or more, and each hand holding ``SHARE`` of the notes); None otherwise (a
melody, a bass line, a one-octave accompaniment). :func:`staves_of` reads such a part, alone in its
score and chordal, as a two-staff part (each note's staff its hand: a :data:`Hands`), and
:func:`on_staves` puts it so, so it is read as its MusicXML or its track-per-staff file is: voices
per staff, the texture of the leading staff (``texture_staff``). A run decides this once
(:func:`keyboard_hands`, on the whole file as read) for discovery, the names and the notation.
Pure numpy over the onset groups.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from motifcli.quantiles import percentiles
from motifcli.score import Score
from motifcli.streams import line_count, notated, onset_groups
from motifcli.voices import chord_share

SPAN = 12  # semitones a hand spans at most, notes it holds included (an octave: 10-16 measured, 12 best)
FINGERS = 5  # notes one hand sounds at once
WIDTH = 0.5  # cost of each semitone a hand spans, beside its notes' distance from its centre
SHARE = 0.15  # each hand holds at least this share of the notes, or the part is one hand (notation's grand staff rule)
RANGE = 24  # semitones of range a two-hand part has at least (two octaves: notation's grand staff rule)
LEAK = 0.3  # weight of a hand's newest notes in its running centre
TOLERANCE = 0.05  # beats: notes starting this close together are one group (texture_lead.CHORD_TOLERANCE)
NEAR_BEST = 0.01  # a clean cut agrees with the running split within this share of the best cut's agreement


def split(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Each note's hand (:func:`split_counted`)."""
    return split_counted(onsets, offsets, pitches, tolerance)[0]


def split_counted(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
                  tolerance: float = TOLERANCE) -> tuple[np.ndarray, float]:
    """Each note's hand, 1 = right (upper staff), 2 = left: per onset group (lowest first), the cut
    between the hands with the least cost: each note's distance from its hand's centre plus ``WIDTH``
    per semitone the hand spans; a hand spanning more than ``SPAN`` with the notes it still holds, or
    sounding more than ``FINGERS``, costs 1000 (taken only where no cut avoids it). The centres start
    at the part's lower and upper quartile pitch and move towards each hand's new notes (``LEAK``).
    Where the piece has a clean register boundary (:func:`clean_cut`: a fixed cut that plays every
    group), that cut instead. Also the share of the notes in onset groups that no cut lets two hands play (over ``SPAN`` or
    ``FINGERS`` whatever the cut)."""
    hand = np.ones(len(onsets), dtype=np.int64)
    if len(onsets) == 0:
        return hand, 0.0
    unplayable = 0
    order = np.lexsort((pitches, onsets))
    group = onset_groups(onsets[order], tolerance)
    bounds = np.flatnonzero(np.concatenate([[True], np.diff(group) > 0, [True]]))
    low, high = percentiles(pitches, (25, 75))  # not np.percentile: it imports numpy.ma (quantiles.py)
    centre = {2: low, 1: high}
    sounding: dict[int, list[tuple[float, float]]] = {1: [], 2: []}  # per hand: (offset, pitch) of its notes
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        idx = order[a:b]
        now = float(onsets[idx[0]]) + tolerance
        p = pitches[idx].astype(np.float64)  # ascending
        for h in (1, 2):
            sounding[h] = [(end, q) for end, q in sounding[h] if end > now]
        best, cut = np.inf, 0
        for s in range(len(p) + 1):  # p[:s] to the left hand
            cost = 0.0
            for h, notes in ((2, p[:s]), (1, p[s:])):
                if len(notes):
                    held = np.concatenate([notes, [q for _, q in sounding[h]]])
                    width = float(held.max() - held.min())
                    cost += float(np.abs(notes - centre[h]).sum()) + WIDTH * width
                    cost += 1000.0 if _unplayable(held) else 0.0
            if cost < best:
                best, cut = cost, s
        hand[idx[:cut]] = 2
        unplayable += len(idx) if best >= 1000.0 else 0
        for h, chosen in ((2, idx[:cut]), (1, idx[cut:])):
            if len(chosen):
                centre[h] = (1 - LEAK) * centre[h] + LEAK * float(pitches[chosen].mean())
                sounding[h].extend((float(offsets[i]), float(pitches[i])) for i in chosen.tolist())
    cut_at = clean_cut(pitches[order], bounds, hand[order])
    if cut_at is not None:
        hand = np.where(pitches >= cut_at, 1, 2).astype(np.int64)
    return hand, unplayable / len(onsets)


def _unplayable(chord: np.ndarray) -> bool:
    """Whether one hand cannot play ``chord`` (pitches sounding together): over ``SPAN`` or ``FINGERS``
    keys (a doubled pitch is one key); the running split's rule and :func:`clean_cut`'s."""
    return len(chord) > 0 and (float(chord.max() - chord.min()) > SPAN
                               or (len(chord) > FINGERS and len(np.unique(chord)) > FINGERS))


def clean_cut(pitches: np.ndarray, bounds: np.ndarray, hand: np.ndarray) -> int | None:
    """The piece's clean register boundary, if it has one: a pitch ``b`` (right hand ``>= b``) at which
    a fixed cut lets each hand play every onset group (``SPAN``, ``FINGERS``; notes held over not
    counted); of those that agree with the running split ``hand`` within ``NEAR_BEST`` of the best
    one, the lowest. None where no fixed cut plays every group (``pitches`` and ``hand`` in
    onset-group order, ``bounds`` the groups' edges). Where a fixed cut plays every chord, the
    running centres only move a left-hand chord's upper notes, or a tune's middle C, into the other
    hand as the tune rests or dips (Verdi's oom-pah-pah, a lead sheet's chords below middle C;
    their staves keep them). A cut merely as playable as the split (op. 1/3: both fail on 9-14% of
    the notes) gained notes in their hand but lost families: benchmarks/phase20-lefthand20.md."""
    if len(pitches) == 0 or pitches.min() == pitches.max():
        return None  # one pitch: no cut between notes
    cuts = np.arange(int(pitches.min()) + 1, int(pitches.max()) + 1)
    playable = np.ones(len(cuts), dtype=bool)
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        p = pitches[a:b]
        if not _unplayable(p):  # every part of a chord one hand can play is playable
            continue
        keys = np.unique(p)
        below = np.searchsorted(keys, cuts)  # distinct keys under each cut
        left_bad = (below > 0) & ((keys[np.maximum(below - 1, 0)] - keys[0] > SPAN) | (below > FINGERS))
        right_bad = (below < len(keys)) & ((keys[-1] - keys[np.minimum(below, len(keys) - 1)] > SPAN)
                                           | (len(keys) - below > FINGERS))
        playable &= ~left_bad & ~right_bad
        if not playable.any():
            return None
    right, left = np.sort(pitches[hand == 1]), np.sort(pitches[hand == 2])
    agree = (len(right) - np.searchsorted(right, cuts) + np.searchsorted(left, cuts)) / len(pitches)
    near = playable & (agree >= agree[playable].max() - NEAR_BEST)
    return int(cuts[np.flatnonzero(near)[0]])


def hands(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray | None:
    """:func:`split`'s hands of a part that needs two staves (``RANGE`` and ``SHARE``), else None."""
    if len(pitches) == 0 or int(pitches.max()) - int(pitches.min()) < RANGE:
        return None
    hand = split(onsets, offsets, pitches, tolerance)
    left = int((hand == 2).sum())
    if min(left, len(hand) - left) < SHARE * len(hand):
        return None
    return hand


Hands = dict[int, tuple[int, ...]]  # track (its place in Score.tracks, as NoteRef.track) -> each of its notes' hand (1 right: upper staff, 2 left), in note order


def staves_of(score: Score, chord_tolerance: float, chord_least: float) -> Hands:
    """Each note's hand (:func:`hands`) of ``score``'s one pitched track, when that track is alone, a MIDI
    track (a MusicXML part written on one staff, a guitar's or a harp's, is left so), chordal (``chord_least`` of its onsets sound chords, ``texture_chord_share``: a
    melody is one hand however wide), no steady number of lines (a MIDI chorale reduction or fugue:
    :func:`motifcli.streams.line_count` separates its lines, phases 15-16) and notated
    (:func:`motifcli.streams.notated`: onsets on a grid, as notation software and sequencers write a
    piano piece or a lead sheet); else ``{}``. A performance is left whole: a POP909 song's melody,
    bridge and piano merged into one track (performed) lost with the split (F_est 0.508 -> 0.235 on
    val + train: its hands seldom lead, so its piano's bar texture, which the labels mostly are, went),
    while the notated pieces gained (phase19-hand19.md)."""
    pitched = [t for t in score.pitched_tracks() if t.notes]
    if score.format != "midi" or len(pitched) != 1 or pitched[0].staves() is not None:
        return {}  # a MusicXML part says its own staves: one staff written is one staff (phase20-hands20.md)
    track = pitched[0]
    onsets, offsets, pitches = track.arrays()
    if not notated(onsets) or chord_share(onsets, chord_tolerance) < chord_least:
        return {}
    if line_count(onsets, offsets, pitches, chord_tolerance):
        return {}
    hand = hands(onsets, offsets, pitches, chord_tolerance)
    where = next(k for k, t in enumerate(score.tracks) if t is track)
    return {} if hand is None else {where: tuple(hand.tolist())}


def on_staves(score: Score, reading: Mapping[int, Sequence[int]]) -> Score:
    """``score`` with the notes of each track of ``reading`` on their hands' staves (``Note.staff``);
    ``score`` itself where there is none. A track whose notes are not those the reading was taken
    from (emptied by ``--track``: families._as_discovery_sees_it) is left as it is. The notes keep
    their order, so note references are the input's."""
    chosen = {k for k, t in enumerate(score.tracks) if len(reading.get(k, ())) == len(t.notes) > 0}
    if not chosen:
        return score
    return dataclasses.replace(score, tracks=[
        dataclasses.replace(t, notes=[dataclasses.replace(n, staff=int(h)) for n, h in zip(t.notes, reading[k])])
        if k in chosen else t for k, t in enumerate(score.tracks)])


def keyboard_hands(score: Score, settings: Any) -> Hands:
    """How discovery's ``settings`` (a ``DiscoverySettings``: ``split_hands``, ``texture_chord_share``)
    read ``score``'s one-track keyboard part: :func:`staves_of` when ``split_hands``, else ``{}``.
    A run takes this once, on the score as read (the whole file, whichever ``--track`` it searches:
    families.annotate_notes), and discovery, the annotation's hand names and the notation
    (``Annotation.hands``, writers/notation_lines.hand_staves) all read that one answer
    (phase20-hands20.md)."""
    return staves_of(score, TOLERANCE, settings.texture_chord_share) if settings.split_hands else {}


def named_hands(score: Score, tracks: Iterable[int]) -> Hands:
    """Each note's hand (:func:`split`) of each of ``tracks`` (one-staff tracks of ``score``): the
    reading of an annotation that names hands (``Occurrence.hands``) but carries none (read back
    from JSON, built by hand). The same notes give the same hands as the run's :func:`staves_of`."""
    out: Hands = {}
    for k in sorted(set(tracks)):
        track = score.tracks[k] if 0 <= k < len(score.tracks) else None
        if track is not None and track.notes and track.staves() is None:
            onsets, offsets, pitches = track.arrays()
            out[k] = tuple(split(onsets, offsets, pitches).tolist())
    return out
