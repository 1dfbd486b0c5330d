"""The settings of one annotation run: one frozen, typed object, checked once, resolved once.

Every way in (``motif annotate``, ``motif embed``, ``motif plot``, a batch worker, the library
call) builds a :class:`Settings` from the same names, so the same options give the same families
everywhere. Values are checked when the object is made (a NaN, an infinity or an out-of-range number
is a :class:`UsageError`, exit 2), and the defaults that depend on the model (window, hop, the
calibrated threshold, the distance) are filled in once by :meth:`Settings.resolve`; the bar origin,
which depends on the score, by :meth:`Settings.for_score`. The object is picklable (it travels to
batch workers) and records itself in the JSON report with :meth:`Settings.to_dict`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from motifcli.errors import UsageError
from motifcli.limits import ReadLimits

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.meter import MeterMap
    from motifcli.model import MotifModel
    from motifcli.score import Score

DEFAULT_THRESHOLD = 0.25  # grouping distance used when the model carries no calibrated one
MIN_THRESHOLD = 1e-6  # clustering merges below the threshold, so 0 would never merge twins
LINKAGES = ("average", "complete", "single")
UNITS = ("bar", "note")  # what an occurrence is: a run of bar windows, or a set of notes (discovery)
DEFAULT_UNIT = "note"  # note-level discovery; "bar" (the paper's whole-bar windows) is the POP909-style option
MIN_NOTES_DEFAULT = {"bar": 1, "note": 4}  # --min-notes when not given, per unit
# note level: the options that also match a motif transformed (--inversions, --augmentations, --retrogrades), each a
# bool field here and an int one of DiscoverySettings (families.py TRANSFORM_NOTES), in the report's settings order
TRANSFORM_OPTIONS = ("inversions", "augmentations", "retrogrades")
BAR_FITS = ("pad", "resample")  # how a bar of another length than the roll is fed to the model (segment.py)
MAX_ORIGIN = 64.0  # a bar offset is a pickup, not a place in the middle of the piece


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{name} must be a number, not {value!r}") from exc
    if not math.isfinite(number):
        raise UsageError(f"{name} must be a finite number, not {value!r}")
    return number


def threshold_for(sensitivity: float, calibrated: float | None = None) -> float:
    """The grouping distance for a sensitivity in [0, 1] (see :mod:`motifcli.grouping`)."""
    if not 0.0 <= sensitivity <= 1.0:
        raise UsageError(f"sensitivity must be between 0 and 1, not {sensitivity:g}")
    t0 = DEFAULT_THRESHOLD if calibrated is None else float(calibrated)
    t0 = min(max(t0, MIN_THRESHOLD), 1.0)
    if sensitivity <= 0.5:
        t = t0 * (sensitivity / 0.5)
    else:
        t = t0 + (1.0 - t0) * (sensitivity - 0.5) / 0.5
    return max(t, MIN_THRESHOLD)


def check_limits(limits: ReadLimits) -> ReadLimits:
    """Every limit a finite positive number (``--max-beats nan`` would switch the check off)."""
    bad = []
    for f in fields(limits):
        value = getattr(limits, f.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
            bad.append("--" + f.name.replace("_", "-"))
    if bad:
        raise UsageError(", ".join(bad) + " must be positive")
    return limits


@dataclass(frozen=True, slots=True)
class Settings:
    """How one score is annotated. ``None`` means "the default", filled in by :meth:`resolve`.

    ``sensitivity`` 0..1 picks the threshold (0.5 = the model's calibrated one); ``threshold`` (a
    distance in the model's metric) overrides it. ``window``/``hop`` in beats (default: the model's
    roll length, no overlap); ``origin`` is the beat where bars start (``--bar-offset``; None =
    the meter map's). ``meter`` (``--meter 3/4``) overrides the score's meter; with neither override
    the score's own meter map is used (written bars, MIDI time signatures, else estimated). When
    neither ``window`` nor ``hop`` is given the windows are the bars of that map, fitted to the
    model's roll by ``bar_fit``; otherwise a fixed grid of ``window`` beats every ``hop`` from
    ``origin``. ``min_notes`` leaves out windows with fewer notes;
    ``merge_adjacent`` joins touching windows of one family into one occurrence; a family needs
    ``min_occurrences``. ``limits`` bound the input (``max_segments`` the windows to group).

    ``unit``: ``note`` (the default: note-level discovery, an occurrence = the notes of one
    statement; the model, lazily, only for a leading chordal track's texture bars) or ``bar`` (clusters of bar windows embedded by
    the model, an occurrence = its track's notes in its span: the POP909-style option). ``min_notes``:
    the fewest notes an occurrence may have (bar: windows with fewer are skipped, default 1;
    note: the shortest motif, default 4). ``max_families``: report at most this many families, the
    most salient (None: bar = all, note = discovery's own cap).
    """

    sensitivity: float = 0.5
    threshold: float | None = None
    linkage: str = "average"
    track: str | int | None = None
    window: float | None = None
    hop: float | None = None
    min_notes: int | None = None
    origin: float | None = None
    merge_adjacent: bool = True
    min_occurrences: int = 2
    lyrics: bool = False
    keep_time_signatures: bool = False  # MIDI output: keep the input's time signatures, not the run's bars
    motif_tracks: bool = False  # MIDI output: a silent track per family holding its occurrences' notes
    unit: str = DEFAULT_UNIT
    max_families: int | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)
    meter: str | None = None
    bar_fit: str = "resample"
    texture_model: str | None = "cluster"  # note level: texture bars grouped by the bar model ("off": by their points; None: discovery's default)
    inversions: bool = False  # note level: also statements in strict inversion (--inversions; discovery/inversion.py)
    augmentations: bool = False  # note level: also statements in augmentation / diminution (--augmentations; discovery/timescale.py)
    retrogrades: bool = False  # note level: also statements in retrograde (--retrogrades; discovery/retrograde.py)
    # filled in by resolve(): what the run really uses
    distance: str | None = None
    threshold_source: str | None = None
    bar_windows: bool = False  # set by resolve(): windows are the meter map's bars (no window/hop given)
    origin_from_score: bool = False  # set by for_score(): the origin came from that score's bar lines
    is_resolved: bool = False  # set by resolve(): the defaults are filled in (with or without a model)
    meter_map: MeterMap | None = field(default=None, compare=False)  # set by for_score(): that score's bars

    def __post_init__(self) -> None:
        sens = _finite("sensitivity", self.sensitivity)
        if not 0.0 <= sens <= 1.0:
            raise UsageError(f"sensitivity must be between 0 and 1, not {sens:g}")
        if self.threshold is not None and not _finite("threshold", self.threshold) > 0:
            raise UsageError(f"threshold must be a positive distance, not {self.threshold:g}")
        if self.linkage not in LINKAGES:
            raise UsageError(f"unknown linkage {self.linkage!r}; choose one of {', '.join(LINKAGES)}")
        for name in ("window", "hop"):
            value = getattr(self, name)
            if value is not None and not _finite(name, value) > 0:
                raise UsageError(f"{name} must be a positive number of beats, not {value:g}")
        if self.origin is not None and not 0.0 <= _finite("bar offset", self.origin) < MAX_ORIGIN:
            raise UsageError(f"bar offset must be a number of beats from 0 to {MAX_ORIGIN:g}, not {self.origin:g}")
        if self.unit not in UNITS:
            raise UsageError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if self.min_notes is not None and (
            isinstance(self.min_notes, bool) or not isinstance(self.min_notes, int) or self.min_notes < 1
        ):
            raise UsageError(f"min_notes must be a whole number of at least 1, not {self.min_notes!r}")
        if self.unit == "note" and self.min_notes == 1:  # discovery compares intervals: a motif has two notes
            raise UsageError("min_notes must be at least 2 with --unit note, not 1")
        if self.max_families is not None and (
            isinstance(self.max_families, bool) or not isinstance(self.max_families, int) or self.max_families < 1
        ):
            raise UsageError(f"max_families must be a whole number of at least 1, not {self.max_families!r}")
        if isinstance(self.min_occurrences, bool) or not isinstance(self.min_occurrences, int) or self.min_occurrences < 1:
            raise UsageError(f"min_occurrences must be a whole number of at least 1, not {self.min_occurrences!r}")
        if self.track is not None and not isinstance(self.track, (str, int)):
            raise UsageError(f"track must be a name or an index, not {self.track!r}")
        check_limits(self.limits)
        if self.meter is not None:
            from motifcli.meter import parse_meter

            try:
                parse_meter(str(self.meter))
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        for name in TRANSFORM_OPTIONS:
            if not isinstance(getattr(self, name), bool):
                raise UsageError(f"{name} must be true or false, not {getattr(self, name)!r}")
        if self.texture_model not in (None, "off", "cluster"):
            raise UsageError(f"unknown texture model {self.texture_model!r}; choose off or cluster")
        if self.bar_fit not in BAR_FITS:
            raise UsageError(f"unknown bar fit {self.bar_fit!r}; choose one of {', '.join(BAR_FITS)}")

    @classmethod
    def build(cls, settings: Settings | None = None, **options: Any) -> Settings:
        """``settings`` (or the defaults) with ``options`` replaced; an unknown name is a UsageError."""
        base = settings if settings is not None else cls()
        known = {f.name for f in fields(cls)} - {"distance", "threshold_source", "origin_from_score", "bar_windows",
                                                 "meter_map", "is_resolved"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise UsageError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if not options:
            return base
        return replace(base.unresolved(), **options)

    def unresolved(self) -> Settings:
        """These settings as given, before :meth:`resolve` and :meth:`for_score` filled in defaults
        that depend on them (a threshold derived from the sensitivity, a bar origin from one score);
        resolved window and hop stay (they are checked again by the next resolve)."""
        if not self.resolved:
            return self
        return replace(
            self,
            threshold=self.threshold if self.threshold_source == "explicit" else None,
            origin=None if self.origin_from_score else self.origin,
            window=None if self.bar_windows else self.window,
            hop=None if self.bar_windows else self.hop,
            distance=None,
            threshold_source=None,
            bar_windows=False,
            origin_from_score=False,
            meter_map=None,
            is_resolved=False,
        )

    @property
    def fewest_notes(self) -> int:
        """``min_notes``, or the unit's default when not given (bar 1, note 4)."""
        return MIN_NOTES_DEFAULT[self.unit] if self.min_notes is None else int(self.min_notes)

    @property
    def resolved(self) -> bool:
        return self.is_resolved

    @property
    def uses_model(self) -> bool:
        """Whether a run with these settings runs the ONNX model, so whether it must be loaded at all.

        Bar level always does (it groups the model's vectors). Note level when discovery may
        (``motifcli.families.discovery_uses_model``): by default it does, for the texture bars of a
        chordal track that leads (``texture_model="cluster"``), so the product hands it a lazy model
        (``motifcli.model.LazyModel``) that opens only if such a track is there: a chorale's run
        neither imports onnxruntime nor records a model card. ``texture_model="off"``: never.
        """
        if self.unit == "bar":
            return True
        from motifcli.families import discovery_uses_model

        return discovery_uses_model(self)

    def resolve(self, model: MotifModel | None) -> Settings:
        """These settings with every model-dependent default filled in and checked against the model.

        Window: the model's roll length (a longer one would be cut silently, so it is refused); hop:
        the window; both at least one step of the roll's grid. Threshold: explicit, else from
        ``sensitivity`` and the model's calibrated one. Distance: the one the model card names.

        ``model`` None (the note level, whose texture bars take the model's threshold only when
        they meet it, or a run that does not use the model): nothing is taken from a model; window,
        hop and threshold stay as given and the distance stays unset (the report's ``metric`` is
        then null).
        """
        if model is None:
            if self.unit == "bar":
                raise ValueError("these settings run the model: resolve(model) with a loaded model")
            if self.resolved:
                return self
            given = self.threshold is not None
            return replace(self, hop=self.window if self.hop is None else self.hop,
                           threshold_source="explicit" if given else None,
                           bar_windows=self.window is None and self.hop is None, is_resolved=True)
        spec = model.spec
        step = 1.0 / spec.steps_per_beat
        window = spec.segment_beats if self.window is None else float(self.window)
        if window > spec.segment_beats + 1e-9:
            raise UsageError(f"window {window:g} beats is longer than the model's {spec.segment_beats:g}-beat roll")
        hop = window if self.hop is None else float(self.hop)
        for name, value in (("window", window), ("hop", hop)):
            if value < step - 1e-12:
                raise UsageError(f"{name} {value:g} beats is shorter than one step of the model's grid ({step:g} beats)")
        distance = _model_distance(model)
        if self.threshold_source is not None and self.distance == distance:
            threshold, source = self.threshold, self.threshold_source
        elif self.threshold is not None and self.threshold_source in (None, "explicit"):
            threshold, source = float(self.threshold), "explicit"
        else:
            calibrated = model.grouping_threshold
            threshold = threshold_for(self.sensitivity, calibrated)
            source = "model" if calibrated is not None else "default"
        bar_windows = self.bar_windows if self.resolved else (self.window is None and self.hop is None)
        return replace(self, window=window, hop=hop, threshold=threshold, threshold_source=source, distance=distance,
                       bar_windows=bar_windows, is_resolved=True)

    def for_score(self, score: Score) -> Settings:
        """Resolved settings with this score's meter map (overrides applied) and bar origin.

        ``--meter``/``--bar-offset`` make a map of their own (``source`` user, or estimated for the
        part not given); else the score's own. The origin is the map's first downbeat (for a fixed
        grid: modulo the window), unless the user gave one.
        """
        if not self.resolved:
            raise ValueError("resolve(model) first")
        user_origin = self.origin if (self.origin is not None and not self.origin_from_score) else None
        if self.meter is not None or user_origin is not None:
            from motifcli.meter_estimate import meter_map_for

            meter = meter_map_for(score, meter=self.meter, bar_offset=user_origin)
        else:
            meter = score.meter_map
        if user_origin is not None:
            return replace(self, meter_map=meter)
        from motifcli.embedding import bar_origin

        fixed = not self.bar_windows and self.window is not None  # a model-free run may have no window
        origin = bar_origin(meter, float(self.window)) if fixed else meter.first_downbeat
        return replace(self, origin=origin, origin_from_score=True, meter_map=meter)

    def meter_dict(self) -> dict[str, Any] | None:
        """The report's top-level ``meter`` field: the map's summary plus how windows used it."""
        if self.meter_map is None:
            return None
        return {**self.meter_map.to_dict(), "user_meter": self.meter,
                "windows": "bars" if self.bar_windows else "fixed", "bar_fit": self.bar_fit}

    def to_dict(self) -> dict[str, Any]:
        """What the JSON report records (the keys of the schema's ``settings``)."""
        return {
            "sensitivity": self.sensitivity,
            "threshold": round(self.threshold, 6) if self.threshold is not None else None,
            "threshold_source": self.threshold_source,
            "linkage": self.linkage,
            "metric": self.distance,
            "merge_adjacent": self.merge_adjacent,
            "min_occurrences": self.min_occurrences,
            "bar_origin_beats": self.origin,
            "window_beats": self.window,
            "hop_beats": self.hop,
            "min_notes": self.fewest_notes,
            "track": self.track,
            "unit": self.unit,
            "max_families": self.max_families,
            **{name: True for name in TRANSFORM_OPTIONS if getattr(self, name)},  # only when asked: reports without them unchanged
            # texture bars grouped by their notes, not the bar model: only when asked (note level), as above
            **({"texture_model": self.texture_model} if self.unit == "note" and self.texture_model == "off" else {}),
        }


def _model_distance(model: MotifModel) -> str:
    """The distance the model card names (``cosine`` or ``euclidean``)."""
    distance = getattr(model, "distance", None)
    if distance is None:
        distance = model.card().get("distance", "cosine")
    return str(distance)
