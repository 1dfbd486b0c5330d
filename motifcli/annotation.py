"""What motif found in a score: families (motifs) and their occurrences, and their JSON form.

This is the hand-over point between finding and writing: grouping (bar level) or discovery (note
level, via :mod:`motifcli.families`) builds an :class:`Annotation`, every writer reads one.

Schema 2: an occurrence *is* the set of notes of one statement of a motif (:class:`MotifNote`: track,
index, onset, offset, pitch, voice if known), with its transposition from the family's prototype and
its similarity to it; start/end beats and bars are summaries derived from those notes or the
window that held them. A family (:class:`Motif`) has a salience and a rank (1 = most salient). The
JSON schema is versioned (``SCHEMA_VERSION``) and documented in ``docs/json-schema.md``;
``from_dict`` reads back what ``to_dict`` wrote, and schema 1 files too: ``to_dict`` writes every number
``from_dict`` reads at full precision (JSON's shortest decimal for the double), so the annotation read
back from its JSON equals it (the meter summary and the settings are rounded where they are made).
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from motifcli.voice_ids import ACCOMPANIMENT, LOWER, SEPARATED, TEXTURE, TEXTURES, UPPER, WRITTEN

if TYPE_CHECKING:
    from motifcli.meter import MeterMap


SCHEMA_VERSION = "2.0"
READABLE_MAJORS = ("1", "2")  # from_dict reads these

# Distinct on white paper for normal, deuteranope and protanope readers: Okabe-Ito's first six, then Tol's
# colours picked greedily for the largest smallest CAM02-UCS distance to the others and to black (uncoloured
# notes) under all three, each at least 2:1 against white (benchmarks/palette_probe.py, phase26-eye26.md).
# Never black: MuseScore does not store black note colour, so a black family is invisible.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#EE99AA", "#117733",
    "#CC3311", "#EE6677", "#6699CC", "#AA4499", "#EE7733", "#AA3377", "#332288", "#882255",
)
# Colours of families G, I, K, L, M before session 26 (Okabe-Ito's yellow, 1.3:1 on white, and four near
# copies of E, H, A, B): still motif's own when a file annotated then is annotated or cleared again.
FORMER_COLOURS = ("#F0E442", "#4477AA", "#228833", "#CCBB44", "#66CCEE")


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


@dataclass(frozen=True, slots=True)
class MotifNote:
    """One note of an occurrence: where it is in the score (track, index into its notes) and what
    it sounds. Has ``onset``/``offset``/``pitch``/``velocity`` like :class:`~motifcli.score.Note`, so
    writers read either."""

    track: int  # index into Score.tracks
    index: int  # index into Score.tracks[track].notes; -1 when not known (a hand-made annotation)
    onset: float  # beats
    offset: float  # beats
    pitch: int  # MIDI number
    velocity: int = 64
    voice: int | None = None  # the voice discovery found it in (0 = upper line, 1 = lower), if known
    staff: int | None = None  # its staff (1 = top) in a part written on several staves; None otherwise

    @property
    def duration(self) -> float:
        return self.offset - self.onset

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "track": self.track,
            "index": self.index,
            "onset": self.onset,  # full precision, as every number from_dict reads back (schema doc, "Numbers")
            "offset": self.offset,
            "pitch": self.pitch,
            "velocity": self.velocity,
        }
        if self.voice is not None:
            d["voice"] = self.voice
        if self.staff is not None:
            d["staff"] = self.staff
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], track: int, index: int = -1) -> MotifNote:
        """A note from schema 2 (``track``/``index`` in ``d``) or schema 1 (given by the caller)."""
        voice, staff = d.get("voice"), d.get("staff")
        return cls(
            track=int(d.get("track", track)),
            index=int(d.get("index", index)),
            onset=float(d["onset"]),
            offset=float(d["offset"]),
            pitch=int(d["pitch"]),
            velocity=int(d.get("velocity", 64)),
            voice=None if voice is None else int(voice),
            staff=None if staff is None else int(staff),
        )


# what Occurrence.text writes ("Motif A1", "Motif A3 inv." for a statement in inversion, "Motif A3 aug." / "dim."
# in longer / shorter note values, "Motif A3 inv. aug." for both), or the writers for the same notes in several
# families ("Motif A3 = B1", writers/shared.py): how a writer knows an earlier run's labels in a file it annotates again
# ("Motif A3 retr." backwards, "Motif A3 retr. inv." in retrograde inversion)
_LABEL = r"[A-Z]+[0-9]+(?: retr\.)?(?: inv\.)?(?: aug\.| dim\.)?"  # "A3", then statement_marks' marks in their order
LABEL_TEXT = re.compile(rf"Motif {_LABEL}(?: = {_LABEL})*")
# a run of one family's statements back to back, drawn once (writers/runs.py): "Motif A5–A8" ("-" in MIDI text)
RUN_NAME = r"[A-Z]+[0-9]+[\u2013-][A-Z]+[0-9]+"
RUN_TEXT = re.compile(rf"Motif {RUN_NAME}")
INVERTED_MARK = " inv."  # after an inverted statement's label: "Motif A3 inv."
AUGMENTED_MARK = " aug."  # after a statement in longer note values (time_scale > 1): "Motif A3 aug."
DIMINISHED_MARK = " dim."  # in shorter ones (time_scale < 1)
RETROGRADE_MARK = " retr."  # a statement in retrograde: "Motif A3 retr.", "Motif A3 retr. inv." (retrograde inversion)


# an occurrence's transformation fields (--inversions, --augmentations, --retrogrades): its JSON keys (each written
# only off its default) and CSV columns, in this order
TRANSFORM_FIELDS = ("inverted", "time_scale", "retrograde")


def statement_marks(inverted: bool, time_scale: float, retrograde: bool = False) -> str:
    """What follows a statement's label: " retr." (retrograde), " inv." (inversion), then " aug." /
    " dim." (other note values)."""
    scaled = AUGMENTED_MARK if time_scale > 1 else DIMINISHED_MARK if time_scale < 1 else ""
    return (RETROGRADE_MARK if retrograde else "") + (INVERTED_MARK if inverted else "") + scaled


# MotifNote.voice numbers (motifcli/voice_ids.py) in words; docs/json-schema.md
_VOICE_WORDS = {UPPER: "top line", LOWER: "bass line", TEXTURE: "whole texture", ACCOMPANIMENT: "accompaniment"}


HAND_WORDS = {1: "right hand", 2: "left hand"}  # a staff of a one-track keyboard part split into hands (hands.py)


def voice_words(voice: int | None, staff: int | None = None, hands: bool = False) -> str:
    """A note's voice as a reader says it: "staff 2, voice 1" (a written voice), "line 2 from the
    top" (a separated MIDI staff), "top line" / "bass line" (skyline and bass: voices 0, 1) / "whole texture"
    (a texture family's chords: 2) / "accompaniment" (a one-track song's bars without its tune: 3); "" when unknown. ``hands``: the staves are the hands discovery
    split a one-track keyboard part into (:mod:`motifcli.hands`), so staff 1 is "right hand"."""
    if voice is None:
        words = ""
    elif voice >= SEPARATED:
        words = f"line {voice - SEPARATED} from the top"
    elif voice >= WRITTEN:
        words = f"voice {voice - WRITTEN}"
    else:
        words = _VOICE_WORDS.get(voice, f"voice {voice}")
    if staff is not None:
        where = HAND_WORDS.get(staff, f"staff {staff}") if hands else f"staff {staff}"
        return f"{where}, {words}" if words else where
    return words


def line_name(track_name: str, voice: int | None, staff: int | None = None, hands: bool = False) -> str:
    """Where a statement is, for a human: its track's name and its voice in words
    ("Piano, staff 1, voice 2"; "Piano, right hand, top line" in a one-track part split into hands;
    "Track 2, line 2 from the top"; the track's name alone at bar level)."""
    words = voice_words(voice, staff, hands)
    return f"{track_name}, {words}" if words else track_name


def motif_notes(track: int, notes: list[Any], indices: list[int] | None = None) -> list[MotifNote]:
    """Score notes (or MotifNotes) of one track as MotifNotes; ``indices`` are their places in the track."""
    out = []
    for k, n in enumerate(notes):
        if isinstance(n, MotifNote):
            out.append(n)
            continue
        index = indices[k] if indices is not None and k < len(indices) else -1
        velocity = int(getattr(n, "velocity", 64))
        out.append(MotifNote(track, int(index), float(n.onset), float(n.offset), int(n.pitch), velocity))
    return out


@dataclass(slots=True)
class Occurrence:
    """One statement of a motif: the set of its notes, plus summaries of where it sits.

    ``notes`` are what writers colour and list. ``start``/``end`` (beats, ``[start, end)``) and
    ``start_bar``/``end_bar`` summarise them: at note level the first onset and last offset, at bar
    level the windows that held them. ``transposition`` is in semitones from the family's
    prototype (None when the method does not measure it: bar-level grouping; for a statement in
    inversion, from the prototype mirrored about its first note); ``inverted``: the prototype's
    intervals mirrored, its rhythm kept (``--inversions``); ``time_scale``: its note values over the
    prototype's, 2 = augmented, 0.5 = diminished (``--augmentations``); ``retrograde``: the prototype's
    notes in reverse order (``--retrogrades``; its transposition from the prototype reversed: its first
    note against the prototype's last; with ``inverted``, retrograde inversion); ``similarity`` to
    the prototype or family centre, 1 = identical. Score :class:`~motifcli.score.Note` s given as
    ``notes`` are turned into :class:`MotifNote` s (with ``note_indices`` as their indices).
    """

    family: str  # "A"
    number: int  # 1 for A1
    track: int  # index into Score.tracks (of its first note)
    track_name: str
    start: float  # beats
    end: float  # beats
    start_bar: int  # printed number of the first bar as an integer (0 = a pickup, 16 for "16a")
    end_bar: int  # printed number of the last bar (inclusive), as start_bar
    similarity: float  # to the family's prototype / centre, 1 = identical
    notes: list[MotifNote] = field(default_factory=list)
    note_indices: list[int] = field(default_factory=list)  # into Score.tracks[track].notes (derived)
    transposition: int | None = None  # semitones from the prototype (+ = higher)
    start_bar_label: str | None = None  # the printed number as written ("16a"); None = str(start_bar)
    end_bar_label: str | None = None
    inverted: bool = False  # a statement in inversion (--inversions; discovery/inversion.py)
    time_scale: float = 1.0  # note values over the prototype's: 2 augmented, 0.5 diminished (--augmentations; discovery/timescale.py)
    retrograde: bool = False  # the prototype's notes in reverse order (--retrogrades; discovery/retrograde.py)
    hands: bool = False  # its notes' staves are the hands of a one-track keyboard part (motifcli/hands.py)

    def __post_init__(self) -> None:
        if any(not isinstance(n, MotifNote) for n in self.notes):
            self.notes = motif_notes(self.track, list(self.notes), list(self.note_indices) or None)
        if not self.note_indices and self.notes and all(n.index >= 0 and n.track == self.track for n in self.notes):
            self.note_indices = [n.index for n in self.notes]

    def __repr__(self) -> str:
        """One line (the notes are listed by ``notes``; a notebook printing a family stays readable)."""
        bars = f"{self.start_bar}" if self.start_bar == self.end_bar else f"{self.start_bar}-{self.end_bar}"
        first = self.first_note
        where = voice_words(first.voice, self._named_staff(first), self.hands) if first is not None else ""
        where = f" ({where})" if where else ""
        return (f"<Occurrence {self.label}: track {self.track} {self.track_name!r}{where}, bars {bars}, beats "
                f"{self.start:g}-{self.end:g}, {len(self.notes)} notes, transposition {self.transposition}, "
                f"similarity {self.similarity:.3f}>")

    @property
    def label(self) -> str:
        return f"{self.family}{self.number}"

    @property
    def text(self) -> str:
        """What notation programs show: always "Motif A1" (a bare "A1" can read as fingering);
        "Motif A3 inv." for a statement in inversion, "Motif A3 aug." / "dim." in other note values,
        "Motif A3 retr." backwards (``statement_marks``)."""
        return f"Motif {self.label}{self.marks}"

    @property
    def marks(self) -> str:
        """What follows the label for its transformation: " retr.", " inv.", " aug." / " dim." (``statement_marks``)."""
        return statement_marks(self.inverted, self.time_scale, self.retrograde)

    def transform_cells(self) -> list[str]:
        """The CSV cells of :data:`TRANSFORM_FIELDS`: "true"/"false", the time scale as "2" / "0.5" / "1"."""
        return ["true" if self.inverted else "false", f"{self.time_scale:g}", "true" if self.retrograde else "false"]

    def transform_json(self) -> dict[str, Any]:
        """The JSON keys of :data:`TRANSFORM_FIELDS` off their defaults only: reports without the options unchanged."""
        return {**({"inverted": True} if self.inverted else {}),
                **({"time_scale": _number(self.time_scale)} if self.time_scale != 1 else {}),
                **({"retrograde": True} if self.retrograde else {})}

    @property
    def line(self) -> str:
        """Its track and voice in words, from its first note (a line statement is one voice):
        "Piano, staff 1, voice 2", "Track 2, line 2 from the top"; at bar level the track's name.
        A texture statement holding notes of both staves of a piano is the part's, so it names no
        staff ("Piano, whole texture", not the staff of its lowest first note)."""
        first = self.first_note
        if first is None:
            return self.track_name
        return line_name(self.track_name, first.voice, self._named_staff(first), self.hands)

    def _named_staff(self, first: MotifNote) -> int | None:
        """The staff its words name: its first note's, none for a texture statement over several."""
        if first.voice in TEXTURES and any(n.staff != first.staff for n in self.notes):
            return None
        return first.staff

    @property
    def first_note(self) -> MotifNote | None:
        """The earliest note (lowest pitch first at one onset): where markers and lyrics go."""
        return min(self.notes, key=lambda n: (n.onset, n.pitch), default=None)

    @property
    def last_note(self) -> MotifNote | None:
        """The note that ends last (where a bracket stops)."""
        return max(self.notes, key=lambda n: (n.offset, n.onset), default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "family": self.family,
            "number": self.number,
            "track": self.track,
            "track_name": self.track_name,
            "start_beat": self.start,
            "end_beat": self.end,
            "start_bar": self.start_bar,
            "end_bar": self.end_bar,
            "start_bar_label": self.start_bar_label if self.start_bar_label is not None else str(self.start_bar),
            "end_bar_label": self.end_bar_label if self.end_bar_label is not None else str(self.end_bar),
            "similarity": float(self.similarity),
            "transposition": self.transposition,
            "notes": [n.to_dict() for n in self.notes],
            "note_indices": list(self.note_indices),
            **self.transform_json(),
            **({"hands": True} if self.hands else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Occurrence:
        track = int(d["track"])
        indices = list(d.get("note_indices", []))
        notes = [
            MotifNote.from_dict(n, track, indices[k] if k < len(indices) else -1)
            for k, n in enumerate(d.get("notes", []))
        ]
        transposition = d.get("transposition")
        return cls(
            family=d["family"],
            number=int(d["number"]),
            track=track,
            track_name=d["track_name"],
            start=float(d["start_beat"]),
            end=float(d["end_beat"]),
            start_bar=int(d["start_bar"]),
            end_bar=int(d["end_bar"]),
            similarity=float(d["similarity"]),
            notes=notes,
            note_indices=indices,
            transposition=None if transposition is None else int(transposition),
            start_bar_label=d.get("start_bar_label"),
            end_bar_label=d.get("end_bar_label"),
            inverted=bool(d.get("inverted", False)), time_scale=float(d.get("time_scale", 1.0)),
            retrograde=bool(d.get("retrograde", False)),  # as transform_json writes them
            hands=bool(d.get("hands", False)),
        )


def _number(x: float) -> int | float:
    """2.0 as 2, 0.5 as 0.5: JSON's time_scale as a reader writes it."""
    return int(x) if float(x).is_integer() else float(x)


@dataclass(slots=True)
class Motif:
    """A motif family: one name and colour, at least two occurrences (one in a piece of a collection,
    ``collection``), a salience and its rank.

    ``salience``: how much of the piece it explains (share of the notes it covers, times mean
    similarity, times log2(1 + occurrences); the note level also weighs statement length and
    transposition, motifcli.discovery.salience); ``rank`` 1 is the most salient family (0: not ranked).
    """

    name: str
    color: str
    occurrences: list[Occurrence]
    salience: float = 0.0
    rank: int = 0
    # --across (motifcli.collection): the family across the run's files, ``{"pieces": n, "statements": m}``:
    # in how many files it is listed and its statements in them all; None for a single piece's family
    collection: dict[str, int] | None = None

    def __repr__(self) -> str:
        return (f"<Motif {self.name}: rank {self.rank}, {len(self.occurrences)} occurrences, "
                f"salience {self.salience:.3f}, colour {self.color}>")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "color": self.color,
            "rank": self.rank,
            "salience": float(self.salience),
            "occurrences": [o.to_dict() for o in self.occurrences],
            **({"collection": dict(self.collection)} if self.collection is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Motif:
        return cls(
            d["name"],
            d["color"],
            [Occurrence.from_dict(o) for o in d["occurrences"]],
            salience=float(d.get("salience", 0.0)),
            rank=int(d.get("rank", 0)),
            collection=dict(d["collection"]) if d.get("collection") is not None else None,
        )


def salience(occurrences: list[Occurrence], voiced_notes: int) -> float:
    """A family's salience: the share of the piece's notes its occurrences cover, times their mean
    similarity, times log2(1 + how many there are) (the measure discovery ranks by)."""
    if not occurrences or voiced_notes <= 0:
        return 0.0
    covered = len({(n.track, n.index if n.index >= 0 else (n.onset, n.pitch)) for o in occurrences for n in o.notes})
    mean_sim = sum(max(0.0, float(o.similarity)) for o in occurrences) / len(occurrences)
    return covered / voiced_notes * mean_sim * math.log2(1 + len(occurrences))


def rank_motifs(motifs: list[Motif]) -> None:
    """Set ``rank`` (1 = most salient; ties by first appearance, i.e. list order) in place."""
    order = sorted(range(len(motifs)), key=lambda i: (-motifs[i].salience, i))
    for rank, i in enumerate(order, start=1):
        motifs[i].rank = rank


@dataclass(slots=True)
class Annotation:
    """Everything found in one score, plus how it was found (model, settings)."""

    source: str
    motifs: list[Motif]
    model: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    tracks: list[str] = field(default_factory=list)
    meter: dict[str, Any] | None = None  # where the bars came from (MeterMap.to_dict + how windows used them)
    # The run's bars themselves (overrides applied), for the notation of MIDI input; not in the JSON
    # (a report read back has None, and writers fall back to the score's own map)
    meter_map: MeterMap | None = field(default=None, compare=False, repr=False)
    # The run's reading of a one-track keyboard part as two hands (track -> each note's hand, 1 right,
    # 2 left; {} none: --unit bar, or no such part), taken once (families.annotate_notes), for the
    # notation of MIDI input; not in the JSON. None: no run made it (read back, built by hand)
    hands: dict[int, tuple[int, ...]] | None = field(default=None, compare=False, repr=False)
    # How a batch job made its outputs (motifcli.run_record: options, input, model, other outputs'
    # hashes), for --resume; set only by the batch writer, written last in the JSON report
    run: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # --across (motifcli.collection): this file is one piece of a collection whose families share their
    # names, ``{"pieces": n, "per_piece": cap}``; None for a file annotated on its own
    collection: dict[str, int] | None = None

    def __repr__(self) -> str:
        unit = self.settings.get("unit", "?")
        used = "the model ran" if self.model else "no model ran"  # its card: .model
        return (f"<Annotation of {self.source!r}: {len(self.motifs)} families, "
                f"{sum(len(m.occurrences) for m in self.motifs)} occurrences, unit {unit}, {used}>")

    @property
    def occurrences(self) -> list[Occurrence]:
        """All occurrences in time order (then track, then label)."""
        return sorted(
            (o for m in self.motifs for o in m.occurrences), key=lambda o: (o.start, o.track, o.family, o.number)
        )

    @property
    def ranked(self) -> list[Motif]:
        """The families most salient first (by ``rank``; unranked ones after, in list order)."""
        return sorted(self.motifs, key=lambda m: (m.rank <= 0, m.rank))

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
            **({"collection": dict(self.collection)} if self.collection is not None else {}),
            "motifs": [m.to_dict() for m in self.motifs],
            **({"run": self.run} if self.run is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Annotation:
        major = str(d.get("schema_version", "")).split(".")[0]
        if major not in READABLE_MAJORS:
            raise ValueError(
                f"unsupported schema_version {d.get('schema_version')!r} (this motif reads 1.x and {SCHEMA_VERSION})"
            )
        return cls(
            source=d["source"],
            motifs=[Motif.from_dict(m) for m in d["motifs"]],
            model=dict(d.get("model", {})),
            settings=dict(d.get("settings", {})),
            tracks=list(d.get("tracks", [])),
            meter=dict(d["meter"]) if d.get("meter") is not None else None,
            collection=dict(d["collection"]) if d.get("collection") is not None else None,
        )
