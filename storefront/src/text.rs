//! The shop's French copy and formatting, in one place.

use comptoir_shared::catalog::Availability;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::pricing::{PromoRefusal, ShippingMethod, ShippingMethodCode};
use comptoir_shared::{ApiError, Money};

use crate::api::CallError;

/// Footer line.
pub const FOOTER: &str =
    "Comptoir — boutique de démonstration. Prix TTC, livraison en France métropolitaine.";
/// Unknown page.
pub const NOT_FOUND: &str = "Cette page n'existe pas.";
/// While loading.
pub const LOADING: &str = "Chargement…";

/// `1 234,56 €`.
pub fn money(m: Money) -> String {
    m.format_fr()
}

/// The availability promise shown to the shopper.
pub fn availability(a: Availability) -> String {
    match a {
        Availability::InStock => "En stock".to_owned(),
        Availability::Low { remaining } => format!("Plus que {remaining}"),
        Availability::OutOfStock => "Rupture de stock".to_owned(),
    }
}

/// An order status in words.
pub fn status(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::PendingPayment => "En attente de paiement",
        OrderStatus::Paid => "Payée",
        OrderStatus::Picking => "En préparation",
        OrderStatus::Shipped => "Expédiée",
        OrderStatus::Delivered => "Livrée",
        OrderStatus::Cancelled => "Annulée",
        OrderStatus::PartiallyRefunded => "Partiellement remboursée",
        OrderStatus::Refunded => "Remboursée",
    }
}

/// Why a promotion code does not apply.
pub fn refusal(r: PromoRefusal) -> String {
    match r {
        PromoRefusal::Unknown => "ce code n'existe pas".to_owned(),
        PromoRefusal::Inactive => "ce code n'est plus actif".to_owned(),
        PromoRefusal::NotStarted => "ce code n'est pas encore valable".to_owned(),
        PromoRefusal::Expired => "ce code a expiré".to_owned(),
        PromoRefusal::BelowMinimum { minimum } => {
            format!("valable dès {} d'achats", money(minimum))
        }
        PromoRefusal::UsageLimitReached => "ce code a atteint son nombre d'utilisations".to_owned(),
        PromoRefusal::AlreadyUsed => "vous avez déjà utilisé ce code".to_owned(),
        PromoRefusal::NotStackable => "ce code ne se cumule pas avec les autres".to_owned(),
    }
}

/// A shipping method's name.
pub fn shipping_name(code: ShippingMethodCode) -> &'static str {
    match code {
        ShippingMethodCode::Colissimo => "Colissimo à domicile",
        ShippingMethodCode::Relay => "Point relais",
        ShippingMethodCode::Express => "Express",
    }
}

/// `4,90 € — 2 à 3 jours ouvrés (offerte dès 60,00 €)`.
pub fn shipping_terms(m: ShippingMethod) -> String {
    let days = if m.min_days == m.max_days {
        format!("{} jour ouvré", m.min_days)
    } else {
        format!("{} à {} jours ouvrés", m.min_days, m.max_days)
    };
    match m.free_from {
        Some(free) => format!("{} — {days} (offerte dès {})", money(m.price), money(free)),
        None => format!("{} — {days}", money(m.price)),
    }
}

fn field(name: &str) -> &str {
    match name.rsplit('.').next().unwrap_or(name) {
        "email" => "l'adresse e-mail",
        "name" => "le nom",
        "line1" => "l'adresse",
        "line2" => "le complément d'adresse",
        "postal_code" => "le code postal",
        "city" => "la ville",
        "country" => "le pays",
        "quantity" => "la quantité",
        "sku" => "l'article",
        other => other,
    }
}

/// What to tell the shopper when a call fails.
pub fn error(e: &CallError) -> String {
    match e {
        CallError::Network(_) => {
            "La boutique ne répond pas. Vérifiez votre connexion et réessayez.".to_owned()
        }
        CallError::Api(api) => match api {
            ApiError::Validation { field: f, .. } => format!("Vérifiez {}.", field(f)),
            ApiError::InsufficientStock { available: 0, .. } => {
                "Cet article vient d'être épuisé.".to_owned()
            }
            ApiError::InsufficientStock { available, .. } => {
                format!("Il n'en reste que {available} en stock.")
            }
            ApiError::UnknownSku { .. } => "Cet article n'est plus vendu.".to_owned(),
            ApiError::EmptyCart => "Votre panier est vide.".to_owned(),
            ApiError::PromotionRefused { code, refusal: r } => {
                format!("Code {code} refusé : {}.", refusal(*r))
            }
            ApiError::NotFound { .. } => "Introuvable.".to_owned(),
            ApiError::Conflict { .. } | ApiError::InvalidTransition { .. } => {
                "Cette action n'est plus possible : la page a été actualisée.".to_owned()
            }
            _ => "Une erreur est survenue de notre côté. Réessayez dans un instant.".to_owned(),
        },
    }
}
