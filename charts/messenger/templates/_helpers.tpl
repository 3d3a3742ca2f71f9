{{/*
Who talks to whom: the HTTP calls, the token verifiers (they
fetch the session's JWKS) and the stores of each service. NetworkPolicies and env follow it.
*/}}
{{- define "messenger.topology" -}}
gateway:   {calls: [auth, session, profile, contact, messaging, search], verifies: true, stores: [redis]}
auth:      {calls: [session, profile], verifies: true, stores: [postgresql, redis, kafka]}
session:   {calls: [], verifies: false, stores: [postgresql, redis, kafka]}
profile:   {calls: [], verifies: true, stores: [postgresql, redis, kafka]}
contact:   {calls: [profile], verifies: true, stores: [postgresql, redis, kafka]}
messaging: {calls: [contact], verifies: true, stores: [mongodb, redis, kafka]}
search:    {calls: [], verifies: true, stores: [postgresql, redis, kafka]}
{{- end }}

{{/* "true" when the operator sets the messaging replicas (targetSocketsPerPod): the chart then
renders neither messaging's replicas nor its HPA, so Helm and the operator never fight. */}}
{{- define "messenger.operatorScalesMessaging" -}}
{{- $op := .Values.operator -}}
{{- if and $op.enabled $op.platform.create (dig "services" "messaging" "autoscaling" "targetSocketsPerPod" "" ($op.platform.spec | default dict)) -}}true{{- end -}}
{{- end }}

{{/* The port of any service of files/services.json (the operator's too). Args: root, name. */}}
{{- define "messenger.port" -}}
{{- (index (.root.Files.Get "files/services.json" | fromJson) .name).port | int -}}
{{- end }}

{{/* The topology with each service's port from files/services.json (the one list of ports,
copied there from packages/contracts/src/services.json by scripts/helm/generate.mjs). */}}
{{- define "messenger.services" -}}
{{- $ports := .Files.Get "files/services.json" | fromJson -}}
{{- $services := dict -}}
{{- range $name, $me := include "messenger.topology" . | fromYaml -}}
{{- $_ := set $services $name (merge (dict "port" (int (index $ports $name).port)) $me) -}}
{{- end -}}
{{- $services | toJson -}}
{{- end }}

{{/* Ports of the bundled backing servers. */}}
{{- define "messenger.storePorts" -}}
postgresql: [5432]
redis: [6379]
kafka: [9092]
mongodb: [27017]
{{- end }}

{{- define "messenger.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end }}

{{- define "messenger.name" -}}
{{- printf "%s-%s" (include "messenger.fullname" .root) .component -}}
{{- end }}

{{- define "messenger.selectorLabels" -}}
app.kubernetes.io/name: messenger
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "messenger.labels" -}}
{{ include "messenger.selectorLabels" . }}
app.kubernetes.io/part-of: messenger
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* ServiceAccount of a service's pods: its own, or the one it brings. Args: root, component. */}}
{{- define "messenger.serviceAccountName" -}}
{{- $sa := (index .root.Values.services .component).serviceAccount | default dict -}}
{{- if and (hasKey $sa "create") (not $sa.create) -}}
{{- required (printf "services.%s.serviceAccount.name is required when serviceAccount.create is false" .component) $sa.name -}}
{{- else -}}
{{- default (include "messenger.name" .) $sa.name -}}
{{- end -}}
{{- end }}

{{/* nodeSelector, tolerations, affinity, priorityClassName of a pod spec. Arg: the values map. */}}
{{- define "messenger.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/* Labels every pod of the release carries (default deny, DNS). */}}
{{- define "messenger.releaseSelector" -}}
app.kubernetes.io/name: messenger
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
An image reference under global.imageRegistry when that is set: the registry host of the
reference (its first part when that has a dot or a port, or is localhost) is replaced, or the
global registry is put in front. Args: root, image.
*/}}
{{- define "messenger.imageRef" -}}
{{- $ref := .image -}}
{{- $global := (.root.Values.global | default dict).imageRegistry -}}
{{- if $global -}}
{{- $parts := splitList "/" $ref -}}
{{- $first := first $parts -}}
{{- if and (gt (len $parts) 1) (or (contains "." $first) (contains ":" $first) (eq $first "localhost")) -}}
{{- $ref = join "/" (rest $parts) -}}
{{- end -}}
{{- $ref = printf "%s/%s" (trimSuffix "/" $global) $ref -}}
{{- end -}}
{{- $ref -}}
{{- end }}

