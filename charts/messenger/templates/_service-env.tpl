{{/* The plain settings of one service (its ConfigMap data). Args: root, component. */}}
{{- define "messenger.serviceConfig" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $full := include "messenger.fullname" $root -}}
{{- $topology := include "messenger.services" $root | fromJson -}}
{{- $me := index $topology .component -}}
{{- $env := dict
  "PORT" (toString $me.port)
  "LOG_LEVEL" $v.logLevel
  "SHUTDOWN_TIMEOUT_MS" (toString $v.shutdownTimeoutMs)
  "JWT_ISSUER" $v.jwt.issuer
  "JWT_AUDIENCE" $v.jwt.audience
  "OTEL_SERVICE_NAME" .component -}}
{{- if $v.otel.endpoint -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" $v.otel.endpoint -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER" "parentbased_traceidratio" -}}
{{- $_ := set $env "OTEL_TRACES_SAMPLER_ARG" (toString $v.otel.sampleRatio) -}}
{{- $attributes := list (printf "k8s.namespace.name=%s" $root.Release.Namespace) -}}
{{- range $name, $value := $v.otel.resourceAttributes -}}
{{- $attributes = append $attributes (printf "%s=%s" $name $value) -}}
{{- end -}}
{{- $_ := set $env "OTEL_RESOURCE_ATTRIBUTES" (join "," $attributes) -}}
{{- end -}}
{{- if $me.verifies -}}
{{- $_ := set $env "JWKS_URL" (printf "http://%s-session:%v/.well-known/jwks.json" $full (index $topology "session").port) -}}
{{- end -}}
{{- range $callee := $me.calls -}}
{{- $url := printf "http://%s-%s:%v" $full $callee (index $topology $callee).port -}}
{{- $_ := set $env (ternary "MESSAGING_URLS" (printf "%s_URL" (upper $callee)) (eq $callee "messaging")) $url -}}
{{- end -}}
{{- $redisAuth := include "messenger.storeAuth" (dict "root" $root "store" "redis") -}}
{{- if and (has "redis" $me.stores) (not $redisAuth) (or $v.redis.enabled $v.redis.external.url) -}}
{{- $_ := set $env "REDIS_URL" (include "messenger.redisUrl" $root) -}}
{{- end -}}
{{- if has "kafka" $me.stores -}}
{{- $_ := set $env "KAFKA_BROKERS" (include "messenger.kafkaBrokers" $root) -}}
{{- if $v.operator.enabled -}}
{{- /* The operator creates and configures the topics; the services only check they exist. */ -}}
{{- $_ := set $env "KAFKA_CREATE_TOPICS" "false" -}}
{{- end -}}
{{- if include "messenger.storeAuth" (dict "root" $root "store" "kafka") -}}
{{- /* SASL/SCRAM with one user per service; KAFKA_SASL_PASSWORD comes from the Secret. */ -}}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" ($v.kafka.auth.mechanism | lower) -}}
{{- $_ := set $env "KAFKA_SASL_USERNAME" .component -}}
{{- end -}}
{{- end -}}
{{- if and (has "mongodb" $me.stores) $v.mongodb.enabled (not (include "messenger.storeAuth" (dict "root" $root "store" "mongodb"))) -}}
{{- $_ := set $env "MONGO_URL" (include "messenger.mongoUrl" $root) -}}
{{- end -}}
{{- /*
  Proxy hops whose X-Forwarded-For is believed: the gateway sits behind the Ingress controller
  (one hop) when there is one, every other service behind the gateway too. Behind a further
  load balancer that appends to the header, raise them with services.<name>.env.TRUST_PROXY.
*/ -}}
{{- $edgeHops := ternary 1 0 $v.ingress.enabled -}}
{{- $_ := set $env "TRUST_PROXY" (toString (ternary $edgeHops (add1 $edgeHops) (eq .component "gateway"))) -}}
{{- if and (eq .component "auth") $v.ingress.enabled -}}
{{- $public := printf "%s://%s" (ternary "https" "http" $v.ingress.tls.enabled) $v.ingress.host -}}
{{- $_ := set $env "GOOGLE_CALLBACK_URL" (printf "%s/api/v1/auth/google/callback" $public) -}}
{{- end -}}
{{- if eq .component "messaging" -}}
{{- $s3 := $v.attachments.s3 -}}
{{- with $s3.endpoint -}}
{{- $_ := set $env "S3_ENDPOINT" . -}}
{{- end -}}
{{- $_ := set $env "S3_REGION" $s3.region -}}
{{- $_ := set $env "S3_BUCKET" $s3.bucket -}}
{{- $_ := set $env "S3_FORCE_PATH_STYLE" (toString $s3.forcePathStyle) -}}
{{- $_ := set $env "ATTACHMENT_UPLOAD_TTL_SECONDS" (toString $v.attachments.uploadTtlSeconds) -}}
{{- $_ := set $env "ATTACHMENT_URL_TTL_SECONDS" (toString $v.attachments.urlTtlSeconds) -}}
{{- $_ := set $env "ATTACHMENT_PENDING_PER_USER" (toString $v.attachments.pendingUploadsPerUser) -}}
{{- $_ := set $env "ATTACHMENT_KEEP_UNSENT_SECONDS" (toString $v.attachments.keepUnsentSeconds) -}}
{{- $_ := set $env "ATTACHMENT_SWEEP_SECONDS" (toString $v.attachments.sweepSeconds) -}}
{{- end -}}
{{- /* services.<name>.env last: it may override any of the above. */ -}}
{{- toYaml (merge (deepCopy (index $v.services .component).env) $env) -}}
{{- end }}

