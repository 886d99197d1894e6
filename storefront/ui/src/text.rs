//! Words and numbers the shopper reads, in the chosen language: money
//! (`1 234,56 €` / `€1,234.56`), dates (the browser's `Intl`, so no locale
//! tables ship in the bundle), statuses and refusals from the shared enums.

use comptoir_shared::catalog::Availability;
use comptoir_shared::invoice::DocumentKind;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::pricing::{PromoRefusal, ShippingMethod, ShippingMethodCode};
use comptoir_shared::refund::RefundStatus;
use comptoir_shared::{ApiError, Money};

use crate::api::CallError;
use crate::i18n::{Lang, lang};

/// `1 234,56 €` in French, `€1,234.56` in English.
pub fn money(m: Money) -> String {
    match lang() {
        Lang::Fr => m.format_fr(),
        Lang::En => m.format_en(),
    }
}

/// `23 novembre 2026 à 14:05` / `23 November 2026 at 14:05`, in the shopper's time zone.
pub fn date_time(unix_ms: i64) -> String {
    local(
        unix_ms,
        &[
            ("day", "numeric"),
            ("month", "long"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
        ],
    )
}

/// `23 novembre 2026` / `23 November 2026`, in the shopper's time zone.
pub fn date(unix_ms: i64) -> String {
    local(
        unix_ms,
        &[("day", "numeric"), ("month", "long"), ("year", "numeric")],
    )
}

/// A moment written by the browser's `Intl` with these options.
fn local(unix_ms: i64, parts: &[(&str, &str)]) -> String {
    let options = js_sys::Object::new();
    for &(key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&(unix_ms as f64).into())
        .to_locale_string(lang().tag(), &options)
        .into()
}

/// The availability promise, from the same stock checkout reserves.
pub fn availability(a: Availability) -> String {
    let l = lang();
    match a {
        Availability::InStock => l.pick("En stock", "In stock").to_owned(),
        Availability::Low { remaining } => l.pick(
            format!("Plus que {remaining}"),
            format!("Only {remaining} left"),
        ),
        Availability::OutOfStock => l.pick("Rupture de stock", "Out of stock").to_owned(),
    }
}

/// An order status in words.
pub fn status(s: OrderStatus) -> &'static str {
    let l = lang();
    match s {
        OrderStatus::PendingPayment => l.pick("En attente de paiement", "Awaiting payment"),
        OrderStatus::Paid => l.pick("Payée", "Paid"),
        OrderStatus::Picking => l.pick("En préparation", "Being prepared"),
        OrderStatus::Shipped => l.pick("Expédiée", "Shipped"),
        OrderStatus::Delivered => l.pick("Livrée", "Delivered"),
        OrderStatus::Cancelled => l.pick("Annulée", "Cancelled"),
        OrderStatus::PartiallyRefunded => l.pick("Partiellement remboursée", "Partly refunded"),
        OrderStatus::Refunded => l.pick("Remboursée", "Refunded"),
    }
}

/// A refund's status in words.
pub fn refund_status(s: RefundStatus) -> &'static str {
    let l = lang();
    match s {
        RefundStatus::Requested => l.pick("Demande reçue", "Request received"),
        RefundStatus::Declined => l.pick("Refusée", "Declined"),
        RefundStatus::Pending => l.pick("Remboursement en cours", "Refund on its way"),
        RefundStatus::Succeeded => l.pick("Remboursée", "Refunded"),
        RefundStatus::Failed => l.pick("Échec du remboursement", "Refund failed"),
    }
}

/// `Facture` / `Invoice`, `Avoir` / `Credit note`.
pub fn document_kind(k: DocumentKind) -> &'static str {
    lang().pick(
        k.title(),
        match k {
            DocumentKind::Invoice => "Invoice",
            DocumentKind::CreditNote => "Credit note",
        },
    )
}

