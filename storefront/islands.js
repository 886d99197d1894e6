// Wakes the islands of a server-rendered shop page (the mini-cart, the
// product page's picker, the cart). A file, not an inline script, so the
// pages' Content-Security-Policy allows scripts from the shop's origin only.
// The build names it and the files it imports by their content hashes.
import init, * as bundle from "/pkg/BUNDLE_JS";

// The audience beacon (README, "Audience measurement without consent"): the
// page shown, reported here because the HTML may come from a cache. No
// cookie; the server keeps the path without its query, the referrer's host
// and the utm_* tags, and counts nothing under DNT or GPC.
const q = new URLSearchParams(location.search), tag = (k) => q.get(k) || undefined;
fetch("/api/events", {
    method: "POST", keepalive: true, headers: { "content-type": "application/json" },
    body: JSON.stringify({
        kind: /\/produits\//.test(location.pathname) ? "product_view" : "view",
        path: location.pathname, referrer: document.referrer || undefined,
        utm_source: tag("utm_source"), utm_medium: tag("utm_medium"), utm_campaign: tag("utm_campaign"),
    }),
}).catch(() => {});

await init({ module_or_path: "/pkg/BUNDLE_WASM" });
bundle.hydrate();
for (const island of document.querySelectorAll("leptos-island")) {
    const wake = bundle[island.dataset.component];
    if (wake) {
        wake(island);
    } else {
        console.error(`no code for the island ${island.dataset.component}`);
    }
}
document.documentElement.dataset.islands = "awake";
