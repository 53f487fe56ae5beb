#!/usr/bin/env bash
# The benchmark (not part of ./test.sh): the building blocks alone, then the packaged service
# against a Redis, a RabbitMQ node and a token-verifying issuer of its own (never the shared ones),
# driven by an asynchronous gRPC load generator. Prints rate, ratio to the composed limit, latency
# at half load, CPU per call and the service's resident set, per path. About six minutes.
#   ./bench.sh                       every path: existing, new, backlog
#   ./bench.sh existing,new          only those
#   BENCH_OPTS="-Dbench.seconds=30" ./bench.sh    longer phases (see Bench.java for the knobs)
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh
find_jdk25
find_maven
# One reactor build, so that the run uses this checkout's modules even if another checkout
# installed the same version meanwhile; only the named test runs.
"${MVN[@]}" -B verify -pl application -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=Bench -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.paths="${1:-existing,new,backlog}" ${BENCH_OPTS:-} -DtrimStackTrace=false
