"""Mutations of real transposing/cue files: reader vs writer scan (pitch multisets per part), errors."""
import sys, random, zipfile, io, time, re, collections, traceback
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from pathlib import Path
from xml.etree import ElementTree as ET
from motifcli.readers.musicxml import read_musicxml
from motifcli.errors import MotifError
from motifcli.writers.musicxml_scan import scan_parts, link_ties
CORPUS = sys.argv[1]; N = int(sys.argv[2]); SEED = int(sys.argv[3])
import music21
SRC = {"weber": str(Path(music21.__file__).parent / "corpus/weber/concertino_clarinet.mxl"),
       "dichter": "/tmp/s21sw/sw4/in/keyboard-song/schumann_robert_dichterliebe_no2.xml",
       "trecento": "/tmp/s21sw/sw4/in/early/trecento_PMFC_23_22-Kyrie_Summe_Clementissime.xml"}
def load(p):
    p = Path(p)
    if p.suffix == ".mxl":
        z = zipfile.ZipFile(p); name = [n for n in z.namelist() if n.endswith(".xml") and not n.startswith("META")][0]
        return z.read(name)
    return p.read_bytes()
ODD = ["x", "1e308", "999", "2.5", "-2.5", "nan", "-inf", "", " -2 ", "+2", "-49", "48", "-0"]
def mutate(root, rng):
    parts = root.findall("part"); done = []
    for _ in range(rng.randint(1, 4)):
        part = rng.choice(parts); notes = part.findall(".//note")
        if not notes: continue
        kind = rng.randrange(6)
        n = rng.choice(notes)
        if kind == 0 and n.find("cue") is None:
            n.insert(1 if n.find("grace") is not None else 0, ET.Element("cue")); done.append("cue")
        elif kind == 1:  # cue on a chord head with members
            heads = [x for i, x in enumerate(notes[:-1]) if x.find("chord") is None and notes[i + 1].find("chord") is not None]
            if heads:
                h = rng.choice(heads)
                if h.find("cue") is None: h.insert(0, ET.Element("cue")); done.append("cuehead")
        elif kind == 2:  # odd transpose in a random measure
            m = rng.choice(part.findall("measure")); a = ET.Element("attributes"); t = ET.SubElement(a, "transpose")
            if rng.random() < .3: t.set("number", rng.choice(["0", "1", "2", "3", "-1", "x"]))
            for tag in ("diatonic", "chromatic", "octave-change"):
                if rng.random() < .6: ET.SubElement(t, tag).text = rng.choice(ODD + ["-1", "-2", "-3", "1"])
            kids = list(m); m.insert(rng.randrange(len(kids) + 1), a); done.append("transpose")
        elif kind == 3:  # cue on all notes of a measure
            m = rng.choice(part.findall("measure"))
            for x in m.findall("note"):
                if x.find("cue") is None: x.insert(1 if x.find("grace") is not None else 0, ET.Element("cue"))
            done.append("cuemeasure")
        elif kind == 4 and n.find("cue") is None:  # grace cue
            if n.find("grace") is None: n.insert(0, ET.Element("grace"))
            n.insert(1, ET.Element("cue")); done.append("gracecue")
        elif kind == 5:  # cue on all notes of a part
            for x in notes:
                if x.find("cue") is None: x.insert(1 if x.find("grace") is not None else 0, ET.Element("cue"))
            done.append("cuepart")
    return done
def pitches(path):
    score = read_musicxml(path)
    reader = {t.part_id: collections.Counter(n.pitch for n in t.notes) for t in score.tracks}
    scan = scan_parts(path.read_bytes())
    sc = {}
    for pid, part in scan.parts.items():
        link_ties(part.notes)
        sc[pid] = collections.Counter(n.pitch for n in part.notes if n.pitch is not None and 0 <= n.pitch <= 127 and not n.rest and not n.grace and not n.continues)
    return reader, sc
rng = random.Random(SEED); base = load(SRC[CORPUS]); out = Path(f"/tmp/xf/mut/{CORPUS}"); out.mkdir(parents=True, exist_ok=True)
stats = collections.Counter()
for i in range(N):
    root = ET.fromstring(base); done = mutate(root, rng)
    p = out / f"m{SEED}_{i}.musicxml"; p.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    t = time.time()
    try:
        r, s = pitches(p)
        bad = {k: (sum((r.get(k, collections.Counter()) - s.get(k, collections.Counter())).values()), sum((s.get(k, collections.Counter()) - r.get(k, collections.Counter())).values())) for k in set(r) | set(s)}
        bad = {k: v for k, v in bad.items() if v != (0, 0)}
        stats["ok" if not bad else "disagree"] += 1
        res = "ok" if not bad else f"DISAGREE reader-only/scan-only {bad}"
    except MotifError as e:
        stats["error"] += 1; res = "ERROR " + str(e).splitlines()[0][-120:]
        if "\n" in str(e): res += " MULTILINE"
    except Exception as e:
        stats["crash"] += 1; res = "CRASH " + "".join(traceback.format_exception(e)[-2:])[-300:]
    print(i, done, f"{time.time() - t:.1f}s", res, flush=True)
print(CORPUS, dict(stats))
