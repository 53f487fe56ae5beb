#!/usr/bin/env bash
# Builds Userfabric and starts it. With no configuration it runs on embedded defaults: in-memory
# users, an in-process event queue and a development identity provider on 127.0.0.1:8480.
# Configure real servers with USERFABRIC_REDIS_URI, USERFABRIC_RABBITMQ_URI,
# USERFABRIC_OAUTH_ISSUER and USERFABRIC_OAUTH_AUDIENCE (see README).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh
find_jdk25
find_maven
"${MVN[@]}" -B -q -DskipTests install
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar application/target/userfabric.jar "$@"
