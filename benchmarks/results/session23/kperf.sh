#!/usr/bin/env bash
# kperf.sh BENCH PROTO SUBJECT : perf (cpu-clock, kernel+user) of the client fork over 10 s
here="$(cd "$(dirname "$0")" && pwd)"
export O="${OUT:-${TMPDIR:-/tmp}}"  # where logs and profiles go
cd "$here/../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; S=$3
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 1 -r 25s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $JX" > $O/kperf-$S.log 2>&1 &
sleep 8
F=$(pgrep -f ForkedMain | head -1)
sleep 12
perf record -e cpu-clock -F 1999 -g -p $F -o $O/k-$S.data -- sleep 10 > /dev/null 2>&1
wait
perf report -i $O/k-$S.data --no-children --sort sym --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -40 > $O/k-$S.top
