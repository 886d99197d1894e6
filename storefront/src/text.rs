//! The shop's French copy and formatting, in one place.

use comptoir_shared::catalog::Availability;
use comptoir_shared::order::OrderStatus;
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
            ApiError::NotFound { .. } => "Introuvable.".to_owned(),
            ApiError::Conflict { .. } | ApiError::InvalidTransition { .. } => {
                "Cette action n'est plus possible : la page a été actualisée.".to_owned()
            }
            _ => "Une erreur est survenue de notre côté. Réessayez dans un instant.".to_owned(),
        },
    }
}
