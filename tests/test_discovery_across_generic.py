"""Generic figures in a collection give way to shared motifs (``discover_across(generic=...)``,
benchmarks/phase20-generic20.md).

Six short songs (MIDI written with mido, read by the real reader), each of long, wide-leaping notes of
its own: every song states a 3-note step figure (three quarters down by step), as any tune might; songs
0 and 1 also state one 5-note motif once each, at another pitch. By the collection's salience the step
figure, stated in all six, comes first in every song; weighted by how few songs state it (an idf), the
motif that joins two songs comes first in those two. The opening weight is off: with it, a motif stated
halfway through a short song weighs about e^-10 and the song's opening decides (phase20-generic20.md).
"""

from __future__ import annotations

from pathlib import Path

from test_discovery_across import write  # one song in one MIDI track, read back

from motifcli.discovery import DiscoverySettings
from motifcli.discovery.across import discover_across, statement_pieces

MOTIF = [(0, 1.5), (5, 0.5), (4, 1), (7, 1), (12, 2)]  # a fourth, down a step, a fifth up, to the octave
STEP = [(4, 1), (2, 1), (0, 1)]  # the generic figure: three quarters down by step
FILLERS = [  # (pitch, beats): each song's own notes, long and far apart, no shape returning across songs
    [(50, 3), (71, 2.5), (55, 4), (77, 3.5), (48, 2.5), (66, 4)],
    [(75, 2.5), (52, 4), (70, 3), (47, 3.5), (63, 2.5), (80, 3)],
    [(45, 4), (68, 3), (53, 2.5), (79, 4), (58, 3.5), (74, 2.5)],
    [(78, 3.5), (49, 2.5), (73, 4), (56, 3), (82, 2.5), (51, 3.5)],
    [(54, 2.5), (76, 3.5), (46, 3), (69, 2.5), (52, 4), (81, 3)],
    [(72, 4), (44, 3), (67, 3.5), (83, 2.5), (57, 3), (48, 4)],
]
SONGS = len(FILLERS)
MOTIF_SONGS = {0: 60, 1: 65}  # song -> the motif's first pitch
# the opening weight off: the idea heard first would otherwise decide which comes first in a song
OWN_ORDER = DiscoverySettings(order_opening=0.0)


def song(k: int) -> list[tuple[int, float]]:
    fill, base = FILLERS[k], 64 + k
    motif = [(MOTIF_SONGS[k] + p, d) for p, d in MOTIF] if k in MOTIF_SONGS else []
    return [*fill[:2], *[(base + p, d) for p, d in STEP], *fill[2:5], *motif, *fill[5:]]


def motif_points(k: int) -> set[tuple[float, int]]:
    notes = song(k)
    start = next(i for i in range(len(notes)) if [p - notes[i][0] for p, _ in notes[i:i + 5]] == [p for p, _ in MOTIF]
                 and notes[i][0] == MOTIF_SONGS[k])
    onset = sum(d for _, d in notes[:start])
    out = set()
    for p, d in notes[start:start + 5]:
        out.add((onset, p))
        onset += d
    return out


def first_holds_motif(fams: list, k: int) -> bool:
    return bool(fams) and any(motif_points(k) <= set(o.points()) for o in fams[0].occurrences)


def test_the_shared_motif_comes_before_the_generic_figure_in_its_songs(tmp_path: Path) -> None:
    pieces = [write(tmp_path / f"song{k}.mid", song(k)) for k in range(SONGS)]
    plain = discover_across(pieces, None, OWN_ORDER, per_piece=8)
    spread = statement_pieces(plain)
    assert max(spread.values()) == SONGS  # the step figure: a family every song states
    assert not any(first_holds_motif(plain[k], k) for k in MOTIF_SONGS)  # the collection's order: figure first
    weighted = discover_across(pieces, None, OWN_ORDER, per_piece=8, generic=1.0)
    for k in MOTIF_SONGS:
        assert first_holds_motif(weighted[k], k), [(f.label, f.notes_per_occurrence) for f in weighted[k]]
    (label,) = {weighted[k][0].label for k in MOTIF_SONGS}  # one label joins the two songs
    assert statement_pieces(weighted)[label] == 2
    assert sorted(map(len, weighted)) == sorted(map(len, plain))  # the same families, in another order
