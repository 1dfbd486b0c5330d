"""The MusicXML reader's bar-length check is linear in the bars (motifcli/readers/m21_meter.py).

music21's importer asks each measure that looks short for its bar length; a measure without its own time
signature searched the whole part parsed so far for one. music21's Schumann op. 41/1 i (durations that do
not add up exactly: a third of its 1,496 measures a hair short) took 2.2 s to read instead of 0.8 s, and 25.7 s
instead of 3.7 s with its bars written four times over (benchmarks/phase28-corpus28.md). Real files from
music21's corpus.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

music21 = pytest.importorskip("music21")
from music21 import base, corpus  # noqa: E402

from motifcli.readers import musicxml  # noqa: E402
from motifcli.readers.musicxml import read_musicxml  # noqa: E402


def corpus_path(relative: str) -> Path:
    matches = [p for p in corpus.getPaths() if str(p).replace("\\", "/").endswith(relative)]
    if not matches:
        pytest.skip(f"music21 corpus file {relative} not installed")
    return Path(matches[0])


def test_short_measures_take_the_parts_time_signature_without_a_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Main searched 732 times (one per short measure without its own time signature)."""
    searches: collections.Counter[str] = collections.Counter()
    search = base.Music21Object.getContextByClass

    def counted(self: object, class_name: object, *args: object, **kwargs: object) -> object:
        searches[f"{type(self).__name__} {class_name}"] += 1
        return search(self, class_name, *args, **kwargs)

    monkeypatch.setattr(base.Music21Object, "getContextByClass", counted)
    score = read_musicxml(corpus_path("schumann_robert/opus41no1/movement1.mxl"))
    assert score.note_count == 3443
    assert [(ts.beat, ts.numerator, ts.denominator) for ts in score.time_signatures] == [(0.0, 2, 4), (66.0, 6, 8)]
    assert searches["Measure TimeSignature"] == 0, searches


@pytest.mark.parametrize("work", ["bach/bwv64.4.mxl", "liliuokalani/aloha_oe.mxl"])
def test_the_known_time_signature_reads_as_music21s_search(monkeypatch: pytest.MonkeyPatch, work: str) -> None:
    """Files whose short bars (fermata bars, pickups, a song's verses) take the known time signature 40 and
    58 times read exactly as with music21's own search."""
    path = corpus_path(work)
    fast = read_musicxml(path)
    monkeypatch.setattr(musicxml, "linear_bar_lengths", lambda parser: None)
    searched = read_musicxml(path)

    def facts(score: object) -> tuple:
        return (score.measure_starts, score.measure_numbers, score.time_signatures, score.end_beat,
                [(t.name, t.notes) for t in score.tracks])

    assert facts(fast) == facts(searched)
