#!/usr/bin/env bash
# Builds the browser bundles into dist/ and prints what each weighs:
#   comptoir-shop    → dist/pkg/comptoir_shop*  the islands of the shop's pages, which
#                      the functions render on the server (/, /produits/…, /panier, /en/…)
#   comptoir-account → dist/compte/index.html   (/compte/…: checkout, payment, portal)
#   comptoir-admin   → dist/admin/index.html    (/admin/…: the staff area; never loaded by a shopper)
# Each is cargo (profile `storefront`) → wasm-bindgen (no download) → wasm-opt -Oz.
# The shop is built on its own (features `hydrate` + islands); the two
# client-rendered bundles together (`csr`). Every file under dist/pkg/ is
# named by its content hash (served `immutable`); dist/assets.json tells the
# pages which names to link.
# Fails when the shop's files alone (css + boot + js + wasm, gzip) exceed
# BUDGET; the e2e suite adds each page's HTML to that.
# Needs infra/install-tools.sh first (rust-src, wasm-bindgen, wasm-opt).
#
# Size flags: std is rebuilt with panics that abort immediately (no message
# formatting or unwinding tables), `Debug` formatting compiled out and no
# panic locations. These are nightly `-Z` options; RUSTC_BOOTSTRAP=1 enables
# them on the pinned stable compiler for this build only. Together they take
# about 10 % off the bundle; a panic shows as `unreachable` in the console.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=dist
# The target is 120 KB with each page's HTML; the islands' WebAssembly is
# not that small yet (leptos' hydration runtime, serde_json, the cart
# island), so the build holds the line where it stands today.
BUDGET=$((120 * 1024))
BUNDLES=(comptoir_shop comptoir_shop_cart comptoir_account comptoir_admin)

build() { # cargo arguments
    RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none" \
    cargo build -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown --profile storefront "$@"
}
WASM=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/storefront
rm -rf "$OUT" && mkdir -p "$OUT/pkg" "$OUT/compte" "$OUT/admin" "$WASM/islands"
# The shop twice: its pages' islands, then the same plus the cart's (the
# cart page's bundle). Only the shop crate itself is rebuilt the second time.
build -p comptoir-shop --features hydrate
cp "$WASM/comptoir_shop.wasm" "$WASM/islands/comptoir_shop.wasm"
build -p comptoir-shop --features hydrate,cart-island
cp "$WASM/comptoir_shop.wasm" "$WASM/islands/comptoir_shop_cart.wasm"
build -p comptoir-account -p comptoir-admin

cp -r storefront/public/. "$OUT/"
hash() { sha256sum "$1" | cut -c1-16; }
# Renames pkg/NAME.EXT to pkg/NAME.<hash>.EXT and prints the new name.
hashed() {
    local file=$1 name ext h
    name=$(basename "$file"); ext=${name##*.}; name=${name%.*}
    h=$(hash "$file")
    mv "$file" "$OUT/pkg/$name.$h.$ext"
    echo "$name.$h.$ext"
}
cp storefront/style.css storefront/app.css "$OUT/pkg/"
STYLE=$(hashed "$OUT/pkg/style.css")
APPSTYLE=$(hashed "$OUT/pkg/app.css")
for b in "${BUNDLES[@]}"; do
    source="$WASM/$b.wasm"
    case "$b" in comptoir_shop*) source="$WASM/islands/$b.wasm" ;; esac
    wasm-bindgen "$source" --out-dir "$OUT/pkg" --target web --no-typescript
    .tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$OUT/pkg/${b}_bg.wasm" -o "$OUT/pkg/${b}_bg.wasm"
    wasm=$(hashed "$OUT/pkg/${b}_bg.wasm")
    js=$(hashed "$OUT/pkg/$b.js")
    template=storefront/boot.js
    case "$b" in comptoir_shop*) template=storefront/islands.js ;; esac
    sed -e "s/BUNDLE_JS/$js/" -e "s/BUNDLE_WASM/$wasm/" "$template" > "$OUT/pkg/${b}_boot.js"
    boot=$(hashed "$OUT/pkg/${b}_boot.js")
    declare "WASM_$b=$wasm" "JS_$b=$js" "BOOT_$b=$boot"
done
page() { # bundle, title
    local wasm="WASM_$1" boot="BOOT_$1"
    sed -e "s/BUNDLE_WASM/${!wasm}/" -e "s/BOOT/${!boot}/" -e "s/APPSTYLE/$APPSTYLE/" -e "s/STYLE/$STYLE/" -e "s/TITLE/$2/" storefront/index.html
}
page comptoir_account "Comptoir — mon compte" > "$OUT/compte/index.html"
page comptoir_admin "Comptoir — personnel" > "$OUT/admin/index.html"
printf '{"css":"/pkg/%s","boot":"/pkg/%s","cart_boot":"/pkg/%s"}\n' \
    "$STYLE" "$BOOT_comptoir_shop" "$BOOT_comptoir_shop_cart" > "$OUT/assets.json"

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
report "shop (the islands of the catalog and product pages; each page's HTML comes on top)" "$OUT/pkg/$STYLE" \
    "$OUT/pkg/$BOOT_comptoir_shop" "$OUT/pkg/$JS_comptoir_shop" "$OUT/pkg/$WASM_comptoir_shop"
shop=$LAST_TOTAL
report "cart page (the same islands and the cart's)" "$OUT/pkg/$STYLE" \
    "$OUT/pkg/$BOOT_comptoir_shop_cart" "$OUT/pkg/$JS_comptoir_shop_cart" "$OUT/pkg/$WASM_comptoir_shop_cart"
report "account bundle (checkout, payment, portal; loaded on entering /compte)" "$OUT/compte/index.html" \
    "$OUT/pkg/$BOOT_comptoir_account" "$OUT/pkg/$JS_comptoir_account" "$OUT/pkg/$WASM_comptoir_account"
report "admin bundle (staff only)" "$OUT/admin/index.html" \
    "$OUT/pkg/$BOOT_comptoir_admin" "$OUT/pkg/$JS_comptoir_admin" "$OUT/pkg/$WASM_comptoir_admin"
# What a shopper downloads must not carry staff code: none of the staff
# routes the admin bundle calls may appear in the shop or account bundles.
for b in comptoir_shop comptoir_shop_cart comptoir_account; do
    for route in /api/kpis /api/audit /api/accounts/staff /api/orders/export.csv /api/catalog/admin; do
        if grep -aq "$route" "$OUT"/pkg/"$b"[._]*; then
            echo "$b carries staff code ($route)" >&2
            exit 1
        fi
    done
done
if [ "$shop" -gt "$BUDGET" ]; then
    echo "the shop's files are $shop B gzip, over the $BUDGET B first-load budget" >&2
    exit 1
fi
