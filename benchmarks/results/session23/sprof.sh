#!/usr/bin/env bash
# sprof.sh BENCH PROTO SUBJECT : JFR of the server process during a measured iteration
cd /work/main/benchmarks
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; S=$3
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 1 -r 25s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $JX" > /tmp/h1/sprof-$S.log 2>&1 &
sleep 8
V=$(pgrep -f BenchServer | head -1)
sleep 12
$J/jcmd $V JFR.start name=s settings=profile duration=15s filename=/tmp/h1/server-$S.jfr > /dev/null
wait
sleep 1
$J/jfr print --events jdk.ExecutionSample /tmp/h1/server-$S.jfr | python3 /tmp/h1/jfrtop.py 40 > /tmp/h1/server-$S.top
