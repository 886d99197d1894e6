// Boots one client-rendered bundle (the account or staff area). A file, not
// an inline script, so the pages' Content-Security-Policy allows scripts
// from the shop's origin only. The build names it and the files it imports
// by their content hashes.
import init from "/pkg/BUNDLE_JS";
init({ module_or_path: "/pkg/BUNDLE_WASM" });
// The audience beacon's "checkout started" (see islands.js): no cookie, and
// nothing under DNT, GPC or the privacy page's opt-out.
const measured = () => {
    try { if (localStorage.getItem("comptoir.audience-opt-out") === "1") return false; } catch {}
    return navigator.doNotTrack !== "1" && navigator.globalPrivacyControl !== true;
};
if (location.pathname === "/compte/commande" && measured()) {
    fetch("/api/events", {
        method: "POST", keepalive: true, headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "checkout_started", path: location.pathname }),
    }).catch(() => {});
}
