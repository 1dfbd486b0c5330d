"""``discover``: a score in, ranked motif families out (voices -> windows -> patterns -> families)."""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Mapping, Sequence

import numpy as np

from motifcli.discovery.candidates import Lines, build_lines, diatonic_steps, window_keys
from motifcli.discovery.embed import Encoder
from motifcli.discovery.extent import grow_families
from motifcli.discovery.families import Chosen, add_variants, choose, transformed
from motifcli.discovery.inversion import mirrored, reference
from motifcli.discovery.patterns import Pattern, closed_patterns
from motifcli.discovery.salience import opening_ordered, ranked
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.meter import MeterMap
from motifcli.quantiles import median
from motifcli.score import Score
from motifcli.voices import Voice, split_voices


SHORT_PIECE_MIN_NOTES = 3  # shortest motif of a piece under DiscoverySettings.short_piece_notes


def discover(score: Score, model: object | None = None, settings: DiscoverySettings | None = None, *,
             hands: Mapping[int, Sequence[int]] | None = None) -> list[Family]:
    """Motif families of ``score``, most salient first.

    ``model`` (optional; anything with ``spec`` and ``embed``, e.g. ``motifcli.load_model()``) vets
    varied statements that align only loosely (see :mod:`motifcli.discovery.embed` and
    benchmarks/DISCOVERY-ALGO.md for what it buys) and, with ``texture_model="cluster"``, groups
    texture bars (benchmarks/phase5-texmodel.md); ``None`` uses the alignment and the points alone.
    ``hands``: the run's reading of a one-track keyboard part as two hands (track -> each note's hand,
    ``{}`` none: :func:`motifcli.hands.keyboard_hands`), taken once by a caller that sees the whole
    file (families.annotate_notes, also for the names and the notation); None: taken here, from
    ``score`` and ``settings.split_hands``.
    """
    from motifcli.hands import keyboard_hands, on_staves

    settings = settings or DiscoverySettings()
    hands = keyboard_hands(score, settings) if hands is None else hands  # once, whatever the passes below
    short = _short_tune(score, settings)
    if short:  # read as a tune: 3-note motifs, a phrase repeated back to back kept
        settings = as_short_tune(settings)
    if settings.extend_kept == "empty":  # a phrase repeated back to back, where nothing else is found (patterns.py)
        found = discover(score, model, dataclasses.replace(settings, extend_kept="off"), hands=hands)
        return found or discover(score, model, dataclasses.replace(settings, extend_kept="always"), hands=hands)
    score = on_staves(score, hands)  # a keyboard part in one MIDI track: its hands as staves (motifcli/hands.py)
    voices = voices_of(score, settings)
    # MIDI: estimated on first use; the bar place filters varied statements and times a figure's held head note
    meter = score.meter_map if settings.bar_position != "off" or settings.grow_from_long > 0 else None
    pairs, cells = voice_and_cell_families(voices, settings, model, meter)
    families = [grown for _, grown in pairs]
    if settings.texture:  # chordal tracks' repeated bars, chords included (discovery/texture.py)
        from motifcli.discovery.texture import with_texture

        # texture and voice families judge each other on the voice families before growing (extent.py):
        # a grown statement reaching into a chordal bar is no reason to drop that bar's texture family
        grown_of = {core: grown for core, grown in pairs}  # by value: frozen dataclasses
        judged = with_texture(score, [core for core, _ in pairs], settings, sum(map(len, voices)), model)
        families = [grown_of.get(f, f) for f in judged]
    # short cells join last: they claim no texture family's notes and take only slots left under the cap
    ordered = _ranked([*families, *cells], settings)
    if settings.grown_redundancy > 0 and settings.texture:  # a texture family stating a kept family's notes again
        ordered = [_relabel(ordered[i], k) for k, i in enumerate(_distinct(ordered, settings.grown_redundancy))]
    if settings.accompaniment_below > 0 or settings.accompaniment_pivot > 0 or settings.figuration_in_place > 0:  # accompaniment figures out (discovery/accompaniment.py)
        from motifcli.discovery.accompaniment import without_accompaniment

        cores = {grown.occurrences: core for core, grown in pairs}  # evenness of the statements before growing
        ordered = [_relabel(f, i) for i, f in enumerate(without_accompaniment(ordered, settings, score, cores))]
    if settings.subfigure > 0:  # a family stating only notes of more salient families is part of them
        ordered = [_relabel(ordered[i], k) for k, i in enumerate(_distinct(ordered, settings.subfigure, inside=True))]
    if short and settings.rhythm_motifs:  # its rhythmic motif, one family more (discovery/rhythm.py)
        from motifcli.discovery.rhythm import rhythm_family

        rhythm = rhythm_family(voices[0], settings)
        ordered = ordered if rhythm is None else [*ordered, _relabel(rhythm, len(ordered))]
    ordered = ordered[: settings.max_families]
    staff = line_staves(voices)
    # a phrase stated once and doubled in another line is no motif: a family needs two statements left
    ordered = undoubled(ordered, settings, staff, least=2)
    ordered = opening_order(ordered, score, settings)
    if settings.buried > 0 and ordered:  # a top-line family's loose copies under other lines are chance matches (discovery/register.py)
        from motifcli.discovery.register import Sounding, without_buried

        sounding = Sounding(score)
        ordered = [without_buried(f, sounding, settings.buried, settings.buried_top, settings.buried_crowd,
                                  settings.buried_varied, settings.buried_imitation, staff) for f in ordered]
        ordered = [_relabel(f, k) for k, f in enumerate(f for f in ordered if len(f.occurrences) >= 2)]
    if settings.stagger > 0 and not short:  # one passage read twice, shifted: the reading explaining more stays
        from motifcli.discovery.stagger import without_staggered

        ordered = [_relabel(f, k) for k, f in enumerate(without_staggered(ordered, settings.stagger))]
    return ordered


