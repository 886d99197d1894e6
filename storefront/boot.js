// Boots one browser bundle. A file, not an inline script, so the pages'
// Content-Security-Policy allows scripts from the shop's origin only.
import init from "/pkg/BUNDLE.js";
init({ module_or_path: "/pkg/BUNDLE_bg.wasm" });
