#!/usr/bin/env bash
# Runs tests several times in a row and counts the runs that passed, to find a flaky test before
# CI does. Builds once, then runs the fault and recovery tests (or the whole suite) N times.
#   scripts/repeat-tests.sh            the fault and recovery tests, 10 times
#   scripts/repeat-tests.sh 20         ... 20 times
#   scripts/repeat-tests.sh --suite 10 the whole ./test.sh, 10 times
#   scripts/repeat-tests.sh --with-load --suite 5
#                                      ... while a second build of the project loops beside it
#                                      (offline, no tests, in a copy of HEAD), as on a busy CI box
# Prints a line a run, then "N passed, M failed". The log of every failed run is kept in
# target/repeat/ (its failing tests are printed too).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/java25.sh
find_jdk25
find_maven

load=false
if [ "${1:-}" = "--with-load" ]; then
  load=true
  shift
fi
suite=false
if [ "${1:-}" = "--suite" ]; then
  suite=true
  shift
fi
runs="${1:-10}"
fault_tests="RedisFaultIT,RabbitFaultIT,RabbitEventAdapterIT,FaultToleranceE2EIT"
logs=target/repeat
mkdir -p "$logs"

if ! $suite; then
  scripts/test-servers.sh
  "${MVN[@]}" -B -q -DskipTests install || { echo "error: the build failed" >&2; exit 1; }
fi

if $load; then
  copy=$(mktemp -d /tmp/userfabric-load.XXXXXX)
  git archive HEAD | tar -x -C "$copy"
  # its own process group, so that the whole loop (Maven and its forks) can be stopped at the end
  setsid bash -c "cd '$copy' && while true; do ${MVN[*]} -B -q -o install -DskipTests -Daot.skip=true >/dev/null 2>&1; done" &
  load_group=$!
  trap 'kill -- -"$load_group" 2>/dev/null; rm -rf "$copy"' EXIT
  echo "load: a second build loops beside the runs (process group $load_group)"
fi

passed=0
failed=0
for ((run = 1; run <= runs; run++)); do
  log="$logs/run-$run.log"
  started=$(date +%s)
  if $suite; then
    ./test.sh >"$log" 2>&1
  else
    "${MVN[@]}" -B -pl adapters-cache,adapters-event,application \
      failsafe:integration-test failsafe:verify -Dit.test="$fault_tests" \
      -Dfailsafe.failIfNoSpecifiedTests=false >"$log" 2>&1
  fi
  status=$?
  took=$(($(date +%s) - started))
  tests=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures' "$log" | grep -v ' -- in ' \
    | awk -F'[ ,]+' '{ n += $4 } END { print n + 0 }')
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    rm -f "$log"
    echo "run $run: passed ($tests tests, ${took} s)"
  else
    failed=$((failed + 1))
    echo "run $run: FAILED (${took} s; log $log)"
    grep -E '^\[ERROR\]   [A-Za-z]|<<< (FAILURE|ERROR)!' "$log" | sed 's/^/    /' | head -n 10
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
