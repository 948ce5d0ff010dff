#!/usr/bin/env bash
# abdir.sh ROUNDS BENCH(regex) SUBJECT PROTOCOL [extra -p args] : alternates /tmp/wt-base and /work/main builds
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; B=$2; S=$3; P=$4; shift 4
for r in $(seq $R); do
 for d in /tmp/wt-base /work/main; do
  cd $d/benchmarks
  $J -Xmx1g -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main "$B" \
   -p subject=$S -p protocol=$P "$@" -f 1 -wi 2 -w 4s -i 3 -r 5s \
   -jvmArgsAppend "-Djmh.executor=VIRTUAL -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
   -prof dev.guise.benchmarks.CpuPerOpProfiler 2>&1 | grep -E "^(HotRequests|Download)\." | awk -v r=$r -v d=$(basename $d) '{print "r" r, d, $1, $(NF-3), $(NF-1)}'
 done
done
