import sys,re,collections
# usage: jfr print --events jdk.ExecutionSample f.jfr | python3 jfrtop.py [N] [filter-regex]
N=int(sys.argv[1]) if len(sys.argv)>1 else 30
flt=re.compile(sys.argv[2]) if len(sys.argv)>2 else None
self_c=collections.Counter(); incl=collections.Counter(); total=0
stack=None
fr=re.compile(r'^\s+(\S.*?\))(?:\s+line:.*)?$')
for line in sys.stdin:
    s=line.rstrip()
    if 'stackTrace = [' in s: stack=[]; continue
    if stack is not None:
        if s.strip()==']' or s.strip().startswith(']'):
            if stack and (flt is None or any(flt.search(f) for f in stack)):
                total+=1; self_c[stack[0]]+=1
                for f in set(stack): incl[f]+=1
            stack=None; continue
        m=fr.match(s)
        if m: stack.append(m.group(1))
        elif s.strip()=='...': pass
print("samples",total)
print("--- self"); [print(f"{c*100/total:5.1f}% {f}") for f,c in self_c.most_common(N)]
print("--- inclusive"); [print(f"{c*100/total:5.1f}% {f}") for f,c in incl.most_common(N)]
