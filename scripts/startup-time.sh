#!/usr/bin/env bash
# Start-up time of the packaged service, launch to first OK CreateUser for a new user, against a
# Redis, a RabbitMQ node and an identity provider of its own (never the shared ones). Not part of
# ./test.sh.   scripts/startup-time.sh [runs]   (default 7; prints the median and every run)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java25.sh
find_jdk25
find_maven
# One reactor build, so that the run uses this checkout's modules even if another checkout
# installed the same version meanwhile; only the named test runs.
"${MVN[@]}" -B verify -pl application -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=StartupTime -Dfailsafe.failIfNoSpecifiedTests=false -Dstartup.runs="${1:-7}" -DtrimStackTrace=false
