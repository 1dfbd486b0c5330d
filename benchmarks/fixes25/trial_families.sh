# The usertrial25 inputs' families by a tree's discover() (defaults, no model): one line per file, families,
# statements, the first four (label, statements, notes per statement) and the first four bar numbers.
#   python benchmarks/usertrial25_inputs.py /tmp/fx-in
#   bash benchmarks/fixes25/trial_families.sh TREE /tmp/fx-in > OUT.txt     (TREE: a git archive of a commit)
TREE=$1; IN=$2; PY=${PY:-python}
cd "$TREE"
for f in "$IN"/*.mid "$IN"/*.musicxml "$IN"/*.mxl; do
  PYTHONPATH="$TREE" "$PY" - "$f" <<'PY' 2>/dev/null
import sys
import motifcli
from motifcli.discovery import discover
try:
    sc = motifcli.read_score(sys.argv[1])
except Exception:
    print(sys.argv[1].split('/')[-1], 'unreadable'); sys.exit()
fams = discover(sc)
print(sys.argv[1].split('/')[-1], len(fams), sum(len(f.occurrences) for f in fams),
      [(f.label, len(f.occurrences), f.notes_per_occurrence) for f in fams][:4],
      'bars:' + ','.join(b.number for b in sc.meter.bars[:4]) if sc.meter else '')
PY
done
