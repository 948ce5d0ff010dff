#!/usr/bin/env bash
# seg.sh BENCH PROTO SUBJECT... : client/server CPU split and TCP segment counts per op over 15 s of a measured iteration
here="$(cd "$(dirname "$0")" && pwd)"
export O="${OUT:-${TMPDIR:-/tmp}}"  # where logs and profiles go
cd "$here/../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; shift 2
for S in "$@"; do
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 1 -r 25s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $JX" -prof dev.guise.benchmarks.CpuPerOpProfiler > $O/seg-$S.log 2>&1 &
sleep 8
F=$(pgrep -f ForkedMain | head -1); V=$(pgrep -f BenchServer | head -1)
sleep 12
nstat -n
read -r cu0 cs0 < <(awk '{print $14, $15}' /proc/$F/stat); read -r su0 ss0 < <(awk '{print $14, $15}' /proc/$V/stat)
c0=$(awk '/^ctxt/{print $2}' /proc/stat)
sleep 15
read -r cu1 cs1 < <(awk '{print $14, $15}' /proc/$F/stat); read -r su1 ss1 < <(awk '{print $14, $15}' /proc/$V/stat)
c1=$(awk '/^ctxt/{print $2}' /proc/stat)
nstat > $O/nstat-$S.txt
wait
T=$(grep -E "^(HotRequests|Download)\.callers[0-9]+ " $O/seg-$S.log | awk '{print $(NF-1)}' | tail -1)
python3 - "$S" "$T" $((cu1-cu0)) $((cs1-cs0)) $((su1-su0)) $((ss1-ss0)) $((c1-c0)) <<'PY'
import os,sys,re
s,t,cu,cs,su,ss,ctx=sys.argv[1],float(sys.argv[2]),*map(int,sys.argv[3:])
ops=t*15
f=lambda x: x*10_000/ops
n={}
for line in open(f"{os.environ['O']}/nstat-{s}.txt"):
    p=line.split()
    if len(p)>=2 and p[1].isdigit(): n[p[0]]=int(p[1])
g=lambda k: n.get(k,0)/ops
print(f"{s:24s} {t:9.0f}/s client user {f(cu):5.1f} sys {f(cs):5.1f} | server user {f(su):5.1f} sys {f(ss):5.1f} | total {f(cu+cs+su+ss):5.1f} us/op | ctxsw/op {ctx/ops:4.1f} | segs out/op {g('TcpOutSegs'):4.2f} in {g('TcpInSegs'):4.2f} delayedacks {g('TcpExtDelayedACKs'):4.2f} pureacks {g('TcpExtTCPPureAcks'):4.2f} hpacks {g('TcpExtTCPHPAcks'):4.2f} quickack {g('TcpExtTCPAutoCorking'):4.2f}")
PY
done
