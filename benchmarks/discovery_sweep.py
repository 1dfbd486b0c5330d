"""Quick tuning loop for motifcli.discovery: score settings overrides on one split, pieces cached.

    PYTHONPATH=$PWD python -m benchmarks.discovery_sweep --corpus bps --split tune --set key=value ...

Same metrics and references as ``benchmarks.discovery_eval`` (its ``score``); pieces are read once
and pickled under /tmp so a sweep step costs only discovery + mir_eval. For tuning only: the
reported figures come from ``discovery_eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pickle
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.discovery_eval import METRICS, TABLE, score
from benchmarks.motif_corpora import load_corpus
from motifcli.discovery import DiscoverySettings, discover

_REPO = Path(__file__).resolve().parent.parent


# the code a piece's Score comes from: reading it (not discovery, not the writers) changes what is pickled
_READING_CODE = [p for p in sorted((_REPO / "motifcli").rglob("*.py")) if not {"discovery", "writers"} & set(p.parts)]


def _reading_tag() -> str:
    """This checkout and the contents of its reading code: a pickle written by older code is never read
    (a slots dataclass unpickles without a field added since, and fails only later: session 18 found one)."""
    digest = hashlib.sha1(str(_REPO).encode())
    for path in [*_READING_CODE, _REPO / "benchmarks" / "motif_corpora.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def pieces(corpus: str, split: str) -> list:
    """Pieces of one split, pickled per checkout and reading code (worktrees share /tmp)."""
    tag = _reading_tag()
    cache = Path(f"/tmp/motif-sweep-{tag}-{corpus}-{split}.pkl")
    if cache.exists():
        try:
            return pickle.loads(cache.read_bytes())
        except Exception:  # written by other code (another checkout or an older Score): read again
            pass
    out = load_corpus(corpus, split)
    cache.write_bytes(pickle.dumps(out))
    return out


def parse_set(items: list[str]) -> dict[str, object]:
    default = DiscoverySettings()
    out: dict[str, object] = {}
    for item in items:
        k, v = item.split("=", 1)
        t = type(getattr(default, k))
        out[k] = (v.lower() in ("1", "true", "yes")) if t is bool else t(v)
    return out


def variants_parser(doc: str | None, model_help: str) -> argparse.ArgumentParser:
    """The options of the music21-piece probes that compare setting variants (m21_first_five, cells26_counts):
    ``--model`` (``model_help`` says what it changes), ``--verbose`` and the variants, each a quoted
    "KEY=VALUE ..." string ("" = the defaults)."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("--model", action="store_true", help=model_help)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("variants", nargs="*", default=[""])
    return ap


def variant_model(args: argparse.Namespace) -> Any:
    """The shipped model when ``--model`` was given (as motif annotate passes it), else None."""
    if not args.model:
        return None
    import motifcli

    return motifcli.load_model()


def probe_parser(doc: str | None, per_piece: bool = True, model: bool = False) -> argparse.ArgumentParser:
    """The options the discovery probes share (--corpus, --split, --set KEY=VALUE ..., and --per-piece
    and --model where the probe has them), so each probe adds only its own; ``doc`` is the probe's
    module docstring (its first line is the help)."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[], help="DiscoverySettings fields, KEY=VALUE")
    if per_piece:
        ap.add_argument("--per-piece", action="store_true")
    if model:
        ap.add_argument("--model", action="store_true", help="pass the shipped model (the product default on POP909)")
    return ap


def probe_model(args: argparse.Namespace) -> object | None:
    """The shipped model when the probe's ``--model`` asks for it (texture families group bars with it)."""
    if not getattr(args, "model", False):
        return None
    import motifcli

    return motifcli.load_model()


def probe_settings(args: argparse.Namespace) -> DiscoverySettings:
    """The DiscoverySettings a probe's ``--set`` asks for (the defaults elsewhere)."""
    return DiscoverySettings(**parse_set(args.set))


def main() -> None:
    ap = probe_parser(__doc__)
    ap.add_argument("--all-metrics", action="store_true", help="also P and R of occurrence and three-layer scores")
    ap.add_argument("--model", nargs="?", const="default", help="pass motifcli.load_model() (or this ONNX path)")
    args = ap.parse_args()
    settings = probe_settings(args)
    model = None
    if args.model:
        import motifcli

        model = motifcli.load_model() if args.model == "default" else motifcli.load_model(args.model)
    rows, secs, fams = [], [], []
    for piece in pieces(args.corpus, args.split):
        t0 = time.perf_counter()
        found = discover(piece.score, model, settings=settings)
        secs.append(time.perf_counter() - t0)
        fams.append(len(found))
        est = [[occ.points() for occ in f.occurrences] for f in found]
        rows.append(score(est, piece.patterns))
        if args.per_piece:
            print(piece.name, " ".join(f"{k}={rows[-1][k]:.3f}" for k in TABLE), f"fams={len(found)}")
    mean = {k: statistics.fmean(r[k] for r in rows) for k in (METRICS if args.all_metrics else TABLE)}
    print(" ".join(f"{k}={v:.3f}" for k, v in mean.items()),
          f"fams={statistics.fmean(fams):.1f} s/piece={statistics.median(secs):.2f}", args.set, args.model or "")


if __name__ == "__main__":
    main()
