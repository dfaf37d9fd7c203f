#!/usr/bin/env bash
# Builds the prebuilt artifacts an integrator installs without a Rust toolchain, into dist/
# (ignored by git), for Linux on x86_64 with glibc 2.34 or later:
#
#   aimscheck-VERSION-cp39-abi3-manylinux_2_34_x86_64.whl
#       the Python package: one abi3 wheel for CPython 3.9 and later (maturin, release build,
#       stripped), its manylinux tag checked by maturin's own auditwheel check;
#   aimscheck-linux-x64-gnu-VERSION.tgz, aimscheck-VERSION.tgz
#       the npm packages as napi-rs lays out platform binaries: the platform package (the
#       prebuilt addon, with `os`, `cpu` and `libc`, made by `napi create-npm-dirs` and filled by
#       `napi artifacts`) and the main package (the JS entries and the loader), which lists the
#       platform package in `optionalDependencies`, as `napi pre-publish` would;
#   aimscheck-VERSION-x86_64-unknown-linux-gnu.tar.gz
#       the command-line binary (release build, stripped) with a short README and licence note;
#   SHA256SUMS
#       the digests of the above.
#
# Nothing is published. To publish, upload these files: the wheel (`twine upload`), the npm
# platform package before the main package (`npm publish dist/aimscheck-linux-x64-gnu-*.tgz`,
# then `npm publish dist/aimscheck-VERSION.tgz`), the CLI archive to a release page.
#
# Why manylinux_2_34: the build machine has glibc 2.36, and what links against it refers to the
# thread and dynamic-loading functions (pthread_create, pthread_key_create, dlsym, ...) by the
# symbol versions glibc 2.34 gave them when it merged libpthread and libdl into libc; every
# lower policy fails maturin's check (it lists GLIBC_2.34 among the offending versions). The
# addon and the CLI need the same glibc. A lower floor needs an older build machine (a manylinux
# container) or another linker setup (`maturin build --zig`).
#
# Needs cargo (the Rust toolchain), Python 3.9 or later with pip (maturin is installed into the
# virtual environment bindings-python/.venv, or $AIMSCHECK_VENV) and Node with npm (`npm ci` in
# bindings-node when its node_modules is missing). Builds in CARGO_TARGET_DIR (default target/):
# a release build already there, such as the addon `npm run build` made, is reused.
#
# Usage: bash scripts/dist.sh [wheel] [npm] [cli]    (default: all three)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# The manylinux policy of the wheel: the lowest that passes the check on this build machine.
policy=manylinux_2_34
# The maturin the Python tests use (bindings-python/test.sh); keep the two in step.
maturin_pin="maturin==1.16.0"

