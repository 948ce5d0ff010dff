#!/usr/bin/env bash
# srvcpu.sh SUBJECT PROTOCOL BENCH : JMH run (1 fork, wi 2x4s, i 3x5s) while sampling the BenchServer's CPU; prints client ops/s, client cpu/op, server cpu/op over the last 15 s
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
S=$1; P=$2; B=$3
cd /work/main/benchmarks
log=/tmp/ab/srv-$S-$P.log; samp=/tmp/ab/srv-$S-$P.samp; : > $samp
$J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$S -p protocol=$P -f 1 -wi 2 -w 4s -i 3 -r 5s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler > $log 2>&1 &
jmh=$!
tck=$(getconf CLK_TCK)
while kill -0 $jmh 2>/dev/null; do
  pid=$(pgrep -f 'dev.guise.benchmarks.server.BenchServer' | head -1)
  if [ -n "$pid" ] && [ -r /proc/$pid/stat ]; then
    t=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null)
    echo "$(date +%s.%N) $t $(grep -c '^Iteration' $log)" >> $samp
  fi
  sleep 0.25
done
python3 - "$samp" "$log" "$tck" <<'PY'
import sys,re
samp,log,tck=sys.argv[1],sys.argv[2],int(sys.argv[3])
rows=[l.split() for l in open(samp)]
# measurement window: from first sample with >=1 'Iteration' line... use iterations count column: window between count==0->first 'Iteration   1' appears (end of it1) and count==3
rows=[(float(a),int(b),int(c)) for a,b,c in rows]
w=[r for r in rows if r[2]>=1 and r[2]<=3]
start=next(r for r in rows if r[2]>=1); end=next((r for r in rows if r[2]>=3), rows[-1])
txt=open(log).read()
thr=float(re.search(r'^\S+\s+\S+\s+\S+\s+thrpt\s+\d+\s+([\d.]+)',txt,re.M).group(1))
cpu=float(re.search(r':cpu.per.op\s+\S+\s+\S+\s+thrpt\s+\d+\s+([\d.]+)',txt,re.M).group(1))
dt=end[0]-start[0]; dcpu=(end[1]-start[1])/tck
print(f"{sys.argv[1].split('srv-')[1][:-5]} client {thr:.0f} ops/s {cpu/1000:.1f} us/op; server {dcpu/dt*1e6/thr:.1f} us/op (window {dt:.1f}s, server {dcpu/dt:.2f} cores)")
PY