def voices_of(score: Score, settings: DiscoverySettings) -> list[Voice]:
    """The piece's lines as discovery reads them (a chordal track's bass line with ``bass_voice``; staves,
    written voices and separated lines as the settings say): for one piece and for each piece of a
    collection (discovery/across.py)."""
    return split_voices(score, min_chord_share=0.2 if settings.bass_voice else float("inf"),
                        by_staff=settings.staff_voices, separate=settings.separate_lines)


def as_short_tune(settings: DiscoverySettings, max_notes: int | None = None) -> DiscoverySettings:
    """``settings`` for a short tune (:func:`_short_tune`): motifs from 3 notes, a phrase repeated back to
    back kept (``extend_kept`` "empty" becomes "always"); ``max_notes``: windows of at most that many notes too
    (a collection of short tunes, discovery/across.py)."""
    kept = "always" if settings.extend_kept == "empty" else settings.extend_kept
    capped = {} if max_notes is None else {"max_notes": min(settings.max_notes, max_notes)}
    return dataclasses.replace(settings, min_notes=SHORT_PIECE_MIN_NOTES, extend_kept=kept, short_piece_notes=0, **capped)


def line_staves(voices: Sequence[Voice]) -> dict[tuple[int, int, int], int]:
    """(track, voice, note index) -> staff of every note of a line that is not in staff 1: a line is a
    track's voice, in its staff where the track was split staff by staff (doubling, register)."""
    return {(v.track, v.voice, int(i)): v.staff for v in voices if v.staff != 1 for i in v.note_indices}


def undoubled(families: list[Family], settings: DiscoverySettings, staff: Mapping[tuple[int, int, int], int],
              least: int) -> list[Family]:
    """``families`` with a statement doubled or harmonised in a lower line heard once, in the upper line
    (``settings.doubled``, discovery/doubling.py), then those left with fewer than ``least`` statements
    dropped and the rest relabelled; unchanged when ``doubled`` is off. One piece needs two statements
    (``least`` 2); a collection keeps a family stated once in a piece (1, discovery/across.py)."""
    if settings.doubled <= 0:
        return families
    from motifcli.discovery.doubling import without_doubling

    out = [without_doubling(f, settings.doubled, settings.doubled_parallel, staff) for f in families]
    return [_relabel(f, k) for k, f in enumerate(f for f in out if len(f.occurrences) >= least)]


