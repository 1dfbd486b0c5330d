"""sha1 of the reader's notes for every music21-corpus / sweep file with <transpose> or <cue."""
import sys, zipfile, hashlib, glob, os
from pathlib import Path
import music21
from motifcli.readers.musicxml import read_musicxml
root = Path(music21.__file__).parent / "corpus"
files = sorted([p for p in root.rglob("*") if p.suffix in (".mxl", ".xml", ".musicxml")] + [Path(p) for p in glob.glob("/tmp/s21sw/sw4/in/*/*") if p.endswith((".xml", ".mxl", ".musicxml"))])
for p in files:
    data = p.read_bytes()
    if p.suffix == ".mxl":
        try:
            z = zipfile.ZipFile(p); data = b"".join(z.read(n) for n in z.namelist() if not n.startswith("META"))
        except Exception:
            continue
    if b"<transpose" not in data and b"<cue" not in data:
        continue
    try:
        s = read_musicxml(p); h = hashlib.sha1(repr([(t.part_id, [(n.onset, n.pitch, n.duration) for n in t.notes]) for t in s.tracks]).encode()).hexdigest()[:12]
    except Exception as e:
        h = "ERR " + type(e).__name__
    print(p.relative_to(root) if root in p.parents else p, h, flush=True)
