"""5-fold (songs) cross-validation of a temporal per-beat downbeat model through the product's path (issue 9, s21).

    python benchmarks/beatseq21/fit.py /tmp/bs21/data.pkl [--arch tcn|gru] [--channels 32] [--epochs 30] \
        [--json out.json] [--save /tmp/bs21/preds.pkl]

For each fold: the model (torch, CPU, one thread) is fitted on the other folds' 4/4 songs against per-beat
targets (beat_midi's downbeat marks, phase changes included), the phase ranker's weights are refitted on the
same songs (on the logistic log-odds for the baseline, on the model's log-odds for the ranked variant), and
the held-out songs go through the product's path. Scores: beat_midi's dominant phase and first mark (within
1/4 beat, as ``benchmarks/meter.py pop909``), the share of marks on an estimated bar line. The product's own
answer stands for songs outside the model's reach (not 4/4; quantised or one-line where the ranker is off).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(1, os.path.dirname(HERE))  # benchmarks/: phase_train.fit
from benchmarks import meter as bench  # noqa: E402
from motifcli import phase_ranker as pr  # noqa: E402
from motifcli.downbeats import viterbi_downbeats  # noqa: E402

torch.set_num_threads(1)
FOLDS = 5


class TCN(torch.nn.Module):
    """Non-causal dilated 1-D convolutions over the song's beats, residual, one logit per beat."""

    def __init__(self, n_in: int, channels: int = 32, dilations=(1, 2, 4, 8, 16), dropout: float = 0.1):
        super().__init__()
        self.inp = torch.nn.Conv1d(n_in, channels, 1)
        self.convs = torch.nn.ModuleList(torch.nn.Conv1d(channels, channels, 3, dilation=d, padding=d) for d in dilations)
        self.drop = torch.nn.Dropout(dropout)
        self.out = torch.nn.Conv1d(channels, 1, 1)

    def forward(self, x):  # x: (batch, n_in, beats)
        h = torch.nn.functional.elu(self.inp(x))
        for conv in self.convs:
            h = h + self.drop(torch.nn.functional.elu(conv(h)))
        return self.out(h)[:, 0]


class TCNG(TCN):
    """TCN plus a phase-equivariant whole-song summary: for each beat, the song-mean of the hidden state at
    its own bar position (beats t, t +- 4, ...) and at the 3 positions after it, centred over positions;
    the ranker's whole-song profiles, learned and nonlinear. Needs whole songs (pad with mask)."""

    def __init__(self, n_in: int, channels: int = 32, dilations=(1, 2, 4, 8, 16), dropout: float = 0.1):
        super().__init__(n_in, channels, dilations, dropout)
        self.mix = torch.nn.Conv1d(channels + 4 * channels, channels, 1)

    def forward(self, x, mask=None):
        h = torch.nn.functional.elu(self.inp(x))
        for conv in self.convs:
            h = h + self.drop(torch.nn.functional.elu(conv(h)))
        b, c, t = h.shape
        m = torch.ones(b, t) if mask is None else mask
        pad = (-t) % 4
        hp = torch.nn.functional.pad(h * m[:, None], (0, pad)).reshape(b, c, -1, 4)
        mp = torch.nn.functional.pad(m, (0, pad)).reshape(b, -1, 4)
        g = hp.sum(2) / mp.sum(1).clamp(min=1.0)[:, None]  # (b, c, 4): mean at each position
        g = g - g.mean(2, keepdim=True)
        pos = torch.arange(t) % 4
        rolled = torch.cat([g[:, :, (pos + j) % 4] for j in range(4)], dim=1)  # (b, 4c, t)
        h2 = torch.nn.functional.elu(self.mix(torch.cat([h, rolled], dim=1)))
        return self.out(h + h2)[:, 0]