def opening_order(families: list[Family], score: Score, settings: DiscoverySettings,
                  relabel: bool = True) -> list[Family]:
    """The output order (``order_opening``, ``order_exact``, ``order_own``: salience.opening_ordered) over
    ``score``'s pitched notes' span; unchanged when all three are off. ``relabel``: named A, B, ... in the
    new order (one piece); False keeps the labels (a collection's, discovery/across.py)."""
    if not (settings.order_opening > 0 or settings.order_exact > 0 or settings.order_own > 0):
        return families
    notes = [n for t in score.pitched_tracks() for n in t.notes]
    start = min((n.onset for n in notes), default=0.0)
    length = max((n.offset for n in notes), default=start) - start
    out = opening_ordered(families, settings, start, length)
    return [_relabel(f, k) for k, f in enumerate(out)] if relabel else out


def _short_tune(score: Score, settings: DiscoverySettings) -> bool:
    """One line of fewer than ``short_piece_notes`` notes (a song's strophe). In a tune of 30-90 notes a
    returning 3-note figure is a motif, and a phrase sung twice back to back is its phrase, not a stretch
    of a longer repeat; in a long movement, or between the lines of a short polyphonic piece, 3-note
    repeats are chance, and the back-to-back rule everywhere gave a sonata near-duplicate scale families
    and a doubling's copies a family of their own (phase 16).
    So such a tune searches motifs from 3 notes with ``extend_kept="always"`` (phase19-folk19.md)."""
    if settings.short_piece_notes <= 0 or settings.min_notes <= SHORT_PIECE_MIN_NOTES:
        return False
    if sum(len(t.notes) for t in score.pitched_tracks()) >= settings.short_piece_notes:
        return False
    return len(voices_of(score, settings)) == 1


def discover_voices(voices: list[Voice], settings: DiscoverySettings, model: Encoder | None = None) -> list[Family]:
    """The same on ready-made voices (tests and benchmarks feed their own)."""
    pairs, cells = voice_and_cell_families(voices, settings, model)
    return _ranked([*(grown for _, grown in pairs), *cells], settings)


def line_patterns(lines: Lines, settings: DiscoverySettings) -> tuple[dict[int, np.ndarray], list[Pattern]]:
    """The lines' window keys and every closed repeated pattern, scored, as the choice sees them
    (benchmarks that replay the choice call this too)."""
    keys = window_keys(lines, settings.max_notes + max(1, settings.max_gaps), settings.max_beats,
                       chromatic=not settings.diatonic_keys or not settings.transpose, absolute=not settings.transpose,
                       inverted_from=settings.inversions if settings.transpose else 0,
                       scaled_from=settings.augmentations,
                       reversed_from=settings.retrogrades if settings.transpose else 0)
    patterns = closed_patterns(
        lines, keys, settings.min_notes, settings.max_notes, settings.extend_share, settings.oscillation_penalty,
        settings.drop_open_at_cap, settings.extend_kept == "always", settings.opening_figure, settings.extend_tiled,
    )
    return keys, patterns


