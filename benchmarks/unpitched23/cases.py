"""Unpitched notes (<unpitched>) in MusicXML parts: reader vs writer scan vs MuseScore 3's MIDI export
(phase23-unpitched23.md). Run from the tree root: python benchmarks/unpitched23/cases.py [--nom] [CASE...];
files go to /tmp/up23/cases."""
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = str(Path(__file__).resolve().parents[2])
sys.path[:0] = [REPO + "/tests", REPO]
from test_transposing_parts import CLARINET_B_FLAT, attributes, midi_notes, musicxml, note  # noqa: E402
from test_unpitched_notes import CLAP as CLAP_LIST, MOTIF, X_HEAD as X, unpitched  # noqa: E402

from motifcli.readers.musicxml import read_musicxml  # noqa: E402
from motifcli.writers.musicxml_scan import link_ties, scan_parts  # noqa: E402


def unp(step: str, octave: int, quarters: float = 1, extra: str = "", *, chord: bool = False, inst: str = "") -> str:
    return unpitched(step, octave, quarters, extra, chord=chord, instrument=inst)


def one(measures, tr="", name="Voice", part_list=None):
    measures = list(measures)
    measures[0] = attributes(tr) + measures[0]
    text = musicxml([("P1", name, measures)])
    if part_list:
        text = text.replace('<score-part id="P1"><part-name>Voice</part-name></score-part>', part_list)
    return text


cases = {
    # a spoken / clapped "x" between sung notes, no instrument: display pitch E4
    "mixed_plain": one([MOTIF, unp("E", 4) + unp("E", 4) + note("C5", 1) + note("D5", 1), MOTIF]),
    # the same with an x notehead on the unpitched notes (how editors print them)
    "mixed_xhead": one([MOTIF, unp("E", 4, 1, X) + unp("E", 4, 1, X) + note("C5", 1) + note("D5", 1), MOTIF]),
    # a clap instrument (midi-unpitched 40) in the voice's part: music21 reads percMapPitch
    "mixed_instrument": one([MOTIF, unp("E", 4, inst="P1-X1") + unp("E", 4, inst="P1-X1") + note("C5", 1) + note("D5", 1),
                             MOTIF], part_list=CLAP_LIST),
    # an x-head note with a real <pitch>: pitched, read and coloured
    "pitched_xhead": one([MOTIF, note("E4", 1, X) + note("E4", 1, X) + note("C5", 1) + note("D5", 1), MOTIF]),
    # a chord of a pitched and an unpitched note
    "mixed_chord": one([MOTIF, note("G4", 1) + unp("E", 4, chord=True) + note("A4", 1) + note("C5", 1) + note("D5", 1), MOTIF]),
    # unpitched head, pitched member
    "mixed_chord_unp_head": one([MOTIF, unp("E", 4) + note("G4", 1, chord=True) + note("A4", 1) + note("C5", 1) + note("D5", 1), MOTIF]),
    # in a B-flat clarinet part (MuseScore transposes the display pitch)
    "mixed_tr": one([MOTIF, unp("E", 4) + unp("E", 4) + note("C5", 1) + note("D5", 1), MOTIF], CLARINET_B_FLAT),
    # a tied unpitched note
    "mixed_tied": one([MOTIF, note("C5", 1) + note("D5", 1) + unp("E", 4, 2, '<notations><tied type="start"/></notations>').replace(
        "<duration>", '<duration>').replace("<voice>", '<tie type="start"/><voice>'),
        unp("E", 4, 2, '<notations><tied type="stop"/></notations>').replace("<voice>", '<tie type="stop"/><voice>') + note("C5", 1) + note("D5", 1)]),
    # a part of unpitched notes only, no channel 10: a drum track
    "all_unpitched": one([unp("E", 4) + unp("G", 5) + unp("E", 4) + unp("G", 5)] * 3),
}


def check(name: str, text: str, mscore: bool = True) -> dict:
    folder = Path("/tmp/up23/cases")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.musicxml"
    path.write_text(text, encoding="utf-8")
    res: dict = {"case": name}
    score = read_musicxml(path)
    reader = {t.part_id: sorted((round(float(n.onset), 3), n.pitch) for n in t.notes) for t in score.tracks}
    res["drum"] = {t.part_id: t.is_drum for t in score.tracks}
    res["reader"] = reader
    scan = {}
    for pid, part in scan_parts(path.read_bytes()).parts.items():
        link_ties(part.notes)
        scan[pid] = sorted((round(float(n.onset), 3), n.pitch) for n in part.notes
                           if n.pitch is not None and not n.rest and not n.grace and not n.continues)
    pitched = {t.part_id: reader[t.part_id] for t in score.tracks if not t.is_drum}
    res["reader=scan (pitched parts)"] = all(pitched[k] == scan.get(k, []) for k in pitched)
    if mscore:
        mid = folder / f"{name}.mid"
        mid.unlink(missing_ok=True)
        subprocess.run(["mscore3", "-o", str(mid), str(path)], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                       capture_output=True, timeout=120)
        res["mscore"] = sorted(midi_notes(mid)) if mid.exists() else "no export"
    return res


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--nom"]
    for name, text in cases.items():
        if not args or name in args:
            print(json.dumps(check(name, text, "--nom" not in sys.argv)))
