"""motif plot before/after (benchmarks/phase27-plot27.md): annotate five pieces once, then plot them.

    PYTHONPATH=$TREE python benchmarks/plot27_render.py OUT annotate      # OUT/NAME.motifs.json
    PYTHONPATH=$TREE python benchmarks/plot27_render.py OUT plot TAG      # OUT/NAME-TAG.png, seconds per plot
"""
import json, sys, time
from pathlib import Path
out = Path(sys.argv[1]); mode = sys.argv[2]  # "annotate" or "plot"
pieces = {"rag": "joplin/maple_leaf_rag", "bwv66": "bach/bwv66.6", "k545": "mozart/k545/movement1_exposition",
          "pop101": str(Path(__file__).resolve().parents[1] / "examples/pop909-101.mid"), "quartet": "beethoven/opus18no1/movement1"}
import motifcli
from motifcli.annotation import Annotation
if mode == "annotate":
    import music21
    for name, src in pieces.items():
        t = time.time()
        score = motifcli.read_score(Path(src)) if src.endswith(".mid") else music21.corpus.parse(src)
        a = motifcli.annotate(score)
        (out / f"{name}.motifs.json").write_text(json.dumps(a.to_dict()))
        print(name, len(a.motifs), len(a.occurrences), round(time.time() - t, 1), flush=True)
else:
    from motifcli.plot import plot_timeline
    for name in pieces:
        a = Annotation.from_dict(json.loads((out / f"{name}.motifs.json").read_text()))
        t = time.time()
        plot_timeline(a, out / f"{name}-{sys.argv[3]}.png")
        print(name, round(time.time() - t, 2), flush=True)
