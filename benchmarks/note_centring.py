"""One-off check for NOTE-MODEL.md: does subtracting the mean embedding (over the BPS tune occurrences) undo the scale collapse?

    python -m benchmarks.note_centring
"""
import numpy as np, motifcli
from benchmarks.note_retrieval import bps_occurrences, within_piece, transposition_test
from benchmarks.mtc_retrieval import rolls, cosine_similarity
occs = bps_occurrences("tune")
pieces, fams = [o.piece for o in occs], [o.family for o in occs]
for path in ["exported_models/ablations/note-vicreg.onnx", "runs/note_vicreg/pretrain-only.onnx"]:
    m = motifcli.load_model(path, provider="cpu")
    e = m.embed(rolls(occs, m.spec, None))
    mu = e.mean(axis=0)
    r = within_piece(cosine_similarity(e - mu), pieces, fams)
    t = transposition_test(lambda x: m.embed(x) - mu, m.spec, occs)
    print(path, "centred: AUC-PR %.3f mAP %.3f | d_t med %.3f p95 %.3f d_other med %.3f closer %.3f" % (
        r["auc_pr"], r["map"], t["d_transposed_median"], t["d_transposed_p95"], t["d_other_median"], t["closer"]))
