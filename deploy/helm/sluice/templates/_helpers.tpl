{{- define "sluice.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sluice.labels" -}}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The worker config: values.config, over what the pod layout decides. */}}
{{- define "sluice.config" -}}
{{- $layout := dict
  "cacheDir" "/var/cache/sluice"
  "secretsDir" .Values.secretsDir
  "webhooks" (dict "host" "0.0.0.0" "port" (int .Values.ports.webhooks))
  "metrics" (dict "host" "0.0.0.0" "port" (int .Values.ports.metrics)) -}}
{{- with .Values.ports.sdkMetrics }}
{{- $_ := set $layout "sdkMetrics" (dict "host" "0.0.0.0" "port" (int .)) -}}
{{- end -}}
{{- with .Values.temporal.mtls.existingSecret }}
{{- $tls := dict "certFile" "/etc/sluice/temporal-tls/tls.crt" "keyFile" "/etc/sluice/temporal-tls/tls.key" -}}
{{- if $.Values.temporal.mtls.caKey }}{{ $_ := set $tls "caFile" (printf "/etc/sluice/temporal-tls/%s" $.Values.temporal.mtls.caKey) }}{{ end -}}
{{- $_ := set $layout "temporal" (dict "tls" $tls) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $layout (deepCopy .Values.config)) -}}
{{- end -}}
