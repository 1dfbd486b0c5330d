"""Note-level motif corpora for discovery benchmarks: notes per piece plus ground-truth patterns.

Every loader returns :class:`Piece` objects with the notes read by the project's own reader
(``motifcli.read_score``) and the reference patterns in ``mir_eval.pattern``'s format: a list of
patterns, each a list of occurrences, each a list of ``(onset_beats, midi_pitch)`` tuples. No torch.

Corpora (all under the shared data folder, read in place; see its README.md):

- ``bps``: ``bps_motif_dev`` (Beethoven first movements). ``labels.csv`` gives the notes of each
  occurrence directly; label track ``k`` is staff ``k`` = the MIDI's track ``k + 1`` (track 0 is the
  conductor). Pattern = the piece's motif letter, occurrence = its ``occurrence`` number. Label
  onsets (rounded to 6 decimals in the CSV) are replaced by the onset of the MIDI note they name,
  so reference points are exactly the reader's notes (mir_eval compares tuples exactly).
- ``pop909``: ``pop909_motif_labels`` region labels turned into notes of the song's PIANO track.
  Conversion (documented here once): a label span is ``[onset, offset)`` in beats with pitch = motif
  id. Label boundaries are snapped to the nearest quarter of a beat (a few files end spans at 9.8875
  for 10). A PIANO note is inside a span when its onset lies in
  ``[start - POP909_ONSET_SLACK, end - POP909_ONSET_SLACK)``: POP909 onsets are performed, a few
  hundredths of a beat off the grid, so a note played just early at the span's start belongs to it
  and a note played just early at the next span's start does not. Spans with no PIANO note are
  dropped, as are motifs left with no occurrence. Unlabelled spans are *unknown*, not "no motif":
  precision on POP909 therefore under-counts (a true motif found in an unlabelled stretch is scored
  as a false positive). Every label pitch is a motif id (mostly 72.., some 60.. and 84..).
- ``mtc``: ``mtc_ann_dev`` (Dutch folk songs, one voice). Same format as BPS. Within one song most
  motifs occur once, so its main use is cross-song retrieval: :func:`mtc_occurrences` gives every
  annotated occurrence with the key ``(tune family, motif class)``.

Splits live in ``benchmarks/splits/*.json`` (see :func:`split_pieces`).
"""

from __future__ import annotations

import bisect
import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import motifcli
from motifcli.score import Score
from training.datafolder import data_root  # the one data-folder lookup ($MOTIF_DATA, ../shared/data, ...)

REPO = Path(__file__).resolve().parents[1]
SPLITS = Path(__file__).resolve().parent / "splits"
POP909_ONSET_SLACK = 0.1  # beats; see the module docstring
POP909_SNAP = 0.25  # label boundaries snap to this grid (beats)

Point = tuple[float, int]  # (onset in beats, MIDI pitch): mir_eval.pattern's note
Occurrence = list[Point]
Pattern = list[Occurrence]


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One note of a piece: ``track`` is the index into ``Piece.score.tracks``."""

    track: int
    onset: float
    offset: float
    pitch: int


@dataclass(slots=True)
class Piece:
    """One piece of a corpus: its score, its notes and the reference patterns (mir_eval format)."""

    corpus: str
    name: str
    path: Path
    score: Score
    patterns: list[Pattern]
    pattern_names: list[str]
    # per pattern, per occurrence: the score track index each occurrence lies in (None = several)
    pattern_tracks: list[list[int | None]] = field(default_factory=list)
    # per pattern: the source's occurrence ids (labels.csv ``occurrence``), same order as ``patterns``
    occurrence_names: list[list[str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def notes(self) -> list[NoteRow]:
        """All pitched notes sorted by (onset, pitch, track)."""
        rows = [
            NoteRow(t.index, n.onset, n.offset, n.pitch)
            for t in self.score.tracks if not t.is_drum for n in t.notes
        ]
        return sorted(rows, key=lambda r: (r.onset, r.pitch, r.track))


def _sorted_pattern(occurrences: Iterable[Iterable[Point]]) -> Pattern:
    occs = [sorted({(float(o), int(p)) for o, p in occ}) for occ in occurrences]
    return sorted((o for o in occs if o), key=lambda o: o[0])


# ---------------------------------------------------------------- BPS and MTC (labels.csv format)

def _labels_by_piece(labels_csv: Path) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with labels_csv.open(newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["piece"]].append(row)
    return rows


def _staff_track(score: Score, label_track: int) -> int:
    """Score track index of a labels.csv track number (staff k = MIDI track k + 1)."""
    for t in score.tracks:
        if t.source_index == label_track + 1 and t.notes:
            return t.index
    pitched = score.pitched_tracks()
    return pitched[label_track].index


def _onset_snapper(score: Score) -> Callable[[float, int], float]:
    """labels.csv rounds onsets to 6 decimals (9.666667); use the MIDI note's own onset (9.666...6)."""
    by_pitch: dict[int, list[float]] = defaultdict(list)
    for t in score.tracks:
        for n in t.notes:
            by_pitch[n.pitch].append(n.onset)
    arrays = {p: sorted(set(v)) for p, v in by_pitch.items()}

    def snap(onset: float, pitch: int) -> float:
        onsets = arrays.get(pitch, [])
        k = bisect.bisect_left(onsets, onset)
        near = [onsets[j] for j in (k - 1, k) if 0 <= j < len(onsets)]
        best = min(near, key=lambda x: abs(x - onset), default=onset)
        return best if abs(best - onset) < 1e-3 else onset

    return snap


