//! Checkout, guest or signed in: contact (e-mail, phone), shipping and
//! billing addresses checked with the shared rules, shipping method with
//! price and delay, the review priced by the functions, then payment.

use comptoir_shared::cart::Cart;
use comptoir_shared::checkout::country_name;
use comptoir_shared::checkout::{Address, CheckoutRequest, Phone, RawAddress};
use comptoir_shared::company::{Company, Siren, VatNumber};
use comptoir_shared::ids::{CartId, Email};
use comptoir_shared::pricing::{ShippingMethodCode, destinations, shipping_methods};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::{ErrorNotice, Loading, TotalsList};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::state::{CartState, Session};
use comptoir_ui::text;

/// The form's fields, checked with the shared rules before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutForm {
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
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
    /// Country (ISO alpha-2), one the shop delivers to.
    pub country: String,
    /// How the parcel travels.
    pub shipping_method: ShippingMethodCode,
    /// Invoice to another address.
    pub separate_billing: bool,
    /// Billing recipient.
    pub bill_name: String,
    /// Billing street.
    pub bill_line1: String,
    /// Billing postal code.
    pub bill_postal_code: String,
    /// Billing city.
    pub bill_city: String,
    /// Billing country.
    pub bill_country: String,
    /// Buying for a company.
    pub business: bool,
    /// The company's name.
    pub company_name: String,
    /// Its SIREN (optional).
    pub company_siren: String,
    /// Its VAT number (optional).
    pub company_vat_number: String,
}

impl Default for CheckoutForm {
    fn default() -> Self {
        Self {
            email: String::new(),
            phone: String::new(),
            name: String::new(),
            line1: String::new(),
            line2: String::new(),
            postal_code: String::new(),
            city: String::new(),
            country: "FR".to_owned(),
            shipping_method: ShippingMethodCode::default(),
            separate_billing: false,
            bill_name: String::new(),
            bill_line1: String::new(),
            bill_postal_code: String::new(),
            bill_city: String::new(),
            bill_country: "FR".to_owned(),
            business: false,
            company_name: String::new(),
            company_siren: String::new(),
            company_vat_number: String::new(),
        }
    }
}

impl CheckoutForm {
    /// The company's VAT number when it is one (what prices a business
    /// delivered elsewhere in the EU before VAT).
    fn vat_number(&self) -> Option<String> {
        self.business
            .then(|| VatNumber::parse(&self.company_vat_number).ok())
            .flatten()
            .map(|v| v.as_str().to_owned())
    }

    /// The request to send, or the first field at fault and why.
    pub fn request(&self, cart_id: CartId) -> Result<CheckoutRequest, (&'static str, String)> {
        let email = Email::parse(&self.email).map_err(|e| ("email", e.0))?;
        let phone = Phone::parse(&self.phone).map_err(|e| ("phone", e.0))?;
        let shipping_address = Address::parse(RawAddress {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
        })
        .map_err(|(field, e)| (field, e.0))?;
        phone
            .fits(&shipping_address.fields().country)
            .map_err(|e| ("phone", e.0))?;
        let billing_address = if self.separate_billing {
            Some(
                Address::parse(RawAddress {
                    name: self.bill_name.clone(),
                    line1: self.bill_line1.clone(),
                    line2: String::new(),
                    postal_code: self.bill_postal_code.clone(),
                    city: self.bill_city.clone(),
                    country: self.bill_country.clone(),
                })
                .map_err(|(field, e)| (billing(field), e.0))?,
            )
        } else {
            None
        };
        let company = if self.business {
            let optional = |raw: &str| (!raw.trim().is_empty()).then(|| raw.to_owned());
            let siren = optional(&self.company_siren)
                .map(|raw| Siren::parse(&raw))
                .transpose()
                .map_err(|e| ("company_siren", e.0))?;
            let vat_number = optional(&self.company_vat_number)
                .map(|raw| VatNumber::parse(&raw))
                .transpose()
                .map_err(|e| ("company_vat_number", e.0))?;
            Some(
                Company::new(&self.company_name, siren, vat_number).map_err(|(field, e)| {
                    (
                        match field {
                            "company.name" => "company_name",
                            _ => "company_vat_number",
                        },
                        e.0,
                    )
                })?,
            )
        } else {
            None
        };
        Ok(CheckoutRequest {
            cart_id,
            email,
            phone,
            shipping_address,
            billing_address,
            shipping_method: self.shipping_method,
            company,
        })
    }
}

