"""How the learned check behaves per model on BPS tune: family spread and share of loose candidates admitted.

    PYTHONPATH=$PWD python benchmarks/noinv_check_spread.py

Wraps families.cosine_to_nearest to log, per vetting call, the family spread and how many candidates
between variant_tolerance and model_tolerance (1.5) pass; prints the totals per model. One-off (noinv).
"""
import statistics
import numpy as np
import motifcli
import motifcli.discovery.families as fam
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover
orig = fam.cosine_to_nearest
log = []
def spy(model, lines, ex, cands):
    cos, spread = orig(model, lines, ex, cands)
    log.append((spread, len(cos), int((cos <= spread).sum()), float(np.median(cos)) if len(cos) else np.nan))
    return cos, spread
fam.cosine_to_nearest = spy
ps = pieces("bps", "tune")
for path in ["exported_models/ablations/note-vicreg.onnx", "exported_models/ablations/note-noinv.onnx"]:
    m = motifcli.load_model(path); log.clear()
    for p in ps:
        discover(p.score, m, DiscoverySettings(model_tolerance=1.5))
    sp = [l[0] for l in log]; n = sum(l[1] for l in log); ok = sum(l[2] for l in log)
    print(path.split("/")[-1], "checks", len(log), "median spread", round(statistics.median(sp), 4),
          "median cand cos", round(float(np.nanmedian([l[3] for l in log])), 4), "candidates", n, "admitted", ok, f"({ok / max(n, 1):.1%})", flush=True)
