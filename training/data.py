"""POP909 bars for training: unlabelled bars for VICReg, labelled bars for the triplet stage.

A bar is kept as a small note array (onset step, offset step, pitch column) rather than a roll, so
that the augmented views (views.py) can move, drop and stretch real notes before rendering.

Bar grid. The shared data README says the labels count 4-beat bars from tick 0. Measured on the 60
label files, that holds for 20 songs only: in the others every label span starts on beat 1, 2 or 3
(mod 4), the song's real downbeat after a pickup, and the paper's 75%-coverage rule then keeps
about half the bars a label covers (021: 36 bars at phase 0, 44 at phase 2; 029: 18 vs 106). So
labelled songs are cut on the grid the labels themselves use (``label_phase``: the most common
label onset mod 4); phase 0, the paper's literal recipe, stays available as ``bar_phase="zero"``.
Unlabelled songs use the downbeats of POP909's ``beat_midi.txt``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from motifcli.encoding import EncodingSpec, window_notes
from motifcli.readers.midi import read_midi
from motifcli.score import Note, Score, Track
from motifcli.segment import segment_track
from training.datafolder import data_root

REPO = Path(__file__).resolve().parents[1]
SPLIT_FILE = Path(__file__).resolve().parent / "splits" / "pop909_labels.json"


def song_path(song: str, root: Path | None = None) -> Path:
    root = root or data_root()
    return root / "pop909" / song / f"{song}.mid"


def label_path(song: str, root: Path | None = None) -> Path:
    return (root or data_root()) / "pop909_motif_labels" / f"{song}.mid"


def all_songs(root: Path | None = None) -> list[str]:
    root = root or data_root()
    return sorted(p.name for p in (root / "pop909").iterdir() if (p / f"{p.name}.mid").exists())


def labelled_songs(root: Path | None = None) -> list[str]:
    root = root or data_root()
    return sorted(p.stem for p in (root / "pop909_motif_labels").glob("*.mid"))


@dataclass(frozen=True, slots=True)
class Split:
    train: list[str]
    val: list[str]
    test: list[str]

    @classmethod
    def load(cls, path: Path = SPLIT_FILE) -> Split:
        d = json.loads(Path(path).read_text())
        return cls(d["train"], d["val"], d["test"])


# ----------------------------------------------------------------------------------------------
# Bars as note arrays


@dataclass(slots=True)
class Bar:
    """One bar of one track: ``notes`` is int16 [n, 3] = (onset step, offset step, pitch column)."""

    song: str
    start: float  # beats
    notes: np.ndarray  # motifcli.encoding.window_notes: rendered by motifcli.encoding.render_rolls
    motif: int = -1  # label (pitch id of the label file), -1 = unlabelled


def track_bars(
    score: Score, track_name: str, spec: EncodingSpec, song: str, phase: float = 0.0, min_notes: int = 1
) -> list[Bar]:
    """All bars of one named track, cut every ``spec.segment_beats`` from ``phase``."""
    track = score.track_named(track_name)
    segs = segment_track(track, spec.segment_beats, None, spec.steps_per_beat, origin=phase, min_notes=min_notes)
    return [Bar(song, s.start, window_notes(track, s, spec)) for s in segs]


def downbeat_phase(song: str, score: Score, root: Path | None = None) -> int:
    """Bar phase (0-3 beats) from POP909's beat_midi.txt downbeats (column 3), 0 when unknown."""
    path = (root or data_root()) / "pop909" / song / "beat_midi.txt"
    try:
        table = np.loadtxt(path, ndmin=2)
    except (OSError, ValueError):
        return 0
    if table.shape[1] < 3 or not (table[:, 2] == 1).any():
        return 0
    grid = np.arange(0.0, score.end_beat + 8.0, 0.01)
    beats = np.interp(table[table[:, 2] == 1, 0], score.seconds_at(grid), grid)
    return int(np.bincount(np.round(beats).astype(np.int64) % 4, minlength=4).argmax())


def label_spans(song: str, root: Path | None = None) -> list[Note]:
    """The labelled spans of one song: onset/offset in beats, pitch = motif id."""
    score = read_midi(label_path(song, root))
    return sorted((n for t in score.tracks for n in t.notes), key=lambda n: n.onset)


def label_phase(spans: Sequence[Note], bar_beats: float = 4.0) -> int:
    """The bar grid the labels use: the most common label onset, in whole beats mod the bar length."""
    if not spans:
        return 0
    on = np.round([n.onset for n in spans]).astype(np.int64) % int(bar_beats)
    return int(np.bincount(on, minlength=int(bar_beats)).argmax())


def bar_label(spans: Sequence[Note], start: float, length: float, coverage: float = 0.75) -> int:
    """Motif id of the span covering more than ``coverage`` of the bar (the best one), else -1."""
    best, best_cov = -1, coverage
    for n in spans:
        cov = (min(n.offset, start + length) - max(n.onset, start)) / length
        if cov > best_cov:
            best, best_cov = n.pitch, cov
    return best


def labelled_bars(
    song: str,
    spec: EncodingSpec,
    track_name: str = "PIANO",
    bar_phase: str = "labels",
    coverage: float = 0.75,
    root: Path | None = None,
) -> list[Bar]:
    """Bars of ``track_name`` covered by one label span (> ``coverage``), with its motif id."""
    spans = label_spans(song, root)
    score = read_midi(song_path(song, root))
    phase = label_phase(spans, spec.segment_beats) if bar_phase == "labels" else 0
    out = []
    for bar in track_bars(score, track_name, spec, song, phase):
        bar.motif = bar_label(spans, bar.start, spec.segment_beats, coverage)
        if bar.motif >= 0:
            out.append(bar)
    return out


def unlabelled_bars(
    songs: Sequence[str],
    spec: EncodingSpec,
    track_name: str = "PIANO",
    min_notes: int = 3,
    dedupe: bool = True,
    root: Path | None = None,
) -> list[Bar]:
    """Bars for pretraining: drop bars with fewer than ``min_notes`` notes and identical duplicates."""
    seen: set[bytes] = set()
    out: list[Bar] = []
    for song in songs:
        score = read_midi(song_path(song, root))
        phase = downbeat_phase(song, score, root)
        for bar in track_bars(score, track_name, spec, song, phase, min_notes=min_notes):
            if dedupe:
                key = np.unique(bar.notes, axis=0).tobytes()
                if key in seen:
                    continue
                seen.add(key)
            out.append(bar)
    return out


def music21_corpus_bars(spec: EncodingSpec, limit: int | None = None, min_notes: int = 3) -> list[Bar]:
    """Extra unlabelled bars from music21's bundled corpus (Bach chorales), every part."""
    from music21 import corpus  # lazy: slow import

    from motifcli.readers import read_score

    out: list[Bar] = []
    paths = [p for p in corpus.getComposer("bach") if str(p).endswith((".mxl", ".xml", ".musicxml"))]
    for path in paths[: limit or len(paths)]:
        try:
            score = read_score(path)
        except Exception:  # noqa: BLE001 - a corpus file music21 cannot read is skipped
            continue
        for track in score.pitched_tracks():
            segs = segment_track(track, spec.segment_beats, None, spec.steps_per_beat, min_notes=min_notes)
            out += [Bar(Path(path).stem, s.start, window_notes(track, s, spec)) for s in segs]
    return out
