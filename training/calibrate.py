"""The calibration stage: choose the model's grouping threshold on labelled songs, write it into its card.

How the threshold is chosen (the recipe behind the shipped model's 0.45): every song of the
calibration split (``[calibrate] split``, default ``val``: never the test songs) is run through
the real runtime (``motifcli`` reads, segments on the labels' bar grid, embeds with the exported
ONNX model, groups). Each labelled PIANO bar (a label span covering > 75% of it) gets the family
of the occurrence that holds it, or a family of its own. For each threshold of :data:`THRESHOLDS`
the adjusted Rand index between families and motif labels is averaged over songs, and the
threshold with the highest mean ARI is written as the card's ``grouping_threshold`` (what
``--sensitivity 0.5`` uses). ``benchmarks/grouping.py`` reuses these functions for its table.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from motifcli.encoding import EncodingSpec, render_rolls
from training.data import label_phase, label_spans, labelled_bars, song_path

THRESHOLDS: tuple[float, ...] = tuple(
    round(float(x), 3) for x in np.concatenate([np.arange(0.02, 0.2, 0.02), np.arange(0.2, 0.81, 0.05)])
)


@dataclass(frozen=True, slots=True)
class LabelledSong:
    """The labelled PIANO bars of one song: where they start, their motif ids, their rolls."""

    song: str
    phase: int  # the labels' bar grid (beats mod 4)
    starts: np.ndarray
    truth: np.ndarray
    rolls: np.ndarray


def load_song(song: str, spec: EncodingSpec) -> LabelledSong:
    bars = labelled_bars(song, spec)
    return LabelledSong(song, label_phase(label_spans(song)), np.array([b.start for b in bars]),
                        np.array([b.motif for b in bars]), render_rolls([b.notes for b in bars], spec))


def scores(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """ARI and V-measure (scikit-learn) and mir_eval's pairwise F, one frame per bar."""
    import mir_eval
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    n = len(truth)
    intervals = np.stack([np.arange(n), np.arange(n) + 1], axis=1).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, _, f = mir_eval.segment.pairwise(intervals, [str(t) for t in truth], intervals, [str(p) for p in pred],
                                            frame_size=1.0)
    # mir_eval's pairwise precision is 0/0 when no two bars share a predicted family: count that as F = 0
    f = 0.0 if not np.isfinite(f) else float(f)
    return {"ari": float(adjusted_rand_score(truth, pred)), "v_measure": float(v_measure_score(truth, pred)),
            "pairwise_f": f}


def predicted_from_annotation(ann, piano: int, song: LabelledSong) -> np.ndarray:  # noqa: ANN001
    """Family of each labelled bar: the occurrence of the PIANO track holding most of it (the one
    holding its middle, the earlier on a tie), else its own. The middle, not the start: the
    product's bars may sit a fraction of a beat off the labels' whole-beat grid (POP909's downbeats
    are fractional, the labels round them down), and then the labelled bar's start lies in the bar
    before; on the labels' own grid both give the same answer."""
    half = 2.0  # half of a labelled bar (the labels use 4-beat bars), in beats
    pred = np.empty(len(song.starts), dtype=object)
    for i, start in enumerate(song.starts):
        pred[i] = f"single{i}"
        middle = start + half - 1e-3
        for occ in ann.occurrences:
            if occ.track == piano and occ.start - 1e-6 <= middle < occ.end - 1e-6:
                pred[i] = occ.family
                break
    return pred


class PipelineMethod:
    """A model through the real runtime pipeline: embed once per song, group at any threshold."""

    def __init__(self, model_path: Path, **options: object) -> None:
        """``options``: Settings fields replacing the default, the labels' grid (``origin`` = the
        song's label phase, a fixed ``window`` of one roll); ``origin=None, window=None`` = the
        product's default bars (the song's meter map), as ``benchmarks/grouping_bars.py`` compares."""
        from motifcli.model import load_model

        self.model = load_model(model_path, provider="cpu")
        self.options = options
        self.cache: dict[str, tuple] = {}

    def predict(self, song: LabelledSong, threshold: float) -> np.ndarray:
        from motifcli.embedding import embed_score
        from motifcli.grouping import group
        from motifcli.readers.midi import read_midi
        from motifcli.settings import Settings

        if song.song not in self.cache:
            score = read_midi(song_path(song.song))
            given = {"origin": float(song.phase), "window": float(self.model.spec.segment_beats), **self.options}
            settings = Settings(**given).resolve(self.model).for_score(score)
            embedded = embed_score(score, self.model, settings)
            self.cache[song.song] = (score, embedded, score.track_named("PIANO").index, settings)
        score, embedded, piano, settings = self.cache[song.song]
        ann = group(score, embedded, Settings.build(settings, threshold=threshold).resolve(self.model).for_score(score))
        return predicted_from_annotation(ann, piano, song)


Predictor = Callable[[LabelledSong, float], np.ndarray]


def evaluate(predict: Predictor, songs: Sequence[LabelledSong], threshold: float) -> dict:
    per_song = {s.song: scores(s.truth, predict(s, threshold)) for s in songs}
    mean = {k: float(np.mean([v[k] for v in per_song.values()])) for k in ("ari", "v_measure", "pairwise_f")}
    return {"threshold": threshold, "mean": mean, "per_song": per_song}


def tune(predict: Predictor, songs: Sequence[LabelledSong],
         thresholds: Sequence[float] = THRESHOLDS) -> tuple[float, list[tuple[float, float]]]:
    """The threshold of highest mean ARI over ``songs`` (the first, on ties) and the whole curve."""
    curve = [(float(t), evaluate(predict, songs, t)["mean"]["ari"]) for t in thresholds]
    return max(curve, key=lambda c: c[1])[0], curve


def calibrate_model(model_path: Path, songs: Sequence[str], out_json: Path | None = None) -> float:
    """Tune the threshold of an exported model on ``songs``, write it into the model's card."""
    from training.export import read_card, write_card

    if not songs:
        raise ValueError("no calibration songs")
    method = PipelineMethod(model_path)
    labelled = [load_song(s, method.model.spec) for s in songs]
    best, curve = tune(method.predict, labelled)
    write_card(model_path, read_card(model_path).with_threshold(best))
    if out_json is not None:
        out_json.write_text(json.dumps({"model": str(model_path), "songs": list(songs), "threshold": best,
                                        "criterion": "mean adjusted Rand index over songs",
                                        "curve": [{"threshold": t, "ari": a} for t, a in curve]}, indent=1))
    return best
