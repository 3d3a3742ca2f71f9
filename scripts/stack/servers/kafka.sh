#!/usr/bin/env bash
# Apache Kafka of the local stack (KRaft, one combined broker + controller):
# prepare (fetch the jars) | start | stop | health.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=kafka
DATA="$DATA_DIR/kafka"
CONF="$CONF_DIR/kafka"
POM="$ROOT/scripts/stack/kafka/pom.xml"

# The broker's jars from Maven Central, copied once into the cache.
prepare() {
  [[ -f $KAFKA_LIBS/.complete ]] && return 0
  need_cmd java "a Java 17+ runtime (Debian: openjdk-17-jre-headless)"
  need_cmd mvn "Maven (Debian: maven)"
  local t0 tmp
  t0="$(now_ms)"
  tmp="$KAFKA_LIBS.tmp.$$"
  log "$NAME: fetching Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$KAFKA_LIBS")"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "$NAME: could not resolve $POM with Maven"
  fi
  rm -f "$tmp.log"
  touch "$tmp/.complete"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  log "$NAME: jars ready in $(since "$t0")"
}

write_conf() {
  mkdir -p "$CONF" "$DATA"
  cat >"$CONF/server.properties" <<CONF
# Written by scripts/stack/servers/kafka.sh on every start.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
log.dirs=$DATA/kraft
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=24
CONF
  cat >"$CONF/log4j.properties" <<CONF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$(logfile "$NAME")
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
CONF
}

# Formats the storage with a fresh cluster id, once.
format_storage() {
  [[ -f $DATA/kraft/meta.properties ]] && return 0
  local id
  id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  java -Dlog4j.configuration="file:$CONF/log4j.properties" -cp "$KAFKA_LIBS/*" \
    kafka.tools.StorageTool format -t "$id" -c "$CONF/server.properties" --ignore-formatted \
    >>"$(logfile "$NAME")" 2>&1 || die "$NAME: formatting $DATA failed (log: $(logfile "$NAME"))"
}

health() { probe kafka "$(server_url "$NAME")"; }

start() {
  is_external "$NAME" && return 0
  need_cmd node "Node.js 20.19+"
  ensure_dirs
  local t0
  already_up "$NAME" "$KAFKA_PORT" && return 0
  t0="$(now_ms)"
  prepare
  write_conf
  format_storage
  spawn "$NAME" "$DATA" java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$CONF/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$CONF/server.properties"
  wait_until "$NAME" 90 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$KAFKA_PORT in $(since "$t0")"
}

# A controlled shutdown of a single KRaft node takes a few seconds.
stop() { stop_server "$NAME" 30; }

case "${1:-}" in
prepare | start | stop | health) "$1" ;;
*) die "usage: $0 prepare|start|stop|health" ;;
esac
