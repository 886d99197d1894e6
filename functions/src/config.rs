//! Configuration, parsed once from whatever the host offers (Spin variables or
//! environment variables) by the same code, so both hosts read it alike.

use anyhow::{Context as _, bail};
use comptoir_shared::company::{Siren, VatNumber};
use comptoir_shared::invoice::Seller;

/// Which payment provider takes the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProvider {
    /// The offline approve/decline page (default; local runs and tests).
    Sandbox,
    /// Stripe Checkout over its REST API.
    Stripe,
}

/// Every setting the functions read. Names are the Spin variable names; the
/// native host reads `COMPTOIR_<NAME>` from the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `payment_provider`: `sandbox` (default) or `stripe`.
    pub payment_provider: PaymentProvider,
    /// `stripe_secret_key`: the API key (secret); required with Stripe.
    pub stripe_secret_key: String,
    /// `stripe_api_base`: Stripe's API root (tests point it at a local fake).
    pub stripe_api_base: String,
    /// `webhook_secret`: signs and verifies payment events.
    pub webhook_secret: String,
    /// `public_base_url`: where the shop is reached, for redirect URLs.
    pub public_base_url: String,
    /// `reservation_ttl_seconds`: how long checkout holds stock (default 900).
    pub reservation_ttl_ms: i64,
    /// `demo_catalog`: seed the demo catalog into an empty database (default true).
    pub demo_catalog: bool,
    /// `admin_email` + `admin_password` (secret): the first admin, created on
    /// its first sign-in while the shop has no admin.
    pub initial_admin: Option<(String, String)>,
    /// The shop's own origins (`scheme://host[:port]`): `public_base_url`'s,
    /// then those of `allowed_origins` (comma-separated). State changes are
    /// accepted only from pages of these origins.
    pub origins: Vec<String>,
    /// `trusted_proxies` (comma-separated IP addresses or CIDR ranges, such
    /// as a cluster's pod network): peers whose `X-Forwarded-For` names the
    /// client (for sign-in throttling).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `jobs_secret` (secret): what `POST /api/jobs/run` must be sent as
    /// `Authorization: Bearer …`; unset, the route refuses every call.
    pub jobs_secret: Option<String>,
    /// `mail_api_base`: the root of an HTTP e-mail API in Resend's shape
    /// (`https://api.resend.com`; `POST {base}/emails`); unset, the outbox
    /// is not delivered by the job runner (staff read it).
    pub mail_api_base: Option<String>,
    /// `mail_api_key` (secret): the e-mail API's bearer key.
    pub mail_api_key: String,
    /// `mail_from`: the sender address of the shop's e-mails.
    pub mail_from: String,
    /// Who sells, as invoices name it: `seller_name`, `seller_legal_form`,
    /// `seller_share_capital`, `seller_street`, `seller_postal_code`,
    /// `seller_city`, `seller_siren`, `seller_rcs_city`, `seller_vat_number`
    /// (defaults to the SIREN's French number) and `vat_franchise` (`true`:
    /// no VAT number, the art. 293 B mention). The defaults describe a demo
    /// company; a real shop sets every one. Read where invoices are issued
    /// (the payments function), frozen on each document.
    pub seller: Seller,
    /// `payment_fee_bps` and `payment_fee_fixed_cents`: the provider's fee
    /// on a payment (default 150 and 25: Stripe's 1.5 % + 0.25 € on EEA
    /// cards). A payout's fee above it is a billing error; the sandbox
    /// charges exactly it.
    pub payment_fee_bps: i64,
    /// See [`Config::payment_fee_bps`].
    pub payment_fee_fixed_cents: i64,
    /// `intra_eu_exemption` (default `false`): whether a business giving a
    /// VAT number of the EU country it is delivered to gets the exempt
    /// price before VAT (art. 262 ter, I of the CGI). Off by default: the
    /// shop checks a VAT number's format, not its validity in VIES, so the
    /// operator who turns it on checks the numbers of the orders it exempts.
    pub intra_eu_exemption: bool,
    /// `verification_secret` (secret): the key that signs e-mail
    /// verification links (read it through [`Config::verification_key`]).
    /// Unset on a [local](is_local) shop without a live Stripe key:
    /// [`DEV_VERIFICATION_SECRET`], which
    /// anyone can read here. Unset anywhere else: the configuration is
    /// refused (the shop does not start) wherever the variable is given —
    /// the accounts function under Spin, the native host — and `None` in
    /// the components that are not given it (they neither sign nor check a
    /// link).
    pub verification_secret: Option<String>,
}

