#!/usr/bin/env bash
# ListUsers over 100,000 users and a rebuild of the store from the event log, each beside its
# building block, on a Redis and a RabbitMQ node of their own (never the shared ones). Not part of
# ./test.sh; about two minutes. BENCH_USERS=20000 for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java25.sh
find_jdk25
find_maven
"${MVN[@]}" -B verify -pl application -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LifecycleBench -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.users="${BENCH_USERS:-100000}" \
  -Daot.skip=true -DtrimStackTrace=false
