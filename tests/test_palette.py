"""The family colours can be seen on white paper and told apart (benchmarks/phase26-eye26.md).

Looking at rendered pages, family G's notes (Okabe-Ito yellow #F0E442, 1.3:1 against white) were
barely visible, and families E/I, H/K, B/M (two blues, two greens, two light blues) looked the same.
Measured here with the standard formulas (WCAG 2 contrast, CIE 1976 colour difference on sRGB D65),
written out so the test needs nothing but numpy; benchmarks/palette_probe.py measures colour-blind
readers too (CAM02-UCS, colorspacious).
"""

from __future__ import annotations

import itertools

import numpy as np

from motifcli.annotation import FORMER_COLOURS, PALETTE


def _linear(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of the colour against white (1 = invisible, 21 = black)."""
    luminance = float(np.dot([0.2126, 0.7152, 0.0722], _linear(colour)))
    return 1.05 / (luminance + 0.05)


def lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ _linear(colour)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_family_colour_stands_out_on_white() -> None:
    """At least 2:1 against white: a coloured notehead or stem is seen (#F0E442 was 1.3:1, #66CCEE 1.8:1)."""
    weak = {c: round(contrast_on_white(c), 2) for c in PALETTE if contrast_on_white(c) < 2.0}
    assert weak == {}


def test_no_two_family_colours_look_alike() -> None:
    """Every two of the 16 at least 10 apart (CIE76 delta E; #0072B2 and #4477AA, families E and I, were 9.5)."""
    close = {(a, b): round(float(np.linalg.norm(lab(a) - lab(b))), 1)
             for a, b in itertools.combinations(PALETTE, 2) if np.linalg.norm(lab(a) - lab(b)) < 10}
    assert close == {}


def test_former_colours_are_not_in_use() -> None:
    """The colours replaced stay recognisable as motif's (musicxml_own, the plugin's Clear) and no family takes them."""
    assert len(set(PALETTE)) == 16 and not set(FORMER_COLOURS) & set(PALETTE)


def test_a_score_coloured_by_an_earlier_version_is_cleaned_again(tmp_path) -> None:  # noqa: ANN001
    """A file annotated before session 26 (family G in #F0E442) re-annotated: the old colour goes with the labels."""
    import subprocess
    import sys

    import music21

    from motifcli.writers.musicxml_own import strip_marks
    from test_musescore import motif_env

    src = next(p for p in music21.corpus.getPaths() if p.name == "bwv66.6.mxl")
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o", str(tmp_path)]
    assert subprocess.run(cmd, env=motif_env(), capture_output=True, timeout=300).returncode == 0
    data = next(tmp_path.glob("*.motifs.musicxml")).read_bytes()
    older = data.replace(PALETTE[0].encode(), FORMER_COLOURS[0].encode())  # family A in the old yellow
    assert older.count(FORMER_COLOURS[0].encode()) > 5
    assert b"color=" not in strip_marks(older, "utf-8")
