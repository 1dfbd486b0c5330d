import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
t=time.time(); preps = prep(rows); print('prep', time.time()-t)
pickle.dump(preps, open('/tmp/m7/preps.pkl','wb'))
print(score(rows, preps, lambda p: None)[:2])
print(score(rows, preps, product_path)[:2])
