"""A mypy target, not a script: what a notebook user's type checker says about motifcli (phase26-api26.md).

    pip install mypy && mypy benchmarks/api26_typing.py benchmarks/api26_notebook.py   # against the installed motif

Each ``reveal_type`` prints a public name's signature; the last lines are deliberate mistakes mypy should flag
(4 errors expected here: a list as str, None / 42 as the piece, a float as the model).
"""

import pathlib
from typing import reveal_type

import motifcli
from motifcli.model import LazyModel

score = motifcli.read_score(pathlib.Path("x.mxl"))
annotation = motifcli.annotate(score, LazyModel(), sensitivity=0.4)       # the documented use: no error
annotation = motifcli.annotate("song.mid", settings={"sensitivity": 0.4})  # a path, a dict of settings: no error
reveal_type(motifcli.read_score)
reveal_type(motifcli.load_model)
reveal_type(motifcli.annotate)
reveal_type(motifcli.embed)
reveal_type(motifcli.annotate_collection)
reveal_type(motifcli.Settings)
reveal_type(motifcli.__version__)
reveal_type(annotation.ranked[0].occurrences[0].transposition)
pitch: int = annotation.ranked[0].occurrences[0].notes[0].pitch
wrong: str = annotation.motifs          # flagged: a list of Motif
motifcli.annotate(None)                 # flagged: not a piece
motifcli.annotate(42)                   # flagged: not a piece
motifcli.annotate(score, 0.3)           # flagged: a number where the model goes
