// Wakes the islands of a server-rendered shop page (the mini-cart, the
// product page's picker, the cart). A file, not an inline script, so the
// pages' Content-Security-Policy allows scripts from the shop's origin only.
// The build names it and the files it imports by their content hashes.
import init, * as bundle from "/pkg/BUNDLE_JS";

// The audience beacon (README, "Audience measurement without consent"): the
// page shown, reported here because the HTML may come from a cache. No
// cookie; the server keeps the path without its query, the referrer's host
// and the utm_* tags. Nothing is sent when the browser asks not to be
// tracked (DNT, GPC) or the shopper opted out on /confidentialite: one
// localStorage entry, written only then, that the add-to-cart beacon
// (comptoir_ui::state) and the account bundle's boot script read too.
const OPT_OUT = "comptoir.audience-opt-out";
const optedOut = () => { try { return localStorage.getItem(OPT_OUT) === "1"; } catch { return false; } };
const refused = () => navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true;
const q = new URLSearchParams(location.search), tag = (k) => q.get(k) || undefined;
if (!refused() && !optedOut()) {
    fetch("/api/events", {
        method: "POST", keepalive: true, headers: { "content-type": "application/json" },
        body: JSON.stringify({
            kind: /\/produits\//.test(location.pathname) ? "product_view" : "view",
            path: location.pathname, referrer: document.referrer || undefined,
            utm_source: tag("utm_source"), utm_medium: tag("utm_medium"), utm_campaign: tag("utm_campaign"),
        }),
    }).catch(() => {});
}
// The privacy page's button (hidden without scripts): sets or clears the
// opt-out, and says which applies.
const toggle = document.getElementById("audience-toggle"), said = document.getElementById("audience-state");
if (toggle && said) {
    const show = () => {
        const out = optedOut();
        toggle.textContent = out ? toggle.dataset.on : toggle.dataset.off;
        said.textContent = refused() ? said.dataset.browser : out ? said.dataset.optedOut : said.dataset.measured;
    };
    toggle.addEventListener("click", () => {
        try { if (optedOut()) localStorage.removeItem(OPT_OUT); else localStorage.setItem(OPT_OUT, "1"); } catch {}
        show();
    });
    toggle.hidden = false;
    show();
}

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
