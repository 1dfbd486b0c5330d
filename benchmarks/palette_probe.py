"""How far apart motif's family colours are for normal and colour-blind readers, and how they were picked.

    python benchmarks/palette_probe.py            # the palette now and the one before session 26
    python benchmarks/palette_probe.py --pick     # re-run the pick of the five colours replaced in session 26

Distances are CAM02-UCS delta E (colorspacious; ``pip install colorspacious``, not a motif dependency)
between colours as seen with normal vision and, simulated at full severity (Machado et al. 2009), as
deuteranopes, protanopes and tritanopes see them; contrast is WCAG 2 against white. The pick keeps
every colour but the five weak ones of the old palette (G, I, K, L, M) and fills each, in that
order, with the candidate (Tol's schemes) farthest from the colours kept and from black (uncoloured
notes) under normal, deutan and protan vision, among those at least 2:1 on white and 35 from black.
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

try:
    from colorspacious import cspace_convert, deltaE
except ImportError as exc:  # pragma: no cover - a benchmark's own dependency
    raise SystemExit("benchmarks/palette_probe.py needs colorspacious: pip install colorspacious") from exc

from motifcli.annotation import FORMER_COLOURS, PALETTE

BEFORE = (  # motif's palette up to session 25
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442", "#117733",
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#332288", "#882255",
)
WEAK = (6, 8, 10, 11, 12)  # G: 1.3:1 on white; I, K, L, M: near copies of E, H, A, B
CANDIDATES = (  # Paul Tol's bright, muted, vibrant, high-contrast and light schemes
    "#4477AA", "#66CCEE", "#228833", "#CCBB44", "#EE6677", "#AA3377", "#332288", "#88CCEE", "#44AA99", "#117733",
    "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#0077BB", "#33BBEE", "#009988", "#EE7733", "#CC3311",
    "#EE3377", "#004488", "#DDAA33", "#BB5566", "#666633", "#225555", "#663333", "#F0E442", "#994455", "#997700",
    "#6699CC", "#EECC66", "#EE99AA",
)
VIEWS = {"normal": None, "deutan": "deuteranomaly", "protan": "protanomaly", "tritan": "tritanomaly"}
PICK_VIEWS = ("normal", "deutan", "protan")


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def contrast(colour: str) -> float:
    c = rgb(colour)
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 1.05 / (float(np.dot([0.2126, 0.7152, 0.0722], c)) + 0.05)


def seen(colour: str, view: str) -> np.ndarray:
    if VIEWS[view] is None:
        return rgb(colour)
    cvd = {"name": "sRGB1+CVD", "cvd_type": VIEWS[view], "severity": 100}
    return np.clip(cspace_convert(rgb(colour), cvd, "sRGB1"), 0, 1)


def distance(a: str, b: str, view: str) -> float:
    return float(deltaE(seen(a, view), seen(b, view), input_space="sRGB1"))


def nearest(colour: str, others: list[str]) -> float:
    return min(distance(colour, o, v) for o in others for v in PICK_VIEWS)


def report(name: str, palette: tuple[str, ...] | list[str], low: float = 12.0) -> None:
    print(f"== {name}: {len(palette)} colours")
    weak = [(c, round(contrast(c), 2)) for c in palette if contrast(c) < 2.0]
    print(f"  contrast on white under 2:1: {weak}")
    for view in VIEWS:
        d = {(a, b): distance(a, b, view) for a, b in itertools.combinations(palette, 2)}
        close = sorted((v, f"{chr(65 + palette.index(a))}/{chr(65 + palette.index(b))}") for (a, b), v in d.items() if v < low)
        print(f"  {view}: smallest dE {min(d.values()):.1f}; {len(close)} pairs under {low:g}: "
              + ", ".join(f"{p} {v:.1f}" for v, p in close[:8]))
    print(f"  nearest to black: {min(nearest(c, ['#000000']) for c in palette):.1f}")


def pick() -> list[str]:
    palette = list(BEFORE)
    kept = [c for i, c in enumerate(palette) if i not in WEAK] + ["#000000"]
    pool = [c for c in dict.fromkeys(CANDIDATES) if contrast(c) >= 2.0 and c not in palette and nearest(c, ["#000000"]) >= 35]
    for i in WEAK:
        best = max(pool, key=lambda c: nearest(c, kept))
        print(f"  {chr(65 + i)}: {BEFORE[i]} -> {best} (nearest {nearest(best, kept):.1f})")
        palette[i] = best
        kept.append(best)
        pool.remove(best)
    return palette


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pick", action="store_true", help="re-run the pick of the replaced colours")
    args = parser.parse_args()
    report("before session 26", BEFORE)
    report("now (motifcli.annotation.PALETTE)", PALETTE)
    print("replaced:", ", ".join(f"{b} -> {a}" for b, a in zip(BEFORE, PALETTE) if a != b),
          "| FORMER_COLOURS:", ", ".join(FORMER_COLOURS))
    if args.pick:
        picked = pick()
        print("picked == PALETTE:", tuple(picked) == PALETTE)


if __name__ == "__main__":
    main()
