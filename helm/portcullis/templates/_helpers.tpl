{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "portcullis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of every resource: the release name, plus the chart name unless the release name already contains it.
*/}}
{{- define "portcullis.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "portcullis.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "portcullis.labels" -}}
helm.sh/chart: {{ include "portcullis.chart" . }}
{{ include "portcullis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: portcullis
{{- end }}

{{/*
Labels selecting the gateway pods (immutable in a Deployment: never add to them).
*/}}
{{- define "portcullis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "portcullis.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "portcullis.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository@digest when a digest is given, else repository:tag (tag defaults to appVersion).
*/}}
{{- define "portcullis.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
The Secret the pods read: the existing one, or the chart's.
*/}}
{{- define "portcullis.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "portcullis.fullname" .) }}
{{- end }}

{{/*
Checks across values that values.schema.json cannot express. Rendered by the Deployment, so any template run
(install, upgrade, template) fails early with a message naming the value to fix.
*/}}
{{- define "portcullis.validate" -}}
{{- $existing := .Values.secrets.existingSecret }}
{{- if not $existing }}
{{- if not (or .Values.secrets.signingPrivateKey .Values.secrets.encryptionKey) }}
{{- fail "secrets.signingPrivateKey is required (a PEM RSA private key every replica signs with), or secrets.encryptionKey (keys kept in Redis and rotated), or set secrets.existingSecret" }}
{{- end }}
{{- if and .Values.config.signingRotationInterval .Values.secrets.signingPrivateKey }}
{{- fail "config.signingRotationInterval rotates keys kept in Redis: set secrets.encryptionKey and leave secrets.signingPrivateKey empty (a configured key is rotated in your secret manager)" }}
{{- end }}
{{- if .Values.bootstrapAdmin.enabled }}
{{- $_ := required "bootstrapAdmin.password is required when bootstrapAdmin.enabled, or set secrets.existingSecret" .Values.bootstrapAdmin.password }}
{{- end }}
{{- end }}
{{- if .Values.redis.sentinel.enabled }}
{{- if .Values.redis.url }}
{{- fail "set either redis.url or redis.sentinel.enabled, not both" }}
{{- end }}
{{- if not .Values.redis.sentinel.nodes }}
{{- fail "redis.sentinel.nodes must list at least one Sentinel (host:port) when redis.sentinel.enabled" }}
{{- end }}
{{- else if $existing }}
{{- if .Values.redis.url }}
{{- fail (printf "with secrets.existingSecret, put the Redis URL into that Secret under the key %q instead of redis.url" .Values.secrets.keys.redisUrl) }}
{{- end }}
{{- else }}
{{- $_ := required "redis.url is required (replicas share their state through Redis), or use redis.sentinel.enabled or secrets.existingSecret" .Values.redis.url }}
{{- end }}
{{- $shutdown := add .Values.gracefulShutdown.timeoutSeconds .Values.gracefulShutdown.preStopSleepSeconds }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int $shutdown) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be greater than gracefulShutdown.timeoutSeconds + preStopSleepSeconds (%d), or Kubernetes kills requests still in flight" (int .Values.terminationGracePeriodSeconds) (int $shutdown)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- end }}

{{/*
The application.yaml mounted into the pods: config.application, with the routes from values at
spring.cloud.gateway.server.webflux.routes (routes from values win over routes inside config.application).
*/}}
{{- define "portcullis.applicationYaml" -}}
{{- $app := deepCopy .Values.config.application }}
{{- if .Values.routes }}
{{- $routes := dict "spring" (dict "cloud" (dict "gateway" (dict "server" (dict "webflux" (dict "routes" .Values.routes))))) }}
{{- $app = mustMergeOverwrite $app $routes }}
{{- end }}
{{- if $app }}
{{- toYaml $app }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}
