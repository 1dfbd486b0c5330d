"""A tune over its accompaniment in one track (a band song or a lead sheet played into one MIDI track).

A band's piano states its bars as the texture (:mod:`texture`); merged with the melody into one track,
every bar also holds the tune, so the bars no longer repeat (POP909 merged: benchmarks/phase21-melband21.md).
Here the track's top line (the notes highest sounding at their onset: :func:`sounding_top`) is taken out
of the bars, so they are the accompaniment's. Nothing measured told a tune from a piano's own top line
(the share of its notes struck alone, its register gap, its share of the notes overlap between POP909
songs and BPS movements), and a solo piano's bars without their top line lose little: the piano's
tune found as a line beside them is as much a gain (phase21-melband21.md). What does tell a band's tune from
a pianist's own top line is who plays it: a tune doubled by its band strikes keys that still sound, far more
often than one player's hands do (:func:`several_players`); a piano accompaniment played alone keeps its top
line in its bars (DISCOVERY-ALGO.md "Phase 21").
"""

from __future__ import annotations

import dataclasses
import heapq

import numpy as np

from motifcli.hands import TOLERANCE  # beats: notes starting this close together are one onset group
from motifcli.score import Track
from motifcli.streams import highest_first, restruck

OVERLAP = 0.1  # beats a held note must sound past an onset to hold it (a performed legato overlaps the next note)
SEVERAL = 0.01  # share of notes struck while their key sounds above which a track is several players' (several_players)


def skyline(onsets: np.ndarray, pitches: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Indices of the highest note of each onset group, in time order."""
    if len(onsets) == 0:
        return np.zeros(0, dtype=np.int64)
    order, starts = highest_first(onsets, pitches, tolerance)
    return np.sort(order[starts])


def sounding_top(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, tolerance: float = TOLERANCE,
                 overlap: float = OVERLAP) -> np.ndarray:
    """Indices (time order) of the notes that are the highest sounding at their onset: the highest of their
    onset group, and under no note still held (``overlap`` beats past it: a performed legato's overlap holds
    nothing). A piano's chord under a held tune note is not the top line, as the skyline of onsets takes it.
    One sweep: the notes struck before each top note join the held set, leave it as they end."""
    top = skyline(onsets, pitches, tolerance)
    order = np.argsort(onsets, kind="stable")
    on, off, pi = onsets[order], offsets[order], pitches[order].astype(np.int64)
    held = np.zeros(int(pi.max(initial=0)) + 2, dtype=np.int64)  # notes held, per pitch
    ending: list[tuple[float, int]] = []  # (offset, pitch) of the held notes, soonest ending first
    keep = np.zeros(len(top), dtype=bool)
    struck = 0
    for k in np.argsort(onsets[top], kind="stable").tolist():
        t, p = float(onsets[top[k]]), int(pitches[top[k]])
        lo = int(np.searchsorted(on, t - tolerance, side="left"))  # notes starting before this group
        for j in range(struck, lo):
            heapq.heappush(ending, (float(off[j]), int(pi[j])))
            held[pi[j]] += 1
        struck = max(struck, lo)
        while ending and ending[0][0] <= t + overlap:
            held[heapq.heappop(ending)[1]] -= 1
        keep[k] = not held[p + 1:].any()
    return top[keep]


def several_players(track: Track) -> bool:
    """Whether ``track`` strikes a key that still sounds more often than one keyboard player does
    (:func:`motifcli.streams.restruck` over ``SEVERAL``): a tune doubled by its band, merged into one track.
    POP909 val + train: MELODY+BRIDGE+PIANO merged 0.0097-0.17 (49 of 50 above), the PIANO track alone
    0-0.074 (7 of 50 above); 150 other POP909 songs: 2 merged at or below, 13 pianos above. One player's
    track (a piano accompaniment played alone) keeps its top line in its bars: there it is the texture's own
    top, and taking it out cost POP909's PIANO track read alone 0.666 / 0.570 / 0.430 -> 0.425 / 0.187 /
    0.282 (F_est / F_occ / F_3 on val + train, hands left whole; DISCOVERY-ALGO.md "Phase 21")."""
    on, off, pi = track.arrays()
    return restruck(on, off, pi, TOLERANCE) > SEVERAL


def tune_notes(track: Track) -> np.ndarray:
    """Indices of ``track``'s tune notes (its top line: :func:`sounding_top`; empty: no tune)."""
    on, off, pi = track.arrays()
    return sounding_top(on, off, pi)


def accompaniment(track: Track) -> tuple[Track, np.ndarray | None]:
    """``track`` without its tune's notes (:func:`tune_notes`) and the kept notes' indices in it; the
    track whole and None where it has no tune."""
    tune = tune_notes(track)
    if len(tune) == 0:
        return track, None
    index = np.setdiff1d(np.arange(len(track.notes)), tune)
    return dataclasses.replace(track, notes=[track.notes[i] for i in index.tolist()]), index
