"""The paper's motif-retrieval evaluation (Wu et al. 2023, Sec. 4.2) with scikit-learn metrics.

Every labelled bar of the evaluation songs queries all the other bars of those songs, ranked by
embedding distance; the relevant ones are the bars of the same motif in the same song. Reported:
AUC-PR of the precision-recall curve pooled over all (query, candidate) pairs (average precision,
sklearn's step-wise area), mean average precision over queries, precision and recall at K.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve


@dataclass(frozen=True, slots=True)
class RetrievalScores:
    auc_pr: float
    map: float
    p_at_1: float
    p_at_5: float
    p_at_10: float
    r_at_1: float
    r_at_5: float
    r_at_10: float
    queries: int
    bars: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def distance_matrix(emb: np.ndarray, distance: str = "cosine") -> np.ndarray:
    """Pairwise distances, cosine (1 - cos) or euclidean."""
    x = np.asarray(emb, dtype=np.float64)
    if distance == "cosine":
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        return 1.0 - x @ x.T
    sq = (x * x).sum(1)
    return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0))


def relevance_matrix(songs: Sequence[str], motifs: Sequence[int]) -> np.ndarray:
    s = np.asarray(songs)
    m = np.asarray(motifs)
    return (s[:, None] == s[None, :]) & (m[:, None] == m[None, :])


def retrieval_scores(emb: np.ndarray, songs: Sequence[str], motifs: Sequence[int], distance: str = "cosine") -> tuple[RetrievalScores, tuple[np.ndarray, np.ndarray]]:
    """Scores and the pooled (precision, recall) curve."""
    n = len(songs)
    dist = distance_matrix(emb, distance)
    rel = relevance_matrix(songs, motifs)
    off = ~np.eye(n, dtype=bool)
    y_true = rel[off]
    y_score = -dist[off]
    auc_pr = float(average_precision_score(y_true, y_score))
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    aps, p_at, r_at = [], {1: [], 5: [], 10: []}, {1: [], 5: [], 10: []}
    for i in range(n):
        cand = off[i]
        r = rel[i, cand]
        if not r.any():
            continue
        d = dist[i, cand]
        aps.append(average_precision_score(r, -d))
        order = np.argsort(d, kind="stable")
        ranked = r[order]
        for k in (1, 5, 10):
            hits = ranked[:k].sum()
            p_at[k].append(hits / k)
            r_at[k].append(hits / r.sum())
    scores = RetrievalScores(
        auc_pr=auc_pr,
        map=float(np.mean(aps)) if aps else 0.0,
        p_at_1=float(np.mean(p_at[1])) if aps else 0.0,
        p_at_5=float(np.mean(p_at[5])) if aps else 0.0,
        p_at_10=float(np.mean(p_at[10])) if aps else 0.0,
        r_at_1=float(np.mean(r_at[1])) if aps else 0.0,
        r_at_5=float(np.mean(r_at[5])) if aps else 0.0,
        r_at_10=float(np.mean(r_at[10])) if aps else 0.0,
        queries=len(aps),
        bars=n,
    )
    return scores, (precision, recall)


def raw_roll_features(rolls: np.ndarray) -> np.ndarray:
    """Untrained baseline 1: the flattened roll."""
    return rolls.reshape(len(rolls), -1)


def shifted_roll_features(rolls: np.ndarray) -> np.ndarray:
    """Untrained baseline 2: the roll moved down so its lowest note sits in the lowest row."""
    out = np.zeros_like(rolls)
    for i, roll in enumerate(rolls):
        active = np.flatnonzero(roll.any(axis=0))
        low = int(active[0]) if active.size else 0
        out[i, :, : roll.shape[1] - low] = roll[:, low:]
    return out.reshape(len(rolls), -1)


BASELINES = ("raw roll", "shifted roll")  # the untrained rows: drawn dashed


def plot_pr_curves(curves: Mapping[str, tuple[np.ndarray, np.ndarray, float]], path: Path, title: str) -> None:
    """All runs' pooled PR curves in one PNG (label shows AUC-PR)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5.5), dpi=120)
    colours = plt.cm.tab20.colors
    for i, (name, (precision, recall, auc)) in enumerate(curves.items()):
        style = "--" if name in BASELINES else "-"
        ax.plot(recall, precision, style, color=colours[(2 * i) % 20 if i < 10 else (2 * i + 1) % 20],
                label=f"{name} (AUC-PR {auc:.3f})", linewidth=1.4)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
