#!/usr/bin/env bash
# Audits the shop's server-rendered pages with Lighthouse 13 (npm, pinned,
# installed into .tools/lighthouse by `infra/install-tools.sh --browser`) in
# Debian's Chromium, with its defaults: mobile emulation and simulated
# throttling. Pages: the home page (the catalog), a category and a product,
# on a native host with a fresh database and the built storefront (dist/).
# Prints performance, LCP, CLS, accessibility, SEO and bytes per page, and
# fails when a page scores below 100 in accessibility or SEO (naming the
# failing audits). Targets it prints but does not enforce (simulated
# figures vary with the machine): performance >= 95, LCP <= 1.5 s, CLS <= 0.05.
#
# Uses target/debug/comptoir-host unless COMPTOIR_HOST_BIN names another
# (the benchmark passes its release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
LH=.tools/lighthouse/node_modules/.bin/lighthouse
HOST_BIN=${COMPTOIR_HOST_BIN:-target/debug/comptoir-host}
[ -x "$LH" ] || { echo "lighthouse is missing: run infra/install-tools.sh --browser" >&2; exit 1; }
[ -f dist/assets.json ] || { echo "build the storefront first: infra/build-storefront.sh" >&2; exit 1; }
[ -n "${COMPTOIR_HOST_BIN:-}" ] || cargo build -q -p comptoir-host

WORK=$(mktemp -d)
HOST_PID=
cleanup() {
    if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
COMPTOIR_DATABASE="$WORK/shop.db" COMPTOIR_ADDR="127.0.0.1:$PORT" COMPTOIR_PUBLIC_BASE_URL="$BASE" \
    COMPTOIR_STOREFRONT="$PWD/dist" RUST_LOG="${RUST_LOG:-warn}" "$HOST_BIN" >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 100); do
    curl -sf "$BASE/robots.txt" >/dev/null && break
    sleep 0.2
done

FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
FLAGS+=" --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=$WORK/profile"
failed=0
printf '%-26s %6s %8s %7s %6s %6s %9s\n' page perf "LCP s" CLS a11y SEO "bytes"
for path in / "/?category=Hauts" /produits/t-shirt-lin; do
    report="$WORK/report.json"
    # Lighthouse sometimes fails to record the trace of a load (NO_NAVSTART,
    # a known flake of headless Chromium); such a run measured nothing, so it
    # is tried again, up to three times, with a fresh profile.
    for attempt in 1 2 3; do
        rm -rf "$WORK/profile"
        if CHROME_PATH=/usr/bin/chromium "$LH" "$BASE$path" --quiet --output=json --output-path="$report" \
            --only-categories=performance,accessibility,seo --chrome-flags="$FLAGS" >/dev/null 2>"$WORK/lighthouse.log"; then
            break
        fi
        if [ "$attempt" = 3 ] || ! grep -q "Runtime error encountered" "$WORK/lighthouse.log"; then
            cat "$WORK/lighthouse.log" >&2
            exit 1
        fi
        echo "  $path: Lighthouse could not record the load ($(grep -o '([A-Z_]*)' "$WORK/lighthouse.log" | head -1)); again" >&2
    done
    node -e '
        const r = require(process.argv[1]);
        const c = r.categories, a = r.audits;
        const score = (k) => Math.round(c[k].score * 100);
        console.log([process.argv[2].padEnd(26), String(score("performance")).padStart(6),
            (a["largest-contentful-paint"].numericValue / 1000).toFixed(2).padStart(8),
            a["cumulative-layout-shift"].numericValue.toFixed(3).padStart(7),
            String(score("accessibility")).padStart(6), String(score("seo")).padStart(6),
            String(Math.round(a["total-byte-weight"].numericValue)).padStart(9)].join(" "));
        let bad = false;
        for (const k of ["accessibility", "seo"]) {
            if (c[k].score < 1) {
                bad = true;
                const failing = c[k].auditRefs.map((ref) => a[ref.id])
                    .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative")
                    .map((audit) => `${audit.id}: ${audit.title}`);
                console.error(`  ${process.argv[2]}: ${k} below 100: ${failing.join("; ")}`);
            }
        }
        process.exit(bad ? 1 : 0);
    ' "$report" "$path" || failed=1
done
exit "$failed"
