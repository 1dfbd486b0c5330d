"""The PIANO and BRIDGE tracks' own onset and bass cues beside the 16 (5-fold CV through the path)."""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pickle
from feat_rep import run, rows, preps
from harness import *

from motifcli.downbeats import FEATURES, _clean
COLS = [FEATURES.index(c) for c in ('onset', 'count', 'longest', 'bass25', 'bass10', 'bass_change')]

def track_feats(p, r, name):
    t = r['tracks'].get(name)
    if t is None or len(t[0]) == 0:
        return np.zeros((len(p['beats']), len(COLS)))
    return beat_features(_clean(t), p['beats'])[:, COLS]

if __name__ == '__main__':
    by_song = {r['song']: r for r in rows}
    run('base', None)
    run('+ PIANO cues', lambda p: track_feats(p, by_song[p['song']], 'PIANO'))
    run('+ BRIDGE cues', lambda p: track_feats(p, by_song[p['song']], 'BRIDGE'))
    run('+ PIANO and BRIDGE cues', lambda p: np.concatenate([track_feats(p, by_song[p['song']], 'PIANO'),
                                                             track_feats(p, by_song[p['song']], 'BRIDGE')], axis=1))
