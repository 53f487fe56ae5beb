#!/usr/bin/env bash
# The soak (not part of ./test.sh): a few thousand CreateUser calls for distinct users while
# RabbitMQ, Redis, the event driver process and the gRPC process are killed and started again;
# then the books, and per fault how long the thing was down and how long calls failed.
# Starts its own RabbitMQ node and Redis on free loopback ports; never touches the shared ones.
#   ./soak.sh            6000 calls at 100 calls/s
#   ./soak.sh 6000 200   calls and calls per second
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh
find_jdk25
find_maven
# One reactor build, so that the run uses this checkout's modules even if another checkout
# installed the same version meanwhile; only the named test runs.
"${MVN[@]}" -B verify -pl application -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=Soak -Dfailsafe.failIfNoSpecifiedTests=false -Dsoak.calls="${1:-6000}" -Dsoak.rate="${2:-100}" -DtrimStackTrace=false
