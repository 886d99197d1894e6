#!/usr/bin/env bash
# Runs every check Comptoir has, in the order CI needs them, installing what
# is missing first. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

COMPONENTS=(comptoir-catalog comptoir-cart comptoir-checkout comptoir-payments comptoir-orders comptoir-accounts comptoir-refunds comptoir-stock comptoir-support comptoir-kpis comptoir-jobs comptoir-finance comptoir-files comptoir-pages)
# Each step's name, then how long the step before it took; a summary at the end.
STEP_NAME="" STEP_START=$SECONDS TIMES=""
finish_step() {
    if [ -n "$STEP_NAME" ]; then
        local took=$((SECONDS - STEP_START))
        printf '    (%s: %d s)\n' "$STEP_NAME" "$took"
        TIMES+=$(printf '%5d s  %s' "$took" "$STEP_NAME")$'\n'
    fi
}
step() { finish_step; STEP_NAME="$*" STEP_START=$SECONDS; printf '\n==> %s\n' "$*"; }
summary() {
    finish_step
    printf '\n==> time per step\n%s%5d s  in all\n' "$TIMES" "$SECONDS"
    printf '==> disk: %s in target/, %s free\n' "$(du -sh target 2>/dev/null | cut -f1)" "$(df -h --output=avail . | tail -1 | tr -d ' ')"
}
trap 'summary' EXIT
# CI builds once from scratch: incremental caches would only fill the disk
# (3.7 GB measured); the job prints what target/ holds at the end.
export CARGO_INCREMENTAL=0
packages() { local out=(); for p in "$@"; do out+=(-p "$p"); done; echo "${out[@]}"; }

step "tools"
bash infra/install-tools.sh --browser

step "format"
cargo fmt --all --check

step "Kubernetes manifests: SpinApp against its CRD, the rest with kubernetes-validate"
.tools/kube-venv/bin/python infra/kubernetes/validate.py

step "the contract crate stays pure: serde only (its OpenAPI schemas are behind a feature)"
if cargo tree -p comptoir-shared -e normal --depth 1 --prefix none --target all | grep -vE '^(comptoir-shared|serde) '; then
    echo "comptoir-shared must depend on serde only without its openapi feature" >&2
    exit 1
fi

step "clippy, native"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy, wasm32-wasip2 (functions and Spin components)"
# shellcheck disable=SC2046
cargo clippy --target wasm32-wasip2 $(packages comptoir-shared comptoir-functions comptoir-spin-host "${COMPONENTS[@]}") -- -D warnings
step "clippy, wasm32-unknown-unknown (storefront)"
cargo clippy --target wasm32-unknown-unknown -p comptoir-shared -p comptoir-ui -p comptoir-shop -p comptoir-account -p comptoir-admin -- -D warnings
# The shop as the browser gets it: its islands, woken (hydrate).
cargo clippy --target wasm32-unknown-unknown -p comptoir-shop --features hydrate,cart-island -- -D warnings

step "a shopper never downloads staff code"
if cargo tree -p comptoir-shop -e normal --prefix none --target wasm32-unknown-unknown | grep -E '^comptoir-(functions|admin) '; then
    echo "the shop bundle must not depend on back-office or staff code" >&2
    exit 1
fi

step "the browser bundles never carry the API document code"
if cargo tree -p comptoir-ui -p comptoir-shop -p comptoir-account -p comptoir-admin -e normal --prefix none --target wasm32-unknown-unknown | grep -E '^utoipa'; then
    echo "the storefront bundles must not depend on utoipa" >&2
    exit 1
fi

step "release build of every Spin component (wasm32-wasip2)"
# shellcheck disable=SC2046
cargo build --target wasm32-wasip2 --release $(packages "${COMPONENTS[@]}")
for c in "${COMPONENTS[@]}"; do
    f="target/wasm32-wasip2/release/${c//-/_}.wasm"
    printf '  %-34s %8d B\n' "$(basename "$f")" "$(stat -c %s "$f")"
done

step "storefront build"
bash infra/build-storefront.sh

step "tests: unit, API (native host, fresh database) and browser (headless Chromium)"
# The binaries too, with the tests' features: the fuzzing step runs this host.
cargo build --workspace --bins
cargo test --workspace

step "stock forecast backtest: WAPE and MASE against seasonal-naive (generated sales with stockouts)"
# Built by the tests step (cargo test builds the examples); the unit test
# beside the model asserts it beats the baseline.
target/debug/examples/backtest

step "Lighthouse: the shop's home, category and product pages (mobile, simulated throttling)"
COMPTOIR_HOST_BIN=target/debug/comptoir-host bash e2e/lighthouse/run.sh

step "the API suite again, on Postgres (a throwaway cluster; the same test binaries)"
PG_DIR=$(mktemp -d /tmp/comptoir-pg-XXXXXX)
trap 'bash infra/postgres.sh stop "$PG_DIR"; summary' EXIT
COMPTOIR_TEST_POSTGRES=$(bash infra/postgres.sh start "$PG_DIR")
export COMPTOIR_TEST_POSTGRES
# --workspace as in the tests step: the same features, so nothing is rebuilt.
cargo test --workspace --test suite -- --skip browser::
bash infra/postgres.sh stop "$PG_DIR"
unset COMPTOIR_TEST_POSTGRES

step "API fuzzing: Schemathesis against the native host, every operation, every caller"
COMPTOIR_HOST_BIN=target/debug/comptoir-host bash e2e/schemathesis/run.sh
