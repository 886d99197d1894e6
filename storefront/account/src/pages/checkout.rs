//! Guest checkout: contact and address, order review, then payment.

use comptoir_shared::cart::Cart;
use comptoir_shared::checkout::{Address, CheckoutRequest, RawAddress};
use comptoir_shared::ids::{CartId, Email};
use comptoir_shared::pricing::{SHIPPING_METHODS, ShippingMethodCode};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::CallError;
use crate::components::{ErrorNotice, TotalsList};
use crate::state::CartState;
use crate::text;

/// The form's fields, checked with the shared rules before anything is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckoutForm {
    /// E-mail.
    pub email: String,
    /// Recipient.
    pub name: String,
    /// Street.
    pub line1: String,
    /// Complement.
    pub line2: String,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// How the parcel travels.
    pub shipping_method: ShippingMethodCode,
}

impl CheckoutForm {
    /// The request to send, or the first field at fault and why.
    pub fn request(&self, cart_id: CartId) -> Result<CheckoutRequest, (&'static str, String)> {
        let email = Email::parse(&self.email).map_err(|e| ("email", e.0))?;
        let shipping_address = Address::parse(RawAddress {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: "FR".to_owned(),
        })
        .map_err(|(field, e)| (field, e.0))?;
        Ok(CheckoutRequest {
            cart_id,
            email,
            shipping_address,
            shipping_method: self.shipping_method,
        })
    }
}

/// A fresh key per checkout attempt, so a double click places one order.
fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `/commande`
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let state = expect_context::<CartState>();
    let form = RwSignal::new(CheckoutForm::default());
    let error = RwSignal::new(None::<CallError>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(idempotency_key());
    let cart = LocalResource::new(move || {
        let id = state.id.get();
        let method = form.with(|f| f.shipping_method);
        async move {
            match id {
                Some(id) => crate::api::cart_shipped(&id, method).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cart_id) = state.id.get_untracked() else {
            return;
        };
        let request = match form.get_untracked().request(cart_id) {
            Ok(r) => r,
            Err((field, message)) => {
                error.set(Some(CallError::Api(comptoir_shared::ApiError::validation(
                    field, message,
                ))));
                return;
            }
        };
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let placed = async {
                let order = crate::api::checkout(&request, &key.get_value()).await?;
                crate::api::payment_session(&order.order_id).await
            };
            match placed.await {
                Ok(session) if session.redirect_url.starts_with('/') => {
                    navigate(&session.redirect_url, Default::default());
                }
                Ok(session) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(&session.redirect_url);
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <h1>"Commande"</h1>
        <div class="checkout">
            <form class="checkout-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>"Contact"</legend>
                    {input("email", "Adresse e-mail", "email", "email", form, |f| &mut f.email)}
                </fieldset>
                <fieldset>
                    <legend>"Livraison (France métropolitaine)"</legend>
                    {input("name", "Nom complet", "text", "name", form, |f| &mut f.name)}
                    {input("line1", "Adresse", "text", "address-line1", form, |f| &mut f.line1)}
                    {input("line2", "Complément (facultatif)", "text", "address-line2", form, |f| &mut f.line2)}
                    {input("postal_code", "Code postal", "text", "postal-code", form, |f| &mut f.postal_code)}
                    {input("city", "Ville", "text", "address-level2", form, |f| &mut f.city)}
                </fieldset>
                <fieldset>
                    <legend>"Mode de livraison"</legend>
                    {SHIPPING_METHODS.iter().map(|m| {
                        let code = m.code;
                        view! {
                            <label class="choice">
                                <input type="radio" name="shipping" value=code.as_str()
                                    prop:checked=move || form.with(|f| f.shipping_method == code)
                                    on:change=move |_| form.update(|f| f.shipping_method = code)/>
                                <span><strong>{text::shipping_name(code)}</strong><br/>
                                <small>{text::shipping_terms(*m)}</small></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="button button-primary" id="place-order" disabled=move || busy.get()>
                    "Payer la commande"
                </button>
            </form>
            <aside class="review" aria-label="Récapitulatif">
                <h2>"Récapitulatif"</h2>
                <Suspense fallback=|| view! { <p>{text::LOADING}</p> }>
                    {move || Suspend::new(async move { review(cart.await) })}
                </Suspense>
            </aside>
        </div>
    }
}

fn input(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    form: RwSignal<CheckoutForm>,
    field: fn(&mut CheckoutForm) -> &mut String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=kind autocomplete=autocomplete
                required=id != "line2"
                on:input=move |ev| form.update(|f| *field(f) = event_target_value(&ev))/>
        </div>
    }
}

fn review(cart: crate::api::CallResult<Option<Cart>>) -> AnyView {
    match cart {
        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        Ok(None) => view! { <p>"Votre panier est vide."</p> }.into_any(),
        Ok(Some(c)) => view! {
            <ul class="review-lines">
                {c.lines.iter().map(|l| view! {
                    <li>{format!("{} × {} {}", l.quantity.get(), l.product_name, l.variant_label)}
                        <span>{text::money(l.line_total)}</span></li>
                }).collect_view()}
            </ul>
            <TotalsList totals=c.totals id="review-total"/>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_the_first_bad_field() {
        let id = CartId::parse("0123456789abcdef0123456789abcdef").unwrap();
        let mut form = CheckoutForm {
            email: "marie@exemple.fr".into(),
            name: "Marie".into(),
            line1: "1 rue de la Paix".into(),
            line2: String::new(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            shipping_method: ShippingMethodCode::Relay,
        };
        assert!(form.request(id.clone()).is_ok());
        form.postal_code = "750".into();
        assert_eq!(form.request(id.clone()).unwrap_err().0, "postal_code");
        form.email = "marie".into();
        assert_eq!(form.request(id).unwrap_err().0, "email");
    }
}
