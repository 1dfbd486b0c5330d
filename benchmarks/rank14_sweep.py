"""Offline re-rank of the output: families found once at the defaults, re-sorted per rule, first five scored.

    PYTHONPATH=$PWD python -m benchmarks.rank14_sweep bps tune e:0.05 E:0.05 S:0.05 v:0.5 ...
    PYTHONPATH=$PWD python -m benchmarks.rank14_sweep pop909 val|train RULE ...   # with the shipped model
    PYTHONPATH=$PWD python -m benchmarks.rank14_sweep m21 - RULE ...              # benchmarks/m21_main_ideas.json

A rule re-sorts the final list, so F_est / F_occ / F_3 cannot move; scored are FFTP_est and FFP
(``fast_scores`` on the first five) or, for m21, the share of pieces whose main idea is in the first
five and the mean reciprocal rank. Rules (KIND:W; s = ordering salience, first / span = first statement /
first-to-last statement as shares of the piece): o: s (1 - first)^W; e: s exp(-first / W); E: the same
for line families only (= ``order_opening``); S: E among line families, texture families keep their
places; b: s (1 + W [first <= 0.05]); s: s span^W; v / V: s voices^W (all / line families);
l: s pitch-levels^W; T: line families x W (texture first). BPS also prints each rule's held-out gain
over the 4-vs-4 halves (as est_halves, per rule against the defaults). Families are cached in /tmp/r14.
"""
import itertools, json, math, pickle, statistics, sys
from pathlib import Path
from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover

def feats(f, start, length):
    occ = f.occurrences; firsts = [o.start for o in occ]
    return dict(first=(min(firsts)-start)/length, span=(max(firsts)-min(firsts))/length,
                voices=len({(o.track, o.notes[0].voice) for o in occ}), levels=len({o.transposition for o in occ}), tex=f.is_texture)

def rule(name):
    kind, w = name.split(":"); w = float(w)
    if kind == "o": return lambda s, ft: s * (1 - ft["first"]) ** w
    if kind == "e": return lambda s, ft: s * math.exp(-ft["first"] / w)
    if kind == "E": return lambda s, ft: s if ft["tex"] else s * math.exp(-ft["first"] / w)
    if kind == "V": return lambda s, ft: s if ft["tex"] else s * ft["voices"] ** w
    if kind == "T": return lambda s, ft: s if ft["tex"] else s * w
    if kind == "s": return lambda s, ft: s * max(ft["span"], 1e-3) ** w
    if kind == "v": return lambda s, ft: s * ft["voices"] ** w
    if kind == "l": return lambda s, ft: s * ft["levels"] ** w
    if kind == "b": return lambda s, ft: s * (1 + w * (ft["first"] <= 0.05))
    raise ValueError(name)

def load(corpus, split, model):
    Path("/tmp/r14").mkdir(exist_ok=True)
    cache = Path(f"/tmp/r14/found2-{corpus}-{split}.pkl")
    if cache.exists(): return pickle.loads(cache.read_bytes())
    out = []
    if corpus == "m21":
        import json
        from benchmarks.m21_first_five import IDEAS, corpus_dir
        from motifcli.readers import read_score
        for p in json.loads(IDEAS.read_text())["pieces"]:
            sc = read_score(corpus_dir() / p["piece"]); fam = discover(sc, model)
            notes = [n for t in sc.tracks for n in t.notes]
            start = min(n.onset for n in notes); length = max(n.offset for n in notes) - start
            pts = set(zip(map(float, p["onsets"]), p["pitches"]))
            held = [max(len(pts & {(n.onset, n.pitch) for n in o.notes if n.track == p["track"]}) / len(pts) for o in f.occurrences) for f in fam]
            out.append((p["piece"], held, [(f.salience, feats(f, start, length), None) for f in fam]))
        cache.write_bytes(pickle.dumps(out)); return out
    for p in pieces(corpus, split):
        fam = discover(p.score, model)
        notes = [n for t in p.score.tracks for n in t.notes]
        start = min(n.onset for n in notes); length = max(n.offset for n in notes) - start
        out.append((p.name, clean(p.patterns), [(f.salience, feats(f, start, length), [o.points() for o in f.occurrences]) for f in fam]))
    cache.write_bytes(pickle.dumps(out)); return out

corpus, split = sys.argv[1], sys.argv[2]; rules = sys.argv[3:]
model = None
if corpus == "pop909":
    import motifcli; model = motifcli.load_model()
data = load(corpus, split, model)
res = {}
for r in ["base:0", *rules]:
    rows = []
    for name, refs, fams in data:
        if r == "base:0": order = list(range(len(fams)))
        elif r.startswith("S:"):
            w = float(r[2:]); lines = [i for i in range(len(fams)) if not fams[i][1]["tex"]]
            resort = iter(sorted(lines, key=lambda i: (-fams[i][0] * math.exp(-fams[i][1]["first"] / w), i)))
            order = [next(resort) if not fams[i][1]["tex"] else i for i in range(len(fams))]
        else:
            fn = rule(r); sc = [fn(s, ft) for s, ft, _ in fams]
            order = sorted(range(len(fams)), key=lambda i: (-sc[i], i))
        if corpus == "m21":
            rank = next((k + 1 for k, i in enumerate(order) if refs[i] >= 0.75), None)
            rows.append((float(rank is not None and rank <= 5), 1 / rank if rank else 0.0)); continue
        est = clean([fams[i][2] for i in order][:5])
        s = fast_scores(est, refs) if est else {"FFTP_est": 0, "FFP": 0}
        rows.append((s["FFTP_est"], s["FFP"]))
    res[r] = rows
    if corpus == "bps": print("   ", " ".join(f"{n}:{a:.2f}/{b:.2f}" for (n, _, _), (a, b) in zip(data, rows)))
    m1, m2 = ("in-first-five", "MRR") if corpus == "m21" else ("FFTP_est", "FFP")
    print(f"{corpus} {split} {r:>8} {m1} {statistics.fmean(x for x,_ in rows):.3f} {m2} {statistics.fmean(y for _,y in rows):.3f}", flush=True)
if corpus == "bps":
    n = len(data)
    for m in (0, 1):
        for r in rules:
            gains = []
            for half in itertools.combinations(range(n), n // 2):
                other = [i for i in range(n) if i not in half]
                for a, b in ((list(half), other), (other, list(half))):
                    if statistics.fmean(res[r][i][m] - res["base:0"][i][m] for i in a) > 0:
                        gains.append(statistics.fmean(res[r][i][m] - res["base:0"][i][m] for i in b))
            print(f"  {['FFTP_est','FFP'][m]} {r}: chosen on {len(gains)}/140 halves, held-out "
                  + (f"mean {statistics.fmean(gains):+.4f}, <0 on {sum(g<0 for g in gains)}" if gains else "-"))
