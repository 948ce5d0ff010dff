#!/usr/bin/env bash
# threads.sh BENCH SUBJECT PROTOCOL : per-thread context switches and CPU ticks of the client JVM over 8 s of measurement
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B=$1; S=$2; P=$3; shift 3
cd "$(dirname "$0")/../.."
log=/tmp/ab/thr-$S-$P.log
$J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$S -p protocol=$P -f 1 -wi 2 -w 4s -i 4 -r 5s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $*" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler > $log 2>&1 &
jmh=$!
until grep -q '^Iteration   1' $log 2>/dev/null; do sleep 0.2; kill -0 $jmh 2>/dev/null || break; done
pid=$(pgrep -f 'jmh.runner.ForkedMain' | head -1)
snap() { for t in /proc/$pid/task/*; do n=$(cat $t/comm 2>/dev/null); v=$(awk '/^voluntary/{print $2}' $t/status 2>/dev/null); nv=$(awk '/^nonvoluntary/{print $2}' $t/status 2>/dev/null); c=$(awk '{print $14+$15}' $t/stat 2>/dev/null); echo "$(basename $t) $v $nv $c $n"; done; }
snap > /tmp/ab/s1; sleep 8; snap > /tmp/ab/s2; /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd $pid Thread.print 2>/dev/null | grep -o "^\"[^\"]*\".*nid=0x[0-9a-f]*" | sed -E "s/^\"([^\"]*)\".*nid=0x([0-9a-f]+)/\2 \1/" > /tmp/ab/names
wait $jmh
grep -E "^Iteration|cpu.per.op:" $log | paste - - | awk '{print $3, $6}'
python3 - <<'PY'
import collections
a={l.split()[0]:l.split() for l in open('/tmp/ab/s1')}
agg=collections.defaultdict(lambda:[0,0,0,0])
for l in open('/tmp/ab/s2'):
    f=l.split()
    if len(f)<5: continue
    b=a.get(f[0])
    if not b or len(b)<5: continue
    name=' '.join(f[4:]) + " " + f[0]
    g=agg[name]; g[0]+=int(f[1])-int(b[1]); g[1]+=int(f[2])-int(b[2]); g[2]+=int(f[3])-int(b[3]); g[3]+=1
for k,v in sorted(agg.items(), key=lambda x:-(x[1][0]+x[1][1])):
    if v[0]+v[1]+v[2]>0: print(f"{k:30s} n={v[3]:3d} vol={v[0]/8:9.0f}/s invol={v[1]/8:7.0f}/s cpu={v[2]/8:5.0f}ticks/s")
PY
