"""How much a wrong meter map costs the bar-position filter (issue 10, robust10; benchmarks/phase10-robust10.md).

    PYTHONPATH=$PWD python -m benchmarks.barpos_robust bps tune given estimated shift wrong
    PYTHONPATH=$PWD python -m benchmarks.barpos_robust --model pop909 val given beats estimated shift wrong
    PYTHONPATH=$PWD python -m benchmarks.barpos_robust mtc tune given estimated

Each map source replaces every piece's ``score.meter`` (what ``Score.meter_map`` returns) before
``discover`` runs with ``bar_position`` on (the default, "bar") and "off"; scored by
``discovery_errors.fast_scores`` (mir_eval's F_est, F_occ(.75), F_3). Map sources:

- ``given``: what the product reads (BPS/MTC: the MIDI time signatures where they agree with the notes,
  else the estimate; POP909: the estimate);
- ``midi``: the MIDI time-signature events taken as they are, even where the product finds them
  inconsistent with the notes (BPS 13-1);
- ``estimated``: ``meter_estimate.estimate_meter`` from the notes alone (as if the time-signature
  events were stripped from the file);
- ``estimated0``: the same with the notes first moved to start at beat 0 (BPS MIDI pads a pickup to a full
  bar, which hands the estimator the phase; benchmarks/meter.py's ``load_written`` does the same), the
  map moved back;
- ``beats``: POP909 only, the data's own downbeats (``beat_midi.txt``, read as benchmarks/meter.py does);
- ``shift``: the given map with every bar line one beat later (quarter beat; dotted quarter in 6/8, 9/8,
  12/8), a one-beat pickup in front: a meter read with the wrong phase;
- ``wrong``: regular bars of the wrong length from the given map's first downbeat: 3/4 where the given
  bar is 4 quarter beats or 2, else 4/4 (a misread meter);
- ``half`` / ``double``: regular bars of half / twice the given bar length on the given downbeats (2/4 read
  for 4/4, 6/4 for 3/4: the estimator's usual errors); ``half`` keeps an odd bar (3/4) as given.

``--per-piece`` prints every piece's three scores for each map and setting, and with ``bar_position`` on
how many families were crowded (the filter was asked), how many of those were held to a place (their exact
statements agreed) and how many candidate statements that kept out. The maps' agreement with the
given one is printed per piece (share of given downbeats within 1/4 beat of a map's bar line).
"""

from __future__ import annotations

import statistics
import sys

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.barpos import beat_length
from motifcli.meter import Bar, MeterMap
from motifcli.meter_estimate import estimate_meter, meter_map_for

SOURCES = ("given", "midi", "estimated", "estimated0", "beats", "shift", "wrong", "half", "double")
KEYS = ("F_est", "F_occ.75", "F_3")


def given_map(score) -> MeterMap:
    """The map the product uses for this score (read before any replacement): the reader's, else meter_map_for's."""
    return score.meter if score.meter is not None else meter_map_for(score)


def shifted(meter: MeterMap) -> MeterMap:
    """Every bar line one beat later (a pickup grows by the beat; :func:`moved`)."""
    return moved(meter, beat_length(meter.bars[-1]))


def wrong_length(meter: MeterMap, end: float) -> MeterMap:
    """Regular bars of the wrong length (3/4 for a 4- or 2-beat bar, else 4/4) from the first downbeat."""
    bar = max(meter.bars, key=lambda b: b.length).nominal_length
    num, length = (3, 3.0) if abs(bar - 4.0) < 1e-6 or abs(bar - 2.0) < 1e-6 else (4, 4.0)
    return MeterMap.regular(length, float(meter.first_downbeat), end, num, 4, source="user")


def moved(meter: MeterMap, delta: float) -> MeterMap:
    """``meter`` with every bar ``delta`` (>= 0) beats later; the gap in front joins its pickup or is one."""
    bars = [Bar(b.start + delta, b.length, b.number, b.numerator, b.denominator) for b in meter.bars]
    if delta <= 1e-6:
        return meter
    first = bars[0]
    nominal = first.nominal_length
    if meter.has_pickup:  # its pickup grows by delta (a full bar and a pickup past one)
        total = first.length + delta
        if total <= nominal + 1e-6:
            bars[0] = Bar(0.0, total, "0", first.numerator, first.denominator)
        else:
            bars[0:1] = [Bar(0.0, total - nominal, "0", first.numerator, first.denominator),
                         Bar(total - nominal, nominal, first.number, first.numerator, first.denominator)]
    else:
        bars.insert(0, Bar(0.0, delta, "0", first.numerator, first.denominator))
    return MeterMap(tuple(bars), source=meter.source, confidence=meter.confidence)


def estimated_from_zero(score) -> MeterMap:
    """The estimate for the notes moved to start at beat 0, moved back."""
    import copy
    import dataclasses

    shift = min(n.onset for t in score.tracks for n in t.notes)
    moved_score = copy.deepcopy(score)
    moved_score.meter = None
    for t in moved_score.tracks:
        t.notes = [dataclasses.replace(n, onset=n.onset - shift, offset=n.offset - shift) for n in t.notes]
    est = estimate_meter(moved_score).to_meter_map(float(score.end_beat) - shift)
    return moved(est, shift)


