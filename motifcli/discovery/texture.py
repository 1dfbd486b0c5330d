"""Texture families: repeated bars and phrases of a chordal track, every note included.

Voice-level windows (:mod:`motifcli.discovery.candidates`) find motifs stated in one line. An
accompaniment texture (block chords, arpeggios, a comping pattern: POP909's PIANO track) repeats as
a whole: its statement is all of the track's notes over one or a few bars, chords included. This
module finds those statements, the same way on any music:

1. **bars**: the notes of each chordal track (``texture_chord_share`` of its onsets are chords)
   that leads the piece (``texture_lead`` times the notes of any other track, or
   ``texture_lead_lines`` times when every other track is a single line, and ``texture_lead_share``
   times all the others' notes together: :func:`leads` in :mod:`texture_lead`; a band's piano part,
   not one staff of a two-hand score nor one part of a quartet; of a piano part alone in its score,
   the staff that leads it, as its MIDI track per staff: ``texture_staff``; of a one-staff track alone
   in its score, its notes but its top line, a tune played over its band: ``texture_tune``; not a fiddle tune's
   double stops, a line: :func:`melody_line`) are cut at the score's bar lines
   (:attr:`Score.meter_map`: written bars, else the estimated downbeats of a MIDI file); a note
   played a little early belongs to the next bar. A performance's onsets sit a fixed fraction of
   a step off the beat while an estimated bar line lies on a 1/12-beat grid: with
   ``texture_roll_grid="onsets_bars"`` (the default) notes, bar lines and the bar model's rolls are
   counted on one grid at the onsets' phase, so a bar line a fraction of a step early or late
   changes no bar, slot, roll or family (benchmarks/phase11-pop11.md).
2. **bar similarity**: each bar is a set of (onset slot, pitch) points on the piece's rhythm grid,
   and a set of (onset slot, interval class above the bar's lowest note) points (``texture_coarse``:
   the voice keys' interval classes, octave-aware, so a figure over C major matches the same figure
   over A minor). Two bars of equal length match by the points they have in common (the better of
   the two views) divided by the larger bar: mir_eval's cardinality score, so a bar that repeats
   with a few notes changed still matches. All pairs are two matrix products per track.
3. **symbols**: bars are given symbols in time order; a bar takes the symbol whose first bar it
   matches best, if that is ``texture_similarity`` or better, else a new one. Optionally
   (``texture_model="cluster"`` and a model given to ``discover``) the symbols are instead the
   clusters ``--unit bar`` would form of the bars: average linkage on the shipped bar model's cosine
   distances, cut near the run's threshold (the model's calibrated one at sensitivity 0.5): in
   the widest gap between the tree's merge heights within ``texture_cut_band`` (a share) of it
   (``texture_cut="gap"``, phase11-stable11.md: a threshold that falls between two close merges
   regrouped bars, and swung a song's scores by 0.1-0.2, when it moved by 0.02); the
   default whenever a model is given (benchmarks/phase5-texmodel.md: + on POP909 val; BPS has no
   leading chordal track, so never reaches this step). The product hands discovery a lazy model
   (``motifcli.model.LazyModel``) that opens only here, so other pieces never import onnxruntime.
4. **phrases**: repeated runs of 1 .. ``texture_max_bars`` consecutive symbols are the candidate
   statements, kept only when closed (as for voice windows: fewer than ``extend_share`` of the
   statements continue the same way), statements made disjoint; statements that follow each other
   become one occurrence (``texture_merge_runs``). With ``texture_bar_runs`` (the default) every
   repeated single-bar symbol is a candidate too, closed or not: its runs of adjacent bars are the
   occurrences ``--unit bar`` forms of one cluster. Single-bar families and longer phrases are
   chosen apart (the longer ones up to ``texture_long_share`` of the cap), so neither claims the
   other's bars (benchmarks/phase6-pop6.md: POP909's labels are mostly one-bar regions, some 8-16).

5. **competition with the lines** (:func:`with_texture`, same rule on every piece): a texture
   family is kept when the voice families do not already hold most of its notes and its
   occurrences sound chords (not a single-line figure); a voice family lying mostly inside kept
   texture occurrences is dropped (a piece of that texture, stated once per bar). Both kinds are
   ranked by the same salience. Texture phrases are chosen up to one per ``texture_notes_per_family``
   voiced notes. ``texture_other_lines=False`` (an option, off by default) also drops the other
   tracks' voice families once a texture family is kept: the leading track's account only.

``min_notes`` is also the fewest notes of a bar that states a texture; the run's sensitivity sets
``texture_similarity`` (:func:`motifcli.families.discovery_options`); ``max_families`` caps all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from motifcli.discovery.candidates import diatonic_steps, interval_class, rhythm_grid
from motifcli.discovery.texture_lead import CHORD_TOLERANCE, chordal, leads, melody_line, staff_track  # which tracks state textures
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.score import Score, Track
from motifcli.voices import TEXTURE, chord_share

TEXTURE_MODELS = ("off", "cluster")  # DiscoverySettings.texture_model: how a given model compares bars
TEXTURE_ROLL_GRIDS = ("bar", "onsets", "onsets_bars")  # DiscoverySettings.texture_roll_grid: where bars and rolls are counted
TEXTURE_LINE_RULES = ("alone", "always")  # DiscoverySettings.texture_line_rules: which leading tracks the two line rules judge
PHASE_STEPS = 8  # steps a beat of the grid texture bars are counted on with texture_roll_grid="onsets_bars"


@dataclass(frozen=True, slots=True)
class TrackBars:
    """One chordal track cut into bars: per bar, its note indices, symbol and transposition."""

    track: Track
    notes: list[np.ndarray]  # per bar: indices into track.notes, onset order
    symbols: np.ndarray  # [bars] symbol, -1 for a bar too thin to be a statement
    shift: np.ndarray  # [bars] semitones from its symbol's first bar
    match: np.ndarray  # [bars] similarity to its symbol's first bar (1 for that bar)
    index: np.ndarray | None = None  # track's notes' indices in its part (a leading staff's: texture_staff); None: the part
    voice: int = TEXTURE  # its statements' voice: ACCOMPANIMENT where the bars are a one-track song's without its tune


@dataclass(frozen=True, slots=True)
class Phrase:
    """A repeated run of ``length`` bars of one track: where each statement starts and how many bars
    it spans (``length``, or a multiple of it where statements follow each other: one occurrence)."""

    bars: TrackBars
    length: int
    starts: np.ndarray
    spans: np.ndarray

    def statement(self, k: int) -> np.ndarray:
        """Note indices (into the track) of statement ``k``."""
        s = int(self.starts[k])
        return np.concatenate(self.bars.notes[s : s + int(self.spans[k])])

    @property
    def note_count(self) -> int:
        counts = [len(n) for n in self.bars.notes]
        return sum(sum(counts[s : s + n]) for s, n in zip(self.starts.tolist(), self.spans.tolist()))


def track_bars(score: Score, track: Track, grid: float, settings: DiscoverySettings,
               model: object | None = None) -> TrackBars | None:
    """Cut ``track`` at the bar lines and give its bars symbols (None when it has fewer than two bars).

    ``model`` with ``settings.texture_model`` "cluster": the symbols are clusters of the bar model's
    distances (:func:`_model_distances`, :func:`_clustered`) instead of step 3's leaders."""
    if settings.texture_roll_grid not in TEXTURE_ROLL_GRIDS:
        raise ValueError(f"unknown texture_roll_grid {settings.texture_roll_grid!r}; choose one of {TEXTURE_ROLL_GRIDS}")
    onsets, _, pitches = track.arrays()
    meter = score.meter_map
    starts = np.asarray(meter.starts, dtype=np.float64)
    if len(starts) < 2 or len(onsets) == 0:
        return None
    lengths = np.append(np.diff(starts), meter.bars[-1].length)
    on_grid = _grid_bars(onsets, starts, grid) if settings.texture_roll_grid == "onsets_bars" else None
    if on_grid is not None:  # a performance: bar lines and onsets counted on the track's one fine grid
        bar, slot = on_grid
    else:
        # a note played up to half a grid step early belongs to the bar it anticipates
        bar = np.clip(np.searchsorted(starts, onsets + grid / 2, side="right") - 1, 0, len(starts) - 1)
        slot = np.maximum(np.round((onsets - starts[bar]) / grid).astype(np.int64), 0)
    order = np.lexsort((pitches, onsets, bar))
    bounds = np.searchsorted(bar[order], np.arange(len(starts) + 1))
    notes = [order[bounds[b] : bounds[b + 1]] for b in range(len(starts))]
    counts = np.array([len(n) for n in notes])
    used = np.flatnonzero(counts >= settings.min_notes)  # every occurrence has min_notes or more
    symbols = np.full(len(starts), -1, dtype=np.int64)
    shift = np.zeros(len(starts), dtype=np.int64)
    match = np.zeros(len(starts))
    if len(used) < 2:
        return TrackBars(track, notes, symbols, shift, match)
    sim, rel_better, bass = _similarity(notes, used, slot, pitches, np.round(lengths[used] / grid).astype(np.int64),
                                        settings.texture_coarse, settings.transpose)
    if model is not None and settings.texture_model == "cluster":
        dist, limit = _model_distances(score, track, used, model, settings)
        return _clustered(track, notes, used, rel_better, bass, np.round(lengths[used] / grid), sim, dist, limit,
                          settings)
    if settings.texture_model not in TEXTURE_MODELS:
        raise ValueError(f"unknown texture_model {settings.texture_model!r}; choose one of {TEXTURE_MODELS}")
    leaders: list[int] = []  # positions in ``used`` of each symbol's first bar
    for i in range(len(used)):
        if leaders:
            cand = np.asarray(leaders)
            s = sim[i, cand]
            j = int(np.argmax(s)) if s.max() >= settings.texture_similarity else -1
            if j >= 0:
                lead = int(cand[j])
                b = used[i]
                symbols[b] = symbols[used[lead]]
                shift[b] = int(bass[i] - bass[lead]) if rel_better[i, lead] else 0
                match[b] = float(s[j])
                continue
        leaders.append(i)
        symbols[used[i]] = len(leaders) - 1
        match[used[i]] = 1.0
    return TrackBars(track, notes, symbols, shift, match)