{{/* Settings from Secrets (env entries). Args: root, component. */}}
{{- define "messenger.serviceSecretEnv" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $me := index (include "messenger.services" $root | fromJson) .component -}}
{{- $svc := index $v.services .component -}}
{{- $refs := dict -}}
{{- if has "postgresql" $me.stores }}
{{- $_ := set $refs "DATABASE_URL" (dict "name" (include "messenger.postgresSecret" $root) "key" (printf "%s_DATABASE_URL" (upper .component))) }}
{{- end }}
{{- if and (has "redis" $me.stores) (include "messenger.storeAuth" (dict "root" $root "store" "redis")) }}
{{- $_ := set $refs "REDIS_URL" (dict "name" (include "messenger.storeAuthSecret" (dict "root" $root "store" "redis")) "key" "REDIS_URL") }}
{{- end }}
{{- if and (has "kafka" $me.stores) (include "messenger.storeAuth" (dict "root" $root "store" "kafka")) }}
{{- $_ := set $refs "KAFKA_SASL_PASSWORD" (dict "name" (include "messenger.storeAuthSecret" (dict "root" $root "store" "kafka")) "key" (printf "%s_PASSWORD" (upper .component))) }}
{{- end }}
{{- if and (has "mongodb" $me.stores) (include "messenger.storeAuth" (dict "root" $root "store" "mongodb")) }}
{{- $_ := set $refs "MONGO_URL" (dict "name" (include "messenger.storeAuthSecret" (dict "root" $root "store" "mongodb")) "key" "MONGO_URL") }}
{{- end }}
{{- if and (has "redis" $me.stores) (not $v.redis.enabled) (not $v.redis.external.url) }}
{{- $_ := set $refs "REDIS_URL" (dict "name" (required "redis.external.url or redis.external.existingSecret is required when redis.enabled is false" $v.redis.external.existingSecret) "key" $v.redis.external.existingSecretKey) }}
{{- end }}
{{- if and (has "mongodb" $me.stores) (not $v.mongodb.enabled) }}
{{- $_ := set $refs "MONGO_URL" (dict "name" (required "mongodb.external.existingSecret is required when mongodb.enabled is false" $v.mongodb.external.existingSecret) "key" $v.mongodb.external.existingSecretKey) }}
{{- end }}
{{- if eq .component "auth" }}
{{- with $v.google.existingSecret }}
{{- $_ := set $refs "GOOGLE_CLIENT_ID" (dict "name" . "key" $v.google.clientIdKey) }}
{{- $_ := set $refs "GOOGLE_CLIENT_SECRET" (dict "name" . "key" $v.google.clientSecretKey) }}
{{- end }}
{{- with $v.smtp.existingSecret }}
{{- $_ := set $refs "SMTP_URL" (dict "name" . "key" $v.smtp.urlKey) }}
{{- end }}
{{- end }}
{{- if eq .component "messaging" }}
{{- with $v.attachments.s3.existingSecret }}
{{- $_ := set $refs "S3_ACCESS_KEY_ID" (dict "name" . "key" $v.attachments.s3.accessKeyIdKey) }}
{{- $_ := set $refs "S3_SECRET_ACCESS_KEY" (dict "name" . "key" $v.attachments.s3.secretAccessKeyKey) }}
{{- end }}
{{- end }}
{{- range $name, $ref := $svc.secretEnv }}
{{- $_ := set $refs $name $ref }}
{{- end }}
{{- range $name, $ref := $refs }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}
