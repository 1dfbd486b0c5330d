"""A musicologist's notebook session over music21's corpus, cell by cell (each cell prints what a notebook shows).

Session 26's user trial of the Python API (benchmarks/phase26-api26.md). Run it in a fresh venv with motif installed
(``python3 -m venv V && V/bin/pip install . && cd SCRATCH && V/bin/python benchmarks/api26_notebook.py``): it writes
into the working folder (out/, essen/). Reads only music21's own corpus (chorales, a C.P.E. Bach sonata, quartets,
a rag, Lieder, Essen ABC tunes), never BPS/MTC/POP909. ``attempt`` prints a call's result or its exception, as a
notebook cell shows it.
"""
from __future__ import annotations

import pathlib
import pickle
import time
import traceback
from typing import Any

import motifcli
from motifcli.model import LazyModel
from motifcli.writers import output_name, write
from music21 import corpus

def cell(title: str):
    print(f"\n### {title}")

def attempt(title: str, fn):
    try:
        out = fn()
        print(f"  {title}: OK -> {out!r}"[:300])
        return out
    except Exception as exc:
        print(f"  {title}: {type(exc).__module__}.{type(exc).__name__}: {exc}"[:400])
        return None

cell("In[1]: the corpus")
chorales = [p for p in corpus.getComposer("bach") if p.suffix == ".mxl"][:10]
def work(name: str) -> pathlib.Path:
    """One corpus file (music21's getWork returns a list when a name matches several)."""
    found = corpus.getWork(name)
    return pathlib.Path(found[0] if isinstance(found, list) else found)


others = [work(w) for w in ("cpebach/h186", "mozart/k155/movement1", "beethoven/opus18no1/movement1.mxl",
          "joplin/maple_leaf_rag", "schubert/Lindenbaum", "schumann_robert/dichterliebe_no2", "verdi/laDonnaEMobile", "corelli/opus3no1/1grave")]
chorales = chorales[:12]
pieces = chorales + others
print(len(pieces), [p.name for p in pieces])

cell("In[2]: one LazyModel for every call")
model = LazyModel()
print(model)

cell("In[3]: annotate each piece (path-like read_score)")
found: dict[str, Any] = {}
scores: dict[str, Any] = {}
times = []
for path in pieces:
    t0 = time.perf_counter()
    score = motifcli.read_score(path)
    ann = motifcli.annotate(score, model)
    times.append(time.perf_counter() - t0)
    scores[path.name], found[path.name] = score, ann
    print(f"  {path.name:24s} {len(score.tracks)} tracks {score.note_count:5d} notes {len(ann.motifs):2d} fam {time.perf_counter()-t0:.2f}s")
print("model opened?", model, getattr(model, "uses", None))

cell("In[4]: repr of things a notebook shows")
name = chorales[0].name
ann = found[name]
print(repr(scores[name])); print(repr(scores[name].tracks[0])); print(repr(ann))
print(repr(ann.ranked[0])); print(repr(ann.ranked[0].occurrences[0])); print(repr(ann.ranked[0].occurrences[0].notes[0]))
print("has _repr_html_:", hasattr(ann, "_repr_html_"))

cell("In[5]: walk families -> occurrences -> notes; transpositions")
rows: list[dict[str, Any]] = []
for piece, a in found.items():
    for fam in a.ranked:
        for occ in fam.occurrences:
            rows.append({"piece": piece, "family": fam.name, "rank": fam.rank, "label": occ.label,
                         "line": occ.line, "bars": f"{occ.start_bar_label or occ.start_bar}-{occ.end_bar_label or occ.end_bar}",
                         "notes": len(occ.notes), "pitches": [n.pitch for n in occ.notes],
                         "transposition": occ.transposition, "similarity": round(occ.similarity, 3)})
print(len(rows), rows[0])
fam = ann.ranked[0]
proto = fam.occurrences[0]
for occ in fam.occurrences:
    ivs = [b.pitch - a.pitch for a, b in zip(occ.notes, occ.notes[1:])]
    print(f"  {occ.label} T{occ.transposition:+d} {occ.line:30s} intervals {ivs}")
try:
    import pandas as pd
    print(pd.DataFrame(rows).groupby("piece").size())
except ImportError:
    print("  pandas not in the venv: list of dicts only")
from collections import Counter
print(Counter(r["transposition"] for r in rows).most_common(6))

cell("In[6]: pass what a user has in hand")
p = chorales[1]
attempt("annotate(pathlib.Path)", lambda: motifcli.annotate(p))
attempt("annotate(str path)", lambda: motifcli.annotate(str(p)))
m21 = corpus.parse(p)
attempt("read_score(music21 Score)", lambda: motifcli.read_score(m21))
attempt("annotate(music21 Score)", lambda: motifcli.annotate(m21))
attempt("embed(path)", lambda: motifcli.embed(p, model))

