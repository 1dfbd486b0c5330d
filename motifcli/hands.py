"""A keyboard part written in one MIDI track, split into its two hands (the staves it was written on).

Many MIDI files hold a piano piece, or a lead sheet's tune and chords, in one track. A MusicXML
piano part says each note's staff (:attr:`motifcli.score.Note.staff`) and a track-per-staff MIDI
file says it by track; one track says nothing, so its texture was both hands' bars together: the
tune inside the surface, one family over 70-94% of the notes, and its top line took the left hand's
chord tops wherever the tune held or rested (benchmarks/phase19-hand19.md). Here
the notes are given to two hands as MuseScore's MIDI import puts a piano track on two staves (its
"hand width" split is also a dynamic programme over the chords): a boundary pitch between the hands
that moves with the music, chosen for the whole piece (a Viterbi path over the groups of notes
starting together): each hand's notes near its recent register (two running centres, a leaky mean
of each hand's pitches), each hand as narrow as it can be, never spanning more than ``SPAN``
semitones with the notes it still holds nor sounding more than ``FINGERS`` keys, and the boundary
moving seldom (``MOVE``, ``SLIDE``): it stays while one hand rests and moves, section by section,
where the hands must be elsewhere (Clara Schumann's polonaise op. 1/1 has no fixed cut: left-hand
octaves E♭3/E♭4 need one below 63, its B♭3 F4 A♭4 chords one above 68). Where one fixed cut lets each
hand play every group (a lead sheet's chords under its tune, Verdi's oom-pah-pah), the piece is cut
there (:func:`clean_cut`). Measured against the staves of 10 music21 keyboard pieces and 8 BPS
movements: 97% / 93% of the notes in their hand (session 20's split group by group: 95% / 91%; a
fixed cut at middle C: 82% / 80%; phase21-handdp21.md).

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
from motifcli.streams import line_count, notated, onset_groups, restruck
from motifcli.voices import chord_share

SPAN = 12  # semitones a hand spans at most, notes it holds included (an octave: 10-16 measured, 12 best)
FINGERS = 5  # notes one hand sounds at once
WIDTH = 1.0  # cost of each semitone a hand spans, beside its notes' distance from its centre (0.5 before the moving boundary)
MOVE = 150.0  # cost of moving the boundary between the hands: it moves where a hand must (100-300 alike; phase21-handdp21.md)
SLIDE = 2.0  # ... and of each semitone it moves (1-3 alike)
SHARE = 0.15  # each hand holds at least this share of the notes, or the part is one hand (notation's grand staff rule)
RANGE = 24  # semitones of range a two-hand part has at least (two octaves: notation's grand staff rule)
LEAK = 0.3  # weight of a hand's newest notes in its running centre
TOLERANCE = 0.05  # beats: notes starting this close together are one group (also texture_lead.CHORD_TOLERANCE, texture_tune's)
RESTRUCK = 0.002  # a performance with at most this share of keys struck while sounding is one player's (streams.restruck: simulated pianists 0, POP909 merged 0.0044-0.30)
NEAR_BEST = 0.01  # a clean cut agrees with the running split within this share of the best cut's agreement


def split(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Each note's hand (:func:`split_counted`)."""
    return split_counted(onsets, offsets, pitches, tolerance)[0]


def split_counted(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
                  tolerance: float = TOLERANCE) -> tuple[np.ndarray, float]:
    """Each note's hand, 1 = right (upper staff), 2 = left: a boundary pitch (right hand ``>= b``)
    that moves with the music, chosen for the whole piece at once (a Viterbi path over the onset
    groups, lowest note first in each): per group, each note's distance from its hand's centre plus
    ``WIDTH`` per semitone the hand spans with the notes still held on its side of the boundary, 1000
    for a hand over ``SPAN`` or ``FINGERS`` (:func:`_unplayable`); the boundary costs ``MOVE`` to move
    and ``SLIDE`` per semitone it moves. Each boundary carries its path's centres (a leaky mean of each
    hand's pitches, ``LEAK``, starting at the part's lower / upper quartile pitch). With ``MOVE`` and
    ``SLIDE`` 0 it is the running split of sessions 19-20, decided group by group (but for the held
    notes, counted on their side of the boundary); the boundary's cost keeps a left hand's chord in
    its hand while the tune rests or dips and moves the boundary where a hand must (section by section:
    phase21-handdp21.md). Where the piece has a clean register boundary (:func:`clean_cut`: a fixed
    cut that plays every group), that cut instead. Also the share of the notes in onset groups that
    no cut lets two hands play (over ``SPAN`` or ``FINGERS`` whatever the cut)."""
    hand = np.ones(len(onsets), dtype=np.int64)
    if len(onsets) == 0:
        return hand, 0.0
    order = np.lexsort((pitches, onsets))
    group = onset_groups(onsets[order], tolerance)
    within = np.lexsort((pitches[order], group))  # each group lowest first: a played chord's notes come unevenly
    order, group = order[within], group[within]
    bounds = np.flatnonzero(np.concatenate([[True], np.diff(group) > 0, [True]]))
    ordered = pitches[order].astype(np.float64)
    cuts = np.arange(int(pitches.min()), int(pitches.max()) + 2, dtype=np.float64)  # the boundary's places
    states = np.arange(len(cuts))
    move = MOVE * (cuts[:, None] != cuts[None, :]) + SLIDE * np.abs(cuts[:, None] - cuts[None, :])
    low, high = percentiles(pitches, (25, 75))  # not np.percentile: it imports numpy.ma (quantiles.py)
    cost, left_c, right_c = np.zeros(len(cuts)), np.full(len(cuts), low), np.full(len(cuts), high)
    steps: list[tuple[np.ndarray, np.ndarray]] = []  # per group: each boundary's predecessor, notes to the left
    sounding: list[tuple[float, float]] = []  # (offset, pitch) of the notes still held
    unplayable = 0
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        p = ordered[a:b]  # ascending
        now = float(onsets[order[a:b]].min()) + tolerance
        sounding = [(end, q) for end, q in sounding if end > now]
        total = cost[:, None] + move
        came = total.argmin(axis=0)
        cost, left_c, right_c = total[came, states], left_c[came], right_c[came]
        s = np.searchsorted(p, cuts)  # p[:s] to the left hand
        here, bad = _group_cost(p, np.unique(np.concatenate([p, [q for _, q in sounding]])), cuts, s, left_c, right_c)
        unplayable += len(p) if bad.all() else 0
        cost = cost + here
        cost -= cost.min()
        steps.append((came, s))
        sums = np.concatenate([[0.0], np.cumsum(p)])
        left_c = np.where(s > 0, (1 - LEAK) * left_c + LEAK * sums[s] / np.maximum(s, 1), left_c)
        right_c = np.where(s < len(p), (1 - LEAK) * right_c + LEAK * (sums[-1] - sums[s]) / np.maximum(len(p) - s, 1),
                           right_c)
        sounding.extend(zip(offsets[order[a:b]].tolist(), p.tolist()))
    at = int(np.argmin(cost))
    for (a, _), (came, s) in zip(reversed(list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))), reversed(steps)):
        hand[order[a:a + int(s[at])]] = 2
        at = int(came[at])
    cut_at = clean_cut(pitches[order], bounds, hand[order])
    if cut_at is not None:
        hand = np.where(pitches >= cut_at, 1, 2).astype(np.int64)
    return hand, unplayable / len(onsets)