def _grid_bars(onsets: np.ndarray, starts: np.ndarray, grid: float,
               fine: int = PHASE_STEPS) -> tuple[np.ndarray, np.ndarray] | None:
    """Each note's bar and slot counted in whole steps of one grid at the onsets' phase
    (:func:`motifcli.segment.onset_phase`; ``fine`` steps a beat), bar lines moved to it: a note up
    to half a rhythm-grid step early still belongs to the bar it anticipates, and a bar line a
    fraction of a step early or late changes neither (phase11-pop11.md). None for onsets on a
    written grid (phase 0: a score's bar lines are its notes' own, and 1/12-beat slots do not fit
    a 1/8-beat grid)."""
    from motifcli.segment import bars_on_grid, onset_phase

    phase = onset_phase(onsets, fine)
    if phase == 0.0:
        return None
    at, lines, bar = bars_on_grid(onsets, starts, fine, phase, early=int(round(grid / 2 * fine)))
    per_slot = grid * fine
    slot = np.maximum(np.floor((at - lines[bar]) / per_slot + 0.5).astype(np.int64), 0)
    return bar, slot


def _model_distances(score: Score, track: Track, used: np.ndarray, model: object,
                     settings: DiscoverySettings) -> tuple[np.ndarray, float]:
    """Cosine distances between the ``used`` bars as the bar model embeds them (the rolls of
    ``--unit bar``, :func:`motifcli.segment.segment_bars`), and the distance under which two bars
    are one: the model's calibrated ``grouping_threshold`` at ``texture_model_sensitivity`` (0.5: as
    calibrated; ``texture_model_distance`` overrides)."""
    from motifcli.clustering import pairwise_distances
    from motifcli.embedding import embed_unique
    from motifcli.encoding import encode_segments
    from motifcli.segment import onset_phase, segment_bars

    spec = model.spec  # type: ignore[attr-defined]
    phase = onset_phase(track.arrays()[0], spec.steps_per_beat) if settings.texture_roll_grid != "bar" else None
    meter = score.meter_map
    segs = segment_bars(track, meter, spec.segment_beats, spec.steps_per_beat, settings.min_notes, "pad",
                        phase)
    at = {round(s.start, 6): k for k, s in enumerate(segs)}
    bar_starts = meter.starts
    rows = [at.get(round(float(bar_starts[b]), 6), -1) for b in used.tolist()]
    vec = embed_unique(model, encode_segments(track, segs, spec))  # type: ignore[arg-type]
    at_rows = np.asarray(rows)
    have = np.flatnonzero(at_rows >= 0)
    dist = np.full((len(used), len(used)), 2.0)  # a bar without a roll of its own: far from every other
    dist[np.ix_(have, have)] = pairwise_distances(vec[at_rows[have]], "cosine")  # as --unit bar measures
    np.fill_diagonal(dist, 0.0)
    limit = settings.texture_model_distance
    if not limit:  # the model's calibrated threshold, moved by the sensitivity as --unit bar moves it
        from motifcli.settings import threshold_for

        try:
            calibrated = model.grouping_threshold or 0.45  # type: ignore[attr-defined]
        except AttributeError:  # a bare encoder (anything with spec and embed): the shipped model's value
            calibrated = 0.45
        limit = threshold_for(float(settings.texture_model_sensitivity), calibrated)
    return dist, float(limit)


