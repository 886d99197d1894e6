#!/usr/bin/env bash
# Builds the storefront into dist/: cargo (profile `storefront`, for size) →
# wasm-bindgen (no download) → wasm-opt -Oz → static files. Prints each
# bundle's raw and gzip size. Needs infra/install-tools.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=dist
WASM=target/wasm32-unknown-unknown/storefront/comptoir_storefront.wasm

cargo build -p comptoir-storefront --target wasm32-unknown-unknown --profile storefront
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen "$WASM" --out-dir "$OUT" --target web --no-typescript
.tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    "$OUT/comptoir_storefront_bg.wasm" -o "$OUT/comptoir_storefront_bg.wasm"
cp -r storefront/public/. "$OUT/"
cp storefront/index.html storefront/style.css "$OUT/"

echo "storefront bundle (what a shopper downloads first):"
total=0
for f in "$OUT/index.html" "$OUT/style.css" "$OUT/comptoir_storefront.js" "$OUT/comptoir_storefront_bg.wasm"; do
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); total=$((total + gz))
    printf '  %-32s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf '  %-32s %8s       %8d B gzip\n' "total" "" "$total"
