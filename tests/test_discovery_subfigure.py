"""A line family whose notes lie in one more salient family's statements is dropped (``subfigure``,
core._distinct with ``inside``; benchmarks/phase12-est12.md).

In examples/pop909-303.mid family H (24-note statements, 3 of them) states only notes of family B's
statements: it is a stretch of B's phrase, listed a second time. Texture families are exempt: a run of
one repeated bar inside a phrase of bars is chosen apart on purpose (``texture_bar_runs``), as
examples/pop909-202.mid's bar-run family B inside phrase family A.
"""

from __future__ import annotations

from pathlib import Path

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family
from motifcli.model import LazyModel
from motifcli.voices import TEXTURE

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _families(name: str, settings: DiscoverySettings) -> list[Family]:
    return discover(read_score(EXAMPLES / name), LazyModel(), settings)


def _notes(family: Family) -> frozenset[tuple[int, int]]:
    return frozenset((n.track, n.index) for o in family.occurrences for n in o.notes)


def _inside(families: list[Family], share: float) -> list[Family]:
    """Families with ``share`` of their notes in one more salient family's notes."""
    out = []
    for i, f in enumerate(families):
        notes = _notes(f)
        if any(len(notes & _notes(g)) >= share * len(notes) for g in families[:i]):
            out.append(f)
    return out


def test_a_stretch_of_a_more_salient_phrase_is_not_a_family_of_its_own() -> None:
    off = _families("pop909-303.mid", DiscoverySettings(subfigure=0.0))
    on = _families("pop909-303.mid", DiscoverySettings())
    lines_inside = [f for f in _inside(off, 0.9) if f.prototype.notes[0].voice != TEXTURE]
    assert [(f.notes_per_occurrence, len(f.occurrences)) for f in lines_inside] == [(24, 3)]  # the defect is real
    assert not [f for f in _inside(on, 0.9) if f.prototype.notes[0].voice != TEXTURE]
    # every other family is kept as it was, relabelled in order
    assert [_notes(f) for f in on] == [_notes(f) for f in off if f is not lines_inside[0]]
    assert [f.label for f in on] == [chr(ord("A") + i) for i in range(len(on))]


def test_a_bar_run_inside_a_phrase_of_bars_stays() -> None:
    """Texture families are exempt: pop909-202's bar run B lies wholly in phrase family A and is kept."""
    on = _families("pop909-202.mid", DiscoverySettings())
    runs = [f for f in _inside(on, 0.9) if f.prototype.notes[0].voice == TEXTURE]
    assert runs  # without the exemption the bar run would go
    assert [_notes(f) for f in on] == [_notes(f) for f in _families("pop909-202.mid", DiscoverySettings(subfigure=0.0))]
