#!/usr/bin/env bash
# Makes sure Redis (127.0.0.1:6379) and RabbitMQ (127.0.0.1:5672, guest/guest) are up for the
# tests: starts them if installed, installs them from Debian's packages if not. Fails loudly.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3; i++)); do
    port_open "$2" && { echo "$1 is up on 127.0.0.1:$2"; return 0; }
    sleep 1
  done
  echo "error: $1 did not come up on 127.0.0.1:$2 within $3 s" >&2
  exit 1
}

install_packages() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "error: $* missing and cannot be installed without root (apt-get install $*)" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing $* from Debian's packages"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

if ! port_open 6379; then
  command -v redis-server >/dev/null || install_packages redis-server
  echo "starting Redis on 127.0.0.1:6379"
  mkdir -p /tmp/userfabric-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/userfabric-redis --logfile /tmp/userfabric-redis/redis.log
  wait_for Redis 6379 30
fi

if ! port_open 5672; then
  command -v rabbitmq-server >/dev/null || install_packages rabbitmq-server
  echo "starting RabbitMQ on 127.0.0.1:5672"
  rabbitmq-server -detached || true
  wait_for RabbitMQ 5672 120
  # The port opens before the broker accepts logins; give it the moment it needs.
  command -v rabbitmqctl >/dev/null && rabbitmqctl -q await_startup >/dev/null 2>&1 || sleep 5
fi
