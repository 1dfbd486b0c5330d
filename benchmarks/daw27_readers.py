"""How pretty_midi, miditoolkit and symusic read a ``--motif-tracks`` file against the default output (session 27).

Not dependencies of motif: run it in a throwaway venv (benchmarks/phase27-daw27.md):

    python3 -m venv /tmp/rvenv && /tmp/rvenv/bin/pip install pretty_midi miditoolkit symusic
    /tmp/rvenv/bin/python benchmarks/daw27_readers.py DEFAULT.mid TRACKS.mid [DEFAULT2.mid TRACKS2.mid ...]

For each pair and reader: the instruments of the default output, and of the ``--motif-tracks`` output split into
the song's (equal to the default's: name, program, drum flag, every note) and the ones named "Motif ...".
"""
import sys, warnings
warnings.simplefilter("ignore")
import pretty_midi, miditoolkit, symusic

def pm(path):
    m = pretty_midi.PrettyMIDI(path)
    return [(i.name, i.program, i.is_drum, sorted((round(n.start, 6), round(n.end, 6), n.pitch, n.velocity) for n in i.notes)) for i in m.instruments]

def mtk(path):
    m = miditoolkit.MidiFile(path)
    return [(i.name, i.program, i.is_drum, sorted((n.start, n.end, n.pitch, n.velocity) for n in i.notes)) for i in m.instruments]

def sym(path):
    s = symusic.Score(path)
    return [(t.name, t.program, t.is_drum, sorted((n.time, n.end, n.pitch, n.velocity) for n in t.notes)) for t in s.tracks]

for default, tracks in zip(sys.argv[1::2], sys.argv[2::2]):
    for label, read in (("pretty_midi", pm), ("miditoolkit", mtk), ("symusic", sym)):
        a, b = read(default), read(tracks)
        song = [x for x in b if not x[0].startswith("Motif ")]
        fam = [x for x in b if x[0].startswith("Motif ")]
        same = sorted(map(repr, song)) == sorted(map(repr, a))
        print(f"{tracks.split('/')[-1]:18} {label:12} default: {len(a)} instr; with tracks: {len(b)} = {len(song)} song "
              f"({'equal' if same else 'DIFFERENT'}) + {len(fam)} named 'Motif ...' {sorted({int(x[1]) for x in fam})} programs; "
              f"family notes {sum(len(x[3]) for x in fam)}")
