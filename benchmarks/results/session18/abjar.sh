#!/usr/bin/env bash
# abjar.sh ROUNDS MODULE BENCH SUBJECT PROTOCOL VARIANT... : alternates /tmp/ab/<module>-<variant>.jar as the module's jar
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; M=$2; B=$3; S=$4; P=$5; shift 5
cd "$(dirname "$0")/../.."
for r in $(seq $R); do
 for v in "$@"; do
  cp /tmp/ab/$M-$v.jar ../$M/target/guise-$M-0.1.0-SNAPSHOT.jar
  $J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$S -p protocol=$P -f 1 -wi 2 -w 4s -i 3 -r 5s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $EXTRA" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler 2>&1 | grep -E "^(HotRequests|Download)\." | awk -v r=$r -v d=$v '{print "r" r, d, $1, $(NF-3), $(NF-1)}'
 done
done
cp /tmp/ab/$M-base.jar ../$M/target/guise-$M-0.1.0-SNAPSHOT.jar