parts=("$@")
if [[ ${#parts[@]} == 0 ]]; then
    parts=(wheel npm cli)
fi
for part in "${parts[@]}"; do
    case $part in
        wheel | npm | cli) ;;
        *)
            echo "usage: bash scripts/dist.sh [wheel] [npm] [cli]" >&2
            exit 2
            ;;
    esac
done
if [[ "$(uname -s) $(uname -m)" != "Linux x86_64" ]]; then
    echo "error: scripts/dist.sh builds the Linux x86_64 artifacts, on Linux x86_64 only" >&2
    exit 1
fi

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
node_version="$(node -p 'require("./bindings-node/package.json").version')"
if [[ -z $version || $version != "$node_version" ]]; then
    echo "error: the workspace version ($version) and bindings-node/package.json's ($node_version) differ" >&2
    exit 1
fi

dist="$root/dist"
mkdir -p "$dist"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# Archive timestamps: SOURCE_DATE_EPOCH, else the last commit's date, so that the same commit
# gives the same archive.
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
step() { printf '\n== dist: %s\n' "$*"; }
# Symbols are not needed to run; the binaries shrink by a sixth or more without them.
strip_copy() { if command -v strip > /dev/null; then strip --strip-unneeded "$1"; fi; }

build_wheel() {
    step "Python wheel (maturin, $policy)"
    local venv="${AIMSCHECK_VENV:-$root/bindings-python/.venv}"
    # shellcheck source=scripts/venv.sh
    source "$root/scripts/venv.sh"
    ensure_venv "$venv" "${PYTHON:-python3}" 9 "maturin"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$maturin_pin"
    # An extension `maturin develop` left in the source tree must not end up in the wheel.
    rm -f bindings-python/python/aimscheck/_native*.so
    rm -f "$dist"/aimscheck-*.whl
    # --auditwheel check: fail, never repair, when the library needs more than the policy allows.
    "$venv/bin/maturin" build --release --locked --strip \
        --compatibility "$policy" --auditwheel check \
        --manifest-path bindings-python/Cargo.toml --out "$dist"
}

build_npm() {
    step "npm packages (napi build --release, create-npm-dirs, artifacts, npm pack)"
    local napi="$root/bindings-node/node_modules/.bin/napi"
    if [[ ! -x $napi ]]; then
        (cd bindings-node && npm ci --no-audit --no-fund)
    fi
    (cd bindings-node && npm run build)
    # The main package is staged apart, so that the repository's package.json keeps no
    # optionalDependencies (the platform package is not on the registry while developing).
    local pkg="$stage/npm-package" addon="$stage/addon"
    mkdir -p "$pkg" "$addon"
    local file
    while IFS= read -r file; do
        cp "bindings-node/$file" "$pkg/"
    done < <(node -p 'require("./bindings-node/package.json").files.join("\n")')
    cp bindings-node/package.json bindings-node/README.md "$pkg/"
    cp bindings-node/aimscheck.linux-x64-gnu.node "$addon/"
    strip_copy "$addon/aimscheck.linux-x64-gnu.node"
    "$napi" create-npm-dirs --cwd "$pkg"
    "$napi" artifacts --cwd "$pkg" --output-dir "$addon"
    local platform="$pkg/npm/linux-x64-gnu"
    cat > "$platform/README.md" << EOF
# aimscheck-linux-x64-gnu

The prebuilt addon of [\`aimscheck\`](https://www.npmjs.com/package/aimscheck) $version for
Linux on x86_64 with glibc 2.34 or later. Install \`aimscheck\`, which depends on it; its
loader requires this package.
EOF
    # The platform packages as optionalDependencies of the main one, at their versions.
    node -e '
      const fs = require("node:fs")
      const path = require("node:path")
      const [pkg] = process.argv.slice(1)
      const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"))
      manifest.optionalDependencies = {}
      for (const dir of fs.readdirSync(path.join(pkg, "npm")).sort()) {
        const p = JSON.parse(fs.readFileSync(path.join(pkg, "npm", dir, "package.json"), "utf8"))
        manifest.optionalDependencies[p.name] = p.version
      }
      fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n")
    ' "$pkg"
    rm -f "$dist"/aimscheck-*.tgz
    (cd "$platform" && npm pack --silent --pack-destination "$dist" > /dev/null)
    (cd "$pkg" && npm pack --silent --pack-destination "$dist" > /dev/null)
}

build_cli() {
    step "CLI binary (cargo build --release)"
    cargo build --release --locked -p aimscheck-cli
    local target_dir
    target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
        node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')"
    local name="aimscheck-$version-x86_64-unknown-linux-gnu"
    mkdir -p "$stage/$name"
    cp "$target_dir/release/aimscheck" "$stage/$name/"
    strip_copy "$stage/$name/aimscheck"
    cat > "$stage/$name/README.md" << EOF
# aimscheck $version, Linux x86_64

\`aimscheck\` checks an AI management system (AIMS) model against ISO/IEC 42001:2023 clause 4.4
with declarative rules and says rule by rule and clause by clause what holds, what fails, where
in the model and what to do. The default rule pack is built in: the binary needs no other file.

Runs on Linux on x86_64 with glibc 2.34 or later (Debian 12, Ubuntu 22.04, RHEL 9 and later).

    ./aimscheck check model.json --as-of 2026-06-30            # the report as text
    ./aimscheck check model.json --as-of 2026-06-30 --format json
    ./aimscheck init --tier startup --output model.json        # a starter model to fill in
    ./aimscheck --help

Exit codes: 0 no failing rule at or above --fail-on, 1 failures, 2 bad input or usage.

## Licence

aimscheck is licensed under the Apache License, Version 2.0
(SPDX: Apache-2.0; https://www.apache.org/licenses/LICENSE-2.0). The binary also contains crates
from crates.io under their own permissive licences (MIT, Apache-2.0, BSD-2-Clause,
BSD-3-Clause, Zlib, Unicode-3.0); in the source, \`cargo tree -p aimscheck-cli -e normal -f
'{p} {l}'\` lists each with its licence.
EOF
    rm -f "$dist"/aimscheck-*-x86_64-unknown-linux-gnu.tar.gz
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
        -C "$stage" -cf - "$name" | gzip -9 -n > "$dist/$name.tar.gz"
}

for part in "${parts[@]}"; do
    "build_$part"
done

(
    cd "$dist"
    shopt -s nullglob
    built=(*.whl *.tgz *.tar.gz)
    rm -f SHA256SUMS
    sha256sum -- "${built[@]}" > SHA256SUMS
)
step "dist/"
ls -l "$dist"
