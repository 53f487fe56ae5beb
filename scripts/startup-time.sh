#!/usr/bin/env bash
# Start-up time of the packaged service, launch to first OK CreateUser for a new user, against a
# Redis, a RabbitMQ node and an identity provider of its own (never the shared ones). Not part of
# ./test.sh.   scripts/startup-time.sh [runs]   (default 7; prints the median and every run)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java25.sh
find_jdk25
find_maven
"${MVN[@]}" -B -q -DskipTests install
"${MVN[@]}" -B -pl application failsafe:integration-test failsafe:verify \
  -Dit.test=StartupTime -Dstartup.runs="${1:-7}" -DtrimStackTrace=false