cell("In[7]: bad input")
attempt("read_score(missing)", lambda: motifcli.read_score("no/such/file.mid"))
attempt("read_score(.abc)", lambda: motifcli.read_score(work("essenFolksong/altdeu10")))
attempt("annotate(wrong option)", lambda: motifcli.annotate(scores[name], sensitivty=0.4))
attempt("annotate(sensitivity='high')", lambda: motifcli.annotate(scores[name], sensitivity="high"))
attempt("annotate(sensitivity=2)", lambda: motifcli.annotate(scores[name], sensitivity=2))
attempt("annotate(unit='beat')", lambda: motifcli.annotate(scores[name], unit="beat"))
attempt("annotate(track='Flute')", lambda: motifcli.annotate(scores[name], track="Flute"))
attempt("annotate(None)", lambda: motifcli.annotate(None))
attempt("annotate(42)", lambda: motifcli.annotate(42))
attempt("Settings(sensitivty=.4)", lambda: motifcli.Settings(sensitivty=.4))
attempt("Settings(max_families='3')", lambda: motifcli.annotate(scores[name], max_families="3"))
attempt("annotate(score, 0.3)", lambda: motifcli.annotate(scores[name], 0.3))
attempt("annotate(score, settings=dict)", lambda: motifcli.annotate(scores[name], settings={"sensitivity": 0.3}))
attempt("annotate(score, model='x.onnx')", lambda: motifcli.annotate(scores[name], "x.onnx", unit="bar"))
attempt("load_model(missing)", lambda: motifcli.load_model("missing.onnx"))
attempt("annotate_collection([])", lambda: motifcli.annotate_collection([]))
attempt("annotate_collection(unit=bar)", lambda: motifcli.annotate_collection([p], unit="bar"))
attempt("annotate_collection(one str)", lambda: motifcli.annotate_collection(str(p)))

cell("In[8]: pickle an Annotation / a Score (joblib / multiprocessing)")
blob = attempt("pickle Annotation", lambda: len(pickle.dumps(ann)))
back = attempt("unpickle equal", lambda: pickle.loads(pickle.dumps(ann)) == ann)
attempt("pickle Score", lambda: len(pickle.dumps(scores[name])))
attempt("pickle LazyModel", lambda: len(pickle.dumps(model)))
attempt("pickle load_model()", lambda: len(pickle.dumps(motifcli.load_model())))
attempt("pickle Settings", lambda: len(pickle.dumps(motifcli.Settings(sensitivity=0.4))))
from concurrent.futures import ProcessPoolExecutor
def one(path: str) -> Any:
    return motifcli.annotate(motifcli.read_score(path))
with ProcessPoolExecutor(2) as pool:
    par = attempt("ProcessPool annotate(read_score(path))", lambda: list(pool.map(one, map(str, chorales[:4]))))
    if par:
        print("  same as serial:", [a.to_dict()["motifs"] == found[c.name].to_dict()["motifs"] for a, c in zip(par, chorales)])
    attempt("ProcessPool annotate(path, the opened LazyModel)",
            lambda: [len(a.motifs) for a in pool.map(motifcli.annotate, chorales[:4], [model] * 4)])

cell("In[9]: write outputs")
out = pathlib.Path("out"); out.mkdir(exist_ok=True)
for fmt in ("midi", "json", "musicxml", "csv", "mirex", "labels"):
    attempt(f"write {fmt}", lambda: write(ann, scores[name], fmt, out / output_name(name, fmt)))
attempt("write to missing folder", lambda: write(ann, scores[name], "json", "nope/x.json"))
attempt("write format 'xml'", lambda: write(ann, scores[name], "xml", out / "x.xml"))
attempt("write over the input", lambda: write(ann, scores[name], "musicxml", chorales[0]))
from motifcli.annotation import Annotation
import json
attempt("from_dict(json) == ann", lambda: Annotation.from_dict(json.loads((out / output_name(name, 'json')).read_text())).motifs == ann.motifs)

cell("In[10]: embed and compare vectors")
import numpy as np
emb = attempt("embed chorale", lambda: motifcli.embed(scores[name], model))
if emb is not None:
    print("  ", type(emb).__name__, emb.vectors.shape, emb.vectors.dtype, emb.track[:3], emb.start[:3])
    v = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    sims = v @ v.T
    print("  most similar pair of different windows:", np.unravel_index(np.argmax(sims - 2 * np.eye(len(v))), sims.shape))
    e2 = motifcli.embed(scores[chorales[1].name], model)
    print("  mean cross-piece cosine", float((v @ (e2.vectors / np.linalg.norm(e2.vectors, axis=1, keepdims=True)).T).mean()))
print("model now", model)
print("  repr:", repr(emb))

cell("In[11]: Essen songs through music21 (abc) as a collection")
opus = corpus.parse("essenFolksong/altdeu10")
songs = list(opus.scores)[:8]
print(len(songs), [s.metadata.title for s in songs])
coll = attempt("annotate_collection(music21 Scores)", lambda: motifcli.annotate_collection(songs))
coll_it = attempt("annotate_collection(opus.scores[:8])", lambda: motifcli.annotate_collection(opus.scores[:8]))
attempt("annotate_collection(opus)", lambda: motifcli.annotate_collection(opus))
attempt("annotate(opus)", lambda: motifcli.annotate(opus))
attempt("annotate(one Essen tune)", lambda: motifcli.annotate(songs[0]))
folder = pathlib.Path("essen"); folder.mkdir(exist_ok=True)
files = []
for k, s in enumerate(songs):
    fp = folder / f"altdeu10-{k:02d}.musicxml"
    s.write("musicxml", fp=fp)
    files.append(fp)
coll = attempt("annotate_collection(paths)", lambda: motifcli.annotate_collection(files))
if coll:
    for f, a in zip(files, coll):
        print("  ", f.name, [(m.name, len(m.occurrences), m.collection) for m in a.motifs][:4])

cell("In[12]: bar level on a sonata with the same LazyModel")
son = scores[others[0].name]
attempt("annotate(bar, LazyModel)", lambda: motifcli.annotate(son, model, unit="bar"))
print("model", model)
