"""Fresh development data for the opening rule's meter map (issue 9 phase 6b), from music21's corpus only.

MTC-ANN's tune half cannot measure where the opening's meter should end: the rule fires there in two
songs, both with a change found by ``meter_sections``. So this builds pieces from the one-line tunes
that ``benchmarks/meter_folk_data.py`` cached (music21's corpus: Essen and the dance-tune books; never
MTC/BPS): "changing" = the first 2-8 bars of an Essen tune, then a whole tune of another bar length
from another book, its first downbeat on the opening's next bar line (its pickup overlapping the
opening's last bar), and "steady" = whole tunes. Truth: the written bar lines. Measures, per setting
(``--set`` as in meter_tune.py): right (first section's bar length + exact phase), written bar lines
found (within 0.25 beats; all bars), pieces given a change (changing: wanted; steady: false), and
how often the opening rule fired. The same pieces for every setting (``--seed``); "fired" compares with
the first setting's run of the estimate without the rule (so sweep opening settings only).

Usage (PYTHONPATH=.; the cache from meter_folk_data.py):
    python benchmarks/meter_opening_dev.py --corpus /tmp/meterfolk/corpus.pkl \
        --set "meter_estimate.OPENING_SPLIT=False" --set "meter_estimate.OPENING_SPLIT=True"
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks.meter_tune import sweep  # noqa: E402
from motifcli import meter_sections  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402

LATER_SOURCES = ("oneills1850", "ryansMammoth", "nottingham-dataset", "airdsAirs", "miscFolk")


def _lines(first: float, bar: float, stop: float) -> list[float]:
    return list(first + bar * np.arange(int(max(stop - first, 0.0) // bar) + 1))


def build(corpus: list[dict], seed: int, changing: int, steady: int) -> list[dict]:
    """(name, kind, notes, first bar, first phase, written bar lines) of every dev piece."""
    rng = random.Random(seed)
    one = [p for p in corpus if p["parts"] == 1 and p["phase"] < p["bar"] - 1e-6]
    openers = [p for p in one if p["source"] == "essenFolksong"]
    later = [p for p in one if p["source"] in LATER_SOURCES]
    out: list[dict] = []
    for k in range(changing):
        a = rng.choice(openers)
        b = rng.choice([p for p in later if abs(p["bar"] - a["bar"]) > 1e-6])
        bars = rng.randint(2, 8)
        cut = a["phase"] + bars * a["bar"]
        if cut >= a["offsets"].max() - 1e-6:
            continue
        start_b = cut - b["phase"]  # b's pickup ends the opening's last bar
        keep = a["onsets"] < start_b - 1e-9
        on = np.concatenate([a["onsets"][keep], b["onsets"] + start_b])
        off = np.concatenate([np.minimum(a["offsets"][keep], start_b), b["offsets"] + start_b])
        pitch = np.concatenate([a["pitches"][keep], b["pitches"]])
        end = float(off.max())
        lines = [x for x in _lines(a["phase"], a["bar"], cut - 1e-6)] + _lines(cut, b["bar"], end)
        out.append({"name": f"{a['id']}[{bars}]+{b['id']}", "kind": "changing", "notes": (on, off, pitch),
                    "bar": a["bar"], "phase": a["phase"], "lines": np.array(lines), "end": end})
    for p in rng.sample(one, steady):
        end = float(p["offsets"].max())
        out.append({"name": p["id"], "kind": "steady", "notes": (p["onsets"], p["offsets"], p["pitches"]),
                    "bar": p["bar"], "phase": p["phase"], "lines": np.array(_lines(p["phase"], p["bar"], end)),
                    "end": end})
    return out


_PLAIN: dict[str, str] = {}  # the estimate without the opening rule, per piece (the same for every opening setting)


def evaluate(pieces: list[dict]) -> dict:
    """The measures per kind of piece, with the per-piece rows."""
    rows = []
    for p in pieces:
        est = estimate_meter(p["notes"])
        if p["name"] not in _PLAIN:
            _PLAIN[p["name"]] = estimate_meter(p["notes"], opening=False).name
        est_map = est.to_meter_map(p["end"])
        lines = p["lines"][p["lines"] < p["end"] - 1e-6]
        found = [np.min(np.abs(est_map.starts - x)) <= bench.TOL for x in lines]
        meter_ok = abs(est.beats_per_bar - p["bar"]) < 1e-6
        rows.append({"piece": p["name"], "kind": p["kind"], "est": est.name, "fired": est.name != _PLAIN[p["name"]],
                     "right": bool(meter_ok and bench.phase_ok(est.first_downbeat, p["phase"], p["bar"], tol=0.01)),
                     "found": float(np.mean(found)) if found else 0.0,
                     "changes": meter_sections.change_count(est_map.bars)})
    out: dict = {}
    for kind in ("changing", "steady"):
        sel = [r for r in rows if r["kind"] == kind]
        fired = [r for r in sel if r["fired"]]
        out[kind] = {"pieces": len(sel), "right": sum(r["right"] for r in sel),
                     "bar_lines_found": round(float(np.mean([r["found"] for r in sel])), 4),
                     "given_a_change": sum(r["changes"] > 0 for r in sel),
                     "rule_fired": len(fired),
                     "found_where_fired": round(float(np.mean([r["found"] for r in fired])), 4) if fired else None}
    out["rows"] = rows
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="/tmp/meterfolk/corpus.pkl")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--changing", type=int, default=300)
    ap.add_argument("--steady", type=int, default=300)
    ap.add_argument("--set", action="append", default=[], help="module.NAME=VALUE (one run each; a;b sets both)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    with open(args.corpus, "rb") as f:
        pieces = build(pickle.load(f), args.seed, args.changing, args.steady)
    return sweep(args.set, lambda: evaluate(pieces), args.json)


if __name__ == "__main__":
    main()
