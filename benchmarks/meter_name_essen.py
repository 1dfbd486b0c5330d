"""music21's Essen tunes as meterless MIDI: where the name and map of main's estimate disagree, bar-line F of
each meter_name.BARS_RULE against the written bar lines (issue 9 phase 12; a dev check beside MTC tune).

Usage (PYTHONPATH=.): python benchmarks/meter_name_essen.py 3/2,6/4|all [file.abc,...] (prints one line a tune,
the mean F per rule; writes /tmp/name12/scan2-METERS.json)
"""
import re, sys, json
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'tests'))
import numpy as np
import music21
from test_meter_folk import midi_without_meter  # noqa: E402
from motifcli import meter_name
from motifcli.meter_estimate import estimate_meter
from motifcli.readers.midi import read_midi
from benchmarks.meter_name_map import disagreement
from benchmarks import meter_truths
meters = sys.argv[1].split(',')
files = sys.argv[2].split(',') if len(sys.argv) > 2 else None
root = Path(music21.__file__).parent / "corpus" / "essenFolksong"
tmp = Path('/tmp/name12/scan')
tmp.mkdir(parents=True, exist_ok=True)
RULES = [('path', False), ('half', True), ('split', True), ('half_split', True), ('half_split_bar', True), ('name', True)]
rows = []
for f in sorted(root.glob('*.abc')):
    if files and f.name not in files:
        continue
    text = f.read_text(errors='replace')
    parts = re.split(r"(?m)^(?=X:)", text)
    header = parts[0] if not parts[0].startswith("X:") else ""
    for i, tune in enumerate(p for p in parts if p.startswith("X:")):
        m = re.search(r"(?m)^M:\s*(\S+)", tune)
        if not m or (meters != ['all'] and m.group(1) not in meters):
            continue
        try:
            score = music21.converter.parse(header + tune, format="abc")
            if isinstance(score, music21.stream.Opus):
                score = score.scores[0]
            part = score.parts[0] if score.parts else score
            notes = [(float(n.offset), float(n.offset + n.duration.quarterLength), p.midi)
                     for n in part.stripTies().flatten().notes for p in n.pitches]
            first = min(n[0] for n in notes)
            notes = [(a - first, b - first, p) for a, b, p in notes]
            lines = [float(ms.offset) - first for ms in part.getElementsByClass(music21.stream.Measure)]
        except Exception:
            continue
        midi = read_midi(midi_without_meter(notes, tmp / "t2.mid"))
        end = midi.end_beat
        truth = np.array([x for x in lines if 1e-6 < x < end - 1e-6])
        meter_name.BARS_RULE, meter_name.NAME_FROM_BARS = 'path', False
        old = estimate_meter(midi)
        if not disagreement(old, old.to_meter_map(end)):
            continue
        row = {'tune': f'{f.name}#{i}', 'M': m.group(1)}
        for rule, rename in RULES:
            meter_name.BARS_RULE, meter_name.NAME_FROM_BARS = rule, rename
            est = estimate_meter(midi)
            mp = est.to_meter_map(end)
            row[rule] = meter_truths.agreement(truth, meter_truths.bar_lines(mp), end)
        rows.append(row)
        print(row['tune'], row['M'], ' '.join(f"{r}:{row[r]['line_f']:.2f}" for r, _ in RULES), flush=True)
print(len(rows), 'tunes where main disagrees')
for rule, _ in RULES:
    print(rule, 'mean F', round(float(np.mean([r[rule]['line_f'] for r in rows])), 4) if rows else None)
json.dump(rows, open(f'/tmp/name12/scan2-{sys.argv[1].replace("/","")}.json', 'w'), indent=0)
