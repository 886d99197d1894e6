//! What the browser remembers between pages and bundles: the cart's id in
//! `localStorage` (the cart itself always comes from the functions) and the
//! signed-in account, read from the session cookie through `/api/accounts/me`.

use comptoir_shared::account::Account;
use comptoir_shared::ids::CartId;
use leptos::prelude::*;

const KEY: &str = "comptoir.cart";
/// Set to `"1"` by the privacy page's button (`/confidentialite`, worked by
/// `storefront/islands.js`): this browser sends no audience event. The
/// boot scripts read it as well; it is written only on request.
pub const AUDIENCE_OPT_OUT: &str = "comptoir.audience-opt-out";

/// Whether the audience beacon may report from this browser: not when it
/// asks not to be tracked (`navigator.doNotTrack == "1"`,
/// `navigator.globalPrivacyControl`), nor when the shopper opted out
/// ([`AUDIENCE_OPT_OUT`]). Read through `Reflect`, so the shop's bundle
/// carries no binding for `Navigator`.
pub fn audience_measured() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &wasm_bindgen::JsValue::from_str(name))
            .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
    };
    let navigator = get(&window, "navigator");
    let do_not_track = get(&navigator, "doNotTrack").as_string().as_deref() == Some("1");
    let privacy_control = get(&navigator, "globalPrivacyControl").as_bool() == Some(true);
    let opted_out = storage()
        .and_then(|s| s.get_item(AUDIENCE_OPT_OUT).ok().flatten())
        .as_deref()
        == Some("1");
    !(do_not_track || privacy_control || opted_out)
}
/// The order this browser's cart became, while its payment is open.
const PAYING: &str = "comptoir.paying";

/// The cart, shared by every page through Leptos context.
#[derive(Clone, Copy)]
pub struct CartState {
    /// The current cart's id, if one was created.
    pub id: RwSignal<Option<CartId>>,
    /// Units in the cart, for the mini-cart.
    pub count: RwSignal<u32>,
}

/// The browser's `localStorage`, when it has one.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl CartState {
    /// Restores the cart id kept by a previous visit.
    pub fn load() -> Self {
        let id = storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|raw| CartId::parse(&raw).ok());
        let state = Self {
            id: RwSignal::new(id.clone()),
            count: RwSignal::new(0),
        };
        if let Some(id) = id {
            leptos::task::spawn_local(async move {
                // The cart may have been forgotten meanwhile (its order just
                // got paid): never bring it back.
                let still = |s: &Self| s.id.get_untracked().as_ref() == Some(&id);
                // Only the count is read: the names' language does not matter.
                let lang = crate::i18n::Lang::default();
                match crate::api::cart::<crate::api::HeldCart>(&id, lang).await {
                    Ok(cart) if still(&state) => state.show(&cart.id, cart.item_count),
                    Ok(_) => {}
                    Err(_) if still(&state) => state.forget(),
                    Err(_) => {}
                }
            });
        }
        state
    }

    /// The cart shared by a shop page's islands (the mini-cart, the product
    /// page's button, the cart page): one per browser page, restored from
    /// storage once (what it shows arrives later, so the server's HTML and
    /// the first browser render agree). Off the browser (the server
    /// rendering a page), an empty one of its own.
    pub fn shared() -> Self {
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        {
            thread_local! {
                static SHARED: std::cell::OnceCell<CartState> = const { std::cell::OnceCell::new() };
            }
            SHARED.with(|cell| *cell.get_or_init(Self::load))
        }
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        Self {
            id: RwSignal::new(None),
            count: RwSignal::new(0),
        }
    }

    /// Records a cart the functions answered with: its id and unit count.
    pub fn show(&self, id: &CartId, item_count: u32) {
        if self.id.get_untracked().as_ref() != Some(id) {
            if let Some(s) = storage() {
                let _ = s.set_item(KEY, id.as_str());
            }
            self.id.set(Some(id.clone()));
        }
        self.count.set(item_count);
    }

    /// Remembers that this cart became `order`, whose payment is now open.
    pub fn paying(&self, order: &comptoir_shared::ids::OrderId) {
        if let Some(s) = storage() {
            let _ = s.set_item(PAYING, order.as_str());
        }
    }

    /// `order` is paid: if it is the one this cart became, the cart is done.
    /// (Opening an older paid order leaves the current cart alone.)
    pub fn paid(&self, order: &comptoir_shared::ids::OrderId) {
        let Some(s) = storage() else { return };
        if s.get_item(PAYING).ok().flatten().as_deref() == Some(order.as_str()) {
            let _ = s.remove_item(PAYING);
            self.forget();
        }
    }

    /// Drops the cart (after a paid order, or when the server no longer knows it).
    pub fn forget(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
        }
        self.id.set(None);
        self.count.set(0);
    }

    /// The current cart id, creating a cart on first use.
    pub async fn ensure(&self) -> crate::api::CallResult<CartId> {
        if let Some(id) = self.id.get_untracked() {
            return Ok(id);
        }
        let cart: crate::api::HeldCart = crate::api::create_cart().await?;
        self.show(&cart.id, cart.item_count);
        Ok(cart.id)
    }
}

/// Who is signed in: `None` until known or when nobody is.
#[derive(Clone, Copy)]
pub struct Session {
    /// The account behind the session cookie.
    pub account: RwSignal<Option<Account>>,
    /// Whether `/api/accounts/me` has answered yet.
    pub known: RwSignal<bool>,
}

impl Session {
    /// Asks the functions who the cookie belongs to.
    pub fn load() -> Self {
        let session = Self {
            account: RwSignal::new(None),
            known: RwSignal::new(false),
        };
        leptos::task::spawn_local(async move {
            session.account.set(crate::api::me().await.ok());
            session.known.set(true);
        });
        session
    }
}
