{{/* The services that use a store, from the topology (and the operator for Kafka). Args: root,
store. Returns a JSON list. */}}
{{- define "messenger.storeUsers" -}}
{{- $users := list -}}
{{- range $component, $me := include "messenger.services" .root | fromJson -}}
{{- if has $.store $me.stores }}{{ $users = append $users $component }}{{ end -}}
{{- end -}}
{{- /* The operator manages the topics: a Kafka client (and SCRAM user) of its own. */ -}}
{{- if and (eq .store "kafka") .root.Values.operator.enabled }}{{ $users = append $users "operator" }}{{ end -}}
{{- toJson $users -}}
{{- end }}

{{/* Service objects of a StatefulSet: headless (stable pod names, peers find each other before
they are ready) and, when clients need one address, a ClusterIP. Args: root, component, port, client. */}}
{{- define "messenger.storeServices" -}}
{{- $ctx := dict "root" .root "component" .component }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "messenger.name" $ctx }}-headless
  labels:
    {{- include "messenger.labels" $ctx | nindent 4 }}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "messenger.selectorLabels" $ctx | nindent 4 }}
  ports:
    {{- range $name, $port := .ports }}
    - name: {{ $name }}
      port: {{ $port }}
      targetPort: {{ $name }}
    {{- end }}
{{- if .client }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "messenger.name" $ctx }}
  labels:
    {{- include "messenger.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "messenger.selectorLabels" $ctx | nindent 4 }}
  ports:
    {{- range $name, $port := .ports }}
    - name: {{ $name }}
      port: {{ $port }}
      targetPort: {{ $name }}
    {{- end }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by the backing servers. Args: root, component, uid. */}}
{{- define "messenger.storePodSpec" -}}
serviceAccountName: {{ include "messenger.name" . }}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- include "messenger.podSecurityContext" (dict "runAsUser" .uid "runAsGroup" .uid "fsGroup" .uid) | nindent 2 }}
{{- with include "messenger.imagePullSecrets" .root | trim }}
{{ . }}
{{- end }}
{{- include "messenger.scheduling" (index .root.Values .component) }}
{{- include "messenger.topologySpread" . }}
{{- end }}

{{/* Ports of the optional exporters of the bundled servers (<store>.metrics.enabled). */}}
{{- define "messenger.exporterPorts" -}}
postgresql: 9187
redis: 9121
kafka: 9308
mongodb: 9216
{{- end }}

{{/*
The exporter container of a bundled server: a sidecar of its pods (postgresql, redis, mongodb)
or the container of the kafka exporter Deployment. It reads the server on 127.0.0.1 (or the
brokers), with the credentials from the store's Secret. Args: root, store, env (list), args (list).
*/}}
{{- define "messenger.exporterContainer" -}}
{{- $m := (index .root.Values .store).metrics -}}
{{- $port := index (include "messenger.exporterPorts" .root | fromYaml) .store -}}
- name: metrics
  image: {{ include "messenger.storeImage" (dict "root" .root "image" $m.image "digest" $m.imageDigest) }}
  imagePullPolicy: IfNotPresent
  {{- with .args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .env }}
  env:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - name: metrics
      containerPort: {{ $port }}
  startupProbe:
    tcpSocket: { port: metrics }
    periodSeconds: 2
    failureThreshold: 30
  livenessProbe:
    tcpSocket: { port: metrics }
    periodSeconds: 20
    failureThreshold: 3
  readinessProbe:
    tcpSocket: { port: metrics }
    periodSeconds: 10
  resources:
    {{- toYaml $m.resources | nindent 4 }}
  securityContext:
    {{- include "messenger.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - { name: metrics-tmp, mountPath: /tmp }
{{- end }}

{{/* The exporter's own /tmp (read-only root filesystem). */}}
{{- define "messenger.exporterVolume" -}}
- name: metrics-tmp
  emptyDir:
    sizeLimit: 16Mi
{{- end }}


{{/* The size and class of a bundled store's volumes: those of the installed StatefulSet when there
is one (volumeClaimTemplates are immutable, so an upgrade that changed them would fail and leave
the release failed), else the values. Args: root, component, persistence. Returns JSON with
size, storageClass and, when the values ask for something else, drift (a message for NOTES). */}}
{{- define "messenger.storeVolume" -}}
{{- $want := dict "size" (toString .persistence.size) "storageClass" (.persistence.storageClass | default "") -}}
{{- $live := lookup "apps/v1" "StatefulSet" .root.Release.Namespace (include "messenger.name" .) -}}
{{- $claim := dict -}}
{{- range (dig "spec" "volumeClaimTemplates" list $live) }}{{ if eq .metadata.name "data" }}{{ $claim = . }}{{ end }}{{ end -}}
{{- if $claim -}}
{{- $have := dict "size" (toString (dig "spec" "resources" "requests" "storage" "" $claim)) "storageClass" (dig "spec" "storageClassName" "" $claim) -}}
{{- if or (ne $have.size $want.size) (ne $have.storageClass $want.storageClass) -}}
{{- $_ := set $have "drift" (printf "%s: persistence asks for %s%s, the StatefulSet keeps %s%s (volumeClaimTemplates cannot change; see the chart README, \"Upgrades that change immutable fields\")" .component $want.size (ternary "" (printf " on class %s" $want.storageClass) (eq $want.storageClass "")) $have.size (ternary "" (printf " on class %s" $have.storageClass) (eq $have.storageClass ""))) -}}
{{- end -}}
{{- toJson $have -}}
{{- else -}}
{{- toJson $want -}}
{{- end -}}
{{- end }}