/// The key of e-mail verification links when `verification_secret` is
/// unset on a local shop: good only for local runs and tests.
pub const DEV_VERIFICATION_SECRET: &str = "comptoir_dev_verification_only";

/// Whether the shop is reached from this machine only: every one of its
/// origins (`public_base_url`'s and `allowed_origins`) on a loopback host
/// (`127.0.0.1`, `[::1]`, `localhost`), as the README's `bash infra/run.sh`
/// runs it. Only such a shop may go without its secrets' real values.
pub fn is_local(origins: &[String]) -> bool {
    let loopback = |origin: &String| {
        let authority = origin.split_once("://").map_or("", |(_, a)| a);
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        host == "localhost"
            || host.ends_with(".localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    };
    !origins.is_empty() && origins.iter().all(loopback)
}

/// A whole-number setting within `range`, `default` when unset.
fn whole(
    get: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> anyhow::Result<i64> {
    let value = match get(name) {
        Some(raw) => raw
            .parse()
            .with_context(|| format!("{name} must be a whole number"))?,
        None => default,
    };
    if !range.contains(&value) {
        bail!(
            "{name} must be between {} and {}",
            range.start(),
            range.end()
        );
    }
    Ok(value)
}

/// The demo company's SIREN (Luhn-valid, in no register).
const DEMO_SIREN: &str = "901234567";

/// The demo seller's settings, used for any `seller_*` left unset.
const DEMO_SELLER: [(&str, &str); 8] = [
    ("seller_name", "Comptoir Démo"),
    ("seller_legal_form", "SAS"),
    ("seller_share_capital", "10 000 €"),
    ("seller_street", "12 rue des Petits-Champs"),
    ("seller_postal_code", "75002"),
    ("seller_city", "Paris"),
    ("seller_siren", DEMO_SIREN),
    ("seller_rcs_city", "Paris"),
];

/// Reads and checks the seller's settings (`get` answers trimmed, non-empty
/// values).
fn seller(get: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Seller> {
    let text = |name: &str| {
        get(name).unwrap_or_else(|| {
            DEMO_SELLER
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        })
    };
    let siren =
        Siren::parse(&text("seller_siren")).map_err(|e| anyhow::anyhow!("seller_siren: {e}"))?;
    let vat_franchise = match get("vat_franchise").as_deref() {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => bail!("vat_franchise must be true or false, not {other:?}"),
    };
    let vat_number = match (get("seller_vat_number"), vat_franchise) {
        (_, true) => None,
        (Some(raw), false) => {
            Some(VatNumber::parse(&raw).map_err(|e| anyhow::anyhow!("seller_vat_number: {e}"))?)
        }
        (None, false) => Some(VatNumber::french(&siren)),
    };
    Ok(Seller {
        name: text("seller_name"),
        legal_form: text("seller_legal_form"),
        share_capital: text("seller_share_capital"),
        street: text("seller_street"),
        postal_code: text("seller_postal_code"),
        city: text("seller_city"),
        country: "FR".to_owned(),
        siren,
        rcs_city: text("seller_rcs_city"),
        vat_number,
        vat_franchise,
    })
}

/// The origin (`scheme://host[:port]`, lower case, default port dropped) of
/// an absolute http(s) URL; `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url.trim().to_ascii_lowercase();
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !matches!(scheme, "http" | "https") || authority.is_empty() || authority.contains('@') {
        return None;
    }
    let default_port = if scheme == "http" { ":80" } else { ":443" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{authority}"))
}

/// The variable names, for hosts that must declare them (spin.toml).
pub const VARIABLES: [&str; 29] = [
    "admin_email",
    "admin_password",
    "payment_provider",
    "webhook_secret",
    "stripe_secret_key",
    "stripe_api_base",
    "public_base_url",
    "reservation_ttl_seconds",
    "demo_catalog",
    "allowed_origins",
    "trusted_proxies",
    "jobs_secret",
    "mail_api_base",
    "mail_api_key",
    "mail_from",
    "seller_name",
    "seller_legal_form",
    "seller_share_capital",
    "seller_street",
    "seller_postal_code",
    "seller_city",
    "seller_siren",
    "seller_rcs_city",
    "seller_vat_number",
    "vat_franchise",
    "payment_fee_bps",
    "payment_fee_fixed_cents",
    "intra_eu_exemption",
    "verification_secret",
];

/// The store's address (`postgres://…`; unset: SQLite), read by the hosts
/// themselves to open the store, never by the functions.
pub const DATABASE_URL: &str = "database_url";

/// The variables holding secrets: `secret = true` in spin.toml (Spin keeps
/// them out of logs), `valueFrom.secretKeyRef` in the SpinApp.
pub const SECRETS: [&str; 7] = [
    DATABASE_URL,
    "webhook_secret",
    "stripe_secret_key",
    "admin_password",
    "jobs_secret",
    "mail_api_key",
    "verification_secret",
];

/// The webhook secret used when none is configured: good only for the
/// sandbox, refused with Stripe.
pub const SANDBOX_WEBHOOK_SECRET: &str = "whsec_comptoir_sandbox_only";

impl Config {
    /// The key that signs and checks e-mail verification links; an error in
    /// a component that is not given `verification_secret` (only the
    /// accounts function signs or checks links).
    pub fn verification_key(&self) -> anyhow::Result<&str> {
        self.verification_secret
            .as_deref()
            .context("verification_secret is not given to this component")
    }

    /// Parses settings from `lookup(name)`: `None` when the host does not
    /// give this component the variable, else its value (empty: unset). The
    /// difference matters for `verification_secret` only (see
    /// [`Config::verification_secret`]).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let payment_provider = match get("payment_provider").as_deref() {
            None | Some("sandbox") => PaymentProvider::Sandbox,
            Some("stripe") => PaymentProvider::Stripe,
            Some(other) => bail!("payment_provider must be sandbox or stripe, not {other:?}"),
        };
        let webhook_secret = match (get("webhook_secret"), payment_provider) {
            (Some(secret), _) => secret,
            (None, PaymentProvider::Sandbox) => SANDBOX_WEBHOOK_SECRET.to_owned(),
            (None, PaymentProvider::Stripe) => bail!("webhook_secret is required with stripe"),
        };
        let stripe_secret_key = get("stripe_secret_key").unwrap_or_default();
        if payment_provider == PaymentProvider::Stripe && stripe_secret_key.is_empty() {
            bail!("stripe_secret_key is required with stripe");
        }
        let ttl_seconds: i64 = match get("reservation_ttl_seconds") {
            Some(v) => v
                .parse()
                .context("reservation_ttl_seconds must be a whole number")?,
            None => 900,
        };
        if !(1..=86_400).contains(&ttl_seconds) {
            bail!("reservation_ttl_seconds must be between 1 and 86400");
        }
        let demo_catalog = match get("demo_catalog").as_deref() {
            None | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(other) => bail!("demo_catalog must be true or false, not {other:?}"),
        };
        let public_base_url = get("public_base_url")
            .unwrap_or_else(|| "http://127.0.0.1:3000".to_owned())
            .trim_end_matches('/')
            .to_owned();
        let mut origins = vec![
            origin_of(&public_base_url)
                .context("public_base_url must be an absolute http(s) URL")?,
        ];
        for raw in get("allowed_origins").iter().flat_map(|v| v.split(',')) {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let origin = origin_of(raw)
                .with_context(|| format!("allowed_origins: {raw:?} is not an http(s) origin"))?;
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        let trusted_proxies = get("trusted_proxies")
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|raw| !raw.is_empty())
            .map(|raw| {
                raw.parse::<ipnet::IpNet>()
                    .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .with_context(|| {
                        format!("trusted_proxies: {raw:?} is not an IP address or CIDR range")
                    })
            })
            .collect::<anyhow::Result<_>>()?;
        let mail_api_base = get("mail_api_base")
            .map(|base| base.trim_end_matches('/').to_owned())
            .map(|base| {
                if origin_of(&base).is_some() {
                    Ok(base)
                } else {
                    Err(anyhow::anyhow!(
                        "mail_api_base must be an absolute http(s) URL, not {base:?}"
                    ))
                }
            })
            .transpose()?;
        let mail_api_key = get("mail_api_key").unwrap_or_default();
        if mail_api_base.is_some() && mail_api_key.is_empty() {
            bail!("mail_api_key is required with mail_api_base");
        }
        let verification_secret = match get("verification_secret") {
            Some(secret) => Some(secret),
            None if is_local(&origins) && !stripe_secret_key.starts_with("sk_live_") => {
                Some(DEV_VERIFICATION_SECRET.to_owned())
            }
            // Given but empty, on a shop others reach: the development
            // key would let anyone sign links.
            None if lookup("verification_secret").is_some() => bail!(
                "verification_secret is required unless the shop is local \
                 (public_base_url and allowed_origins on 127.0.0.1 or localhost, no live Stripe key)"
            ),
            None => None,
        };
        Ok(Self {
            jobs_secret: get("jobs_secret"),
            mail_api_base,
            mail_api_key,
            mail_from: get("mail_from").unwrap_or_else(|| "boutique@comptoir.localhost".to_owned()),
            payment_provider,
            webhook_secret,
            stripe_secret_key,
            stripe_api_base: get("stripe_api_base")
                .unwrap_or_else(|| "https://api.stripe.com".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            public_base_url,
            reservation_ttl_ms: ttl_seconds * 1000,
            demo_catalog,
            initial_admin: match (get("admin_email"), get("admin_password")) {
                (Some(email), Some(password)) if password.chars().count() >= 10 => {
                    Some((email, password))
                }
                (Some(_), Some(_)) => bail!("admin_password must have at least 10 characters"),
                (None, None) => None,
                _ => bail!("admin_email and admin_password go together"),
            },
            origins,
            trusted_proxies,
            seller: seller(&get)?,
            payment_fee_bps: whole(&get, "payment_fee_bps", 150, 0..=10_000)?,
            payment_fee_fixed_cents: whole(&get, "payment_fee_fixed_cents", 25, 0..=10_000)?,
            intra_eu_exemption: match get("intra_eu_exemption").as_deref() {
                None | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(other) => bail!("intra_eu_exemption must be true or false, not {other:?}"),
            },
            verification_secret,
        })
        .and_then(|config| {
            // Invoices are for ever: a live shop never issues them under the
            // demo company's name.
            if config.stripe_secret_key.starts_with("sk_live_")
                && config.seller.siren.as_str() == DEMO_SIREN
            {
                bail!("with a live Stripe key, the seller_* settings must describe the shop");
            }
            Ok(config)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_offline_shop() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.payment_provider, PaymentProvider::Sandbox);
        assert_eq!(c.reservation_ttl_ms, 900_000);
        assert!(c.demo_catalog);
        assert_eq!(
            c.seller.vat_number.map(String::from).as_deref(),
            Some("FR15901234567")
        );
    }

    #[test]
    fn the_seller_is_checked() {
        let with = |name: &'static str, value: &'static str| {
            move |n: &str| (n == name).then(|| value.to_owned())
        };
        assert!(Config::from_lookup(with("seller_siren", "901234568")).is_err());
        assert!(Config::from_lookup(with("seller_vat_number", "FR16901234567")).is_err());
        assert!(Config::from_lookup(with("vat_franchise", "maybe")).is_err());
        let live = |n: &str| match n {
            "payment_provider" => Some("stripe".to_owned()),
            "webhook_secret" => Some("whsec_x".to_owned()),
            "stripe_secret_key" => Some("sk_live_x".to_owned()),
            _ => None,
        };
        assert!(
            Config::from_lookup(live).is_err(),
            "a live shop under the demo seller"
        );
        assert!(
            Config::from_lookup(
                |n| live(n).or_else(|| (n == "seller_siren").then(|| "356000000".to_owned()))
            )
            .is_ok()
        );
        let franchise = Config::from_lookup(with("vat_franchise", "true")).unwrap();
        assert!(franchise.seller.vat_franchise && franchise.seller.vat_number.is_none());
    }

    #[test]
    fn stripe_needs_its_secrets() {
        let only_provider = |n: &str| (n == "payment_provider").then(|| "stripe".to_owned());
        assert!(Config::from_lookup(only_provider).is_err());
        let all = |n: &str| match n {
            "payment_provider" => Some("stripe".to_owned()),
            "webhook_secret" => Some("whsec_x".to_owned()),
            "stripe_secret_key" => Some("sk_test_x".to_owned()),
            _ => None,
        };
        assert_eq!(
            Config::from_lookup(all).unwrap().stripe_api_base,
            "https://api.stripe.com"
        );
    }

    #[test]
    fn a_shop_others_reach_needs_its_verification_secret() {
        // As the native host and the accounts function read it: the
        // variable is given, empty when unset.
        let given = |public: &'static str, key: &'static str, secret: &'static str| {
            Config::from_lookup(move |n| match n {
                "public_base_url" => Some(public.to_owned()),
                "payment_provider" => {
                    Some(if key.is_empty() { "sandbox" } else { "stripe" }.to_owned())
                }
                "webhook_secret" => Some("whsec_x".to_owned()),
                "stripe_secret_key" => Some(key.to_owned()),
                "seller_siren" => Some("356000000".to_owned()),
                "allowed_origins" => Some("http://localhost:3000".to_owned()),
                "verification_secret" => Some(secret.to_owned()),
                _ => None,
            })
        };
        // The README's demo (`bash infra/run.sh`): on this machine only.
        for local in [
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:8080",
        ] {
            let c = given(local, "", "").unwrap();
            assert_eq!(c.verification_key().unwrap(), DEV_VERIFICATION_SECRET);
        }
        assert!(given("http://127.0.0.1:3000", "sk_test_x", "").is_ok());
        assert_eq!(
            Config::from_lookup(|_| None)
                .unwrap()
                .verification_key()
                .unwrap(),
            DEV_VERIFICATION_SECRET
        );
        // Reached by others, or taking real payments: refused without it.
        assert!(given("https://boutique.example", "", "").is_err());
        assert!(given("http://192.168.1.20:3000", "", " ").is_err());
        assert!(given("http://127.0.0.1.example:3000", "", "").is_err());
        assert!(given("http://127.0.0.1:3000", "sk_live_x", "").is_err());
        let elsewhere = |n: &str| match n {
            "allowed_origins" => Some("https://boutique.example".to_owned()),
            "verification_secret" => Some(String::new()),
            _ => None,
        };
        assert!(Config::from_lookup(elsewhere).is_err(), "another origin");
        let set = given("https://boutique.example", "sk_live_x", "a long random key").unwrap();
        assert_eq!(set.verification_key().unwrap(), "a long random key");
        // A Spin component not given the variable starts, and cannot sign.
        let other = Config::from_lookup(|n| {
            (n == "public_base_url").then(|| "https://boutique.example".to_owned())
        })
        .unwrap();
        assert!(other.verification_key().is_err());
    }

    #[test]
    fn the_shop_origins_are_the_public_one_and_the_listed_ones() {
        let c = Config::from_lookup(|n| match n {
            "public_base_url" => Some("https://Shop.example/boutique/".to_owned()),
            "allowed_origins" => {
                Some(" http://localhost:3000, https://shop.example:443,".to_owned())
            }
            "trusted_proxies" => Some("10.0.0.1, ::1, 10.42.0.0/16".to_owned()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.origins, ["https://shop.example", "http://localhost:3000"]);
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(c.trusted_proxies[2].contains(&"10.42.7.9".parse::<std::net::IpAddr>().unwrap()));
        assert_eq!(
            Config::from_lookup(|_| None).unwrap().origins,
            ["http://127.0.0.1:3000"]
        );
        for bad in ["localhost:3000", "ftp://x", "http://", "http://a@b"] {
            assert!(origin_of(bad).is_none(), "{bad}");
            assert!(
                Config::from_lookup(|n| (n == "allowed_origins").then(|| bad.to_owned())).is_err()
            );
        }
        assert!(Config::from_lookup(|n| (n == "trusted_proxies").then(|| "x".to_owned())).is_err());
    }

    #[test]
    fn the_mail_api_needs_an_http_base_and_its_key() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!((c.mail_api_base, c.jobs_secret), (None, None));
        let set = |base: &'static str, key: &'static str| {
            Config::from_lookup(move |n| match n {
                "mail_api_base" => Some(base.to_owned()),
                "mail_api_key" => Some(key.to_owned()),
                "jobs_secret" => Some(" s3cret ".to_owned()),
                _ => None,
            })
        };
        let c = set("https://api.resend.com/", "re_x").unwrap();
        assert_eq!(c.mail_api_base.as_deref(), Some("https://api.resend.com"));
        assert_eq!(c.jobs_secret.as_deref(), Some("s3cret"));
        assert!(set("https://api.resend.com", "").is_err(), "no key");
        assert!(set("api.resend.com", "re_x").is_err(), "not a URL");
    }

    #[test]
    fn unknown_providers_and_bad_numbers_are_refused() {
        assert!(
            Config::from_lookup(|n| (n == "payment_provider").then(|| "paypal".to_owned()))
                .is_err()
        );
        assert!(
            Config::from_lookup(|n| (n == "reservation_ttl_seconds").then(|| "0".to_owned()))
                .is_err()
        );
    }
}