/// The form's name of a billing address field, so the message names the
/// right address.
fn billing(field: &'static str) -> &'static str {
    match field {
        "name" => "bill_name",
        "line1" => "bill_line1",
        "postal_code" => "bill_postal_code",
        "city" => "bill_city",
        "country" => "bill_country",
        other => other,
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

/// `/compte/commande`
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let state = expect_context::<CartState>();
    let session = expect_context::<Session>();
    let form = RwSignal::new(CheckoutForm::default());
    // Signed in: the order is the account's and the e-mail is known.
    Effect::new(move || {
        if let Some(account) = session.account.get() {
            form.update(|f| {
                if f.email.is_empty() {
                    f.email = account.email.to_string();
                }
                if f.name.is_empty() {
                    f.name = account.name.clone();
                }
            });
        }
    });
    let error = RwSignal::new(None::<CallError>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(idempotency_key());
    // Only the shipping method, the country and a business's VAT number
    // change the price: typing in the other fields must not refetch the cart.
    let priced_for =
        Memo::new(move |_| form.with(|f| (f.shipping_method, f.country.clone(), f.vat_number())));
    let cart = LocalResource::new(move || {
        let id = state.id.get();
        let (method, country, vat_number) = priced_for.get();
        let lang = lang();
        async move {
            match id {
                Some(id) => api::cart_shipped(&id, method, &country, vat_number.as_deref(), lang)
                    .await
                    .map(Some),
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
                let order = api::checkout(&request, &key.get_value()).await?;
                state.paying(&order.order_id);
                api::payment_session(&order.order_id).await
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
        <h1>{t("Commande", "Checkout")}</h1>
        {move || (session.known.get() && session.account.get().is_none()).then(|| view! {
            <p class="muted">
                {t("Vous commandez en invité. ", "You are checking out as a guest. ")}
                <a href=comptoir_ui::components::sign_in_here()>{t("Se connecter", "Sign in")}</a>
                {t(" pour retrouver la commande dans votre compte.", " to find the order in your account.")}
            </p>
        })}
        <div class="checkout">
            <form class="checkout-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>{t("Contact", "Contact")}</legend>
                    {input("email", t("Adresse e-mail", "E-mail address"), "email", "email", form, |f| &mut f.email)}
                    {input("phone", t("Téléphone (pour le transporteur)", "Phone (for the carrier)"), "tel", "tel", form, |f| &mut f.phone)}
                </fieldset>
                <fieldset>
                    <legend>{t("Livraison", "Delivery")}</legend>
                    {input("name", t("Nom complet", "Full name"), "text", "name", form, |f| &mut f.name)}
                    {input("line1", t("Adresse", "Address"), "text", "address-line1", form, |f| &mut f.line1)}
                    {input("line2", t("Complément (facultatif)", "Address line 2 (optional)"), "text", "address-line2", form, |f| &mut f.line2)}
                    {input("postal_code", t("Code postal", "Postcode"), "text", "postal-code", form, |f| &mut f.postal_code)}
                    {input("city", t("Ville", "City"), "text", "address-level2", form, |f| &mut f.city)}
                    {country_select("country", "country", form, |f| &f.country, |f| &mut f.country)}
                </fieldset>
                <fieldset>
                    <legend>{t("Facturation", "Billing")}</legend>
                    <label class="check">
                        <input type="checkbox" id="same-billing" prop:checked=move || form.with(|f| !f.separate_billing)
                            on:change=move |ev| form.update(|f| f.separate_billing = !event_target_checked(&ev))/>
                        {t("Adresse de facturation identique", "Billing address is the same")}
                    </label>
                    {move || form.with(|f| f.separate_billing).then(|| view! {
                        {input("bill_name", t("Nom complet", "Full name"), "text", "billing name", form, |f| &mut f.bill_name)}
                        {input("bill_line1", t("Adresse", "Address"), "text", "billing address-line1", form, |f| &mut f.bill_line1)}
                        {input("bill_postal_code", t("Code postal", "Postcode"), "text", "billing postal-code", form, |f| &mut f.bill_postal_code)}
                        {input("bill_city", t("Ville", "City"), "text", "billing address-level2", form, |f| &mut f.bill_city)}
                        {country_select("bill_country", "billing country", form, |f| &f.bill_country, |f| &mut f.bill_country)}
                    })}
                    <label class="check">
                        <input type="checkbox" id="business" prop:checked=move || form.with(|f| f.business)
                            on:change=move |ev| form.update(|f| f.business = event_target_checked(&ev))/>
                        {t("J'achète pour une entreprise (facture Factur-X)", "I am buying for a company (Factur-X invoice)")}
                    </label>
                    {move || form.with(|f| f.business).then(|| view! {
                        {input("company_name", t("Raison sociale", "Company name"), "text", "organization", form, |f| &mut f.company_name)}
                        {input("company_siren", t("SIREN (facultatif)", "SIREN (optional)"), "text", "off", form, |f| &mut f.company_siren)}
                        {input("company_vat_number", t("N° de TVA intracommunautaire (facultatif)", "EU VAT number (optional)"), "text", "off", form, |f| &mut f.company_vat_number)}
                    })}
                </fieldset>
                <fieldset>
                    <legend>{t("Mode de livraison", "Delivery method")}</legend>
                    {move || shipping_methods(&priced_for.get().1).iter().map(|m| {
                        let (code, method) = (m.code, *m);
                        view! {
                            <label class="choice">
                                <input type="radio" name="shipping" value=code.as_str()
                                    prop:checked=move || form.with(|f| f.shipping_method == code)
                                    on:change=move |_| form.update(|f| f.shipping_method = code)/>
                                <span><strong>{move || text::shipping_name(code)}</strong><br/>
                                <small>{move || text::shipping_terms(method)}</small></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="button button-primary" id="place-order" disabled=move || busy.get()>
                    {t("Payer la commande", "Pay for the order")}
                </button>
            </form>
            <aside class="review" aria-labelledby="review-title">
                <h2 id="review-title">{t("Récapitulatif", "Summary")}</h2>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move { review(cart.await) })}
                </Suspense>
                <h3>{t("Livraison à", "Delivering to")}</h3>
                <address id="review-address">{move || form.with(|f| {
                    [
                        f.name.clone(),
                        f.line1.clone(),
                        f.line2.clone(),
                        format!("{} {}", f.postal_code, f.city),
                        country_name(&f.country, lang()).to_owned(),
                        f.email.clone(),
                        f.phone.clone(),
                    ]
                    .into_iter()
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ")
                })}</address>
            </aside>
        </div>
    }
}

/// A country the shop delivers to; choosing one where the chosen method
/// does not go falls back to the first method that does.
fn country_select(
    id: &'static str,
    autocomplete: &'static str,
    form: RwSignal<CheckoutForm>,
    chosen: fn(&CheckoutForm) -> &str,
    field: fn(&mut CheckoutForm) -> &mut String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t("Pays", "Country")}</label>
            <select id=id name=id autocomplete=autocomplete
                on:change=move |ev| form.update(|f| {
                    *field(f) = event_target_value(&ev);
                    if f.shipping_method.to(&f.country).is_none()
                        && let Some(first) = shipping_methods(&f.country).first()
                    {
                        f.shipping_method = first.code;
                    }
                })>
                {destinations().map(|code| view! {
                    <option value=code selected=move || form.with(|f| chosen(f) == code)>
                        {move || country_name(code, lang())}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

fn input(
    id: &'static str,
    label: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    kind: &'static str,
    autocomplete: &'static str,
    form: RwSignal<CheckoutForm>,
    field: fn(&mut CheckoutForm) -> &mut String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=kind autocomplete=autocomplete
                required=!matches!(id, "line2" | "company_siren" | "company_vat_number")
                prop:value=move || { let mut f = form.get(); std::mem::take(field(&mut f)) }
                on:input=move |ev| form.update(|f| *field(f) = event_target_value(&ev))/>
        </div>
    }
}

fn review(cart: CallResult<Option<Cart>>) -> AnyView {
    match cart {
        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        Ok(None) => view! { <p>{t("Votre panier est vide.", "Your cart is empty.")}</p> }.into_any(),
        Ok(Some(c)) => view! {
            <ul class="review-lines">
                {c.lines.iter().map(|l| {
                    let total = l.line_total;
                    view! {
                        <li>{format!("{} × {} {}", l.quantity.get(), l.product_name, l.variant_label)}
                            <span>{move || text::money(total)}</span></li>
                    }
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
            phone: "06 12 34 56 78".into(),
            name: "Marie".into(),
            line1: "1 rue de la Paix".into(),
            line2: String::new(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            shipping_method: ShippingMethodCode::Relay,
            ..CheckoutForm::default()
        };
        assert!(form.request(id.clone()).is_ok());
        form.postal_code = "750".into();
        assert_eq!(form.request(id.clone()).unwrap_err().0, "postal_code");
        form.postal_code = "75002".into();
        form.separate_billing = true;
        assert_eq!(
            form.request(id.clone()).unwrap_err().0,
            "bill_postal_code",
            "billing asked, empty: named as a billing field"
        );
        form.separate_billing = false;
        form.business = true;
        assert_eq!(form.request(id.clone()).unwrap_err().0, "company_name");
        form.company_name = "Atelier Curie".into();
        form.company_siren = "901 234 568".into();
        assert_eq!(form.request(id.clone()).unwrap_err().0, "company_siren");
        form.company_siren = "901 234 567".into();
        form.company_vat_number = "FR39356000000".into();
        assert_eq!(
            form.request(id.clone()).unwrap_err().0,
            "company_vat_number"
        );
        form.company_vat_number = "FR 15 901 234 567".into();
        let company = form.request(id.clone()).unwrap().company.unwrap();
        assert_eq!(
            company.vat_number.map(String::from).as_deref(),
            Some("FR15901234567")
        );
        form.business = false;
        form.phone = "12".into();
        assert_eq!(form.request(id.clone()).unwrap_err().0, "phone");
        form.email = "marie".into();
        assert_eq!(form.request(id).unwrap_err().0, "email");
    }
}
