import json,sys,collections
d=json.load(open(sys.argv[1]))
ev=d['recording']['events']
tot=len(ev)
by_guise=collections.Counter(); by_top=collections.Counter(); pairs=collections.Counter()
for e in ev:
    st=e['values'].get('stackTrace')
    if not st: continue
    frames=[f['method']['type']['name']+'.'+f['method']['name'] for f in st['frames']]
    top=frames[0]
    g=next((f for f in frames if f.startswith('dev.guise') and 'jmh_generated' not in f), 'none')
    by_guise[g]+=1; by_top[top]+=1; pairs[(g,top)]+=1
print('samples',tot)
print('--- by first Guise frame')
for k,v in by_guise.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40): print(f"{v*100/tot:5.1f}% {v:6d} {k}")
print('--- (guise frame, top frame)')
for k,v in pairs.most_common(40): print(f"{v*100/tot:5.1f}% {k[0]}  <-  {k[1]}")
