#!/usr/bin/env bash
# Builds deploy/Dockerfile with no Docker engine and no Docker Hub, then runs the image's own `sluice`
# inside its filesystem. buildah (Debian's, overlay or vfs storage, chroot isolation) builds it; the public base
# images (golang, node, node-slim) are replaced through the Dockerfile's base-image ARGs by local
# stand-ins made from what this machine reaches: a debootstrapped Debian bookworm, Node from the tools
# cache (NODE24_VERSION, scripts/bootstrap-tools.sh) with this machine's npm, and this machine's Go.
# Nothing is pushed (the local stack has no registry yet). See docs/image.md.
#   scripts/build-image.sh            build (stand-ins cached), then check the image
#   SLUICE_IMAGE_DIR=… to keep buildah's storage elsewhere (default /var/tmp/sluice-image)
#   SLUICE_IMAGE_DRIVER=vfs where the kernel cannot mount overlay (vfs copies every layer: ~17 GB, slower)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/versions.env
started=$SECONDS
say() { printf '[image %4ss] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

work=${SLUICE_IMAGE_DIR:-/var/tmp/sluice-image}
tools=${SLUICE_TOOLS_DIR:-$HOME/.cache/sluice/tools}
driver=${SLUICE_IMAGE_DRIVER:-overlay}
# Storage of our own (one per driver), so the build never touches another buildah user's images.
storage=(--root "$work/storage-$driver" --runroot "$work/run-$driver" --storage-driver "$driver")
bh() { buildah "${storage[@]}" "$@"; }
have() { bh inspect --type image "$1" >/dev/null 2>&1; }
command -v buildah >/dev/null || fail "buildah is missing: apt-get install -y buildah"
command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"
mkdir -p "$work"

version=$(node -p 'require("./package.json").version')
go_version=$(go env GOVERSION)
go_version=${go_version#go}
node_bin="$tools/node-$NODE24_VERSION/bin/node"
[ -x "$node_bin" ] || fail "$node_bin is missing: bash scripts/bootstrap-tools.sh node"
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/bin/npm-cli.js" ] || fail "cannot find npm's package folder (looked at $npm_dir)"

debian=localhost/sluice-standin/debian:bookworm
golang=localhost/sluice-standin/golang:$go_version-bookworm
nodeimg=localhost/sluice-standin/node:$NODE24_VERSION-bookworm
image=localhost/sluice-worker:$version

# --- stand-in base images (made once; delete $work/storage-$driver to remake them) ---
if ! have "$debian"; then
  say "debian stand-in: debootstrap bookworm (minbase, ca-certificates) from deb.debian.org"
  rm -rf "$work/rootfs"
  nice -n 19 debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" \
    http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || fail "debootstrap (log: $work/debootstrap.log)"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  ctr=$(bh from scratch)
  mnt=$(bh mount "$ctr")
  cp -a "$work/rootfs/." "$mnt/"
  # This machine reaches the Go proxy and npm through a TLS-inspecting egress proxy: the stand-ins
  # trust the CAs this machine trusts (/usr/local/share/ca-certificates), as a mirror's base would.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$mnt/usr/local/share/ca-certificates/"
    chroot "$mnt" update-ca-certificates >/dev/null 2>&1
  fi
  bh umount "$ctr" >/dev/null
  bh config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$ctr"
  bh commit -q "$ctr" "$debian" >/dev/null
  bh rm "$ctr" >/dev/null
  rm -rf "$work/rootfs"
fi
if ! have "$golang"; then
  say "golang stand-in: Go $go_version from $(go env GOROOT)"
  ctr=$(bh from "$debian")
  bh copy "$ctr" "$(go env GOROOT)" /usr/local/go >/dev/null
  bh config --env GOPATH=/go --env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  bh commit -q "$ctr" "$golang" >/dev/null
  bh rm "$ctr" >/dev/null
fi
if ! have "$nodeimg"; then
  say "node stand-in: node $NODE24_VERSION (tools cache), npm $(npm --version) (this machine), user node (1000)"
  ctr=$(bh from "$debian")
  bh copy "$ctr" "$node_bin" /usr/local/bin/node >/dev/null
  bh copy "$ctr" "$npm_dir" /usr/local/lib/node_modules/npm >/dev/null
  bh run --isolation chroot "$ctr" -- sh -c '
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
    groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node
    # npm (not the worker) reads the system CA bundle, which holds the egress proxy CA copied above.
    mkdir -p /usr/local/etc && echo cafile=/etc/ssl/certs/ca-certificates.crt >/usr/local/etc/npmrc
    node --version && npm --version >/dev/null'
  bh commit -q "$ctr" "$nodeimg" >/dev/null
  bh rm "$ctr" >/dev/null
fi

# --- the image, from deploy/Dockerfile as is: only its base-image ARGs and the version change ---
say "buildah bud deploy/Dockerfile → $image ($driver storage)"
build_started=$SECONDS
# docker format: OCI image configs have no HEALTHCHECK, and buildah would drop the Dockerfile's.
nice -n 19 buildah "${storage[@]}" bud \
  --isolation chroot --layers --pull=false --format docker \
  --ignorefile deploy/Dockerfile.dockerignore \
  --build-arg "GO_IMAGE=$golang" --build-arg "NODE_IMAGE=$nodeimg" --build-arg "NODE_RUNTIME_IMAGE=$nodeimg" \
  --build-arg "SLUICE_VERSION=$version" \
  -f deploy/Dockerfile -t "$image" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "buildah bud (log: $work/build.log)"; }
say "built in $((SECONDS - build_started))s (log: $work/build.log)"

# --- checks inside the built image's filesystem ---
label=$(bh inspect --type image --format '{{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}' "$image")
[ "$label" = "$version" ] || fail "label org.opencontainers.image.version is '$label', package.json says $version"
say "label org.opencontainers.image.version = $label"
ctr=$(bh from "$image")
trap 'bh rm "$ctr" >/dev/null 2>&1 || true' EXIT
bh copy "$ctr" test/fixtures/pipeline-files/valid /tmp/pipelines >/dev/null
inside() { bh run --isolation chroot --user 1000:1000 "$ctr" -- "$@"; }
got=$(inside node /app/bin/sluice.js --version)
[ "$got" = "$version" ] || fail "sluice --version in the image printed '$got', package.json says $version"
say "in the image: sluice --version = $got"
inside node /app/bin/sluice.js validate /tmp/pipelines || fail "sluice validate in the image"
inside kustomize version >/dev/null || fail "kustomize in the image"
inside helm version --short >/dev/null || fail "helm in the image"
inside sops --version --disable-version-check >/dev/null || fail "sops in the image"
say "in the image: sluice validate, kustomize, helm and sops run as uid 1000"
say "done: $image in $((SECONDS - started))s"
