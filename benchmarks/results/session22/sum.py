import re,sys,statistics as st
cur=None; d={}
skip=int(sys.argv[2]) if len(sys.argv)>2 else 6
for l in open(sys.argv[1]):
    if l.startswith('== pair'):
        _,_,i,v=l.split(); cur=(int(i),v); continue
    m=re.match(r'round (\d+) (\S+)\s+wall\s+(\d+) ms\s+client CPU\s+(\d+) ms\s+server CPU\s+(\d+)',l)
    if m and int(m.group(1))>=skip:
        d.setdefault(cur,{}).setdefault(m.group(2),[]).append((int(m.group(3)),int(m.group(4)),int(m.group(5))))
ratios={'old':[],'new':[]}
for (i,v),subs in sorted(d.items()):
    b=subs['guise-bouncycastle']; a=subs['apache']
    mb=[st.mean(x[k] for x in b) for k in range(3)]; ma=[st.mean(x[k] for x in a) for k in range(3)]
    r=mb[0]/ma[0]; ratios[v].append(r)
    print(f"pair {i} {v}: bc wall {mb[0]:.0f} cpu {mb[1]:.0f} srv {mb[2]:.0f} | apache wall {ma[0]:.0f} cpu {ma[1]:.0f} srv {ma[2]:.0f} | ratio {r:.3f}")
for v,rs in ratios.items():
    if rs: print(v, 'mean ratio', round(st.mean(rs),3), [round(x,3) for x in rs])
