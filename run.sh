#!/usr/bin/env bash
# Builds Userfabric and starts it in the development mode (start-dev): whatever is not configured
# runs on an embedded stand-in: in-memory users, an in-process event queue and a development
# identity provider on 127.0.0.1:8480; gRPC binds 127.0.0.1. Configure real servers with
# USERFABRIC_REDIS_URI, USERFABRIC_RABBITMQ_URI, USERFABRIC_OAUTH_ISSUER and
# USERFABRIC_OAUTH_AUDIENCE (see README). Production: java -jar application/target/userfabric.jar start
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java25.sh
find_jdk25
find_maven
"${MVN[@]}" -B -q -DskipTests install
exec ./userfabric start-dev "$@"
