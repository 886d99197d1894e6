#!/usr/bin/env bash
# Installs what building and testing Comptoir needs on a fresh machine, each
# from a package registry at a pinned version, and skips what is already there:
# rustup targets and rust-src, wasm-bindgen-cli (the exact version Cargo.lock holds),
# binaryen's wasm-opt (npm; Debian's breaks the output), Schemathesis (PyPI, in a
# venv under .tools/, for the API fuzzing run), kubernetes-validate + jsonschema
# (PyPI, in their own venv .tools/kube-venv, for the Kubernetes manifests'
# check), and, with --browser (the test command), Debian's chromium +
# chromium-driver for the browser test, Lighthouse (npm, in its own prefix
# .tools/lighthouse) for the shop pages' audits, postgresql for the API
# suite's second store, and poppler-utils (pdftotext) to read invoices back;
# factur-x + saxonche (PyPI, in .tools/fx-venv) to validate Factur-X invoices.
set -euo pipefail
cd "$(dirname "$0")/.."

BINARYEN_VERSION=132.0.0
SCHEMATHESIS_VERSION=4.32.5
KUBERNETES_VALIDATE_VERSION=1.37.0
JSONSCHEMA_VERSION=4.26.0
LIGHTHOUSE_VERSION=13.5.0
TOOLS="$PWD/.tools"

rustup target add wasm32-wasip2 wasm32-unknown-unknown >/dev/null
# std sources: the storefront rebuilds std for size (see build-storefront.sh).
rustup component add rust-src >/dev/null

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
    echo "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
    # No --locked: its lockfile names a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$bindgen_version" --quiet
fi

if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ] || \
   [ "$(node -p "require('$TOOLS/node_modules/binaryen/package.json').version" 2>/dev/null)" != "$BINARYEN_VERSION" ]; then
    echo "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

if [ "$("$TOOLS/venv/bin/st" --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION (PyPI, into .tools/venv)"
    mkdir -p "$TOOLS"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# Its own venv: its jsonschema pin must not move Schemathesis's.
kube_tools() { "$TOOLS/kube-venv/bin/python" -c 'from importlib.metadata import version as v; print(v("jsonschema"), v("kubernetes-validate"))' 2>/dev/null; }
if [ "$(kube_tools)" != "$JSONSCHEMA_VERSION $KUBERNETES_VALIDATE_VERSION" ]; then
    echo "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION and jsonschema $JSONSCHEMA_VERSION (PyPI, into .tools/kube-venv)"
    mkdir -p "$TOOLS"
    python3 -m venv "$TOOLS/kube-venv"
    "$TOOLS/kube-venv/bin/pip" install --quiet --disable-pip-version-check \
        "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "jsonschema==$JSONSCHEMA_VERSION"
fi

# Factur-X validation (factur-x + saxonche from PyPI, pinned in
# e2e/facturx/requirements.txt; idempotent).
bash e2e/facturx/install.sh "$TOOLS/fx-venv" >/dev/null

if [ "${1:-}" = "--browser" ] && \
   [ "$(node -p "require('$TOOLS/lighthouse/node_modules/lighthouse/package.json').version" 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
    echo "installing lighthouse $LIGHTHOUSE_VERSION from npm (into .tools/lighthouse)"
    mkdir -p "$TOOLS/lighthouse"
    npm install --prefix "$TOOLS/lighthouse" --no-save --no-audit --no-fund --silent "lighthouse@$LIGHTHOUSE_VERSION"
fi

if [ "${1:-}" = "--browser" ] && ! { command -v chromium && command -v chromedriver && command -v pdftotext && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1; then
    echo "installing chromium, chromium-driver, postgresql and poppler-utils (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver postgresql poppler-utils >/dev/null
fi
