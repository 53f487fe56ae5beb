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
"${MVN[@]}" -B -q -DskipTests install
"${MVN[@]}" -B -pl application failsafe:integration-test failsafe:verify \
  -Dit.test=Soak -Dsoak.calls="${1:-6000}" -Dsoak.rate="${2:-100}" -DtrimStackTrace=false
