// Wakes the islands of a server-rendered shop page (the mini-cart, the
// product page's picker, the cart). A file, not an inline script, so the
// pages' Content-Security-Policy allows scripts from the shop's origin only.
// The build names it and the files it imports by their content hashes.
import init, * as bundle from "/pkg/BUNDLE_JS";

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
