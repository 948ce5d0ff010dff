#!/usr/bin/env bash
# hs.sh PAIRS: Handshakes (BouncyCastle) in alternated forks with the old and new engine jar
cd /work/main/benchmarks
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
CP=$(cat target/classpath.txt)
for i in $(seq 1 $1); do
  for v in old new; do
    cp=target/classes:${CP//\/work\/main\/tls-bouncycastle\/target\/guise-tls-bouncycastle-0.1.0-SNAPSHOT.jar//tmp/wu/bc-$v.jar}
    echo "== pair $i $v"
    $J/java -Xmx1g -cp "$cp" org.openjdk.jmh.Main Handshakes -p subject=guise-bouncycastle-chrome156 -f 1 -wi 6 -w 5s -i 5 -r 5s -jvmArgsAppend "-Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" -prof dev.guise.benchmarks.CpuPerOpProfiler 2>&1 | grep -E "^Handshakes"
  done
done