/// Why a promotion code does not apply.
pub fn refusal(r: PromoRefusal) -> String {
    let l = lang();
    match r {
        PromoRefusal::Unknown => l
            .pick("ce code n'existe pas", "this code does not exist")
            .into(),
        PromoRefusal::Inactive => l
            .pick("ce code n'est plus actif", "this code is no longer active")
            .into(),
        PromoRefusal::NotStarted => l
            .pick(
                "ce code n'est pas encore valable",
                "this code is not valid yet",
            )
            .into(),
        PromoRefusal::Expired => l.pick("ce code a expiré", "this code has expired").into(),
        PromoRefusal::BelowMinimum { minimum } => l.pick(
            format!("valable dès {} d'achats", money(minimum)),
            format!("valid on orders of {} or more", money(minimum)),
        ),
        PromoRefusal::UsageLimitReached => l
            .pick(
                "ce code a atteint son nombre d'utilisations",
                "this code has been used up",
            )
            .into(),
        PromoRefusal::AlreadyUsed => l
            .pick(
                "vous avez déjà utilisé ce code",
                "you have already used this code",
            )
            .into(),
        PromoRefusal::NotStackable => l
            .pick(
                "ce code ne se cumule pas avec les autres",
                "this code cannot be combined with others",
            )
            .into(),
    }
}

/// A shipping method's name.
pub fn shipping_name(code: ShippingMethodCode) -> &'static str {
    code.name(lang())
}

/// `4,90 € — 2 à 3 jours ouvrés (offerte dès 60,00 €)`.
pub fn shipping_terms(m: ShippingMethod) -> String {
    let l = lang();
    let days = match (m.min_days == m.max_days, l) {
        (true, Lang::Fr) => format!("{} jour ouvré", m.min_days),
        (true, Lang::En) => format!("{} working day", m.min_days),
        (false, Lang::Fr) => format!("{} à {} jours ouvrés", m.min_days, m.max_days),
        (false, Lang::En) => format!("{} to {} working days", m.min_days, m.max_days),
    };
    match m.free_from {
        Some(free) => l.pick(
            format!("{} — {days} (offerte dès {})", money(m.price), money(free)),
            format!("{} — {days} (free from {})", money(m.price), money(free)),
        ),
        None => format!("{} — {days}", money(m.price)),
    }
}

fn field(name: &str) -> &'static str {
    let l = lang();
    match name.rsplit('.').next().unwrap_or(name) {
        "email" => l.pick("l'adresse e-mail", "the e-mail address"),
        "password" | "new_password" => l.pick(
            "le mot de passe (10 caractères au moins)",
            "the password (10 characters or more)",
        ),
        "phone" => l.pick("le téléphone", "the phone number"),
        "name" => l.pick("le nom", "the name"),
        "line1" => l.pick("l'adresse", "the address"),
        "line2" => l.pick("le complément d'adresse", "the address line 2"),
        "postal_code" => l.pick("le code postal", "the postcode"),
        "city" => l.pick("la ville", "the city"),
        "country" => l.pick("le pays", "the country"),
        "quantity" => l.pick("la quantité", "the quantity"),
        "reason" => l.pick("le motif", "the reason"),
        "bill_name" | "bill_line1" | "bill_postal_code" | "bill_city" | "bill_country" => {
            l.pick("l'adresse de facturation", "the billing address")
        }
        "code" => l.pick(
            "le code promo (3 à 32 lettres, chiffres ou tirets)",
            "the promo code (3 to 32 letters, digits or dashes)",
        ),
        "body" | "subject" | "comment" => l.pick("le message", "the message"),
        _ => l.pick("le formulaire", "the form"),
    }
}

/// What the shelf refused (sold out, fewer left, no longer sold) in words,
/// or the network's silence; `None` for any other refusal. On its own so
/// the product page's island need not carry every other message.
pub fn shelf_refusal(e: &CallError) -> Option<String> {
    let l = lang();
    Some(match e {
        CallError::Network(_) => l
            .pick(
                "La boutique ne répond pas. Vérifiez votre connexion et réessayez.",
                "The shop is not answering. Check your connection and try again.",
            )
            .into(),
        CallError::Api(ApiError::InsufficientStock { available: 0, .. }) => l
            .pick(
                "Cet article vient d'être épuisé.",
                "This item has just sold out.",
            )
            .into(),
        CallError::Api(ApiError::InsufficientStock { available, .. }) => l.pick(
            format!("Il n'en reste que {available} en stock."),
            format!("Only {available} left in stock."),
        ),
        CallError::Api(ApiError::UnknownSku { .. }) => l
            .pick(
                "Cet article n'est plus vendu.",
                "This item is no longer sold.",
            )
            .into(),
        CallError::Api(_) => return None,
    })
}

