#!/usr/bin/env bash
# ab2.sh ROUNDS BENCH SUBJECT PROTOCOL VARIANT... : variant V = /tmp/ab/codec-<c>.jar + /tmp/ab/pool-core-<p>.jar given as c:p
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; B=$2; S=$3; P=$4; shift 4
cd "$(dirname "$0")/../.."
for r in $(seq $R); do
 for v in "$@"; do
  cp /tmp/ab/codec-${v%%:*}.jar ../codec/target/guise-codec-0.1.0-SNAPSHOT.jar
  cp /tmp/ab/pool-core-${v##*:}.jar ../pool-core/target/guise-pool-core-0.1.0-SNAPSHOT.jar
  $J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$S -p protocol=$P -f 1 -wi 2 -w 4s -i 3 -r 5s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler 2>&1 | grep -E "^(HotRequests|Download)\." | awk -v r=$r -v d=$v '{print "r" r, d, $1, $(NF-3), $(NF-1)}'
 done
done
cp /tmp/ab/codec-lines.jar ../codec/target/guise-codec-0.1.0-SNAPSHOT.jar
cp /tmp/ab/pool-core-both.jar ../pool-core/target/guise-pool-core-0.1.0-SNAPSHOT.jar
