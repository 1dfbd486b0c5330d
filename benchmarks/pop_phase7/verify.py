import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from opening_path import *
from motifcli import phase_ranker
phase_ranker.OPENING_BARS = 2
s = score(rows, preps, product_path); f = first_ok(product_path)
print('OPENING_BARS=2: dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()))
phase_ranker.OPENING_BARS = 0
s = score(rows, preps, product_path); f = first_ok(product_path)
print('OPENING_BARS=0: dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()))