def _csv_piece(corpus: str, folder: Path, name: str, rows: list[dict[str, str]], meta: dict[str, str]) -> Piece:
    path = folder / "scores" / f"{name}.mid"
    score = motifcli.read_score(path)
    snap = _onset_snapper(score)
    occ: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    occ_track: dict[tuple[str, str], set[int]] = defaultdict(set)
    for r in rows:
        pitch = int(r["pitch"])
        occ[r["motif"]][r["occurrence"]].append((snap(float(r["onset_beats"]), pitch), pitch))
        occ_track[(r["motif"], r["occurrence"])].add(int(r["track"]))
    patterns, names, tracks, occ_names = [], [], [], []
    for motif in sorted(occ):
        by_onset = sorted(occ[motif].items(), key=lambda kv: min(kv[1]))
        patterns.append([sorted(set(v)) for _, v in by_onset])
        names.append(motif)
        occ_names.append([k for k, _ in by_onset])
        tracks.append([
            _staff_track(score, next(iter(occ_track[(motif, k)]))) if len(occ_track[(motif, k)]) == 1 else None
            for k, _ in by_onset
        ])
    return Piece(corpus, name, path, score, patterns, names, tracks, occ_names, meta)


def _pieces_csv(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "pieces.csv").open(newline="") as fh:
        return {r["piece"]: r for r in csv.DictReader(fh)}


def bps_names(root: Path | None = None) -> list[str]:
    return sorted(_pieces_csv((root or data_root()) / "bps_motif_dev"))


def load_bps(names: Iterable[str] | None = None, root: Path | None = None) -> list[Piece]:
    """BPS-motif dev pieces (all, or ``names`` like ``"01-1"``)."""
    folder = (root or data_root()) / "bps_motif_dev"
    meta = _pieces_csv(folder)
    labels = _labels_by_piece(folder / "labels.csv")
    wanted = sorted(meta) if names is None else list(names)
    return [_csv_piece("bps", folder, n, labels.get(n, []), meta[n]) for n in wanted]


def mtc_names(root: Path | None = None) -> list[str]:
    return sorted(_pieces_csv((root or data_root()) / "mtc_ann_dev"))


def load_mtc(names: Iterable[str] | None = None, root: Path | None = None) -> list[Piece]:
    """MTC-ANN dev songs; ``meta["tunefamily"]`` holds the tune family."""
    folder = (root or data_root()) / "mtc_ann_dev"
    meta = _pieces_csv(folder)
    labels = _labels_by_piece(folder / "labels.csv")
    wanted = sorted(meta) if names is None else list(names)
    return [_csv_piece("mtc", folder, n, labels.get(n, []), meta[n]) for n in wanted]


@dataclass(frozen=True, slots=True)
class MtcOccurrence:
    """One annotated MTC occurrence for cross-song retrieval; ``key`` = (tune family, motif class)."""

    piece: str
    tunefamily: str
    motif: str
    occurrence: str
    onset: float
    offset: float
    notes: tuple[NoteRow, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.tunefamily, self.motif)


