"""Which tracks state a texture, and how chordal they are: the measure behind the fiddle-tune rule (phase28-fiddle28.md).

    PYTHONPATH=$PWD python -m benchmarks.fiddle28_measure files FILE...        # music21-corpus inputs (MusicXML/MIDI)
    PYTHONPATH=$PWD python -m benchmarks.fiddle28_measure corpus bps|pop909|mtc tune|val|train
    PYTHONPATH=$PWD python -m benchmarks.fiddle28_measure pianos val|train   # every POP909 PIANO track, whole
    PYTHONPATH=$PWD python -m benchmarks.fiddle28_measure gate DIR          # inputs under DIR the line rule changes

Runs discovery as the product does (the run's hand reading, no model: the texture gate does not depend on it) and,
for every track that reaches the texture bars (chordal and leading: ``texture.track_bars``), prints one row: the
input, whether the track is alone in its score and on one staff, its onsets, the share of onsets that are chords
(``chord_share``, the gate's quantity), the share of onsets with three or more notes, the largest onset group
and the lowest pitch. Run it with ``PYTHONPATH`` on a tree before the line rule to see every track that reached the bars.
"""

from __future__ import annotations

import sys

import numpy as np

import motifcli
from motifcli.discovery import discover, texture
from motifcli.streams import onset_groups
from motifcli.hands import TOLERANCE

ROWS: list[dict] = []
_CURRENT: list[str] = [""]


def sizes(onsets: np.ndarray) -> np.ndarray:
    """Notes per onset group (notes starting within the chord tolerance)."""
    return np.bincount(onset_groups(np.sort(onsets), TOLERANCE))


def _recording(original):
    def track_bars(score, track, grid, settings, model=None):
        size = sizes(track.arrays()[0])
        alone = sum(1 for t in score.pitched_tracks() if t.notes) == 1
        ROWS.append({"input": _CURRENT[0], "track": track.index, "alone": alone,
                     "one_staff": track.staves() is None, "notes": len(track.notes), "onsets": len(size),
                     "chords": float(np.mean(size > 1)), "chords3": float(np.mean(size > 2)), "largest": int(size.max()),
                     "low": int(track.arrays()[2].min())})
        r = ROWS[-1]
        print(f"{r['input']:60s} t{r['track']} alone={int(r['alone'])} one_staff={int(r['one_staff'])} notes={r['notes']:5d} "
              f"onsets={r['onsets']:5d} chords={r['chords']:.3f} chords3={r['chords3']:.3f} largest={r['largest']} low={r['low']}", flush=True)
        return original(score, track, grid, settings, model)
    return track_bars


texture.track_bars = _recording(texture.track_bars)


def gate(root: str) -> None:
    """Every input under ``root`` (corpus28's DIR/in) whose chordal leading track the line rule takes out of the
    texture (``texture_lead.melody_line``), read as discovery reads it (the run's hand reading): the only
    inputs whose families the rule can change, since it only skips a track that would reach the texture bars."""
    from pathlib import Path

    from motifcli.discovery import DiscoverySettings
    from motifcli.discovery.core import _short_tune, as_short_tune
    from motifcli.discovery.texture_lead import chordal, leads, melody_line, staff_track
    from motifcli.hands import keyboard_hands, on_staves

    count = 0
    for path in sorted(p for p in Path(root).rglob("*") if p.suffix in (".mid", ".mxl", ".xml", ".musicxml")):
        score, settings = motifcli.read_score(path), DiscoverySettings()
        hands = keyboard_hands(score, settings)
        settings = as_short_tune(settings) if _short_tune(score, settings) else settings  # as discover() does
        score = on_staves(score, hands)
        count += 1
        for part in (t for t in score.pitched_tracks() if t.notes):
            track = staff_track(score, part, settings)[0]
            if chordal(track.arrays()[0], settings) and leads(score, part, settings) and melody_line(score, part, settings):
                print(f"line, not texture: {path.relative_to(root)} track {part.index}", flush=True)
    print(f"{count} inputs read")


def main(argv: list[str]) -> None:
    if argv[0] == "gate":
        gate(argv[1])
        return
    if argv[0] == "pianos":
        pop909_pianos(argv[1])
        return
    if argv[0] == "files":
        for path in argv[1:]:
            _CURRENT[0] = path.split("/in/")[-1]
            discover(motifcli.read_score(path))
    else:
        from benchmarks.motif_corpora import load_corpus

        for piece in load_corpus(argv[1], argv[2]):
            _CURRENT[0] = f"{argv[1]}/{argv[2]}/{piece.name}"
            discover(piece.score)
    print(f"{len(ROWS)} tracks reach the texture bars")


def pop909_pianos(split: str) -> None:
    """Every POP909 PIANO track of ``split`` (its whole track, as if alone): onsets, chord share, 3+ share."""
    from benchmarks.motif_corpora import load_corpus

    for piece in load_corpus("pop909", split):
        for t in piece.score.tracks:
            if "PIANO" in (t.name or "").upper() and t.notes:
                size = sizes(t.arrays()[0])
                print(f"pop909/{split}/{piece.name:5s} {t.name:8s} notes={len(t.notes):5d} onsets={len(size):5d} "
                      f"chords={np.mean(size > 1):.3f} chords3={np.mean(size > 2):.3f} largest={size.max()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