def _group_cost(p: np.ndarray, keys: np.ndarray, cuts: np.ndarray, s: np.ndarray, left_c: np.ndarray,
                right_c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per boundary ``cuts`` (``s`` of the group's ascending pitches ``p`` below each): the notes'
    distance from their hand's centre (each boundary's own ``left_c`` / ``right_c``), ``WIDTH`` per
    semitone each playing hand spans with ``keys`` (the group's and the held notes' distinct pitches)
    on its side, 1000 for a playing hand that cannot play them (:func:`_sides`); and whether one cannot."""
    left = np.arange(len(p))[None, :] < s[:, None]
    cost = np.where(left, np.abs(p[None, :] - left_c[:, None]), np.abs(p[None, :] - right_c[:, None])).sum(axis=1)
    left_w, right_w, left_bad, right_bad = _sides(keys, cuts)
    plays_l, plays_r = s > 0, s < len(p)
    bad_l, bad_r = plays_l & left_bad, plays_r & right_bad
    return cost + WIDTH * (plays_l * left_w + plays_r * right_w) + 1000.0 * (bad_l + bad_r), bad_l | bad_r


def _sides(keys: np.ndarray, cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per cut (right hand ``>= cut``) of the distinct pitches ``keys`` sounding together: the span of
    the keys left of it and of those right of it, and whether that side is more than one hand can
    play (over ``SPAN`` or ``FINGERS``: :func:`_unplayable`'s rule for every cut at once)."""
    below = np.searchsorted(keys, cuts)  # distinct keys left of each cut
    left_w = np.where(below > 0, keys[np.maximum(below - 1, 0)] - keys[0], 0.0)
    right_w = np.where(below < len(keys), keys[-1] - keys[np.minimum(below, len(keys) - 1)], 0.0)
    return left_w, right_w, (left_w > SPAN) | (below > FINGERS), (right_w > SPAN) | (len(keys) - below > FINGERS)


def _unplayable(chord: np.ndarray) -> bool:
    """Whether one hand cannot play ``chord`` (pitches sounding together): over ``SPAN`` or ``FINGERS``
    keys (a doubled pitch is one key); :func:`_sides` gives it for every cut of a group at once."""
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
        left_bad, right_bad = _sides(np.unique(p), cuts)[2:]
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
    piano piece or a lead sheet) or performed by one player (:func:`motifcli.streams.restruck` at most
    ``RESTRUCK``: a key is released before it is struck again); else ``{}``. A performance of several
    players is left whole: a POP909 song's melody, bridge and piano merged into one track lost with the
    split (F_est 0.508 -> 0.235 on val + train: its hands seldom lead, so its piano's bar texture, which
    the labels mostly are, went), while the notated pieces gained (phase19-hand19.md); a sonata played
    on a digital piano gains as they do (phase21-perfpiano21.md)."""
    pitched = [t for t in score.pitched_tracks() if t.notes]
    if score.format != "midi" or len(pitched) != 1 or pitched[0].staves() is not None:
        return {}  # a MusicXML part says its own staves: one staff written is one staff (phase20-hands20.md)
    track = pitched[0]
    onsets, offsets, pitches = track.arrays()
    if not (notated(onsets) or restruck(onsets, offsets, pitches, chord_tolerance) <= RESTRUCK):
        return {}  # a performance of more than one player: melody and band merged (phase21-perfpiano21.md)
    if chord_share(onsets, chord_tolerance) < chord_least:
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
