#!/usr/bin/env bash
# Builds the local stack if its jar is missing or older than any source, then runs it. Options are passed
# through (see --help): e.g. ./localstack/run.sh --data-dir .localstack-data
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk21.sh
jar=localstack/target/tilemud-localstack.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml shared functions websocket-handlers discord-relay localstack web-client/public -newer "$jar" \
      \( -name '*.java' -o -name '*.xml' -o -name '*.yml' -o -name '*.lua' -o -name '*.sql' \
         -o -name '*.js' -o -name '*.html' -o -name '*.css' \) \
      -not -path '*/target/*' -print -quit)" ]; then
  echo "building the local stack (first run downloads dependencies from Maven Central)…"
  ./mvnw -q -B -DskipTests -pl localstack -am install
fi
# Class data sharing: the first run records the classes it loads, later runs map them instead of re-reading
# the fat jar (several seconds of start-up on 2 cores).
# http.maxConnections: the handlers fan frames out to many sockets at once through the @connections endpoint.
exec java -Dhttp.maxConnections=64 -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=localstack/target/tilemud-localstack.jsa -jar "$jar" "$@"