class GRU(torch.nn.Module):
    """A small bidirectional GRU over the beats, one logit per beat."""

    def __init__(self, n_in: int, channels: int = 32, dropout: float = 0.1):
        super().__init__()
        self.inp = torch.nn.Linear(n_in, channels)
        self.gru = torch.nn.GRU(channels, channels, batch_first=True, bidirectional=True)
        self.drop = torch.nn.Dropout(dropout)
        self.out = torch.nn.Linear(2 * channels, 1)

    def forward(self, x):
        h = torch.nn.functional.elu(self.inp(x.transpose(1, 2)))
        h, _ = self.gru(self.drop(h))
        return self.out(self.drop(h))[:, :, 0]


def fit_model(songs: list[dict], args, seed: int) -> tuple[torch.nn.Module, np.ndarray, np.ndarray]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    allx = np.concatenate([s["x"] for s in songs])
    mean, std = allx.mean(axis=0), allx.std(axis=0) + 1e-6
    if args.arch in ("tcn", "tcng"):
        model = (TCN if args.arch == "tcn" else TCNG)(allx.shape[1], args.channels, tuple(int(v) for v in args.dilations.split(",")), args.dropout)
    else:
        model = GRU(allx.shape[1], args.channels, args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    crop = args.crop
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(songs))
        for b in range(0, len(order), args.batch):
            xs, ys, ms, vs = [], [], [], []
            for i in order[b:b + args.batch]:
                s = songs[i]
                k = len(s["y"])
                start = int(rng.integers(0, max(k - crop, 0) + 1))
                sl = slice(start, start + crop)
                x = np.zeros((crop, allx.shape[1]), np.float32)
                y = np.zeros(crop, np.float32)
                m = np.zeros(crop, np.float32)
                n = len(s["y"][sl])
                v = np.zeros(crop, np.float32)
                v[:n] = 1.0
                vs.append(v)
                x[:n], y[:n], m[:n] = (s["x"][sl] - mean) / std, s["y"][sl], s["mask"][sl]
                xs.append(x.T), ys.append(y), ms.append(m)
            x, y, m = (torch.tensor(np.stack(a)) for a in (xs, ys, ms))
            logit = model(x, torch.tensor(np.stack(vs))) if args.arch == "tcng" else model(x)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, y, reduction="none") * m).sum() / m.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model, mean, std


