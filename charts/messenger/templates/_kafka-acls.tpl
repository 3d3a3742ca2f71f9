{{/* What each service does on Kafka, granted to its SCRAM user: the topics it produces to, and
the topics and consumer group it reads. Topic names are those of packages/contracts/src/topics.ts,
groups the groupId each service consumes with (tests/kafka-acls.test.ts checks both). */}}
{{- define "messenger.kafkaAccess" -}}
auth:      {produces: [messenger.user.v1]}
session:   {produces: [messenger.session.v1]}
profile:   {produces: [messenger.profile.v1], consumes: [messenger.user.v1], group: profile}
contact:   {produces: [messenger.contact.v1]}
messaging: {produces: [messenger.message.v1], consumes: [messenger.message.v1, messenger.session.v1], group: messaging-delivery}
search:    {consumes: [messenger.message.v1], group: search}
{{- end }}

{{/* The ACLs of the bundled Kafka (StandardAuthorizer, nothing allowed without one), one
`kafka-acls.sh --add` argument list a line; the inter-broker user is the super user. Besides what
kafkaAccess grants, every service may Describe every platform topic (each checks at start-up that
all of them exist: packages/platform/src/backends.ts; metadata only, no records), and one that
produces nothing IdempotentWrite on the cluster (every service opens an idempotent producer).
Without the operator, every service may also Create every platform topic (the first one up creates
those missing); with it, the operator alone administers topics (any name: spec.kafka.topics adds
its own), and nothing else. The exporter describes topics and groups. */}}
{{- define "messenger.kafkaAcls" -}}
{{- $access := include "messenger.kafkaAccess" . | fromYaml -}}
{{- $platformTopics := list -}}
{{- range $access }}{{ $platformTopics = concat $platformTopics (.produces | default list) (.consumes | default list) }}{{ end -}}
{{- $describe := "" -}}
{{- range uniq $platformTopics | sortAlpha }}{{ $describe = printf "%s --topic %s" $describe . }}{{ end -}}
{{- $lines := list -}}
{{- range $user := include "messenger.storeUsers" (dict "root" . "store" "kafka") | fromJsonArray -}}
{{- $principal := printf "--allow-principal User:%s" $user -}}
{{- if eq $user "operator" -}}
{{- $lines = append $lines (printf "%s --operation Create --operation Alter --operation AlterConfigs --operation Delete --operation Describe --operation DescribeConfigs --topic *" $principal) -}}
{{- else -}}
{{- $me := required (printf "%s uses Kafka: give it a line in messenger.kafkaAccess" $user) (index $access $user) -}}
{{- with $me.produces }}{{ $lines = append $lines (printf "%s --operation Write%s" $principal (include "messenger.topicArgs" .)) }}{{ else }}{{ $lines = append $lines (printf "%s --operation IdempotentWrite --cluster" $principal) }}{{ end -}}
{{- with $me.consumes }}{{ $lines = append $lines (printf "%s --operation Read%s" $principal (include "messenger.topicArgs" .)) }}{{ end -}}
{{- with $me.group }}{{ $lines = append $lines (printf "%s --operation Read --group %s" $principal .) }}{{ end -}}
{{- $lines = append $lines (printf "%s%s --operation Describe%s" $principal (ternary "" " --operation Create" $.Values.operator.enabled) $describe) -}}
{{- end -}}
{{- end -}}
{{- if .Values.kafka.metrics.enabled -}}
{{- $lines = append $lines "--allow-principal User:exporter --operation Describe --topic *" -}}
{{- $lines = append $lines "--allow-principal User:exporter --operation Describe --group *" -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end }}

{{- define "messenger.topicArgs" -}}
{{- range . }} --topic {{ . }}{{ end -}}
{{- end }}
