"""motif's MusicXML in notation programs other than MuseScore (phase28-engrave28.md): four pieces annotated, each
checked against the MusicXML 4.0 XSD and rendered, with its un-annotated source, by Verovio and LilyPond.

    PYTHONPATH=$TREE:EXTRA python benchmarks/engrave28_probe.py OUT

EXTRA holds what the product does not depend on: ``xmlschema`` (the test extra) and ``verovio`` (e.g.
``pip install --target /tmp/e28pkgs xmlschema verovio``); LilyPond is the Debian package ``lilypond``
(``musicxml2ly``, ``lilypond``). A program that is missing is skipped. Inputs: Mozart K. 545 i (exposition),
Bach's bwv66.6 and Haydn op. 74/1 iii from music21's corpus, written as MusicXML, and examples/pop909-101.mid
(its un-annotated source: the annotated notation with motif's marks taken out, musicxml_own.strip_marks).
Writes OUT/src, OUT/xml (annotated), OUT/vrv/{src,ann} (SVG pages, MEI, PNG where ``rsvg-convert`` is there),
OUT/ly/{src,ann} (.ly, logs, PNG pages) and prints one block per piece.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
XSD = REPO / "tests" / "data" / "musicxml-4.0"
CORPUS = {"k545i": "mozart/k545/movement1_exposition", "bwv66.6": "bach/bwv66.6",
          "haydn74-1-iii": "haydn/opus74no1/movement3"}


def make_inputs(out: Path) -> dict[str, tuple[Path, Path]]:
    """name -> (un-annotated MusicXML, annotated MusicXML)."""
    from music21 import corpus

    from motifcli.writers.musicxml_own import strip_marks
    from motifcli.writers.musicxml_scan import detect_codec

    (out / "src").mkdir(parents=True, exist_ok=True)
    inputs = {}
    for name, work in CORPUS.items():
        corpus.parse(work).write("musicxml", fp=str(out / "src" / f"{name}.musicxml"))
        inputs[name] = out / "src" / f"{name}.musicxml"
    inputs["pop909-101"] = REPO / "examples" / "pop909-101.mid"
    pairs = {}
    for name, src in inputs.items():
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o", str(out / "xml")],
                       check=True, capture_output=True)
        (ann,) = (out / "xml").glob(f"{name}.motifs.*")
        if src.suffix == ".mid":
            data = ann.read_bytes()
            src = out / "src" / f"{name}.musicxml"
            src.write_bytes(strip_marks(data, detect_codec(data)[0]))
        pairs[name] = (src, ann)
    return pairs


def marks(xml: Path) -> dict[str, int]:
    """Our marks in the file: brackets (below: hooks up), labels, coloured notes, and the brackets whose stop a
    reader matching stops first-opened-first (Verovio 6.4, the number ignored) gives to another bracket."""
    root = ET.parse(xml).getroot()
    fifo: list[int] = []
    by_number: dict[str, int] = {}
    count = Counter()
    for part in root.iter("part"):
        for el in part.iter():
            if el.tag == "note" and el.get("color"):
                count["coloured notes"] += 1
            if el.tag == "words" and (el.text or "").startswith("Motif "):
                count["labels"] += 1
            if el.tag != "bracket":
                continue
            if el.get("type") == "start":
                k = count["brackets"]
                count["brackets"] += 1
                count["below"] += el.get("line-end") == "up"
                count[el.get("line-type", "solid")] += 1
                fifo.append(k)
                by_number[el.get("number", "1")] = k
            else:
                count["stop matched to another (first-opened-first)"] += fifo.pop(0) != by_number.pop(el.get("number", "1"))
    return dict(count)


def xsd_errors(xml: Path) -> int | None:
    try:
        import xmlschema
    except ImportError:
        return None
    schema = xmlschema.XMLSchema(str(XSD / "musicxml.xsd"), allow="local",
                                 locations=[("http://www.w3.org/XML/1998/namespace", str(XSD / "xml.xsd")),
                                            ("http://www.w3.org/1999/xlink", str(XSD / "xlink.xsd"))])
    return sum(1 for _ in schema.iter_errors(ET.parse(xml)))


def verovio_render(xml: Path, folder: Path) -> tuple[bool, str] | None:
    """SVG pages + MEI of ``xml`` in ``folder``; (loaded, MEI) or None without verovio."""
    try:
        import verovio
    except ImportError:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    tk = verovio.toolkit()
    tk.setOptions({"pageWidth": 2100, "pageHeight": 2970, "scale": 40, "adjustPageHeight": True, "footer": "none"})
    ok = tk.loadFile(str(xml))
    stem = xml.name.split(".musicxml")[0]
    for page in range(1, tk.getPageCount() + 1 if ok else 1):
        svg = folder / f"{stem}-{page}.svg"
        svg.write_text(tk.renderToSVG(page))
        if shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", "-b", "white", "-w", "1400", str(svg), "-o", str(svg.with_suffix(".png"))])
    mei = tk.getMEI() if ok else ""
    (folder / f"{stem}.mei").write_text(mei)
    return ok, mei


def mei_layers(mei: str) -> dict[str, list]:
    """measure -> per staff, the number of notes, rests and spaces in each layer."""
    out: dict[str, list] = {}
    for m in re.finditer(r'<measure [^>]*n="([^"]*)"[^>]*>(.*?)</measure>', mei, re.S):
        out.setdefault(m.group(1), []).append(
            [[len(re.findall(r"<(?:note|rest|space|mRest) ", layer))
              for layer in re.findall(r"<layer [^>]*>(.*?)</layer>", st, re.S)]
             for st in re.findall(r"<staff [^>]*>(.*?)</staff>", m.group(2), re.S)])
    return out


def lilypond(xml: Path, folder: Path) -> dict[str, int] | None:
    """musicxml2ly then lilypond --png: warnings of each, the labels in the .ly, brackets and note colours."""
    if not (shutil.which("musicxml2ly") and shutil.which("lilypond")):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stem = xml.name.split(".musicxml")[0]
    ly = folder / f"{stem}.ly"
    conv = subprocess.run(["musicxml2ly", "-o", str(ly), str(xml)], capture_output=True, text=True)
    eng = subprocess.run(["lilypond", "--png", "-dresolution=80", "-o", str(folder / stem), str(ly)],
                         capture_output=True, text=True, cwd=folder)
    (folder / f"{stem}.log").write_text(conv.stdout + conv.stderr + eng.stdout + eng.stderr)
    text = ly.read_text() if ly.exists() else ""
    return {"musicxml2ly warnings": conv.stderr.count("warning:"),
            "negative skips": conv.stderr.count("Negative skip"),
            "lilypond rc": eng.returncode, "lilypond warnings": eng.stderr.count("warning:"),
            "lilypond errors": eng.stderr.count("error:"),
            "labels in .ly": len(re.findall(r"\{Motif\s", text)),
            "labels unattached": eng.stderr.count("Unattached TextScriptEvent"),
            "brackets in .ly": text.count("\\["), "note colours in .ly": len(re.findall(r"NoteHead\.color|\\tweak color", text))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    for name, (src, ann) in make_inputs(out).items():
        print(f"== {name}")
        print("   marks:", marks(ann))
        print("   XSD errors (source, annotated):", xsd_errors(src), xsd_errors(ann))
        a, b = verovio_render(src, out / "vrv" / "src"), verovio_render(ann, out / "vrv" / "ann")
        if a is not None and b is not None:
            la, lb = mei_layers(a[1]), mei_layers(b[1])
            print(f"   Verovio: loaded {a[0]}, {b[0]}; brackets {b[1].count('<bracketSpan')}, placed below "
                  f"{len(re.findall(r'<bracketSpan[^>]*place=.below', b[1]))}; words added "
                  f"{b[1].count('<dir ') - a[1].count('<dir ')}; coloured notes {len(re.findall(r'<note [^>]*color=', b[1]))}; "
                  f"measures whose voices differ from the source: {[k for k in la if la[k] != lb.get(k)]}")
        la, lb = lilypond(src, out / "ly" / "src"), lilypond(ann, out / "ly" / "ann")
        if la is not None and lb is not None:
            print("   LilyPond source:   ", la)
            print("   LilyPond annotated:", lb)


if __name__ == "__main__":
    main()
