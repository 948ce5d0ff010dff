#!/usr/bin/env bash
# st.sh BENCH PROTO SUBJECT : strace -c -f of the client fork over 5 s of a measured iteration
here="$(cd "$(dirname "$0")" && pwd)"
export O="${OUT:-${TMPDIR:-/tmp}}"  # where logs and profiles go
cd "$here/../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
B=$1; P=$2; S=$3
$J/java -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" -p subject=$S -p protocol=$P -f 1 -wi 2 -w 5s -i 1 -r 20s -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" > $O/st-$S.log 2>&1 &
sleep 8
F=$(pgrep -f ForkedMain | head -1)
sleep 8
timeout -s INT 5 strace -f -c -p $F -o $O/st-$S.txt > /dev/null 2>&1
wait
