#!/usr/bin/env bash
# sprof.sh BENCH PROTO SUBJECT : JFR of the server process during a measured iteration
here="$(cd "$(dirname "$0")" && pwd)"
export O="${OUT:-${TMPDIR:-/tmp}}"  # where logs and profiles go
cd "$here/../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; S=$3
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 1 -r 25s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $JX" > $O/sprof-$S.log 2>&1 &
sleep 8
V=$(pgrep -f BenchServer | head -1)
sleep 12
$J/jcmd $V JFR.start name=s settings=profile duration=15s filename=$O/server-$S.jfr > /dev/null
wait
sleep 1
$J/jfr print --events jdk.ExecutionSample $O/server-$S.jfr | python3 "$here/jfrtop.py" 40 > $O/server-$S.top
