#!/usr/bin/env bash
# rounds.sh ROUNDS BENCH PROTOCOL SUBJECT... : subjects alternated, each run its own JMH fork with its own server
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; B=$2; P=$3; shift 3
cd "$(dirname "$0")/../.."
for r in $(seq $R); do
 for s in "$@"; do
  $J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$s -p protocol=$P $EXTRA -f 1 -wi 3 -w 5s -i 3 -r 8s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler 2>&1 | grep -E "^(HotRequests|Download)\." | awk -v r=$r -v d=$s '{print "r" r, d, $1, $(NF-3), $(NF-1)}'
 done
done
