"""Realistic hand-built annotations for the writer tests (no model involved).

POP909 songs 021-082 come with hand-made motif labels (``pop909_motif_labels``): every label note
is one occurrence span, its pitch the motif id. ``labelled_annotation`` turns those spans into the
Annotation the grouping step would hand over (families by first appearance, colours from the
palette, notes of one track in [start, end)), so writers are tested on real motifs of real songs.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import mido
import pytest

from motifcli.annotation import Annotation, Motif, Occurrence, family_color, family_name
from motifcli.score import Score
from training.datafolder import FALLBACKS, find_data_root

REPO = Path(__file__).resolve().parents[1]


def absolute_events(track: mido.MidiTrack) -> list[tuple[int, object]]:
    """(absolute tick, message bytes or meta repr) of every event of a mido track: what "untouched" compares."""
    out, tick = [], 0
    for msg in track:
        tick += msg.time
        body = msg.copy(time=0)
        out.append((tick, repr(body) if body.is_meta else bytes(body.bin())))
    return out


def events_of(midi: mido.MidiFile, kind: str) -> list[tuple[int, mido.Message | mido.MetaMessage]]:
    """(absolute tick, message) of every ``kind`` event ("marker", "time_signature", ...) in every track."""
    out = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == kind:
                out.append((tick, msg))
    return out


def time_signatures(midi: mido.MidiFile) -> list[tuple[int, int, int]]:
    """(tick, numerator, denominator) of every time-signature event of the file, all tracks, sorted."""
    return sorted((tick, msg.numerator, msg.denominator) for tick, msg in events_of(midi, "time_signature"))


def _data_dir() -> Path:
    return find_data_root() or FALLBACKS[-1]  # a missing folder: the tests that need it skip


DATA = _data_dir()
POP909 = DATA / "pop909"
LABELS = DATA / "pop909_motif_labels"
needs_data = pytest.mark.skipif(not LABELS.is_dir(), reason="POP909 data folder (shared/data) not found")


def pop909_path(song: str) -> Path:
    return POP909 / song / f"{song}.mid"


def label_spans(song: str) -> list[tuple[float, float, int]]:
    """(start beat, end beat, motif id) of every labelled span of a POP909 song."""
    midi = mido.MidiFile(LABELS / f"{song}.mid")
    tpb = midi.ticks_per_beat
    spans, open_ = [], {}
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                open_[msg.note] = tick
            elif msg.type in ("note_off", "note_on") and msg.note in open_:
                spans.append((open_.pop(msg.note) / tpb, tick / tpb, msg.note))
    return sorted(spans)


def annotation_from_spans(
    score: Score, spans: list[tuple[float, float, object]], track_index: int, source: str = "test"
) -> Annotation:
    """Occurrences on one track for each (start, end, family key); families with >= 2 spans."""
    by_key: dict[object, list[tuple[float, float]]] = defaultdict(list)
    order: list[object] = []
    for start, end, key in spans:
        if key not in by_key:
            order.append(key)
        by_key[key].append((start, end))
    track = score.tracks[track_index]
    motifs = []
    for key in order:
        places = by_key[key]
        if len(places) < 2:
            continue
        i = len(motifs)
        name = family_name(i)
        occurrences = []
        for number, (start, end) in enumerate(places, start=1):
            idx = [k for k, n in enumerate(track.notes) if start - 1e-9 <= n.onset < end - 1e-9]
            occurrences.append(
                Occurrence(
                    family=name,
                    number=number,
                    track=track_index,
                    track_name=track.name,
                    start=start,
                    end=end,
                    start_bar=score.bar_number_at(start),
                    end_bar=score.bar_number_at(max(start, end - 1e-6)),
                    similarity=1.0 if number == 1 else 0.9 - 0.01 * number,
                    notes=[track.notes[k] for k in idx],
                    note_indices=idx,
                )
            )
        motifs.append(Motif(name, family_color(i), occurrences))
    return Annotation(
        source=str(score.path or source),
        motifs=motifs,
        model={"version": "test", "method": "hand-labelled"},
        settings={"sensitivity": 0.5},
        tracks=[t.name for t in score.tracks],
    )


def labelled_annotation(score: Score, song: str, track_name: str = "MELODY") -> Annotation:
    """The hand labels of a POP909 song as an Annotation on one of its tracks."""
    track = score.track_named(track_name)
    return annotation_from_spans(score, label_spans(song), track.index)


def one_part_score(path: Path, part_name: str, measures: str) -> Score:
    """A MusicXML file of one part (``P1``, ``part_name``) holding ``measures`` (its ``<measure>`` elements),
    written to ``path`` and read by the real reader: the hand-made scores of the run and colour tests."""
    from motifcli.readers import read_score

    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list>'
                    f'<score-part id="P1"><part-name>{part_name}</part-name></score-part></part-list>'
                    f'<part id="P1">{measures}</part></score-partwise>\n', encoding="utf-8")
    return read_score(path)

