"""Open, save, reopen (phase28-save28.md): what of motif's MusicXML marks survives MuseScore 3's own file.

    PYTHONPATH=$TREE python benchmarks/save28_roundtrip.py OUT ANNOTATED.musicxml [...]

For each annotated MusicXML file (``motif annotate X -f musicxml``), MuseScore 3 (``mscore3``, headless)
writes: the score as ``.mscx`` and ``.mscz`` (opened from the MusicXML, as a musician saves it), MusicXML
exported from that ``.mscx`` (``back``) and MusicXML exported straight from the opened MusicXML (``direct``);
then renders pages (``-r 100``) of the MusicXML, the ``.mscx``, the ``.mscz``, ``back`` and ``direct``.
It prints, per file, what motif wrote (brackets below, their labels below, the key below, dashed/dotted
lines, brackets with hooks up, the key's size) against what the ``.mscx`` keeps (``<placement>``,
``<lineStyle>``, negative hook heights, ``<font size>``) and what each exported MusicXML keeps, and how
many pixels of each rendering differ from the MusicXML's (0: the same pages).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

KEY_START = "Motifs: one colour per motif;"


def mscore(*args: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(["mscore3", *args], env=env, capture_output=True, text=True, timeout=600, check=False)


def musicxml_counts(text: str) -> dict[str, int]:
    """What a MusicXML file says about our marks (motif's own, or MuseScore's export of them)."""
    below = re.findall(r'<direction placement="below">(.*?)</direction>', text, re.S)
    return {
        "brackets": len(re.findall(r'<bracket type="start"', text)),
        "brackets below": sum('<bracket type="start"' in d for d in below),
        "labels below": sum(bool(re.search(r"<words[^>]*>Motif ", d)) for d in below),
        "key below": sum(KEY_START in d for d in below),
        "dashed/dotted": len(re.findall(r'<bracket type="start"[^>]*line-type="(?:dashed|dotted)"', text)),
        "hooks up": len(re.findall(r'<bracket type="start"[^>]*line-end="up"', text)),
        "key size 7": len(re.findall(r'<words[^>]*font-size="7"[^>]*>' + re.escape(KEY_START), text)),
    }


def mscx_counts(text: str) -> dict[str, int]:
    """What MuseScore's own file keeps: a property is written only where it is not the style's."""
    lines = re.findall(r"<TextLine>(.*?)</TextLine>", text, re.S)
    texts = re.findall(r"<StaffText>(.*?)</StaffText>", text, re.S)
    return {
        "brackets": len(lines),
        "brackets below": sum("<placement>below</placement>" in t for t in lines),
        "labels below": sum("<placement>below</placement>" in t and "Motif " in t for t in texts),
        "key below": sum("<placement>below</placement>" in t and KEY_START in t for t in texts),
        "dashed/dotted": sum("<lineStyle>" in t for t in lines),
        "hooks up": sum(re.search(r"<beginHookHeight>-", t) is not None for t in lines),
        "key size 7": sum('<font size="7"/>' in t and KEY_START in t for t in texts),
    }


def pages(stem: Path) -> list[np.ndarray]:
    out = []
    for png in sorted(stem.parent.glob(stem.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        im = Image.open(png).convert("RGBA")
        white = Image.new("RGBA", im.size, "white")
        white.alpha_composite(im)
        out.append(np.asarray(white.convert("L")))
    return out


def differing(a: list[np.ndarray], b: list[np.ndarray]) -> str:
    """Pixels that differ (page by page, summed), and the page counts where they differ."""
    if len(a) != len(b):
        return f"{len(a)} vs {len(b)} pages"
    return str(int(sum((x != y).sum() for x, y in zip(a, b))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for src in args.files:
        name = src.name.split(".")[0]
        o = args.out / name
        mscore("-o", f"{o}.mscx", str(src))
        mscore("-o", f"{o}.mscz", str(src))
        mscore("-o", f"{o}.back.musicxml", f"{o}.mscx")
        mscore("-o", f"{o}.direct.musicxml", str(src))
        for tag, path in (("xml", src), ("mscx", Path(f"{o}.mscx")), ("mscz", Path(f"{o}.mscz")),
                          ("back", Path(f"{o}.back.musicxml")), ("direct", Path(f"{o}.direct.musicxml"))):
            mscore("-r", "100", "-o", f"{o}.{tag}.png", str(path))
        with zipfile.ZipFile(f"{o}.mscz") as z:
            (inner,) = [n for n in z.namelist() if n.endswith(".mscx")]
            mscz_text = z.read(inner).decode()
        counts = {
            "motif's MusicXML": musicxml_counts(src.read_text()),
            ".mscx": mscx_counts(Path(f"{o}.mscx").read_text()),
            ".mscz": mscx_counts(mscz_text),
            "MusicXML from .mscx": musicxml_counts(Path(f"{o}.back.musicxml").read_text()),
            "MusicXML from the opened file": musicxml_counts(Path(f"{o}.direct.musicxml").read_text()),
        }
        keys = list(counts["motif's MusicXML"])
        print(f"\n## {name}")
        print("| file | " + " | ".join(keys) + " | pixels differing from the MusicXML's pages |")
        print("|---|" + "---|" * (len(keys) + 1))
        ref = pages(Path(f"{o}.xml"))
        for (label, c), tag in zip(counts.items(), ("xml", "mscx", "mscz", "back", "direct")):
            diff = differing(ref, pages(Path(f"{o}.{tag}"))) if tag != "xml" else f"({len(ref)} pages)"
            print(f"| {label} | " + " | ".join(str(c[k]) for k in keys) + f" | {diff} |")


if __name__ == "__main__":
    main()
