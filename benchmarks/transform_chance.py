"""How often a window's strict inversion, augmentation or diminution by 2, or retrograde occurs by chance
(``benchmarks.transform_probe chance --kind K``; the tables of phase18-inv18.md, phase18-aug18.md, phase18-retro18.md).

Over the lines discovery builds (default settings), per window length n:

- inversion: the windows that repeat as themselves somewhere (a non-overlapping window with the same key:
  "prime"), those whose strict inversion occurs ("inverted": a non-overlapping window whose key is this
  window's with every interval negated; not counting a window that is its own inversion), and of those
  the share that are scales or arpeggios (every interval one direction) or zigzags (directions
  alternate), and those the guard of ``window_keys`` keeps (a window that turns, not at every note, and
  leaps a third or more), in interval classes ("class", the keys' default) and in semitones ("semitones").
- augmentation: the primes, and those whose augmentation or diminution by 2 occurs ("scaled": a
  non-overlapping window whose key is this window's with every inter-onset interval doubled, or whose
  doubled key is this window's), of those the share in one note value throughout (even running notes)
  or on one pitch (repeated notes), and those the guard of ``window_keys`` keeps (two note values or
  more, some interval not 0); in interval classes (the keys' default).
- retrograde: the windows whose retrograde (the same notes in reverse order: intervals reversed and
  negated, inter-onset intervals reversed) occurs elsewhere as a non-overlapping window with that key
  ("retrograde occurs"), leaving out a window that is its own retrograde (a palindrome); of those the share
  that run one way (a scale's retrograde is a scale the other way), zigzag (trills, Alberti figures) or
  move in one note value; and those a guard like the inversion one keeps (turns, not at every note, leaps
  a third or more), and of those the ones in two note values or more. Interval classes, as the keys. The
  last two columns count the ``retrogrades`` option's own keys (phase18-retro18.md): windows whose key a
  written retrograde merges into another group (``candidates.retrograde_pairs``: two note values or more,
  the last note's value included; ``merge_groups``) without the contour guard, and with it (where
  ``window_keys(reversed_from=n)`` differs from the ordinary key). Since session 19 a merge re-keys every
  window of one of the two ordinary groups (before: the windows whose last-value key matched, in both), so
  these counts are not phase18-retro18.md's (BPS tune, ``--written``, n = 4 / 5 / 6 / 8, guarded: 0.19 /
  0.03 / 0.01 / 0.01 % against 0.37 / 0.10 / 0.01 / 0.02 %). Two rhythms of a retrograde: by default the onsets are reversed in time (the
  inter-onset intervals in reverse order, what "IOIs reversed" says); ``--written`` reverses the note
  values as a score writes a retrograde (a note's value = its inter-onset interval, the voice's last note
  its duration), so the retrograde's first inter-onset interval is the value of the window's LAST note,
  which the window's own key does not hold: a key for written retrogrades has to hash the last note's
  value too.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np

from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import Lines, build_lines, interval_class, merge_groups, retrograde_pairs, window_keys
from motifcli.discovery.core import voices_of
from motifcli.voices import Voice

LENGTHS = (4, 5, 6, 8)


def scores(args: list[str]) -> list[tuple[str, object]]:
    """``files A B ...`` or ``CORPUS SPLIT``: (name, score) pairs."""
    if args[0] == "files":
        from motifcli import read_score

        return [(a.rsplit("/", 1)[-1], read_score(a)) for a in args[1:]]
    from benchmarks.discovery_sweep import pieces

    return [(p.name, p.score) for p in pieces(args[0], args[1])]


def lines_of(score: object, settings: DiscoverySettings) -> Lines:
    """The lines discovery builds from the score under these settings."""
    voices = voices_of(score, settings)
    return build_lines(voices)


def partnered(keys: np.ndarray, wanted: np.ndarray, n: int, lines: Lines) -> np.ndarray:
    """Per window: does another valid window, not overlapping it, carry ``wanted[w]`` as its key?"""
    where: dict[int, list[int]] = defaultdict(list)
    for k in np.flatnonzero(keys != -1).tolist():
        where[int(keys[k])].append(k)
    out = np.zeros(len(keys), dtype=bool)
    for w in np.flatnonzero(keys != -1).tolist():
        for k in where.get(int(wanted[w]), ()):
            if abs(k - w) >= n or lines.voice_id[k] != lines.voice_id[w]:
                out[w] = True
                break
    return out


def inversion_chance(named: list[tuple[str, object]]) -> None:
    settings = DiscoverySettings()
    for chromatic in (False, True):
        totals = {n: np.zeros(8, dtype=np.int64) for n in LENGTHS}  # windows, prime, inverted, inv-only, one way, zigzag, guarded, guarded only
        for _, score in named:
            lines = lines_of(score, settings)
            if len(lines) < 8:
                continue
            up = window_keys(lines, max(LENGTHS), settings.max_beats, chromatic=chromatic)
            flipped = dataclasses.replace(lines, interval=-lines.interval)
            down = window_keys(flipped, max(LENGTHS), settings.max_beats, chromatic=chromatic)
            for n in LENGTHS:
                keys, mirror = up[n], down[n]
                valid = keys != -1
                prime = partnered(keys, keys, n, lines)
                inv = partnered(keys, mirror, n, lines) & (mirror != keys)
                idx = np.flatnonzero(inv)
                steps = np.sign(lines.interval[idx[:, None] + np.arange(n - 1)[None, :]]) if len(idx) else np.zeros((0, n - 1))
                lead = np.array([next((x for x in row if x != 0), 0) for row in steps.tolist()], dtype=np.int64)
                monotone = np.all((steps == 0) | (steps == lead[:, None]), axis=1)  # as window_keys' guard
                zigzag = np.all(steps != 0, axis=1) & np.all(steps[:, 1:] == -steps[:, :-1], axis=1)
                shaped = np.zeros(len(keys), dtype=bool)
                leaps = np.any(np.abs(lines.interval[idx[:, None] + np.arange(n - 1)[None, :]]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
                shaped[idx] = ~monotone & ~zigzag & leaps
                totals[n] += [valid.sum(), prime.sum(), inv.sum(), (inv & ~prime).sum(), monotone.sum(), zigzag.sum(),
                              shaped.sum(), (shaped & ~prime).sum()]
        print("semitones" if chromatic else "class")
        print("| n | windows | repeat as prime | inversion occurs | inversion only | of those with an inversion: one way (scale, arpeggio) | zigzag | inversion occurs, guarded (turns, not every note, leaps) | guarded, inversion only |")
        print("|---|---|---|---|---|---|---|---|---|")
        for n, t in totals.items():
            w, p, i, o, m, z, g, go = (int(x) for x in t)
            print(f"| {n} | {w} | {p} ({p / max(w, 1):.1%}) | {i} ({i / max(w, 1):.1%}) | {o} ({o / max(w, 1):.1%}) "
                  f"| {m / max(i, 1):.0%} | {z / max(i, 1):.0%} | {g} ({g / max(w, 1):.1%}) | {go} ({go / max(w, 1):.2%}) |")


def augmentation_chance(named: list[tuple[str, object]]) -> None:
    settings = DiscoverySettings()
    totals = {n: np.zeros(8, dtype=np.int64) for n in LENGTHS}  # windows, prime, scaled, scaled only, even, guarded, + turns, + leaps
    for _, score in named:
        lines = lines_of(score, settings)
        if len(lines) < 8:
            continue
        keys = window_keys(lines, max(LENGTHS), settings.max_beats)
        doubled = window_keys(dataclasses.replace(lines, ioi=lines.ioi * 2), max(LENGTHS), settings.max_beats)
        rq = np.round(lines.ioi / lines.grid).astype(np.int64)
        for n in LENGTHS:
            k, d = keys[n], doubled[n]
            valid = k != -1
            prime = partnered(k, k, n, lines)
            scaled = partnered(k, d, n, lines) | partnered(d, k, n, lines)  # its augmentation, or it is one's
            idx = np.flatnonzero(scaled)
            span = idx[:, None] + np.arange(n - 1)[None, :]
            even = np.all(rq[span] == rq[idx][:, None], axis=1) if len(idx) else np.zeros(0, bool)
            still = np.all(lines.interval[span] == 0, axis=1) if len(idx) else np.zeros(0, bool)
            signs = np.sign(lines.interval[span]) if len(idx) else np.zeros((0, n - 1), int)
            turns = np.any(signs > 0, axis=1) & np.any(signs < 0, axis=1)  # not one way (a scale, an arpeggio)
            leaps = np.any(np.abs(lines.interval[span]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
            kept = ~even & ~still
            totals[n] += [valid.sum(), prime.sum(), scaled.sum(), (scaled & ~prime).sum(), (even | still).sum(),
                          kept.sum(), (kept & turns).sum(), (kept & turns & leaps).sum()]
    print("| n | windows | repeat as prime | x2 or /2 occurs | x2 or /2 only | of those: one note value or one pitch "
          "| guarded (2+ values, moves) | + turns | + turns + leaps |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, t in totals.items():
        w, p, s, o, e, g, gt, gl = (int(x) for x in t)
        print(f"| {n} | {w} | {p} ({p / max(w, 1):.1%}) | {s} ({s / max(w, 1):.1%}) | {o} ({o / max(w, 1):.1%}) "
              f"| {e / max(s, 1):.0%} | {g} ({g / max(w, 1):.2%}) | {gt} ({gt / max(w, 1):.2%}) | {gl} ({gl / max(w, 1):.2%}) |")


def reversed_lines(lines: Lines, written: bool = False) -> Lines:
    """Every voice backwards: onsets negated and reversed (``written``: note values reversed), pitches reversed."""
    voices = []
    for v in lines.voices:
        if written:
            values = np.append(np.diff(v.onsets), v.offsets[-1] - v.onsets[-1])[::-1]
            on = np.concatenate([[0.0], np.cumsum(values[:-1])])
        else:
            on = -v.onsets[::-1].copy()
        voices.append(Voice(v.track, v.voice, v.note_indices[::-1].copy(), on, on + 0.1, v.pitches[::-1].copy(), v.staff))
    return build_lines(voices)


def retrograde_keys(lines: Lines, n: int, rev_keys: np.ndarray) -> np.ndarray:
    """Per window (start position in ``lines``) the key of its retrograde, from the reversed lines' keys."""
    out = np.full(len(lines), -1, dtype=np.int64)
    base = 0
    for v in lines.voices:
        size = len(v)
        for j in range(0, size - n + 1):  # reversed window j holds original notes size-n-j .. size-1-j
            out[base + size - n - j] = rev_keys[base + j]
        base += size
    return out