def _clustered(track: Track, notes: list[np.ndarray], used: np.ndarray, rel_better: np.ndarray, bass: np.ndarray,
               bar_len: np.ndarray, sim: np.ndarray, dist: np.ndarray, limit: float,
               settings: DiscoverySettings | None = None) -> TrackBars:
    """Symbols as ``--unit bar`` forms families of the bars (:func:`motifcli.discovery.barclusters.bar_symbols`:
    average-linkage clusters of the model's distances, the tree cut near ``limit``)."""
    from motifcli.discovery.barclusters import bar_symbols

    symbols, shift, match = bar_symbols(len(notes), used, rel_better, bass, bar_len, sim, dist, limit,
                                        settings or DiscoverySettings())
    return TrackBars(track, notes, symbols, shift, match)


def _similarity(
    notes: list[np.ndarray], used: np.ndarray, slot: np.ndarray, pitches: np.ndarray, length: np.ndarray,
    coarse: bool = False, transpose: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cardinality score of every pair of ``used`` bars, whether the bass-aligned view won, and basses.

    Two binary point matrices per bar (absolute pitch; pitch above the bar's lowest note); their
    Gram matrices count common points under no transposition and under the bass-aligned one.
    """
    idx = np.concatenate([notes[b] for b in used])
    row = np.repeat(np.arange(len(used)), [len(notes[b]) for b in used])
    bass = np.array([pitches[notes[b]].min() for b in used], dtype=np.int64)
    low = int(pitches[idx].min())
    span = int(pitches[idx].max()) - low + 1
    above = pitches[idx] - bass[row]
    if coarse:  # intervals above the bass by class (thirds, sixths... of either quality): chord changes match
        above = (above // 12) * 8 + interval_class(above % 12)
    absolute = _points(row, slot[idx] * span + (pitches[idx] - low), len(used))
    relative = _points(row, slot[idx] * span + above, len(used))
    size = absolute.sum(axis=1)
    same = absolute @ absolute.T
    moved = relative @ relative.T
    if not transpose:  # the no-invariance ablation (DiscoverySettings.transpose): absolute pitch only
        moved = np.zeros_like(moved)
    sim = np.maximum(same, moved) / np.maximum(np.maximum(size[:, None], size[None, :]), 1.0)
    sim[length[:, None] != length[None, :]] = 0.0  # bars of different lengths never match
    return sim, moved > same, bass


def _points(row: np.ndarray, feature: np.ndarray, rows: int) -> np.ndarray:
    """Binary bar x point matrix, one column per point that occurs (so its width is at most the notes)."""
    _, col = np.unique(feature, return_inverse=True)
    out = np.zeros((rows, int(col.max()) + 1), dtype=np.float32)
    out[row, col] = 1.0
    return out


def phrases(bars: TrackBars, settings: DiscoverySettings) -> list[Phrase]:
    """Closed repeated runs of 1 .. texture_max_bars symbols, statements disjoint."""
    sym = bars.symbols.tolist()
    B = len(sym)
    keys: dict[int, dict[int, tuple[int, ...]]] = {}
    for n in range(1, settings.texture_max_bars + 1):
        keys[n] = {}
        for b in range(B - n + 1):
            run = tuple(sym[b : b + n])
            if min(run) >= 0:
                keys[n][b] = run
    out: list[Phrase] = []
    for n in range(1, settings.texture_max_bars + 1):
        groups: dict[tuple[int, ...], list[int]] = {}
        for b, k in keys[n].items():
            groups.setdefault(k, []).append(b)
        for members in groups.values():
            longest = n == settings.texture_max_bars  # nothing longer to be a piece of
            if len(members) < 2 or (not longest and _extends(members, n, keys.get(n + 1, {}), settings.extend_share)):
                continue
            starts, last = [], -(10**9)
            for b in sorted(members):
                if b >= last + n:
                    starts.append(b)
                    last = b
            length = n
            if settings.texture_merge_runs:
                starts, spans = _merge_adjacent(starts, length)
            else:
                spans = [length] * len(starts)
            if len(starts) >= 2:
                out.append(Phrase(bars, length, np.asarray(starts, dtype=np.int64), np.asarray(spans, dtype=np.int64)))
    return out


def _merge_adjacent(starts: list[int], n: int) -> tuple[list[int], list[int]]:
    """Statements that follow each other without a gap become one occurrence (a repeated bar is
    one stretch of that texture, as a reader hears it)."""
    out_s: list[int] = []
    out_n: list[int] = []
    for b in starts:
        if out_s and out_s[-1] + out_n[-1] == b:
            out_n[-1] += n
        else:
            out_s.append(b)
            out_n.append(n)
    return out_s, out_n


def _extends(members: list[int], n: int, longer: dict[int, tuple[int, ...]], share: float) -> bool:
    """True when ``share`` of the statements continue into one longer run (right or left)."""
    need = share * len(members)
    for ext in ([longer.get(b) for b in members], [longer.get(b - 1) for b in members]):
        found = [k for k in ext if k is not None]
        if found and max(found.count(k) for k in set(found)) >= need:
            return True
    return False


def texture_phrases(score: Score, settings: DiscoverySettings, model: object | None = None) -> list[Phrase]:
    """Every candidate texture phrase of the chordal tracks of ``score``."""
    tracks = [t for t in score.pitched_tracks() if t.notes]
    if not tracks:
        return []
    grid = rhythm_grid(np.concatenate([t.arrays()[0] for t in tracks]))
    out: list[Phrase] = []
    for part in tracks:
        track, index, voice = staff_track(score, part, settings)  # a solo piano's leading staff, a band's accompaniment
        if not chordal(track.arrays()[0], settings) or not leads(score, part, settings):
            continue
        if melody_line(score, part, settings):  # a fiddle tune's double stops: a line, not a texture
            continue
        bars = track_bars(score, track, grid, settings, model)
        if bars is None:
            continue
        bars = dataclasses.replace(bars, index=index, voice=voice)
        if settings.texture_bar_runs:  # every repeated bar symbol, closed or not, beside the longer phrases
            out.extend(phrases(bars, dataclasses.replace(settings, texture_max_bars=1)))
            out.extend(p for p in phrases(bars, settings) if p.length > 1)
        else:
            out.extend(phrases(bars, settings))
    return out


def phrase_family(phrase: Phrase, total_notes: int) -> Family:
    """The output family of a phrase: statements in time order, the first one the prototype."""
    track, index = phrase.bars.track, phrase.bars.index
    occs = []
    for k, s in enumerate(phrase.starts.tolist()):
        idx = phrase.statement(k)
        refs = tuple(
            NoteRef(track.index, int(i if index is None else index[i]), phrase.bars.voice, float(track.notes[i].onset),
                    float(track.notes[i].offset), int(track.notes[i].pitch))
            for i in idx.tolist()
        )
        shift = int(phrase.bars.shift[s] - phrase.bars.shift[int(phrase.starts[0])])
        match = float(np.mean(phrase.bars.match[s : s + int(phrase.spans[k])])) if k else 1.0
        occs.append(Occurrence(refs, shift, diatonic_steps(shift), match))
    coverage = sum(len(o.notes) for o in occs) / max(total_notes, 1)
    similarity = float(np.mean([o.similarity for o in occs]))
    salience = coverage * similarity * np.log2(1 + len(occs))
    per = int(round(np.median([len(o.notes) for o in occs])))
    return Family("", tuple(occs), float(salience), float(coverage), per)


def choose_phrases(candidates: list[Phrase], settings: DiscoverySettings, cap: int) -> list[Phrase]:
    """Greedy best-first (most notes explained), skipping phrases mostly over notes already chosen."""
    claimed: dict[int, set[int]] = {}
    chosen: list[Phrase] = []
    for p in sorted(candidates, key=lambda p: (-p.note_count, p.length, int(p.starts[0]))):
        if len(chosen) >= cap:
            break
        taken = claimed.setdefault(p.bars.track.index, set())
        idx = set(np.concatenate([p.statement(k) for k in range(len(p.starts))]).tolist())
        if len(idx & taken) > settings.redundancy * len(idx):
            continue
        taken |= idx
        chosen.append(p)
    return chosen


def with_texture(score: Score, families: list[Family], settings: DiscoverySettings, voiced_notes: int,
                 model: object | None = None) -> list[Family]:
    """Voice families plus the texture families, each kind dropped where the other explains it.

    - A texture family is kept only when less than ``texture_voice_share`` of its notes lie in the
      voice families' occurrences (where the skyline or bass already holds the repetition, the
      lines are the finer account).
    - A texture family whose occurrences sound chords at fewer than ``texture_family_chords`` of
      their onsets is a single line (an Alberti or broken-chord figure of a sonata's left hand):
      that is the voice families' job, and the bars would only add unlabelled stretches of it.
      ``texture_line_rules="alone"``: these two judge only a leading track that is the score's one
      pitched track (its lines hold the melody); beside other tracks it accompanies, and its broken-
      chord bars are statements, not the arpeggio cells found in them (phase12-popocc12.md); so are
      a solo piano's leading staff's bars (``texture_staff``), as its MIDI file's track per staff,
      a lone track's bars without its top line (``texture_tune``), as a band's piano beside its melody,
      and an accompaniment's both hands (``texture_upper_chords``): its chords would otherwise hand the
      bars to its per-hand lines (POP909 train 031, 049, 080: phase22-pianoalone22.md).
    - A voice family is dropped when ``texture_covers_voice`` or more of its notes lie in the kept
      texture families' occurrences: a few notes of a repeated chordal bar, stated once per bar, are
      a piece of that texture, not a motif of their own (POP909's piano skyline).

    Salience is the same for both kinds (share of the voiced notes in the occurrences x similarity
    x log2(1 + occurrences)); ``max_families`` caps everything reported. Texture phrases are chosen
    up to one per ``texture_notes_per_family`` voiced notes (at least 3; without ``texture_bar_runs``
    at most ``max_families``); with it, single-bar runs up to that cap and longer phrases up to
    ``texture_long_share`` of it, chosen apart.
    """
    cap = max(3, int(voiced_notes // settings.texture_notes_per_family))
    candidates = texture_phrases(score, settings, model)
    if settings.texture_bar_runs:  # bar runs and longer phrases are chosen apart: neither crowds out the other
        # the cap ignores max_families (cut below, after ranking): --max-families n is the default run's first n
        longer = max(1, int(cap * settings.texture_long_share))
        chosen = (choose_phrases([p for p in candidates if p.length == 1], settings, cap)
                  + choose_phrases([p for p in candidates if p.length > 1], settings, longer))
    else:
        chosen = choose_phrases(candidates, settings, min(settings.max_families, cap))
    if not chosen:
        return families
    explained = {(n.track, n.index) for f in families for o in f.occurrences for n in o.notes}
    if settings.texture_line_rules not in TEXTURE_LINE_RULES:
        raise ValueError(f"unknown texture_line_rules {settings.texture_line_rules!r}; choose one of {TEXTURE_LINE_RULES}")
    always = settings.texture_line_rules == "always"
    alone = sum(1 for t in score.pitched_tracks() if t.notes) == 1
    texture = []
    for p in chosen:
        fam = phrase_family(p, voiced_notes)
        # a solo piano's leading staff (texture_staff) sits beside the other staff's lines, as its MIDI track does;
        # a lone track's bars without its top line (texture_tune) beside that line, as a piano beside its melody;
        # an accompaniment's both hands (texture_upper_chords: every index) beside their bass and inner lines
        judged = always or (alone and p.bars.index is None)
        if not judged or (_share_in(fam, explained) < settings.texture_voice_share
                          and _chord_share(fam) >= settings.texture_family_chords):
            texture.append(fam)
    covered = {(n.track, n.index) for f in texture for o in f.occurrences for n in o.notes}
    lines = [f for f in families if _share_in(f, covered) < settings.texture_covers_voice]
    if texture and not settings.texture_other_lines:  # the leading track's account only (phase6-pop6.md)
        leading = {f.occurrences[0].notes[0].track for f in texture}
        lines = [f for f in lines if f.occurrences[0].notes[0].track in leading]
    kept = sorted([*lines, *texture], key=lambda f: -f.salience)
    # with bar runs the caller's ranking (discovery.salience) cuts at max_families, not this raw order
    return kept if settings.texture_bar_runs else kept[: settings.max_families]


def _chord_share(family: Family, tolerance: float = CHORD_TOLERANCE) -> float:
    """Share of the onsets of ``family``'s occurrences that sound two or more notes."""
    return chord_share(np.array([n.onset for o in family.occurrences for n in o.notes]), tolerance)


def _share_in(family: Family, notes: set[tuple[int, int]]) -> float:
    """Share of ``family``'s note statements that are in ``notes`` (keys (track, index))."""
    keys = [(n.track, n.index) for o in family.occurrences for n in o.notes]
    return sum(k in notes for k in keys) / max(len(keys), 1)