{{/* Image of a service: services.<name>.image as given, else <registry>/<name>:<tag>[@digest]. */}}
{{- define "messenger.image" -}}
{{- $svc := index .root.Values.services .component -}}
{{- if $svc.image -}}
{{- $svc.image -}}
{{- else -}}
{{- $ref := printf "%s/%s:%s" .root.Values.image.registry .component (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- with $svc.imageDigest }}{{ $ref = printf "%s@%s" $ref . }}{{ end -}}
{{- include "messenger.imageRef" (dict "root" .root "image" $ref) -}}
{{- end -}}
{{- end }}

{{/* Image of a bundled server or exporter: <store>.image [@<store>.imageDigest]. Args: root, image, digest. */}}
{{- define "messenger.storeImage" -}}
{{- $ref := .image -}}
{{- with .digest }}{{ $ref = printf "%s@%s" $ref . }}{{ end -}}
{{- include "messenger.imageRef" (dict "root" .root "image" $ref) -}}
{{- end }}

{{/* global.imagePullSecrets then image.pullSecrets (names or {name}), on every pod. Arg: root. */}}
{{- define "messenger.imagePullSecrets" -}}
{{- $names := list -}}
{{- range concat ((.Values.global | default dict).imagePullSecrets | default list) (.Values.image.pullSecrets | default list) -}}
{{- $name := kindIs "map" . | ternary (get (kindIs "map" . | ternary . dict) "name") . -}}
{{- if and $name (not (has $name $names)) }}{{ $names = append $names $name }}{{ end -}}
{{- end -}}
{{- with $names }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}

{{/* The restricted Pod Security Standard; runAsUser is the image's user. */}}
{{- define "messenger.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
fsGroup: {{ .fsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "messenger.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "messenger.topologySpread" -}}
{{- if .root.Values.topologySpread.enabled }}
topologySpreadConstraints:
  {{- range $key, $when := dict "topology.kubernetes.io/zone" .root.Values.topologySpread.zone "kubernetes.io/hostname" .root.Values.topologySpread.hostname }}
  - maxSkew: 1
    topologyKey: {{ $key }}
    whenUnsatisfiable: {{ $when }}
    labelSelector:
      matchLabels:
        {{- include "messenger.selectorLabels" $ | nindent 8 }}
    {{- if $.podTemplateHash }}
    matchLabelKeys: [pod-template-hash]
    {{- end }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Connection settings; each follows its store's enabled switch. */}}
{{- define "messenger.redisUrl" -}}
{{- if .Values.redis.enabled -}}
redis://{{ include "messenger.fullname" . }}-redis:6379
{{- else -}}
{{ .Values.redis.external.url }}
{{- end -}}
{{- end }}

{{/*
Passwords of a generated Secret: the values already in the cluster (lookup, so upgrades keep
them) or new random ones. Args: root, secret, keys. Returns JSON {key: plain value}; a key ending
in KEYFILE gets 756 characters (a MongoDB keyfile), every other one 32.
*/}}
{{- define "messenger.generatedPasswords" -}}
{{- $existing := (lookup "v1" "Secret" .root.Release.Namespace .secret).data | default dict -}}
{{- $out := dict -}}
{{- range $key := .keys -}}
{{- $old := index $existing $key | default "" | b64dec -}}
{{- $_ := set $out $key ($old | default (randAlphaNum (ternary 756 32 (hasSuffix "KEYFILE" $key)))) -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/* Name of the Secret holding a bundled store's credentials. Args: root, store. */}}
{{- define "messenger.storeAuthSecret" -}}
{{- $store := index .root.Values .store -}}
{{- default (printf "%s-%s-auth" (include "messenger.fullname" .root) .store) $store.auth.existingSecret -}}
{{- end }}

{{/* True ("true") when the bundled store runs with authentication. Args: root, store. */}}
{{- define "messenger.storeAuth" -}}
{{- $store := index .root.Values .store -}}
{{- if and $store.enabled $store.auth.enabled }}true{{ end -}}
{{- end }}

{{- define "messenger.kafkaBrokers" -}}
{{- if .Values.kafka.enabled -}}
{{- $full := include "messenger.fullname" . -}}
{{- $brokers := list -}}
{{- range $i := until (int .Values.kafka.replicas) -}}
{{- $brokers = append $brokers (printf "%s-kafka-%d.%s-kafka-headless.%s.svc:9092" $full $i $full $.Release.Namespace) -}}
{{- end -}}
{{- join "," $brokers -}}
{{- else -}}
{{- required "kafka.external.brokers is required when kafka.enabled is false" (join "," .Values.kafka.external.brokers) -}}
{{- end -}}
{{- end }}

{{/* One seed host: the driver discovers the members (zod's URL check refuses seed lists). */}}
{{- define "messenger.mongoUrl" -}}
{{- $full := include "messenger.fullname" . -}}
mongodb://{{ $full }}-mongodb-headless.{{ .Release.Namespace }}.svc:27017/{{ .Values.mongodb.database }}?replicaSet={{ .Values.mongodb.replicaSetName }}
{{- end }}

{{- define "messenger.postgresSecret" -}}
{{- if .Values.postgresql.enabled -}}
{{- default (printf "%s-postgresql-auth" (include "messenger.fullname" .)) .Values.postgresql.auth.existingSecret -}}
{{- else -}}
{{- required "postgresql.external.existingSecret is required when postgresql.enabled is false" .Values.postgresql.external.existingSecret -}}
{{- end -}}
{{- end }}

{{/* Grace period check: the pod must outlive the preStop sleep plus the app's drain. */}}
{{- define "messenger.gracePeriod" -}}
{{- $need := add .root.Values.preStopSleepSeconds (div (add .root.Values.shutdownTimeoutMs 999) 1000) -}}
{{- $grace := int .seconds -}}
{{- if le $grace (int $need) -}}
{{- fail (printf "%s: terminationGracePeriodSeconds %d must exceed preStopSleepSeconds + shutdownTimeoutMs (%ds)" .component $grace (int $need)) -}}
{{- end -}}
{{- $grace -}}
{{- end }}

{{- define "messenger.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ default "256Mi" .size }}
{{- end }}

{{- define "messenger.pvc" -}}
{{- $volume := include "messenger.storeVolume" . | fromJson -}}
volumeClaimTemplates:
  - metadata:
      name: data
      labels:
        {{- include "messenger.selectorLabels" . | nindent 8 }}
    spec:
      accessModes: [ReadWriteOnce]
      {{- with $volume.storageClass }}
      storageClassName: {{ . }}
      {{- end }}
      resources:
        requests:
          storage: {{ $volume.size }}
{{- end }}
