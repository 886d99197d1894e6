//! Which browser bundle serves a page. The storefront is split so a shopper's
//! first load carries only the shop; pages under `/compte` (checkout,
//! payment, orders, the customer portal) belong to the account bundle, pages
//! under `/admin` to the staff bundle. Both
//! hosts' file servers and the bundles' own links follow this one rule.

/// Where the account bundle's pages live.
pub const ACCOUNT_PREFIX: &str = "/compte";

/// Whether `path` (without query string) is an account-bundle page.
pub fn in_account(path: &str) -> bool {
    under(path, ACCOUNT_PREFIX)
}

/// Where the staff bundle's pages live.
pub const ADMIN_PREFIX: &str = "/admin";

fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The HTML page (relative to the storefront folder) that boots the bundle
/// serving `path`.
pub fn index_for(path: &str) -> &'static str {
    if in_account(path) {
        "compte/index.html"
    } else if under(path, ADMIN_PREFIX) {
        "admin/index.html"
    } else {
        "index.html"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_and_staff_pages_and_only_them_boot_their_bundles() {
        for path in [
            "/compte",
            "/compte/",
            "/compte/commandes/abc",
            "/compte/connexion",
        ] {
            assert_eq!(index_for(path), "compte/index.html", "{path}");
        }
        for path in ["/admin", "/admin/commandes/abc"] {
            assert_eq!(index_for(path), "admin/index.html", "{path}");
        }
        for path in [
            "/",
            "/panier",
            "/produits/t-shirt-lin",
            "/comptes",
            "/compteur",
            "/administration",
        ] {
            assert_eq!(index_for(path), "index.html", "{path}");
        }
    }
}
