"""Which tracks state textures: a chordal track that is the piece's main part (:mod:`texture`, step 1).

Texture families (every note of a track's bars, chords included) were made for a band's piano part
under a sparse melody (POP909's PIANO). A track states its bars as the music only when it is chordal
(:func:`chordal`) and leads the piece (:func:`leads`): it outnumbers every other track, and it holds
a good share of all the notes, so the texture is its own and not spread over several parts (a string
quartet's accompaniment is three instruments; benchmarks/phase17-quartet17.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from motifcli.discovery.texture_tune import accompaniment, several_players
from motifcli.discovery.types import DiscoverySettings
from motifcli.hands import TOLERANCE
from motifcli.score import Score, Track
from motifcli.voice_ids import ACCOMPANIMENT, TEXTURE
from motifcli.streams import onset_groups
from motifcli.voices import chord_share

# beats: notes starting this close together sound as one chord (chord_share). The hand split's onset-group
# tolerance, one value: the run's one hand reading (hands.keyboard_hands) and the texture gates count chords alike
CHORD_TOLERANCE = TOLERANCE


def chordal(onsets: np.ndarray, settings: DiscoverySettings, tolerance: float = CHORD_TOLERANCE) -> bool:
    """Whether a track is chordal enough for its whole texture to be a statement.

    At least ``texture_chord_share`` of its onsets sound two or more notes (0.1: a piano playing
    mostly broken chords has 10-20%; a melody none). How chordal a track is does not tell a sonata's
    left hand (0.2-0.4) from a POP909 piano (median 0.36; DISCOVERY-ALGO.md, "Phase 4"): whether the
    track leads the piece does (:func:`leads`). Nor does it tell a string part's double stops (a
    quartet's 2nd violin: chords at 6-9% of its onsets, nearly all of two notes) from a piano: the
    size of the chords does not either (9 of 833 POP909 pianos have 3+ notes at under 1% of their
    onsets), the share of the piece's notes does (:func:`leads`, ``texture_lead_share``).
    """
    if len(onsets) < 2 * settings.min_notes:
        return False
    return chord_share(onsets, tolerance) >= settings.texture_chord_share


def leads(score: Score, track: Track, settings: DiscoverySettings) -> bool:
    """Whether ``track`` is the piece's main part: ``texture_lead`` times the notes of any other track.

    A band's piano part under a sparse melody (POP909: 1.4-9x the next track, median 2.8, on 93
    chordal pianos) states its texture as the music; one staff of a two-hand piano score (BPS:
    0.8-1.2x the other hand) is accompaniment under an equally busy line, whose repeated bars the
    voice families already account for (benchmarks/phase5-texbps.md). One track alone always leads.
    With ``texture_lead_lines`` a chordal track whose every other track is a single line (chords
    at fewer than ``texture_chord_share`` of its onsets; both BPS staves have chords at 9-54%) needs
    only that many times their notes (benchmarks/phase7-popocc7.md).

    With ``texture_staves``, a track of several staves (a MusicXML piano part: :attr:`Note.staff`)
    alone in its score leads only when one staff has ``texture_lead`` times the notes of each other
    staff: a one-part piano score's two equally busy hands are BPS's two staff tracks, which get no
    texture families (BPS tune read as one two-staff part: F_est 0.406 with, 0.715 without them); with
    the option ``texture_low_hands``, also a two-staff part whose upper staff lies low (:func:`_low_hands`).
    Beside other tracks the whole part is compared with them as before: a band's piano on a grand
    staff split at middle C still leads its melody track (benchmarks/phase11-staves11.md).

    Beside other tracks it also needs ``texture_lead_share`` times their notes together (unless
    ``texture_lead`` is 0, which turns the whole lead rule off): a band's piano holds the texture
    alone (POP909: 0.84-4.7x melody + bridge, median 1.75, on all 833 chordal pianos of the songs
    outside the labelled test split), while a string quartet's violin with double stops, 1.1-1.5x
    the busiest other part, has 0.39-0.64x the three others': a quartet's accompaniment is shared
    by three instruments, so one part's bars are not its texture (benchmarks/phase17-quartet17.md).
    """
    others = [t for t in score.pitched_tracks() if t.index != track.index]
    staves = track.staves() if settings.texture_staves and not others else None
    if staves is not None:
        per_staff = np.sort(np.bincount(staves)[np.unique(staves)])
        if per_staff[-1] < settings.texture_lead * per_staff[-2] and not _low_hands(track, staves, settings):
            return False
    most = max((len(t.notes) for t in others), default=0)
    shared = settings.texture_lead_share * sum(len(t.notes) for t in others)
    if settings.texture_lead > 0 and len(track.notes) < shared:  # texture_lead=0: no lead rule at all
        return False  # one part of an accompaniment shared by several (a quartet's 2nd violin): not the texture
    if len(track.notes) >= settings.texture_lead * most:
        return True
    # a chordal part over tracks that are single lines (POP909 074: piano 1.34x a bridge line with
    # chords at 1% of its onsets) is the texture under a melody, whatever the ratio of notes
    if settings.texture_lead_lines <= 0 or len(track.notes) < settings.texture_lead_lines * most:
        return False
    return all(chord_share(t.arrays()[0], CHORD_TOLERANCE) < settings.texture_chord_share for t in others if t.notes)


def melody_line(score: Score, track: Track, settings: DiscoverySettings) -> bool:
    """Whether ``track`` is a melody instrument's line with double stops, not a chordal texture: a one-staff
    track alone in its score (a MusicXML part on one staff, or a MIDI track the hand reading left whole) with
    no bass (no note under ``texture_line_low``, C3) whose chords are nearly all two notes (onsets of three
    or more at under ``texture_line_triads`` of its onsets). A fiddle reel with double stops has chords at
    25-28% of its onsets (music21's MardiGrasReel, americanfifeopus), more than some pianos playing broken
    chords (POP909 PIANO: 9% at the least), and three-note onsets at 0-4.5% (the last a MIDI file's grace
    notes, which music21 writes as chords), as few as some POP909 PIANO tracks (3.1% at the least), so
    neither tells them apart alone; the bass does: the fiddle tunes' lowest notes are 57-67, every POP909
    PIANO's of val + train 24-41, La donna e mobile's one-staff piano reduction's 41 (its three-note onsets:
    40%). The two together keep a bassless part of strummed triads (a ukulele's) a texture
    (benchmarks/phase28-fiddle28.md)."""
    if settings.texture_line_low <= 0 or settings.texture_line_triads <= 0:
        return False
    if track.staves() is not None or any(t.index != track.index and t.notes for t in score.pitched_tracks()):
        return False
    onsets, _, pitches = track.arrays()
    if len(pitches) == 0 or float(pitches.min()) < settings.texture_line_low:
        return False
    sizes = np.bincount(onset_groups(np.sort(onsets), CHORD_TOLERANCE))
    return float(np.mean(sizes > 2)) < settings.texture_line_triads


def staff_track(score: Score, track: Track, settings: DiscoverySettings) -> tuple[Track, np.ndarray | None, int]:
    """The notes whose bars state ``track``'s texture, their indices in ``track.notes`` (None: all, the
    lone track's bars judged against its lines, ``texture_line_rules``; every index: all, its bars an
    accompaniment's statements, not judged), and the voice its statements' notes carry (``TEXTURE``;
    ``ACCOMPANIMENT`` where the tune is taken out).

    With ``texture_staff`` (and ``texture_staves``), a multi-staff part alone in its score whose one
    staff has ``texture_lead`` times each other staff's notes (:func:`leads`) states its texture with
    that staff only: the same piano read from MIDI is a track per staff, and there the leading hand's
    bars are the texture beside the other hand's lines. A solo polonaise's left hand repeats one
    accompaniment bar almost throughout; taken with both hands, that texture held the right hand's
    tune too, so one family covered 94% of the notes and took the tune's line families with it
    (Clara Schumann op. 1/3; benchmarks/phase18-tex18.md). But a leading upper staff that plays chords
    (``texture_upper_chords``: :func:`_comping`) is an accompaniment's chords over its bass, and the whole
    part's bars are the statements (a pop piano played into one track, split into hands; with the option
    ``texture_low_hands``, also two equally busy hands low in register: :func:`_low_hands`;
    benchmarks/phase22-pianoalone22.md). A band's piano beside its melody track, and every other MIDI
    track, is left whole.

    With ``texture_tune``, a one-staff track alone in its score that several players sound (a MIDI file in
    one track that the hand split left whole: a band song played into one track; :func:`several_players`)
    states it without its top line
    (:func:`motifcli.discovery.texture_tune.accompaniment`): a tune riding over the accompaniment made
    every bar different (POP909 merged into one track: benchmarks/phase21-melband21.md).
    """
    if any(t.index != track.index for t in score.pitched_tracks()):
        return track, None, TEXTURE  # beside other tracks: whole
    staves = track.staves()
    if staves is None:
        if settings.texture_tune and several_players(track):  # a band in one track
            kept, index = accompaniment(track)
            return kept, index, TEXTURE if index is None else ACCOMPANIMENT
        return track, None, TEXTURE
    if not (settings.texture_staff and settings.texture_staves):
        return track, None, TEXTURE
    ids, counts = np.unique(staves, return_counts=True)
    order = np.argsort(counts)
    every = np.arange(len(track.notes))  # an accompaniment: all its notes, its bars statements beside its lines
    if len(ids) < 2 or counts[order[-1]] < settings.texture_lead * counts[order[-2]]:
        return track, (every if _low_hands(track, staves, settings) else None), TEXTURE
    index = np.flatnonzero(staves == ids[order[-1]])
    if ids[order[-1]] == ids[0] and _comping(track.arrays()[0][index], settings):
        return track, every, TEXTURE  # an accompaniment's chords over its bass: both hands are the texture
    return dataclasses.replace(track, notes=[track.notes[i] for i in index.tolist()]), index, TEXTURE


def _comping(upper: np.ndarray, settings: DiscoverySettings) -> bool:
    """Whether a leading upper staff (its onsets ``upper``) plays an accompaniment's chords, not a tune:
    chords at ``texture_upper_chords`` of its onsets or more (0: off). A pop piano played alone leads with
    its right hand's chords over a bass line (POP909's PIANO track split into hands: 0.34-0.98 of its
    onsets); a solo piece whose right hand leads carries a tune (K. 545 0.01, a lead sheet's melody 0,
    C. P. E. Bach H. 186 0.09-0.10; BPS's right hands never lead). Its bars are both hands', as the
    labels and the whole track's reading have them: the right hand's alone cost POP909's PIANO track
    read alone 0.1-0.6 F_est a song; and they are statements, as a band's piano's beside its melody,
    not judged against the part's lines (``texture_line_rules``), which its chords would hand to the
    voice families (benchmarks/phase22-pianoalone22.md)."""
    return settings.texture_upper_chords > 0 and chord_share(upper, CHORD_TOLERANCE) >= settings.texture_upper_chords


def _low_hands(track: Track, staves: np.ndarray, settings: DiscoverySettings) -> bool:
    """Whether a two-staff part whose staves are equally busy is an accompaniment by its register: its upper
    staff's mean pitch under ``texture_low_hands`` (0: off). POP909's PIANO tracks split so: 58.5-63.1; a
    solo piece's right hand: BPS tune 66.6-79.1, 10 music21 pieces 68.5-78.4 (an option, off: fitted on two
    labelled songs; benchmarks/phase22-pianoalone22.md)."""
    ids = np.unique(staves)
    if settings.texture_low_hands <= 0 or len(ids) != 2:
        return False
    upper = track.arrays()[2][staves == ids[0]]
    return float(upper.mean()) < settings.texture_low_hands
