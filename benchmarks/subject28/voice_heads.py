"""Each voice's first N notes as discovery reads them: (onset in beats, MIDI pitch, duration).

    PYTHONPATH=$PWD python benchmarks/subject28/voice_heads.py FILE N
"""
import sys
from motifcli.readers import read_score
from motifcli.discovery.types import DiscoverySettings
from motifcli.discovery.core import voices_of
s = read_score(sys.argv[1]); n=int(sys.argv[2])
for i, v in enumerate(voices_of(s, DiscoverySettings())):
    print(i, v.track, [(float(o), int(p), float(f-o)) for o, p, f in list(zip(v.onsets, v.pitches, v.offsets))[:n]])
