import sys, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "tests"))
from test_transposing_parts import note, attributes, musicxml, CLARINET_B_FLAT
from xml.etree import ElementTree as ET
from motifcli.readers.musicxml_tree import _at_sounding_pitch
for n in (40000, 160000, 400000):
    text = musicxml([("P1", "Cl", [attributes(CLARINET_B_FLAT) + note("C5", 1) + note("E5", 1, "<cue/>", chord=True) * n])])
    part = ET.fromstring(text.encode()).find("part")
    t = time.time(); _at_sounding_pitch(part); print(n, f"{time.time() - t:.2f}s", f"{len(text) / 2**20:.0f} MiB", flush=True)
