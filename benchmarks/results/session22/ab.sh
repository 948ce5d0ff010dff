#!/usr/bin/env bash
# ab.sh PAIRS ROUNDS: WarmUpRounds (BouncyCastle, Apache) in alternated JVMs with the old and new engine jar
cd /work/main/benchmarks
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
CP=$(cat target/classpath.txt)
for i in $(seq 1 $1); do
  for v in old new; do
    cp=target/classes:${CP//\/work\/main\/tls-bouncycastle\/target\/guise-tls-bouncycastle-0.1.0-SNAPSHOT.jar//tmp/wu/bc-$v.jar}
    echo "== pair $i $v"
    $J/java -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" dev.guise.benchmarks.WarmUpRounds guise-bouncycastle,apache $2 2>&1 | grep '^round'
  done
done
