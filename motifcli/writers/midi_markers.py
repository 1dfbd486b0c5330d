"""The MIDI marker lane: one marker per moment, naming every statement that starts there.

A DAW draws each marker (FF 06) as a flag with its text on one timeline. One marker per statement
("Motif A1 (PIANO, whole texture)", 25-31 characters) put 6-14 markers of a POP909 song at the very
tick of another and up to 44 of 69 within 2 s of the one before, so the texts overdrew each other at
any zoom that shows the song (benchmarks/phase26-daw26.md). So the lane holds:

* **one marker per moment**: the statements whose first notes start within :data:`SAME_MOMENT`
  beats of the moment's first one (a 32nd note: performed POP909 statements of one bar in two
  tracks start 0.01-0.03 beat apart; quantised 16ths, a quarter beat apart, stay two moments), at
  that first statement's tick;
* **every name in it**, so a marker list searched for "A3" finds it: "Motif A1 + B2 (PIANO);
  P1 (MELODY, top line)": the statements of one place joined by " + ", places by "; ", each place
  once (a statement of several families keeps its " = ": "A3 = B1");
* **a run once**: statements of one family back to back in one line (writers/runs.py, as the MusicXML
  brackets draw them) are one name at the run's first statement, "Motif B3-B8" (a hyphen: MIDI text is Latin-1);
* **shorter places**: a texture statement is its track's chords, so the track's name says it
  ("PIANO", not "PIANO, whole texture"); a line's words ("top line", "line 2 from the top") are
  said only where another note of its track starts within :data:`SAME_MOMENT` of its first note
  (the rule its lyric follows, with the marker's tolerance): a melody's "top line" is the melody's
  one note there, and the track lane shows which track that is.

Lyrics (``--lyrics``) stay on each statement's own track and tick, but statements starting on one
tick of one track share one lyric, joined the same way ("Motif A1 + B1"): two lyrics stacked on one
note (16-22 of a POP909 song's) overdraw each other as markers do.

An earlier run's markers and lyrics are recognised by :func:`is_own_text` in this form and in the older ones
("Motif A1 (PIANO, whole texture)", "Motif A3 = B1 (...)", session 15's bare "Motif A1"), so
annotating an annotated file replaces them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from motifcli.annotation import LABEL_TEXT, RUN_NAME, Occurrence, voice_words
from motifcli.score import Score
from motifcli.voice_ids import TEXTURE, TEXTURES

SAME_MOMENT = 1 / 8  # beats: statements starting closer than this after a moment's first one share its marker

_PREFIX = "Motif "
_NAME = rf"(?:{RUN_NAME}|{LABEL_TEXT.pattern[len(_PREFIX):]})"  # "A3", "A3 inv.", "A3 = B1", a run's "A5-A8"
_PLACE = rf"{_NAME}(?: \+ {_NAME})*(?: \(.*\))?"  # "A1 + B2 (PIANO)"; a track's name may hold brackets
_OWN = re.compile(rf"{_PREFIX}{_PLACE}(?:; {_PLACE})*", re.DOTALL)
_TEXTURE_WORDS = ", " + voice_words(TEXTURE)


def is_own_text(text: str) -> bool:
    """Whether a marker's or lyric's text is one motif wrote, now or in an earlier version."""
    return _OWN.fullmatch(text) is not None


def track_onsets(score: Score, track: int, onsets: dict[int, np.ndarray]) -> np.ndarray:
    """The onsets of ``track``'s notes, sorted (searchsorted needs no order from the reader), cached in
    ``onsets``: one cache serves a run's markers and lyrics, which both ask what else starts there."""
    if track not in onsets:
        onsets[track] = np.sort(score.tracks[track].arrays()[0])
    return onsets[track]


def place(occ: Occurrence, score: Score, onsets: dict[int, np.ndarray]) -> str:
    """Where a statement is, as its marker says it (see the module docstring): its line's words, less
    "whole texture", and less the line's words where its first note is the only note of its track
    starting there; "" when nothing is known. ``onsets``: the cache of :func:`track_onsets`."""
    line = occ.line
    first = occ.first_note
    if first is None or first.voice is None:
        return line
    if first.voice == TEXTURE:
        return line.removesuffix(_TEXTURE_WORDS)
    if first.voice in TEXTURES or not 0 <= first.track < len(score.tracks):
        return line
    track = track_onsets(score, first.track, onsets)
    near = np.searchsorted(track, first.onset + SAME_MOMENT) - np.searchsorted(track, first.onset - SAME_MOMENT, "right")
    return occ.track_name if near <= 1 else line


def joined_text(moment: Iterable[tuple[str, str]]) -> str:
    """"Motif A1 + B2 (PIANO); P1 (MELODY, top line)" for the (name, place) pairs of one moment,
    names as ``Statement.text`` writes them ("Motif A3 = B1"), in their order; places in the order
    they first come. A lyric's text too, its "place" the line's words or "": "Motif A1 + B1"."""
    by_place: dict[str, list[str]] = {}
    for name, where in moment:
        by_place.setdefault(where, []).append(name.removeprefix(_PREFIX))
    parts = [" + ".join(names) + (f" ({where})" if where else "") for where, names in by_place.items()]
    return _PREFIX + "; ".join(parts)


def moments(starts: list[tuple[int, str, str]], ticks_per_beat: int) -> list[tuple[int, str]]:
    """(tick, marker text) per moment, in time order, for (tick, name, place) per statement: a
    moment is a first tick and every statement starting less than :data:`SAME_MOMENT` beats after it."""
    window = SAME_MOMENT * ticks_per_beat
    out: list[tuple[int, str]] = []
    group: list[tuple[int, str, str]] = []
    for start in sorted(starts, key=lambda s: s[0]):  # stable: statements of one tick keep their order
        if group and start[0] - group[0][0] >= window:
            out.append((group[0][0], joined_text((name, where) for _, name, where in group)))
            group = []
        group.append(start)
    if group:
        out.append((group[0][0], joined_text((name, where) for _, name, where in group)))
    return out
