"""A fiddle tune with double stops is a line, not a chordal texture (``texture_lead.melody_line``,
benchmarks/phase28-fiddle28.md): read from music21's corpus at test time, as benchmarks/corpus28.py writes
them (the first tune of the ABC file, as MusicXML; O'Neill's as MIDI), annotated with the real lazy bar model.
On main all three opened the model and got "whole texture" families; a one-staff piano reduction alone in its
score (Verdi's La donna e mobile) still opens it."""

from __future__ import annotations

from pathlib import Path

import pytest

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from motifcli.model import LazyModel

music21 = pytest.importorskip("music21")

FIDDLE = [("ryansMammoth/MardiGrasReel.abc", "musicxml"), ("miscFolk/americanfifeopus.abc", "musicxml"),
          ("oneills1850/1801-1850.abc", "midi")]


def _first_tune(work: str, fmt: str, folder: Path) -> Path:
    """The first tune of an ABC file of music21's corpus, written as music21 writes it (corpus28's inputs)."""
    parsed = music21.converter.parse(music21.corpus.getWork(work))
    score = parsed.scores[0] if isinstance(parsed, music21.stream.Opus) else parsed
    out = folder / (Path(work).stem + (".mid" if fmt == "midi" else ".musicxml"))
    score.write(fmt, fp=str(out))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("work", "fmt"), FIDDLE, ids=[w.split("/")[1] for w, _ in FIDDLE])
def test_a_fiddle_tune_opens_no_model(work: str, fmt: str, tmp_path: Path) -> None:
    """The tune gets line families and no texture family; the bar model stays shut and the report's card is
    empty. With the gate off (``texture_line_low=0``) the same score opens it: the rule is what changed."""
    score = motifcli.read_score(_first_tune(work, fmt, tmp_path))
    model = LazyModel()
    annotation = motifcli.annotate(score, model)
    assert annotation.motifs and annotation.model == {}
    assert not model.opened and model.uses == 0
    assert not any(f.is_texture for f in discover(score, model))
    off = LazyModel()
    assert any(f.is_texture for f in discover(score, off, DiscoverySettings(texture_line_low=0)))
    assert off.opened


def test_a_one_staff_piano_reduction_still_opens_the_model() -> None:
    """Verdi's La donna e mobile, a chordal part on one staff alone in its score (chords of three notes at 40% of
    its onsets, notes down to F2): its texture is chords over a bass, the model is opened and recorded."""
    score = motifcli.read_score(music21.corpus.getWork("verdi/laDonnaEMobile"))
    model = LazyModel()
    annotation = motifcli.annotate(score, model)
    assert model.opened and annotation.model == model.card()
    assert any(f.is_texture for f in discover(score, model))
