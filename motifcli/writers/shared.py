"""One mark per statement: occurrences of two or more families with the same notes are drawn once.

Discovery keeps a statement in every family that holds it (mir_eval scores each family on its own:
benchmarks/phase16-shared16.md), so the JSON, CSV, MIREX and label files list it once per family.
A score is read, not scored: two brackets over the same notes, two names in a marker for one
statement and two colours fighting for one note say nothing a musician needs twice. The writers that draw (MusicXML
brackets and colours, MIDI markers (writers/midi_markers.py: one per moment) and lyrics) mark each :class:`Statement` once, labelled with
every family holding it, most salient first ("Motif A3 = B1"), in that first family's colour.

"The same notes" is the same track and the same note set (each note's track, onset, end and
pitch), in different families (two occurrences of one family with the same notes, which discovery
never makes but a hand-made annotation may, stay two marks). A statement whose notes are only a
part of another's is a different statement (a cell inside a phrase): its bracket spans other
notes, so both are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from motifcli.annotation import Annotation, Occurrence
from motifcli.writers.labels import label_text

_Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """The occurrences of one note set, most salient family first (at least one)."""

    occurrences: tuple[Occurrence, ...]

    @property
    def lead(self) -> Occurrence:
        """The occurrence of the most salient family: its notes, place and colour are the mark's."""
        return self.occurrences[0]

    @property
    def text(self) -> str:
        """"Motif A3" alone, "Motif A3 = B1" when B1 is the same notes (most salient family first);
        " inv." after a label whose family holds these notes in inversion, " aug." / " dim." in other note values,
        " retr." in retrograde."""
        return " = ".join([self.lead.text, *(o.label + o.marks for o in self.occurrences[1:])])

    @property
    def where(self) -> str:
        """"Motif A3 = B1 (Piano, staff 1, voice 2)": the text and, in brackets, its line (one note
        set: one track and line), as a MIDI marker, which stands in no track, says it."""
        return label_text(self.lead, self.text)

    @property
    def shared(self) -> bool:
        """Whether two or more families hold these notes."""
        return len(self.occurrences) > 1


def note_set(occ: Occurrence) -> _Key:
    """What makes two occurrences one statement: their track and notes (by track, onset, end,
    pitch); an occurrence listing no notes (a hand-made annotation) is its track and span."""
    if not occ.notes:
        return ("span", occ.track, round(occ.start, 6), round(occ.end, 6))
    notes = sorted((n.track, round(n.onset, 6), round(n.offset, 6), n.pitch) for n in occ.notes)
    return ("notes", occ.track, *notes)


def statements(annotation: Annotation) -> list[Statement]:
    """Every statement once, in the order of ``annotation.occurrences`` (time order) of its first
    occurrence there; its occurrences ordered by their family's rank (unranked after, in list order)."""
    rank = {m.name: k for k, m in enumerate(annotation.ranked)}
    groups: list[list[Occurrence]] = []
    by_notes: dict[_Key, list[int]] = {}  # note set -> its groups (two of one family stay apart)
    for occ in annotation.occurrences:
        mine = by_notes.setdefault(note_set(occ), [])
        k = next((k for k in mine if all(o.family != occ.family for o in groups[k])), None)
        if k is None:
            mine.append(len(groups))
            groups.append([occ])
        else:
            groups[k].append(occ)
    return [Statement(tuple(sorted(occs, key=lambda o: (rank.get(o.family, len(rank)), o.number))))
            for occs in groups]