def predict(model, mean, std, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model(torch.tensor(((x - mean) / std).T[None].astype(np.float32)))[0].numpy().astype(np.float64)


def fit_ranker(cands: np.ndarray, base: np.ndarray, y: np.ndarray, l2: float = 10.0) -> tuple[np.ndarray, float]:
    """benchmarks/phase_train.py's conditional logit on unit-spread features (weights back in raw feature units)."""
    from phase_train import fit  # benchmarks/ is on sys.path (phase_train imports its sibling meter.py so)

    scale = cands.reshape(-1, cands.shape[2]).std(axis=0) + 1e-6
    w, a = fit(cands / scale, base, y, l2)
    return w / scale, a


def ranker_target(t: dict, r: dict) -> int | None:
    if r["bar"] != 4.0 or len(t["beats"]) < 8:
        return None
    truth = bench.dominant_phase(r["downbeats"], 4.0)
    hits = [j for j in range(4) if bench.phase_ok(float(t["beats"][j]), truth, 4.0)]
    return hits[0] if hits else None


def ranked(feats, lo, weights):
    saved = pr.RANK_WEIGHTS, pr.FOLD_WEIGHT
    pr.RANK_WEIGHTS, pr.FOLD_WEIGHT = tuple(weights[0]), weights[1]
    try:
        return pr.ranked_logodds(feats, lo)
    finally:
        pr.RANK_WEIGHTS, pr.FOLD_WEIGHT = saved


def path(t: dict, lo: np.ndarray) -> np.ndarray:
    idx = viterbi_downbeats(lo, 4, 6.0)
    return t["beats"][idx] if len(idx) else t["beats"][:1]


def scores(rows, est_by_song: dict) -> dict:
    dom, first, found = [], [], []
    for r in rows:
        est = est_by_song.get(r["song"], r["est_downbeats"])
        ebar = 4.0 if r["song"] in est_by_song else (4.0 if r["est_name"] == "4/4" else r["bar"])
        bar = r["bar"]
        dom.append(bench.phase_ok(bench.dominant_phase(est, ebar), bench.dominant_phase(r["downbeats"], bar), bar))
        first.append(bench.phase_ok(float(est[0]) % bar, float(r["downbeats"][0]), bar))
        found.append(bench.found_fraction(np.asarray(est), r["downbeats"]))
    return dict(dominant=round(float(np.mean(dom)), 4), first=round(float(np.mean(first)), 4),
                found=round(float(np.mean(found)), 4), dom_list=dom, first_list=first)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--arch", default="tcn", choices=["tcn", "tcng", "gru"])
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--dilations", default="1,2,4,8,16")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seeds", type=int, default=1, help="models averaged (log-odds) per fold")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--only-fold", type=int, default=None)
    ap.add_argument("--inputs", default="all", choices=["all", "feat16", "new"],
                    help="all inputs; the 16 hand-made features only; the new ones only")
    ap.add_argument("--nested", action="store_true",
                    help="fit the ranker on the model's out-of-fold log-odds (inner 4-fold) instead of in-sample ones")
    ap.add_argument("--target", default="marks", choices=["marks", "dominant"],
                    help="per-beat targets: beat_midi's marks (phase changes included) or one grid on its dominant phase")
    ap.add_argument("--deal", type=int, default=0, help="0: songs dealt round-robin in order; else a shuffled deal")
    ap.add_argument("--json")
    ap.add_argument("--save")
    args = ap.parse_args()
    d = pickle.load(open(args.data, "rb"))
    rows, table = d["rows"], d["table"]
    if args.inputs != "all":
        cols = slice(-16, None) if args.inputs == "feat16" else slice(0, -16)
        table = [None if t is None else {**t, "x": t["x"][:, cols]} for t in table]
    ids = [i for i, t in enumerate(table) if t is not None]
    if args.target == "dominant":  # every beat on beat_midi's dominant phase is a target, no phase changes
        for i in ids:
            r, t = rows[i], table[i]
            dom = bench.dominant_phase(r["downbeats"], r["bar"])
            d = (t["beats"] - dom) % r["bar"]
            table[i] = {**t, "y": (np.minimum(d, r["bar"] - d) <= 0.25).astype(np.float32)}
    dealt = ids if not args.deal else list(np.random.default_rng(args.deal).permutation(ids))
    fold_of = {i: j % args.folds for j, i in enumerate(dealt)}
    nn_lo = {}
    weights_base, weights_nn = {}, {}
    acc = []
    t0 = time.time()
    for f in range(args.folds):
        if args.only_fold is not None and f != args.only_fold:
            continue
        train = [i for i in ids if fold_of[i] != f]
        held = [i for i in ids if fold_of[i] == f]
        fitted = [fit_model([table[i] for i in train if rows[i]["bar"] == 4.0], args, seed=f + 100 * k + 7 * args.deal)
                  for k in range(args.seeds)]

        def ens(x):
            return np.mean([predict(m_, a_, b_, x) for m_, a_, b_ in fitted], axis=0)

        for i in held:
            nn_lo[i] = ens(table[i]["x"])
            t = table[i]
            m = t["mask"] > 0
            acc.append(((nn_lo[i][m] > 0) == (t["y"][m] > 0)).mean())
        train_fit = [i for i in train if ranker_target(table[i], rows[i]) is not None]
        y = np.array([ranker_target(table[i], rows[i]) for i in train_fit])
        cands = np.stack([pr.candidate_vectors(pr.position_profiles(table[i]["feats"])) for i in train_fit])
        base = np.stack([pr.folded_logodds(table[i]["lo"]) for i in train_fit])
        if args.nested:
            oof = {}
            for g in range(4):
                inner = [i for j, i in enumerate(train) if j % 4 != g]
                out_ = [i for j, i in enumerate(train) if j % 4 == g]
                m_, a_, b_ = fit_model([table[i] for i in inner if rows[i]["bar"] == 4.0], args, seed=f + 1000 + g)
                for i in out_:
                    oof[i] = predict(m_, a_, b_, table[i]["x"])
            nn_train = np.stack([pr.folded_logodds(oof[i]) for i in train_fit])
        else:
            nn_train = np.stack([pr.folded_logodds(ens(table[i]["x"])) for i in train_fit])
        wb = fit_ranker(cands, base, y)
        wn = fit_ranker(cands, nn_train, y)
        for i in held:
            weights_base[i], weights_nn[i] = wb, wn
        print(f"fold {f}: {len(train)} train, {len(held)} held, {time.time() - t0:.0f} s; fold weight base {wb[1]:.3f} nn {wn[1]:.3f}",
              flush=True)
    done = sorted(nn_lo)
    variants: dict[str, dict] = {k: {} for k in ("product (in-sample)", "baseline CV ranker", "nn path only",
                                                  "nn + CV ranker", "nn+3 path only", "nn + base ranker (main weights)",
                                                  "mix lo+nn, CV ranker(base)")}
    for i in done:
        t, r = table[i], rows[i]
        if t["quant"] or t["mono"]:
            continue  # the product's path (the ranker is off there); the model is not used
        s = r["song"]
        variants["product (in-sample)"][s] = path(t, pr.ranked_logodds(t["feats"], t["lo"]))
        variants["baseline CV ranker"][s] = path(t, ranked(t["feats"], t["lo"], weights_base[i]))
        variants["nn path only"][s] = path(t, nn_lo[i])
        variants["nn+3 path only"][s] = path(t, nn_lo[i] + np.log(3.0))
        for a in (0.5, 2.0):
            variants.setdefault(f"nn x{a} path only", {})[s] = path(t, a * nn_lo[i])
        for a in (0.5, 1.0):
            variants.setdefault(f"CV ranker(base) + {a} nn", {})[s] = path(
                t, ranked(t["feats"], t["lo"], weights_base[i]) + a * nn_lo[i])
        variants["nn + CV ranker"][s] = path(t, ranked(t["feats"], nn_lo[i], weights_nn[i]))
        variants["nn + base ranker (main weights)"][s] = path(t, pr.ranked_logodds(t["feats"], nn_lo[i]))
        variants["mix lo+nn, CV ranker(base)"][s] = path(t, ranked(t["feats"], 0.5 * (t["lo"] + nn_lo[i]), weights_base[i]))
    sel = [rows[i] for i in done] if args.only_fold is not None else rows
    out = {"args": vars(args), "beat accuracy (held out, masked)": round(float(np.mean(acc)), 4),
           "songs scored": len(sel), "songs through the model": len(variants["nn path only"])}
    base_sc = scores(sel, variants["baseline CV ranker"])
    for name, est in variants.items():
        sc = scores(sel, est)
        gain_d = sum(a and not b for a, b in zip(sc["dom_list"], base_sc["dom_list"]))
        lose_d = sum(b and not a for a, b in zip(sc["dom_list"], base_sc["dom_list"]))
        gain_f = sum(a and not b for a, b in zip(sc["first_list"], base_sc["first_list"]))
        lose_f = sum(b and not a for a, b in zip(sc["first_list"], base_sc["first_list"]))
        out[name] = dict(dominant=sc["dominant"], first=sc["first"], found=sc["found"],
                         vs_cv_baseline=f"dominant +{gain_d} -{lose_d}, first +{gain_f} -{lose_f}")
        print(f"{name:34s} dominant {sc['dominant']:.4f} first {sc['first']:.4f} found {sc['found']:.4f}  "
              f"(vs CV baseline: dominant +{gain_d} -{lose_d}, first +{gain_f} -{lose_f})")
    print(f"beat accuracy {out['beat accuracy (held out, masked)']}; {time.time() - t0:.0f} s")
    if args.json:
        json.dump(out, open(args.json, "w"), indent=1)
    if args.save:
        pickle.dump(dict(nn_lo=nn_lo, weights_base=weights_base, weights_nn=weights_nn), open(args.save, "wb"))


if __name__ == "__main__":
    main()
