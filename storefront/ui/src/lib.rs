//! What every browser bundle shares. The shop is split into separately
//! loaded bundles so a shopper's first load carries only the catalog, product
//! pages and cart (`comptoir-shop`); checkout, payment and the customer portal
//! come with `comptoir-account` (under `/compte/`); staff code lives in its own
//! bundle and is never downloaded by a shopper.
//!
//! - [`api`]: typed calls to the functions; every answer is a shared contract
//!   type or an [`comptoir_shared::ApiError`].
//! - [`state`]: the cart the browser remembers, the signed-in account.
//! - [`i18n`] and [`text`]: French first, English on a switch; money and dates.
//! - [`components`]: the page shell (header with mini-cart, language switch,
//!   footer) and shared widgets.

pub mod api;
pub mod components;
pub mod i18n;
pub mod state;
pub mod text;

/// Waits `ms` milliseconds (a browser timer, no busy loop).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Which bundle a page belongs to. A link into another bundle is a full page
/// load (`rel="external"`), not a client-side route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `/`, `/produits/…`, `/panier`.
    Shop,
    /// `/compte/…`: checkout, payment, orders, portal.
    Account,
    /// `/admin/…`: the staff area.
    Admin,
}

impl Bundle {
    /// The bundle serving `path`.
    pub fn of(path: &str) -> Self {
        match comptoir_shared::site::index_for(path) {
            "compte/index.html" => Self::Account,
            "admin/index.html" => Self::Admin,
            _ => Self::Shop,
        }
    }
}

/// Paths the bundles link to each other with.
pub mod paths {
    /// Catalog.
    pub const CATALOG: &str = "/";
    /// Cart.
    pub const CART: &str = "/panier";
    /// Checkout.
    pub const CHECKOUT: &str = "/compte/commande";
    /// The portal's home: orders and profile.
    pub const ACCOUNT: &str = "/compte";
    /// Sign in.
    pub const SIGN_IN: &str = "/compte/connexion";
    /// Sign up.
    pub const SIGN_UP: &str = "/compte/inscription";
    /// Privacy: what the audience measurement keeps, and its opt-out.
    pub const PRIVACY: &str = "/confidentialite";

    /// A product page.
    pub fn product(id: &impl std::fmt::Display) -> String {
        format!("/produits/{id}")
    }

    /// An order page.
    pub fn order(id: &impl std::fmt::Display) -> String {
        format!("/compte/commandes/{id}")
    }
    /// The cart after the payment provider declined (the order is cancelled).
    pub const CART_DECLINED: &str = "/panier?paiement=refuse";
}