def mtc_occurrences(pieces: list[Piece] | None = None, root: Path | None = None) -> list[MtcOccurrence]:
    """Every annotated occurrence of the MTC songs (``pieces`` or all), with its notes from the MIDI."""
    folder = (root or data_root()) / "mtc_ann_dev"
    pieces = pieces if pieces is not None else load_mtc(root=root)
    by_name = {p.name: p for p in pieces}
    out: list[MtcOccurrence] = []
    with (folder / "occurrences.csv").open(newline="") as fh:
        for r in csv.DictReader(fh):
            piece = by_name.get(r["piece"])
            if piece is None:
                continue
            points: set[Point] = set()
            if r["motif"] in piece.pattern_names:
                k = piece.pattern_names.index(r["motif"])
                if r["occurrence"] in piece.occurrence_names[k]:
                    points = set(piece.patterns[k][piece.occurrence_names[k].index(r["occurrence"])])
            notes = tuple(n for n in piece.notes if (n.onset, n.pitch) in points)
            if not notes:  # fall back on the span
                lo, hi = float(r["onset_beats"]), float(r["offset_beats"])
                notes = tuple(n for n in piece.notes if lo - 1e-6 <= n.onset < hi - 1e-6)
            out.append(MtcOccurrence(r["piece"], r["tunefamily"], r["motif"], r["occurrence"],
                                     float(r["onset_beats"]), float(r["offset_beats"]), notes))
    return out


# ---------------------------------------------------------------- POP909 region labels

def pop909_names(root: Path | None = None) -> list[str]:
    return sorted(p.stem for p in ((root or data_root()) / "pop909_motif_labels").glob("*.mid"))


def _snap(x: float) -> float:
    return round(x / POP909_SNAP) * POP909_SNAP


def load_pop909(names: Iterable[str] | None = None, root: Path | None = None, track: str = "PIANO") -> list[Piece]:
    """POP909 labelled songs; region labels become the PIANO notes inside each region (module doc)."""
    root = root or data_root()
    wanted = pop909_names(root) if names is None else list(names)
    pieces = []
    for name in wanted:
        path = root / "pop909" / name / f"{name}.mid"
        score = motifcli.read_score(path)
        tr = score.track_named(track)
        spans = [n for t in motifcli.read_score(root / "pop909_motif_labels" / f"{name}.mid").tracks for n in t.notes]
        by_motif: dict[int, list[Occurrence]] = defaultdict(list)
        for span in sorted(spans, key=lambda s: (s.onset, s.pitch)):
            lo, hi = _snap(span.onset) - POP909_ONSET_SLACK, _snap(span.offset) - POP909_ONSET_SLACK
            pts = [(n.onset, n.pitch) for n in tr.notes if lo <= n.onset < hi]
            if pts:
                by_motif[span.pitch].append(pts)
        motifs = sorted(by_motif)
        patterns = [_sorted_pattern(by_motif[m]) for m in motifs]
        pieces.append(Piece("pop909", name, path, score, patterns, [str(m) for m in motifs],
                            [[tr.index] * len(p) for p in patterns],
                            [[str(i + 1) for i in range(len(p))] for p in patterns], {"track": track}))
    return pieces


# ---------------------------------------------------------------- splits and one entry point

LOADERS = {"bps": load_bps, "pop909": load_pop909, "mtc": load_mtc}


def split_pieces(corpus: str, split: str) -> list[str]:
    """Piece names of ``split`` ("tune"/"test" for bps, "val"/"test"/"train" for pop909, "tune"/"test" for mtc)."""
    if corpus == "pop909":
        data = json.loads((REPO / "training" / "splits" / "pop909_labels.json").read_text())
    else:
        data = json.loads((SPLITS / f"{corpus}.json").read_text())
    if split == "all":
        return sorted(n for k, v in data.items() if isinstance(v, list) for n in v)
    if split not in data or not isinstance(data[split], list):
        raise KeyError(f"{corpus} has no split {split!r}; splits: {[k for k, v in data.items() if isinstance(v, list)]}")
    return list(data[split])


def load_corpus(corpus: str, split: str = "all", names: Iterable[str] | None = None) -> list[Piece]:
    """Pieces of ``corpus`` ("bps", "pop909", "mtc") in ``split`` (or exactly ``names``)."""
    if corpus not in LOADERS:
        raise KeyError(f"unknown corpus {corpus!r}; corpora: {sorted(LOADERS)}")
    wanted = list(names) if names is not None else split_pieces(corpus, split)
    return LOADERS[corpus](wanted)