/// What to tell the shopper when a call fails.
pub fn error(e: &CallError) -> String {
    let l = lang();
    if let Some(said) = shelf_refusal(e) {
        return said;
    }
    let CallError::Api(api) = e else {
        return String::new();
    };
    match api {
        ApiError::Validation { field: f, .. } => l.pick(
            format!("Vérifiez {}.", field(f)),
            format!("Check {}.", field(f)),
        ),
        ApiError::EmptyCart => l
            .pick("Votre panier est vide.", "Your cart is empty.")
            .into(),
        ApiError::PromotionRefused { code, refusal: r } => l.pick(
            format!("Code {code} refusé : {}.", refusal(*r)),
            format!("Code {code} refused: {}.", refusal(*r)),
        ),
        ApiError::NotFound { .. } => l.pick("Introuvable.", "Not found.").into(),
        ApiError::Unauthorized => l
            .pick("Connectez-vous pour continuer.", "Sign in to continue.")
            .into(),
        ApiError::InvalidCredentials => l
            .pick(
                "E-mail ou mot de passe incorrect.",
                "Wrong e-mail or password.",
            )
            .into(),
        ApiError::TooManyAttempts {
            retry_after_seconds,
        } => {
            let wait = if *retry_after_seconds < 120 {
                l.pick(
                    format!("{retry_after_seconds} secondes"),
                    format!("{retry_after_seconds} seconds"),
                )
            } else {
                let minutes = retry_after_seconds.div_ceil(60);
                l.pick(format!("{minutes} minutes"), format!("{minutes} minutes"))
            };
            l.pick(
                format!("Trop de tentatives. Réessayez dans {wait}."),
                format!("Too many attempts. Try again in {wait}."),
            )
        }
        ApiError::Forbidden | ApiError::CrossOrigin => l
            .pick(
                "Cette action ne vous est pas permise.",
                "You may not do this.",
            )
            .into(),
        ApiError::Conflict { .. } | ApiError::InvalidTransition { .. } => l
            .pick(
                "Cette action n'est plus possible : la page a été actualisée.",
                "This can no longer be done: the page has been refreshed.",
            )
            .into(),
        _ => l
            .pick(
                "Une erreur est survenue de notre côté. Réessayez dans un instant.",
                "Something went wrong on our side. Try again in a moment.",
            )
            .into(),
    }
}

/// A timeline note in the shopper's language. The functions write their
/// own notes in English; staff notes are shown as written. Empty → nothing.
pub fn timeline_note(note: &str) -> Option<String> {
    if note.is_empty() {
        return None;
    }
    let l = lang();
    let known = match note {
        "order placed" => Some(l.pick("commande passée", "order placed")),
        "payment captured" => Some(l.pick("paiement reçu", "payment received")),
        "payment declined" => Some(l.pick("paiement refusé", "payment declined")),
        "payment abandoned" => Some(l.pick("paiement abandonné", "payment abandoned")),
        "payment session expired" => {
            Some(l.pick("paiement non effectué à temps", "payment not made in time"))
        }
        "reservation expired" => Some(l.pick("réservation expirée", "reservation expired")),
        "preparing the parcel" => Some(l.pick("colis en préparation", "preparing the parcel")),
        "handed to the carrier" => {
            Some(l.pick("colis remis au transporteur", "handed to the carrier"))
        }
        "delivered" => Some(l.pick("livrée", "delivered")),
        "cancelled by the shop" => Some(l.pick("annulée par la boutique", "cancelled by the shop")),
        _ => None,
    };
    Some(known.map_or_else(|| note.to_owned(), str::to_owned))
}
