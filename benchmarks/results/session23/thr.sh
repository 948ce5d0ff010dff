#!/usr/bin/env bash
# thr.sh BENCH PROTO SUBJECT : per-thread user/sys of the client fork over 15 s
here="$(cd "$(dirname "$0")" && pwd)"
export O="${OUT:-${TMPDIR:-/tmp}}"  # where logs and profiles go
cd "$here/../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; S=$3
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 1 -r 25s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $JX" > $O/thr-$S.log 2>&1 &
sleep 8
F=$(pgrep -f ForkedMain | head -1)
sleep 12
snap() { for t in /proc/$F/task/*; do echo "$(cat $t/comm | tr ' ' '_') $(awk '{print $14, $15}' $t/stat)"; done; }
snap > $O/t0; sleep 15; snap > $O/t1
wait
T=$(grep -E "^(HotRequests|Download)\.callers[0-9]+ " $O/thr-$S.log | awk '{print $(NF-1)}' | tail -1)
python3 - $T <<'PY'
import os,sys,collections,re
t=float(sys.argv[1]); ops=t*15
def rd(f):
    d=collections.defaultdict(lambda:[0,0])
    for l in open(f):
        n,u,s=l.split(); n=re.sub(r'\d+$','#',n); d[n][0]+=int(u); d[n][1]+=int(s)
    return d
a,b=rd(os.environ['O']+'/t0'),rd(os.environ['O']+'/t1')
print(f"{t:.0f}/s")
for k in sorted(b,key=lambda k:-(b[k][0]+b[k][1]-a[k][0]-a[k][1]))[:12]:
    u=(b[k][0]-a[k][0])*10000/ops; s=(b[k][1]-a[k][1])*10000/ops
    print(f"  {k:30s} user {u:5.2f} sys {s:5.2f} us/op")
PY
