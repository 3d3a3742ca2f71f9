{{/* The services that use a store, from the topology. Args: root, store. Returns a JSON list. */}}
{{- define "messenger.storeUsers" -}}
{{- $users := list -}}
{{- range $component, $me := include "messenger.services" .root | fromJson -}}
{{- if has $.store $me.stores }}{{ $users = append $users $component }}{{ end -}}
{{- end -}}
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
