"""``discover``: a score in, ranked motif families out (voices -> windows -> patterns -> families)."""

from __future__ import annotations

import string

import numpy as np

from motifcli.discovery.candidates import Lines, build_lines, diatonic_steps, window_keys
from motifcli.discovery.families import Chosen, add_variants, choose
from motifcli.discovery.patterns import closed_patterns
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.score import Score
from motifcli.voices import Voice, split_voices


def discover(score: Score, model: object | None = None, settings: DiscoverySettings | None = None) -> list[Family]:
    """Motif families of ``score``, most salient first.

    ``model`` is accepted for the pipeline's sake and unused: on BPS-motif the shipped embedding did
    not help this stage (see benchmarks/DISCOVERY-ALGO.md).
    """
    settings = settings or DiscoverySettings()
    min_chord_share = 0.2 if settings.bass_voice else float("inf")
    return discover_voices(split_voices(score, min_chord_share=min_chord_share), settings)


def discover_voices(voices: list[Voice], settings: DiscoverySettings) -> list[Family]:
    """The same on ready-made voices (tests and benchmarks feed their own)."""
    lines = build_lines(voices)
    if len(lines) < 2 * settings.min_notes:
        return []
    keys = window_keys(lines, settings.max_notes + 1, settings.max_beats, chromatic=not settings.diatonic_keys)
    patterns = closed_patterns(
        lines, keys, settings.min_notes, settings.max_notes, settings.extend_share, settings.oscillation_penalty
    )
    chosen = choose(patterns, lines, settings)
    if settings.use_variants:
        add_variants(chosen, lines, keys, settings)
    families = [_family(c, lines) for c in chosen]
    families.sort(key=lambda f: -f.salience)
    return [_relabel(f, i) for i, f in enumerate(families)]


def _family(c: Chosen, lines: Lines) -> Family:
    """Build the output family: prototype = earliest exact statement, then the rest in time order."""
    order = np.argsort(c.distance + 1e-9 * c.starts, kind="stable")
    proto = int(c.starts[order[0]])
    rest = sorted((int(k), float(d)) for k, d in zip(c.starts, c.distance) if int(k) != proto)
    occs = [_occurrence(lines, proto, proto, c.n, 0.0)]
    occs += [_occurrence(lines, k, proto, c.n, d) for k, d in rest]
    total = max(len(lines), 1)
    covered = len(occs) * c.n
    coverage = covered / total
    similarity = float(np.mean([o.similarity for o in occs]))
    salience = coverage * similarity * np.log2(1 + len(occs))
    return Family("", tuple(occs), float(salience), float(coverage), c.n)


def _occurrence(lines: Lines, start: int, proto: int, n: int, distance: float) -> Occurrence:
    v = lines.voices[int(lines.voice_id[start])]
    base = start - int(np.searchsorted(lines.voice_id, lines.voice_id[start]))
    notes = tuple(
        NoteRef(v.track, int(v.note_indices[i]), v.voice, float(v.onsets[i]), float(v.offsets[i]), int(v.pitches[i]))
        for i in range(base, base + n)
    )
    shift = int(np.round(np.median(lines.pitches[start : start + n] - lines.pitches[proto : proto + n])))
    return Occurrence(notes, shift, diatonic_steps(shift), float(1.0 / (1.0 + distance)))


def _relabel(f: Family, i: int) -> Family:
    letters = string.ascii_uppercase
    label = letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]
    return Family(label, f.occurrences, f.salience, f.coverage, f.notes_per_occurrence)
