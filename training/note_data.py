"""Note-anchored windows for the note-level encoder (issue 10, item 2).

A motif starts at any note of one voice and lasts 0.5-8 beats, so the training unit is not a bar
but a *window anchored at a note onset of one voice*: the notes of that voice whose onset lies in
``[onset, onset + L)`` for a few lengths ``L`` (2, 4, 8 beats), drawn into the one fixed roll of
the spec (``segment_beats`` must hold the longest length; shorter windows leave the rest empty).
Voices come from ``motifcli.voices.split_voices`` and the note arrays from
``motifcli.encoding.window_notes``, so training sees exactly the grid the runtime draws.

Sources, all shippable: POP909 songs (MIT) outside the labelled val/test songs, and music21's
bundled corpus (Bach chorales; music21's corpus is BSD/public-domain material it ships itself).
BPS-motif and MTC-ANN are never read here (validation only, benchmarks/).
Windows are cached as npz (``training.pipeline.cache_dir``) keyed by spec, lengths and sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from motifcli.atomic import atomic_path
from motifcli.encoding import EncodingSpec, window_notes
from motifcli.score import Score
from motifcli.segment import Segment
from motifcli.voices import split_voices
from training.data import Bar, Split, all_songs, label_spans, song_path

DEFAULT_LENGTHS: tuple[float, ...] = (2.0, 4.0, 8.0)


def voice_windows(
    score: Score,
    spec: EncodingSpec,
    source: str,
    lengths: Sequence[float] = DEFAULT_LENGTHS,
    stride: int = 1,
    min_notes: int = 3,
) -> list[Bar]:
    """Windows at every ``stride``-th onset of every voice, one per length with >= ``min_notes`` notes.

    ``Bar.start`` is the anchor onset (beats); ``Bar.notes`` are cut at the window's length.
    """
    if max(lengths) > spec.segment_beats:
        raise ValueError(f"window length {max(lengths)} beats exceeds the roll's {spec.segment_beats} beats")
    tracks = {t.index: t for t in score.tracks}
    out: list[Bar] = []
    for voice in split_voices(score):
        track = tracks[voice.track]
        for i in range(0, len(voice), max(1, stride)):
            start = float(voice.onsets[i])
            for length in lengths:
                j = window_end(voice.onsets, start, length, spec)
                if j - i < min_notes:
                    continue
                notes = anchored_notes(track, voice.note_indices[i:j], start, length, spec)
                out.append(Bar(source, start, notes))
    return out


def window_end(onsets: np.ndarray, start: float, length: float, spec: EncodingSpec) -> int:
    """Index past the last onset whose grid step (``motifcli.encoding.grid_steps``) falls inside the window."""
    limit = int(round(length * spec.steps_per_beat))
    return int(np.searchsorted(onsets, start + (limit - 0.5) / spec.steps_per_beat, side="left"))


def anchored_notes(track, note_indices: Iterable[int], start: float, length: float, spec: EncodingSpec) -> np.ndarray:
    """Note array of ``note_indices`` in a window starting at ``start`` (the grid's origin), cut at ``length``."""
    seg = Segment(track.index, start, start + length, tuple(int(k) for k in note_indices), origin=start)
    notes = window_notes(track, seg, spec)
    limit = int(round(length * spec.steps_per_beat))
    notes = notes[notes[:, 0] < limit]
    notes[:, 1] = np.minimum(notes[:, 1], limit)
    return notes


def dedupe(bars: Sequence[Bar]) -> list[Bar]:
    """Drop windows whose note arrays are identical (repeated accompaniment patterns dominate POP909)."""
    seen: set[bytes] = set()
    out = []
    for b in bars:
        key = b.notes.tobytes()
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


def pop909_windows(songs: Sequence[str], spec: EncodingSpec, lengths: Sequence[float], stride: int,
                   min_notes: int = 3) -> list[Bar]:
    """Windows of every voice of every track of ``songs`` (MELODY, BRIDGE, PIANO upper and lower)."""
    from motifcli.readers.midi import read_midi

    out: list[Bar] = []
    for song in songs:
        out += voice_windows(read_midi(song_path(song)), spec, f"pop909/{song}", lengths, stride, min_notes)
    return out


def music21_windows(spec: EncodingSpec, lengths: Sequence[float], stride: int, limit: int,
                    min_notes: int = 3) -> list[Bar]:
    """Windows of music21's bundled Bach corpus (first ``limit`` files; unreadable files skipped)."""
    from music21 import corpus  # lazy: slow import

    from motifcli.readers import read_score

    paths = sorted(str(p) for p in corpus.getComposer("bach") if str(p).endswith((".mxl", ".xml", ".musicxml")))
    out: list[Bar] = []
    for path in paths[:limit]:
        try:
            score = read_score(Path(path))
        except Exception:  # noqa: BLE001 - a corpus file the reader cannot read is skipped
            continue
        out += voice_windows(score, spec, f"music21/{Path(path).stem}", lengths, stride, min_notes)
    return out


def pretraining_songs(max_songs: int) -> list[str]:
    """POP909 songs outside the labelled val/test split (the first ``max_songs``; 0 = all)."""
    split = Split.load()
    held = set(split.val) | set(split.test)
    songs = [s for s in all_songs() if s not in held]
    return songs[:max_songs] if max_songs else songs


def save_bars(path: Path, bars: Sequence[Bar]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lens = np.cumsum([len(b.notes) for b in bars])[:-1]
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, notes=np.concatenate([b.notes for b in bars]), splits=lens,
                            songs=np.array([b.song for b in bars]), starts=np.array([b.start for b in bars]),
                            motifs=np.array([b.motif for b in bars]))


def load_bars(path: Path) -> list[Bar]:
    d = np.load(path)
    notes = np.split(d["notes"], d["splits"])
    return [Bar(str(s), float(st), n, int(m)) for s, st, n, m in zip(d["songs"], d["starts"], notes, d["motifs"])]


def cached(path: Path, build) -> list[Bar]:
    """``build()`` once, then the npz at ``path`` (written atomically, so parallel runs never read half)."""
    if path.exists():
        return load_bars(path)
    bars = build()
    save_bars(path, bars)
    return bars


def labelled_note_windows(song: str, spec: EncodingSpec, track_name: str = "PIANO", max_beats: float = 8.0,
                          min_notes: int = 3) -> list[Bar]:
    """One window per POP909 label span: the upper voice of ``track_name`` from the span's first note.

    The labels mark spans of time (Wu et al. 2023), not notes; the span's notes in the track's upper
    voice, cut at ``max_beats``, stand for the occurrence. ``Bar.motif`` is the label's motif id.
    """
    from motifcli.readers.midi import read_midi

    score = read_midi(song_path(song))
    track = score.track_named(track_name)
    voice = next((v for v in split_voices(score) if v.track == track.index and v.voice == 0), None)
    if voice is None:
        return []
    out = []
    for span in label_spans(song):
        i = int(np.searchsorted(voice.onsets, span.onset - 0.05))
        if i >= len(voice):
            continue
        start = float(voice.onsets[i])
        length = min(max_beats, spec.segment_beats, span.offset - start)
        j = window_end(voice.onsets, start, length, spec)
        if length <= 0 or j - i < min_notes:
            continue
        out.append(Bar(f"pop909/{song}", start, anchored_notes(track, voice.note_indices[i:j], start, length, spec),
                       int(span.pitch)))
    return out