def retrograde_chance(named: list[tuple[str, object]], written: bool = False) -> None:
    settings = DiscoverySettings()
    totals = {n: np.zeros(9, dtype=np.int64) for n in LENGTHS}
    for _, score in named:
        lines = lines_of(score, settings)
        if len(lines) < 8:
            continue
        rev = reversed_lines(lines, written)
        fwd, back = window_keys(lines, max(LENGTHS), settings.max_beats), window_keys(rev, max(LENGTHS), settings.max_beats)
        rq = np.round(lines.ioi / lines.grid).astype(np.int64)
        for n in LENGTHS:
            k = fwd[n]
            r = retrograde_keys(lines, n, back[n])
            r = np.where(k == -1, -1, r)
            found = partnered(k, r, n, lines) & (r != k)
            idx = np.flatnonzero(found)
            span = idx[:, None] + np.arange(n - 1)[None, :]
            signs = np.sign(lines.interval[span]) if len(idx) else np.zeros((0, n - 1), int)
            one_way = ~(np.any(signs > 0, axis=1) & np.any(signs < 0, axis=1))
            zigzag = np.all(signs != 0, axis=1) & np.all(signs[:, 1:] == -signs[:, :-1], axis=1)
            even = np.all(rq[span] == rq[idx][:, None], axis=1) if len(idx) else np.zeros(0, bool)
            leaps = np.any(np.abs(lines.interval[span]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
            guarded = ~one_way & ~zigzag & leaps
            # the option's own keys (written retrogrades): windows keyed backwards without the contour guard
            # (two note values still asked) and with it (window_keys reversed_from=n against the ordinary keys)
            loose = merge_groups(k, retrograde_pairs(lines, interval_class(lines.interval), n, k != -1)) != k
            keyed = window_keys(lines, n, settings.max_beats, reversed_from=n)[n] != k
            totals[n] += [(k != -1).sum(), found.sum(), one_way.sum(), zigzag.sum(), even.sum(), guarded.sum(),
                          (guarded & ~even).sum(), loose.sum(), keyed.sum()]
    print("| n | windows | retrograde occurs | of those: one way | zigzag | one note value | guarded (turns, not every note, leaps) "
          "| guarded, 2+ note values | keyed backwards, no contour guard | keyed backwards (window_keys) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, t in totals.items():
        w, f, o, z, e, g, g2, u0, u = (int(x) for x in t)
        print(f"| {n} | {w} | {f} ({f / max(w, 1):.1%}) | {o / max(f, 1):.0%} | {z / max(f, 1):.0%} | {e / max(f, 1):.0%} "
              f"| {g} ({g / max(w, 1):.2%}) | {g2} ({g2 / max(w, 1):.2%}) | {u0} ({u0 / max(w, 1):.2%}) | {u} ({u / max(w, 1):.2%}) |")


def chance(named: list[tuple[str, object]], kind: str, written: bool = False) -> None:
    """The table of ``kind`` (``written``: retrograde only, note values reversed)."""
    if kind == "retrograde":
        retrograde_chance(named, written)
    elif kind == "augmentation":
        augmentation_chance(named)
    else:
        inversion_chance(named)