def regular_like(meter: MeterMap, end: float, factor: float) -> MeterMap:
    """Regular bars ``factor`` times the given bar length from its first downbeat (odd bars kept when halving)."""
    full = max(meter.bars, key=lambda b: b.length)
    length = full.nominal_length * factor
    if factor < 1 and abs(full.nominal_length % 2.0) > 1e-6:
        return meter
    first = meter.starts[1] if meter.has_pickup and len(meter.bars) > 1 else meter.starts[0]
    return MeterMap.regular(length, float(first), end, source="user")


def beat_midi_map(piece) -> MeterMap:
    """POP909's own downbeats (beat_midi.txt) as a map."""
    from benchmarks.meter import pop909_downbeats

    bar, downbeats, _ = pop909_downbeats(piece.path.parent, piece.score)
    return MeterMap.from_downbeats(downbeats.tolist(), float(piece.score.end_beat), int(bar), 4, source="user")


def make_map(source: str, piece, given: MeterMap) -> MeterMap:
    end = float(piece.score.end_beat)
    if source == "given":
        return given
    if source == "estimated":
        return estimate_meter(piece.score).to_meter_map(end)
    if source == "midi":
        sigs = piece.score.time_signatures
        return MeterMap.from_time_signatures(sigs, end) if sigs else given
    if source == "estimated0":
        return estimated_from_zero(piece.score)
    if source == "half":
        return regular_like(given, end, 0.5)
    if source == "double":
        return regular_like(given, end, 2.0)
    if source == "beats":
        if piece.corpus != "pop909":
            raise SystemExit("map source 'beats' exists for pop909 only")
        return beat_midi_map(piece)
    if source == "shift":
        return shifted(given)
    if source == "wrong":
        return wrong_length(given, end)
    raise SystemExit(f"unknown map source {source!r}; one of {SOURCES}")


def agreement(meter: MeterMap, given: MeterMap) -> float:
    """Share of the given map's bar lines within 1/4 beat of one of ``meter``'s."""
    a, b = given.starts, meter.starts
    i = np.clip(np.searchsorted(b, a), 1, max(len(b) - 1, 1))
    d = np.minimum(np.abs(b[np.minimum(i, len(b) - 1)] - a), np.abs(b[i - 1] - a))
    return float(np.mean(d <= 0.25))


def describe(meter: MeterMap) -> str:
    full = max(meter.bars, key=lambda b: b.length)
    first = meter.starts[1] if meter.has_pickup and len(meter.bars) > 1 else meter.starts[0]
    return f"{full.numerator}/{full.denominator}@{first:g}"


FIRED: list[tuple[int, int]] = []  # per call of families._metric_filter while counting: (held: some kept out, candidates kept out)


def _counting_filter():
    """families._metric_filter, recording whether the exact statements agreed and how many candidates it kept out."""
    from motifcli.discovery import families

    inner = families._metric_filter

    def wrapped(bar_pos, exact, varied, grid, settings):
        keep = inner(bar_pos, exact, varied, grid, settings)
        FIRED.append((int(not keep.all()), int((~keep).sum())))
        return keep

    families._metric_filter = wrapped


def main() -> None:
    args = sys.argv[1:]
    per_piece = "--per-piece" in args
    args = [a for a in args if a != "--per-piece"]
    model = None
    if args and args[0] == "--model":
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    corpus, split, sources = args[0], args[1], args[2:] or ["given", "estimated"]
    extra = [a for a in sources if "=" in a]  # KEY=VALUE settings for both rows
    sources = [a for a in sources if "=" not in a]
    _counting_filter()
    ps = pieces(corpus, split)
    refs_all = [clean(p.patterns) for p in ps]
    givens = [given_map(p.score) for p in ps]
    for source in sources:
        maps = [make_map(source, p, g) for p, g in zip(ps, givens)]
        agree = [agreement(m, g) for m, g in zip(maps, givens)]
        rows: dict[str, list[dict[str, float]]] = {}
        fired: dict[str, tuple[int, int, int]] = {}
        for setting in ("bar", "off"):
            settings = DiscoverySettings(**parse_set([f"bar_position={setting}", *extra]))
            rows[setting] = []
            for p, m, refs in zip(ps, maps, refs_all):
                p.score.meter = m
                FIRED.clear()
                found = discover(p.score, model, settings=settings)
                if setting == "bar":
                    fired[p.name] = (len(FIRED), sum(f for f, _ in FIRED), sum(k for _, k in FIRED))
                rows[setting].append(fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), refs))
            mean = {k: statistics.fmean(r[k] for r in rows[setting]) for k in KEYS}
            print(corpus, split, f"map={source}", f"bar_position={setting}",
                  " ".join(f"{k}={mean[k]:.3f}" for k in KEYS),
                  f"agree_with_given={statistics.fmean(agree):.3f}", " ".join(extra), flush=True)
        if per_piece:
            for p, m, g, a, on, off in zip(ps, maps, givens, agree, rows["bar"], rows["off"]):
                print(f"  {p.name:>12} {source:>9} map {describe(m):>10} (given {describe(g)} {g.source}) "
                      f"agree {a:.2f} on " + "/".join(f"{on[k]:.3f}" for k in KEYS)
                      + " off " + "/".join(f"{off[k]:.3f}" for k in KEYS)
                      + " crowded {} held {} out {}".format(*fired[p.name]), flush=True)
    for p, g in zip(ps, givens):  # leave the pieces with the product's maps
        p.score.meter = g


if __name__ == "__main__":
    main()
