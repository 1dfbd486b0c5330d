"""Run adversarial <transpose>/<cue/> cases: reader vs writer scan vs mscore3."""
import os, sys, subprocess, json, re, traceback
from pathlib import Path
from pathlib import Path
REPO = str(Path(__file__).resolve().parents[2]); sys.path.insert(0, REPO + "/tests"); sys.path.insert(0, REPO)
from test_transposing_parts import note, bar, attributes, musicxml, midi_notes, CLARINET_B_FLAT, CLARINET_A, HORN_F
from motifcli.readers.musicxml import read_musicxml
from motifcli.writers.musicxml_scan import scan_parts, link_ties
from typer.testing import CliRunner
from motifcli.cli import app

def check(name, text, mscore=True):
    d = Path("/tmp/xf/cases"); d.mkdir(parents=True, exist_ok=True)
    p = d / f"{name}.musicxml"; p.write_text(text, encoding="utf-8")
    res = {"case": name}
    try:
        score = read_musicxml(p)
        reader = {t.part_id: sorted((round(float(n.onset), 3), n.pitch) for n in t.notes) for t in score.tracks}
        res["reader"] = reader
    except Exception as e:
        res["reader_err"] = f"{type(e).__name__}: {str(e)[:150]}"
        reader = None
    try:
        scan = scan_parts(p.read_bytes())
        sc = {}
        for pid, part in scan.parts.items():
            link_ties(part.notes)
            sc[pid] = sorted((round(float(n.onset), 3), n.pitch) for n in part.notes if n.pitch is not None and not n.rest and not n.grace and not n.continues)
        res["scan"] = sc
        if reader is not None:
            res["agree"] = all(reader.get(k, []) == sc.get(k, []) for k in set(reader) | set(sc) if reader.get(k) or sc.get(k))
    except Exception as e:
        res["scan_err"] = f"{type(e).__name__}: {str(e)[:150]}"
    out = d / f"{name}_out"; out.mkdir(exist_ok=True)
    r = CliRunner().invoke(app, ["annotate", str(p), "-o", f"{out}/", "-f", "json,musicxml", "--workers", "1"])
    res["exit"] = r.exit_code
    if r.exit_code != 0:
        res["msg"] = r.output.strip()[-300:]
        if r.exception and not isinstance(r.exception, SystemExit):
            res["exc"] = "".join(traceback.format_exception(r.exception)[-3:])[-400:]
    if mscore:
        mid = d / f"{name}.mid"
        if mid.exists(): mid.unlink()
        subprocess.run(["mscore3", "-o", str(mid), str(p)], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, timeout=60)
        if mid.exists():
            ms = sorted(midi_notes(mid))
            mine = sorted(x for v in (reader or {}).values() for x in v)
            res["mscore_agree"] = ms == mine
            if ms != mine: res["mscore"] = ms
        else:
            res["mscore"] = "no export"
    return res

def show(res):
    print(json.dumps(res, default=str))
