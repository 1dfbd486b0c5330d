"""Keep/drop rule between texture and voice families: features per texture family and a fast sweep.

    PYTHONPATH=$PWD python -m benchmarks.texture_keep --corpus bps --split tune [--dump] [--set key=value ...]

Voice families (``discover_voices``) and the chosen texture phrases are computed once per piece at
the given settings and pickled under /tmp; each variant then re-runs only
:func:`motifcli.discovery.texture.with_texture`'s decision (``--set`` of ``texture_*`` keep/drop
settings) and scores with ``discovery_errors.fast_scores`` (mir_eval's formulas; checked against
``discovery_eval.score`` by discovery_errors). ``--dump`` prints, per texture family, the features
a keep/drop rule could use and its best establishment against the references.
For tuning only: reported figures come from ``discovery_sweep`` / ``discovery_eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pickle
import statistics
from pathlib import Path

from benchmarks.discovery_errors import establishment, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings
from motifcli.discovery import texture as tex
from motifcli.discovery.core import discover_voices
from motifcli.discovery.types import Family
from motifcli.score import Score
from motifcli.voices import split_voices


def cached(corpus: str, split: str, settings: DiscoverySettings) -> list[tuple]:
    """Per piece: (name, refs, voice families, voiced notes, score) at ``settings`` (pickled)."""
    key = hashlib.sha1(repr((corpus, split, settings, str(Path(__file__).resolve()))).encode()).hexdigest()[:10]
    path = Path(f"/tmp/motif-texkeep-{key}.pkl")
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for piece in pieces(corpus, split):
        voices = split_voices(piece.score, min_chord_share=0.2 if settings.bass_voice else float("inf"))
        fams = discover_voices(voices, settings)
        out.append((piece.name, piece.patterns, fams, sum(map(len, voices)), piece.score))
    path.write_bytes(pickle.dumps(out))
    return out


def points(f: Family) -> list:
    return [o.points() for o in f.occurrences]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--dump", action="store_true")
    ap.add_argument("--per-piece", action="store_true")
    args = ap.parse_args()
    base = DiscoverySettings()
    settings = dataclasses.replace(base, **parse_set(args.set))
    rows, nf = [], []
    for name, refs, fams, voiced, score in cached(args.corpus, args.split, base):
        out = tex.with_texture(score, fams, settings, voiced)
        est = [points(f) for f in out]
        rows.append(fast_scores(est, refs))
        nf.append(len(out))
        if args.per_piece:
            print(name, " ".join(f"{k}={v:.3f}" for k, v in rows[-1].items()), len(out))
        if args.dump:
            dump(name, refs, out, score)
    keys = ("F_est", "F_occ.75", "F_3")
    print(" ".join(f"{k}={statistics.fmean(r[k] for r in rows):.3f}" for k in keys),
          f"fams={statistics.fmean(nf):.1f}", args.set)


def dump(name: str, refs: list, out: list[Family], score: Score) -> None:
    """One line per reported family: kind (T texture, v voice), rank, salience, coverage, occurrences,
    notes per occurrence, its track's share of the piece's notes and its notes over the busiest
    other track's (``texture_lead``), chord share, best establishment against the references."""
    tracks = {t.index: len(t.notes) for t in score.pitched_tracks()}
    total = max(sum(tracks.values()), 1)
    for rank, f in enumerate(out):
        kind = "T" if f.occurrences[0].notes[0].voice == tex.TEXTURE else "v"
        est = max((establishment(r, points(f)) for r in refs), default=0.0)
        trk = f.occurrences[0].notes[0].track
        print(f"{name} {kind} r={rank:2d} sal={f.salience:.3f} cov={f.coverage:.3f} occ={len(f.occurrences):3d} "
              f"per={f.notes_per_occurrence:3d} trk={trk} trkshare={tracks.get(trk, 0) / total:.2f} "
              f"lead={tracks.get(trk, 0) / max(max((n for i, n in tracks.items() if i != trk), default=0), 1):.2f} "
              f"chords={tex._chord_share(f):.2f} est={est:.2f}")


if __name__ == "__main__":
    main()
