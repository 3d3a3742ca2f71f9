#!/usr/bin/env bash
# Runs a Kafka command-line tool from the stack's Kafka classpath:
#   scripts/stack/kafka-cli.sh topics --bootstrap-server 127.0.0.1:59092 --list
#   scripts/stack/kafka-cli.sh console-consumer --bootstrap-server 127.0.0.1:59092 --topic T --from-beginning
# Tools: topics, console-producer, console-consumer, consumer-groups, metadata-quorum, configs,
# storage, or a fully qualified class name.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

tool="${1:-}"
[[ -n $tool ]] || die "usage: $0 TOOL [ARGS...] (topics, console-producer, console-consumer, consumer-groups, metadata-quorum, configs, storage, or a class name)"
shift
case "$tool" in
topics) class=org.apache.kafka.tools.TopicCommand ;;
console-producer) class=kafka.tools.ConsoleProducer ;;
console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
metadata-quorum) class=org.apache.kafka.tools.MetadataQuorumCommand ;;
configs) class=kafka.admin.ConfigCommand ;;
storage) class=kafka.tools.StorageTool ;;
*.*) class="$tool" ;;
*) die "unknown tool '$tool'" ;;
esac
need_cmd java "a Java 17+ runtime (Debian: openjdk-17-jre-headless)"
[[ -f $KAFKA_LIBS/.complete ]] || "$ROOT/scripts/stack/servers/kafka.sh" prepare
exec java -Dlog4j.configuration="file:$ROOT/scripts/stack/kafka/tools-log4j.properties" \
  -cp "$KAFKA_LIBS/*" "$class" "$@"
