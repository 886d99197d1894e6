#!/usr/bin/env bash
# Builds the browser bundles into dist/ and prints what each weighs:
#   comptoir-shop    → dist/index.html          (/, /produits/…, /panier): a shopper's first load
#   comptoir-account → dist/compte/index.html   (/compte/…: checkout, payment, portal)
#   comptoir-admin   → dist/admin/index.html    (/admin/…: the staff area; never loaded by a shopper)
# Each is cargo (profile `storefront`) → wasm-bindgen (no download) → wasm-opt -Oz.
# Fails when the shop's first load (html + css + js + wasm, gzip) exceeds the
# 250 KB budget. Needs infra/install-tools.sh first (rust-src, wasm-bindgen, wasm-opt).
#
# Size flags: std is rebuilt with panics that abort immediately (no message
# formatting or unwinding tables), `Debug` formatting compiled out and no
# panic locations. These are nightly `-Z` options; RUSTC_BOOTSTRAP=1 enables
# them on the pinned stable compiler for this build only. Together they take
# about 10 % off the bundle; a panic shows as `unreachable` in the console.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=dist
BUDGET=$((250 * 1024))
BUNDLES=(comptoir_shop comptoir_account comptoir_admin)

RUSTC_BOOTSTRAP=1 \
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none" \
cargo build -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown --profile storefront \
    -p comptoir-shop -p comptoir-account -p comptoir-admin

rm -rf "$OUT" && mkdir -p "$OUT/pkg" "$OUT/compte" "$OUT/admin"
cp -r storefront/public/. "$OUT/"
cp storefront/style.css "$OUT/"
for b in "${BUNDLES[@]}"; do
    wasm-bindgen "target/wasm32-unknown-unknown/storefront/$b.wasm" --out-dir "$OUT/pkg" --target web --no-typescript
    .tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$OUT/pkg/${b}_bg.wasm" -o "$OUT/pkg/${b}_bg.wasm"
    sed "s/BUNDLE/$b/g" storefront/boot.js > "$OUT/pkg/${b}_boot.js"
done
sed "s/BUNDLE/comptoir_shop/g" storefront/index.html > "$OUT/index.html"
sed "s/BUNDLE/comptoir_account/g" storefront/index.html > "$OUT/compte/index.html"
sed -e "s/BUNDLE/comptoir_admin/g" -e "s|<title>Comptoir</title>|<title>Comptoir — personnel</title>|" \
    storefront/index.html > "$OUT/admin/index.html"

gz() { gzip -9 -c "$1" | wc -c; }
report() { # name, files…
    local name=$1 total=0 raw=0; shift
    echo "$name:"
    for f in "$@"; do
        local r g; r=$(stat -c %s "$f"); g=$(gz "$f"); total=$((total + g)); raw=$((raw + r))
        printf '  %-36s %8d B raw %8d B gzip\n' "${f#"$OUT"/}" "$r" "$g"
    done
    printf '  %-36s %8d B raw %8d B gzip\n' "total" "$raw" "$total"
    LAST_TOTAL=$total
}
report "shop bundle (a shopper's first load)" "$OUT/index.html" "$OUT/style.css" \
    "$OUT/pkg/comptoir_shop_boot.js" "$OUT/pkg/comptoir_shop.js" "$OUT/pkg/comptoir_shop_bg.wasm"
shop=$LAST_TOTAL
report "account bundle (checkout, payment, portal; loaded on entering /compte)" "$OUT/compte/index.html" \
    "$OUT/pkg/comptoir_account_boot.js" "$OUT/pkg/comptoir_account.js" "$OUT/pkg/comptoir_account_bg.wasm"
report "admin bundle (staff only)" "$OUT/admin/index.html" \
    "$OUT/pkg/comptoir_admin_boot.js" "$OUT/pkg/comptoir_admin.js" "$OUT/pkg/comptoir_admin_bg.wasm"
# What a shopper downloads must not carry staff code: none of the staff
# routes the admin bundle calls may appear in the shop or account bundles.
for b in comptoir_shop comptoir_account; do
    for route in /api/kpis /api/audit /api/accounts/staff /api/orders/export.csv /api/catalog/admin; do
        if grep -aq "$route" "$OUT/pkg/${b}_bg.wasm" "$OUT/pkg/$b.js"; then
            echo "$b carries staff code ($route)" >&2
            exit 1
        fi
    done
done
if [ "$shop" -gt "$BUDGET" ]; then
    echo "the shop's first load is $shop B gzip, over the $BUDGET B budget" >&2
    exit 1
fi
