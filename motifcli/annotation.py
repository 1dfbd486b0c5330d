"""What motif found in a score: families (motifs) and their occurrences, and their JSON form.

This is the hand-over point between finding and writing: grouping builds an :class:`Annotation`,
every writer reads one. The JSON schema is versioned (``SCHEMA_VERSION``) and documented in
``docs/json-schema.md``; ``from_dict`` reads back what ``to_dict`` wrote.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from motifcli.score import Note

SCHEMA_VERSION = "1.0"

# Colour-blind-friendly, distinct on white paper (Okabe-Ito without its black, then Tol's
# bright/muted). Never black: MuseScore does not store black note colour, so a black family is invisible.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442", "#117733",
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#332288", "#882255",
)


def family_name(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: spreadsheet-style names by order of first appearance."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        name = letters[rem] + name
    return name


def family_color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(slots=True)
class Occurrence:
    """One place a motif sounds: a run of consecutive segments of one track."""

    family: str  # "A"
    number: int  # 1 for A1
    track: int  # index into Score.tracks
    track_name: str
    start: float  # beats
    end: float  # beats
    start_bar: int  # printed number of the first bar as an integer (0 = a pickup, 16 for "16a")
    end_bar: int  # printed number of the last bar (inclusive), as start_bar
    similarity: float  # cosine similarity to the family centre, 1 = identical
    notes: list[Note] = field(default_factory=list)
    note_indices: list[int] = field(default_factory=list)  # into Score.tracks[track].notes
    start_bar_label: str | None = None  # the printed number as written ("16a"); None = str(start_bar)
    end_bar_label: str | None = None

    @property
    def label(self) -> str:
        return f"{self.family}{self.number}"

    @property
    def text(self) -> str:
        """What notation programs show: always "Motif A1" (a bare "A1" can read as fingering)."""
        return f"Motif {self.label}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "family": self.family,
            "number": self.number,
            "track": self.track,
            "track_name": self.track_name,
            "start_beat": round(self.start, 6),
            "end_beat": round(self.end, 6),
            "start_bar": self.start_bar,
            "end_bar": self.end_bar,
            "start_bar_label": self.start_bar_label if self.start_bar_label is not None else str(self.start_bar),
            "end_bar_label": self.end_bar_label if self.end_bar_label is not None else str(self.end_bar),
            "similarity": round(float(self.similarity), 6),
            "notes": [
                {"onset": round(n.onset, 6), "offset": round(n.offset, 6), "pitch": n.pitch, "velocity": n.velocity}
                for n in self.notes
            ],
            "note_indices": list(self.note_indices),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Occurrence:
        return cls(
            family=d["family"],
            number=int(d["number"]),
            track=int(d["track"]),
            track_name=d["track_name"],
            start=float(d["start_beat"]),
            end=float(d["end_beat"]),
            start_bar=int(d["start_bar"]),
            end_bar=int(d["end_bar"]),
            similarity=float(d["similarity"]),
            notes=[Note(n["onset"], n["offset"], n["pitch"], n.get("velocity", 64)) for n in d.get("notes", [])],
            note_indices=list(d.get("note_indices", [])),
            start_bar_label=d.get("start_bar_label"),
            end_bar_label=d.get("end_bar_label"),
        )


@dataclass(slots=True)
class Motif:
    """A motif family: named by first appearance, one colour, at least two occurrences."""

    name: str
    color: str
    occurrences: list[Occurrence]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "color": self.color, "occurrences": [o.to_dict() for o in self.occurrences]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Motif:
        return cls(d["name"], d["color"], [Occurrence.from_dict(o) for o in d["occurrences"]])


@dataclass(slots=True)
class Annotation:
    """Everything found in one score, plus how it was found (model, settings)."""

    source: str
    motifs: list[Motif]
    model: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    tracks: list[str] = field(default_factory=list)
    meter: dict[str, Any] | None = None  # where the bars came from (MeterMap.to_dict + how windows used them)

    @property
    def occurrences(self) -> list[Occurrence]:
        """All occurrences in time order (then track, then label)."""
        return sorted(
            (o for m in self.motifs for o in m.occurrences), key=lambda o: (o.start, o.track, o.family, o.number)
        )

    def motif(self, name: str) -> Motif:
        for m in self.motifs:
            if m.name == name:
                return m
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "model": dict(self.model),
            "settings": dict(self.settings),
            "tracks": list(self.tracks),
            **({"meter": dict(self.meter)} if self.meter is not None else {}),
            "motifs": [m.to_dict() for m in self.motifs],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Annotation:
        major = str(d.get("schema_version", "")).split(".")[0]
        if major != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"unsupported schema_version {d.get('schema_version')!r} (this motif reads {SCHEMA_VERSION})")
        return cls(
            source=d["source"],
            motifs=[Motif.from_dict(m) for m in d["motifs"]],
            model=dict(d.get("model", {})),
            settings=dict(d.get("settings", {})),
            tracks=list(d.get("tracks", [])),
            meter=dict(d["meter"]) if d.get("meter") is not None else None,
        )
