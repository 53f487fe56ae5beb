#!/usr/bin/env bash
# Runs every test: unit, adapter (real Redis and RabbitMQ) and end-to-end. Starts Redis and
# RabbitMQ on 127.0.0.1 when they are not running, installing them from Debian's packages first
# when they are missing. Never stops servers it did not start.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh
find_jdk25
find_maven
scripts/test-servers.sh
"${MVN[@]}" -B verify "$@"
