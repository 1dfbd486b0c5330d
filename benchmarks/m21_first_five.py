"""Is a well-known piece's main idea among our first five families? (a yardstick besides BPS and POP909)

    PYTHONPATH=$PWD python -m benchmarks.m21_first_five [--model] [--verbose] "" "key=value ..." ...

Pieces and the first statement of each one's main idea: ``benchmarks/m21_main_ideas.json`` (music21's
corpus, written from the score before any output was looked at). For each variant of DiscoverySettings
overrides ("" = defaults) a piece's idea is *established* by a family when one of its statements holds
at least 75% of the first statement's notes (same track, onset and pitch); reported: the rank of the
first family that establishes it (``-`` when none does), and per variant how many pieces have it in the
first five and the mean reciprocal rank (0 when not found). ``--verbose`` also prints each piece's first
five families (statements x notes, first onset, tracks, transposed share).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.discovery_sweep import parse_set, variant_model, variants_parser
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family
from motifcli.readers import read_score

IDEAS = Path(__file__).with_name("m21_main_ideas.json")


def corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def held_share(family: Family, track: int, points: set[tuple[float, int]]) -> float:
    """The largest share of ``points`` one statement of ``family`` holds (on ``track``)."""
    return max(len(points & {(n.onset, n.pitch) for n in o.notes if n.track == track}) / len(points)
               for o in family.occurrences)


def describe(f: Family) -> str:
    tracks = sorted({o.track for o in f.occurrences})
    moved = sum(o.transposition != 0 for o in f.occurrences[1:]) / max(len(f.occurrences) - 1, 1)
    return (f"{f.label}: {len(f.occurrences)}x{f.notes_per_occurrence} from {min(o.start for o in f.occurrences):g}"
            f" tracks {tracks} transposed {moved:.2f}")


def main() -> None:
    args = variants_parser(__doc__, "pass the shipped model (texture families by its clusters)").parse_args()
    model = variant_model(args)
    ideas = json.loads(IDEAS.read_text())["pieces"]
    scores = {p["piece"]: read_score(corpus_dir() / p["piece"]) for p in ideas}
    for spec in args.variants or [""]:
        settings = DiscoverySettings(**parse_set(spec.split()))
        ranks = []
        for p in ideas:
            found = discover(scores[p["piece"]], model, settings=settings)
            points = set(zip(map(float, p["onsets"]), p["pitches"]))
            shares = [held_share(f, p["track"], points) for f in found]
            rank = next((i + 1 for i, s in enumerate(shares) if s >= 0.75), None)
            ranks.append(rank)
            best5 = max(shares[:5], default=0.0)
            print(f"  {p['piece']:<36} rank {rank or '-':>2} best of first five {best5:.2f} families {len(found)} {spec!r}")
            if args.verbose:
                for f, s in zip(found[:5], shares):
                    print(f"      {describe(f)} holds {s:.2f}")
        top5 = sum(r is not None and r <= 5 for r in ranks)
        mrr = sum(1 / r for r in ranks if r) / len(ranks)
        print(f"m21 main ideas: in first five {top5}/{len(ranks)}, first {sum(r == 1 for r in ranks)}, "
              f"found at any rank {sum(r is not None for r in ranks)}, MRR {mrr:.3f} {spec!r}", flush=True)


if __name__ == "__main__":
    main()
