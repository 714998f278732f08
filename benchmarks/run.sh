#!/usr/bin/env bash
# Builds the stack's jar and the drivers from this checkout (reactor build, nothing installed into ~/.m2), then runs
# one driver in its own JVM; the driver starts the local stack as a separate process (StackProcess).
#   benchmarks/run.sh realtime 500 30 1 100 spread 5 open     # sessions seconds moves/s perInstance placement warmup mode
#   benchmarks/run.sh admission-http 64 3 20 1000 30          # clients rounds perClient openRate/s openSeconds
#   benchmarks/run.sh rooms 250 20 2000 5                     # rooms seconds chatIntervalMs warmupSeconds
#   benchmarks/run.sh admission 1 4 10                        # in-process handler (≈ billed duration)
#   benchmarks/run.sh init 3 [cds]                            # each Lambda handler class's init in a fresh JVM (cds: + an AppCDS archive)
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JFR=file.jfr records a JFR profile of the stack process;
# BENCH_STACK_JVM_ARGS="-Xmx1g …" adds stack JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/use-jdk21.sh
driver=$1; shift
cp_file=$PWD/benchmarks/target/bench.classpath
if [ -z "${BENCH_SKIP_BUILD:-}" ] || [ ! -f "$cp_file" ]; then
  ./mvnw -B -ntp -q -Pbench -pl benchmarks -am -DskipTests -Djacoco.skip=true package dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
fi
case "$driver" in
  realtime) main=io.tilemud.benchmarks.RealtimeLoadDriver ;;
  admission-http) main=io.tilemud.benchmarks.AdmissionHttpLoadDriver ;;
  rooms) main=io.tilemud.benchmarks.RoomsLoadDriver ;;
  admission) main=io.tilemud.benchmarks.AdmissionLoadDriver ;;
  init) main=io.tilemud.benchmarks.HandlerInitDriver ;;
  *) echo "unknown driver $driver (realtime | admission-http | rooms | admission | init)" >&2; exit 2 ;;
esac
cd benchmarks
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx2g -XX:+UseParallelGC -Dlogback.configurationFile=logback-bench.xml \
  -Dbench.jfr="${BENCH_JFR:-}" -Dbench.stackJvmArgs="${BENCH_STACK_JVM_ARGS:-}" \
  -cp "target/classes:$(cat "$cp_file")" "$main" "$@"