def voice_and_cell_families(
    voices: list[Voice], settings: DiscoverySettings, model: Encoder | None = None, meter: MeterMap | None = None,
) -> tuple[list[tuple[Family, Family]], list[Family]]:
    """Voice families before and after growing their statements (the same unless ``grow_share``),
    most salient first, and, apart, short rhythmic cells (avoiding the grown statements' notes).
    ``meter`` places notes in their bars for the ``bar_position`` settings and ``grow_from_long`` (None: those are off)."""
    lines = build_lines(voices)
    if len(lines) < 2 * settings.min_notes:
        return [], []
    keys, patterns = line_patterns(lines, settings)
    chosen = choose(patterns, lines, settings)
    if settings.use_variants:
        add_variants(chosen, lines, keys, settings, model, meter)
    chosen = [c for c in chosen if len(c.starts) >= settings.min_occurrences]
    core = [_family(c, lines, settings.salience_discount, settings) for c in chosen]
    grown = core
    if settings.grow_share > 0:  # statements grown beyond the caps (extent.py)
        grow_families(chosen, lines, settings, meter)
        grown = [_keep_transpositions(_family(c, lines, settings.salience_discount), f) for c, f in zip(chosen, core)]
    cells: list[Chosen] = []
    if settings.short_cells > 0:  # 2-3-note rhythmic cells, their own budget (discovery/cells.py)
        from motifcli.discovery.cells import cell_families

        cells = cell_families(lines, settings, chosen)
    pairs = sorted(zip(core, grown), key=lambda cg: -cg[1].salience)
    if settings.grown_redundancy > 0:  # two cores grown into the same statements: one family, not two
        pairs = [pairs[i] for i in _distinct([grown for _, grown in pairs], settings.grown_redundancy)]
    return ([(_relabel(c, i), _relabel(g, i)) for i, (c, g) in enumerate(pairs)],
            _ranked([_family(c, lines, settings.salience_discount) for c in cells]))


def _distinct(families: list[Family], share: float, inside: bool = False) -> list[int]:
    """Indices of ``families`` (most salient first) kept when a family whose notes are (at least
    ``share``, as intersection over union) those of one more salient family is dropped: growing can
    carry two different short cores into the same long statements (POP909 101's melody phrase came
    out as two identical families), and a run of one repeated bar can be the same statements as a
    phrase family (Mozart K. 545's exposition). Union, not containment: a short motif nested in a
    longer one stays. ``inside``: instead, a family is dropped when ``share`` of its own notes are in
    one kept family's notes whose statements are as long or longer (``DiscoverySettings.subfigure``:
    a part of that motif)."""
    kept: list[int] = []
    held: list[tuple[set[tuple[int, int]], int]] = []  # notes, notes per statement
    for i, family in enumerate(families):
        notes = {(n.track, n.index) for o in family.occurrences for n in o.notes}
        if inside:  # texture families are whole bars, chosen apart from their phrases (texture_bar_runs): exempt;
            # only a family of statements as long or longer holds a part (a scale's 4-note steps do not hold the scale)
            drop = not family.is_texture and any(
                len(notes & h) >= share * len(notes) and n >= family.notes_per_occurrence for h, n in held)
        else:
            drop = any(len(notes & h) >= share * len(notes | h) for h, _ in held)
        if not drop:
            kept.append(i)
            held.append((notes, family.notes_per_occurrence))
    return kept


def _ranked(families: list[Family], settings: DiscoverySettings | None = None) -> list[Family]:
    """Most salient first, labelled A, B, ... in that order; with ``settings``, by the output order
    and salience of :func:`motifcli.discovery.salience.ranked` (length, transposition, redundancy)."""
    order = ranked(families, settings) if settings is not None else sorted(families, key=lambda f: -f.salience)
    return [_relabel(f, i) for i, f in enumerate(order)]


def _family(c: Chosen, lines: Lines, discount_power: float = 0.0, settings: DiscoverySettings | None = None) -> Family:
    """Build the output family: prototype = earliest exact statement, then the rest in time order.
    With ``settings``, statements in the transformations it searches (inversion, augmentation or
    diminution, retrograde: :func:`~motifcli.discovery.families.transformed`) are marked, against the
    statement heard first (a canon's leader), which is then the prototype."""
    order = np.argsort(c.distance + 1e-9 * c.starts, kind="stable")
    p = int(order[0])
    rest = [i for i in range(len(c.starts)) if i != p]
    k = len(c.notes)
    flip, scale, back = (transformed(lines, c.notes, c.distance, settings) if settings is not None
                         else (np.zeros(k, dtype=bool), np.ones(k), np.zeros(k, dtype=bool)))
    if flip.any() or (scale != 1).any() or back.any():  # prime, inverted and scaled against the statement heard first (a canon's leader)
        p = int(reference(lines, c.notes, c.distance))
        rest = [i for i in range(len(c.starts)) if i != p]
    occs = [_occurrence(lines, c.notes[i], c.notes[p], float(c.distance[i]), bool(flip[i]), float(scale[i]), bool(back[i]))
            for i in [p, *rest]]
    total = max(len(lines), 1)
    coverage = sum(len(o.notes) for o in occs) / total
    similarity = float(np.mean([o.similarity for o in occs]))
    salience = coverage * similarity * np.log2(1 + len(occs)) * c.discount**discount_power
    return Family("", tuple(occs), float(salience), float(coverage), c.n)


