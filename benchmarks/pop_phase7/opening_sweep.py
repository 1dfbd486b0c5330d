import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from opening_path import *
b = score(rows, preps, variant); f0 = first_ok(variant)
for ob in (1, 2, 3):
    for oh in (3, 4):
        for osh in (0.3, 0.5, 0.7):
            fn = lambda p: variant(p, ob, oh, osh)
            s = score(rows, preps, fn); f = first_ok(fn)
            print(ob, oh, osh, 'dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()), 'first gained', int((f & ~f0).sum()), 'lost', int((f0 & ~f).sum()), 'dom changed', sum(x != y for x, y in zip(s[2], b[2])), flush=True)
