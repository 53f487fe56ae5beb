#!/usr/bin/env bash
# The build's training run for the JDK's ahead-of-time cache (run by Maven in application/target):
# starts the packaged service under -XX:AOTCacheOutput, lets it create one user, and exits. When
# the local Redis and RabbitMQ answer, the run uses them (under names of its own), so that their
# clients' classes are in the cache too; otherwise, or if that run fails, the embedded stand-ins.
# Usage: aot-train.sh JAVA REDIS_URI RABBITMQ_URI
set -uo pipefail
java="$1" redis_uri="$2" rabbit_uri="$3"
# The jar by its absolute path: the cache records the class path, and a launch must name it the same
# way (./userfabric does) for the cache to be used.
# The service's own JVM options (application/jvm.options), as ./userfabric starts it.
options=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) ;; *) options+=("$line") ;; esac
done <"$(dirname "$0")/../application/jvm.options"
base=("${options[@]}" -XX:AOTCacheOutput=userfabric.aot -jar "$PWD/userfabric.jar" start-dev
  --userfabric.training-run=true --grpc.server.port=0 --userfabric.oauth.dev-issuer-port=0 --micronaut.server.port=-1
  --userfabric.rabbitmq.log-max-age=1D)

reachable() { # host:port out of a URI, then a TCP connect
  local hostport
  hostport=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/]+).*#\2#' <<<"$1")
  timeout 2 bash -c "exec 3<>/dev/tcp/${hostport%:*}/${hostport##*:}" 2>/dev/null
}

rm -f userfabric.aot
if reachable "$redis_uri" && reachable "$rabbit_uri"; then
  echo "training run with Redis and RabbitMQ ($redis_uri, names userfabric-aot-training*)"
  if "$java" "${base[@]}" --userfabric.redis.uri="$redis_uri" --userfabric.redis.key-prefix=userfabric-aot-training: \
      --userfabric.rabbitmq.uri="$rabbit_uri" --userfabric.rabbitmq.name-prefix=userfabric-aot-training. \
      --userfabric.startup.dependency-wait=10s; then
    exit 0
  fi
  echo "the training run with servers failed; training on the embedded stand-ins instead"
fi
echo "training run on the embedded stand-ins"
exec "$java" "${base[@]}"