def _occurrence(lines: Lines, pos: np.ndarray, proto: np.ndarray, distance: float, inverted: bool = False,
                time_scale: float = 1.0, retrograde: bool = False) -> Occurrence:
    v = lines.voices[int(lines.voice_id[pos[0]])]
    base = int(np.searchsorted(lines.voice_id, lines.voice_id[pos[0]]))
    notes = tuple(
        NoteRef(v.track, int(v.note_indices[i]), v.voice, float(v.onsets[i]), float(v.offsets[i]), int(v.pitches[i]))
        for i in (pos - base).tolist()
    )
    if retrograde:  # from the prototype reversed (mirrored first for a retrograde inversion): its first note against the prototype's last
        ref = mirrored(lines.pitches[proto]) if inverted else lines.pitches[proto]
        shift = int(np.round(median(lines.pitches[pos] - ref[::-1])))
    elif inverted:  # from the prototype mirrored about its first note
        shift = int(np.round(median(lines.pitches[pos] - mirrored(lines.pitches[proto]))))
    elif len(pos) == len(proto):
        shift = int(np.round(median(lines.pitches[pos] - lines.pitches[proto])))
    else:  # different note counts: the first notes correspond (alignment keeps both ends)
        shift = int(lines.pitches[pos[0]] - lines.pitches[proto[0]])
    return Occurrence(notes, shift, diatonic_steps(shift), float(1.0 / (1.0 + distance)), inverted, time_scale, retrograde)


def _keep_transpositions(grown: Family, core: Family) -> Family:
    """A grown family with its statements' transpositions as measured before growing.

    Statements grow by different amounts on each side, so two of one length after growing need not
    correspond note for note; their transposition is that of the core statement they hold (one
    holding no core statement's first note keeps its own).
    """
    of = {(o.notes[0].track, o.notes[0].index): o for o in core.occurrences}
    occs = []
    for g in grown.occurrences:
        c = next((of[k] for k in ((n.track, n.index) for n in g.notes) if k in of), g)
        occs.append(dataclasses.replace(g, transposition=c.transposition, diatonic=c.diatonic, inverted=c.inverted,
                                        time_scale=c.time_scale, retrograde=c.retrograde))
    if any(o.inverted or o.time_scale != 1 or o.retrograde for o in occs):  # against the core's prototype: the statement holding it leads
        head = (core.prototype.notes[0].track, core.prototype.notes[0].index)
        lead = next((i for i, o in enumerate(occs) if head in {(n.track, n.index) for n in o.notes}), 0)
        occs.insert(0, occs.pop(lead))
        # the mirror's axis is the prototype's first note: moved by growing to the left, an inverted
        # statement's transposition moves by twice as much
        moved = 2 * (core.prototype.notes[0].pitch - occs[0].notes[0].pitch)
        occs = [dataclasses.replace(o, transposition=o.transposition + moved, diatonic=diatonic_steps(o.transposition + moved))
                if o.inverted and moved else o for o in occs]
    return dataclasses.replace(grown, occurrences=tuple(occs))


def _relabel(f: Family, i: int) -> Family:
    letters = string.ascii_uppercase
    label = letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]
    return Family(label, f.occurrences, f.salience, f.coverage, f.notes_per_occurrence)
