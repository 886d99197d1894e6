//! Catalog and promotions (admin): products with their variants, prices,
//! tax class, image, category and publication, their names and descriptions
//! in English, and the categories' English names; promotion codes created,
//! edited and disabled under the same shared `Promotion` rules checkout
//! applies (the functions validate them with `Promotion::validate`).

use comptoir_shared::Money;
use comptoir_shared::catalog::options_label;
use std::collections::BTreeMap;

use comptoir_shared::catalog_admin::{
    AdminCategory, AdminProduct, CategoryInput, Description, ImagePath, Label, OptionLabel,
    ProductInput, ProductText, PromotionListing, VariantInput,
};
use comptoir_shared::ids::{ProductId, PromoCode, Sku};
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::{Promotion, PromotionKind, TaxClass};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{day_start_ms, euros, parse_euros, value};
use crate::{api, load, shown};

const TAX_CLASSES: [(TaxClass, &str); 4] = [
    (TaxClass::Standard, "Normal (20 %)"),
    (TaxClass::Intermediate, "Intermédiaire (10 %)"),
    (TaxClass::Reduced, "Réduit (5,5 %)"),
    (TaxClass::SuperReduced, "Particulier (2,1 %)"),
];

/// `/admin/catalogue`
#[component]
pub fn CatalogPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let products = load(move || {
        version.track();
        api::products()
    });
    let reload = move || version.update(|v| *v += 1);
    let editing = RwSignal::new(None::<AdminProduct>);
    // Outside the form: saving re-renders the form with the saved product.
    let saved = RwSignal::new(false);
    let edit = move |product: AdminProduct| {
        saved.set(false);
        editing.set(Some(product));
    };
    view! {
        <h1>"Catalogue"</h1>
        <div class="two-columns">
            <section aria-labelledby="products-title">
                <h2 id="products-title">"Produits"</h2>
                <button type="button" class="button" id="new-product" on:click=move |_| edit(blank())>"Nouveau produit"</button>
                {shown(products, move |list: Vec<AdminProduct>| view! {
                    <table class="cart-table" id="admin-products">
                        <thead><tr><th scope="col">"Produit"</th><th scope="col">"Catégorie"</th><th scope="col">"Variantes"</th><th scope="col">"En ligne"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|p| {
                                let (id, published, chosen) = (StoredValue::new(p.id.clone()), p.published, p.clone());
                                let toggle = move |_| {
                                    let id = id.get_value();
                                    leptos::task::spawn_local(async move {
                                        // Keep an open form in step, or saving it would undo this.
                                        if let Ok(updated) = api::publish(&id, !published).await
                                            && editing.with_untracked(|e| e.as_ref().is_some_and(|p| p.id == updated.id))
                                        {
                                            editing.set(Some(updated));
                                        }
                                        reload();
                                    });
                                };
                                view! {
                                    <tr>
                                        <td><button type="button" class="button-link" on:click=move |_| edit(chosen.clone())>{p.name}</button></td>
                                        <td>{p.category}</td><td>{p.variants.len()}</td>
                                        <td><button type="button" class="button button-link" on:click=toggle>{if published { "Oui — retirer" } else { "Non — publier" }}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            </section>
            {move || editing.get().map(|p| view! { <ProductForm p editing saved reload/> })}
        </div>
        <Categories version/>
        <Promotions/>
    }
}

fn blank() -> AdminProduct {
    AdminProduct {
        id: ProductId::parse("nouveau-produit").unwrap_or_else(|_| blank_id()),
        name: String::new(),
        description: String::new(),
        category: String::new(),
        image: "/img/products/t-shirt-lin.svg".into(),
        tax_class: TaxClass::Standard,
        published: false,
        position: 0,
        translations: BTreeMap::new(),
        variants: Vec::new(),
    }
}

fn blank_id() -> ProductId {
    // A literal slug always parses; this only keeps the fallback total.
    ProductId::parse("produit").unwrap_or_else(|_| blank_id())
}

#[component]
fn ProductForm(
    p: AdminProduct,
    editing: RwSignal<Option<AdminProduct>>,
    saved: RwSignal<bool>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // A product keeps its slug: changing it would create another product.
    let is_new = p.name.is_empty();
    let english = p.translations.get(&Lang::En);
    let fields = RwSignal::new([
        p.id.to_string(),
        p.name.clone(),
        p.description.clone(),
        p.category.clone(),
        p.image.clone(),
        english.map(|t| t.name.to_string()).unwrap_or_default(),
        english
            .map(|t| t.description.to_string())
            .unwrap_or_default(),
    ]);
    let tax = RwSignal::new(p.tax_class);
    let error = RwSignal::new(None::<CallError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let [
            id,
            name,
            description,
            category,
            image,
            name_en,
            description_en,
        ] = fields.get_untracked();
        let parsed = (|| {
            // English is optional: both fields empty leave the product
            // French only (served in French to English shoppers).
            let mut translations = BTreeMap::new();
            if !(name_en.trim().is_empty() && description_en.trim().is_empty()) {
                translations.insert(
                    Lang::En,
                    ProductText {
                        name: Label::parse(&name_en).map_err(|e| e.on("translations.en.name"))?,
                        description: Description::parse(&description_en)
                            .map_err(|e| e.on("translations.en.description"))?,
                    },
                );
            }
            Ok::<_, comptoir_shared::ApiError>((
                ProductId::parse(&id).map_err(|e| e.on("id"))?,
                ProductInput {
                    name: Label::parse(&name).map_err(|e| e.on("name"))?,
                    description: Description::parse(&description)
                        .map_err(|e| e.on("description"))?,
                    category: Label::parse(&category).map_err(|e| e.on("category"))?,
                    image: ImagePath::parse(&image).map_err(|e| e.on("image"))?,
                    tax_class: tax.get_untracked(),
                    published: p.published,
                    position: None,
                    translations,
                },
            ))
        })();
        match parsed {
            Ok((id, body)) => leptos::task::spawn_local(async move {
                match api::save_product(&id, &body).await {
                    Ok(product) => {
                        error.set(None);
                        saved.set(true);
                        editing.set(Some(product));
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            }),
            Err(e) => error.set(Some(CallError::Api(e))),
        }
    };
    let labels = [
        ("product-id", "Identifiant (slug)"),
        ("product-name", "Nom"),
        ("product-description", "Description"),
        ("product-category", "Catégorie"),
        ("product-image", "Image"),
        ("product-name-en", "Nom en anglais"),
        ("product-description-en", "Description en anglais"),
    ];
    let id = StoredValue::new(p.id.clone());
    view! {
        <section class="panel" aria-labelledby="edit-title">
            <h2 id="edit-title">{if p.name.is_empty() { "Nouveau produit".to_owned() } else { p.name.clone() }}</h2>
            <form on:submit=save>
                {labels.into_iter().enumerate().map(|(i, (fid, label))| view! {
                    <div class="field">
                        <label for=fid>{label}</label>
                        <input id=fid readonly=i == 0 && !is_new prop:value=move || fields.with(|f| f[i].clone()) on:input=move |ev| fields.update(|f| f[i] = value(&ev))/>
                    </div>
                }).collect_view()}
                <div class="field">
                    <label for="product-tax">"TVA"</label>
                    <select id="product-tax" on:change=move |ev| if let Some(t) = TaxClass::parse(&value(&ev)) { tax.set(t) }>
                        {TAX_CLASSES.into_iter().map(|(t, label)| view! { <option value=t.as_str() selected=t == p.tax_class>{label}</option> }).collect_view()}
                    </select>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                {move || saved.get().then(|| view! { <p class="notice notice-ok" role="status">"Enregistré."</p> })}
                <button type="submit" class="button button-primary" id="save-product">"Enregistrer"</button>
            </form>
            <h3>"Variantes"</h3>
            <table class="cart-table">
                <thead><tr><th scope="col">"Référence"</th><th scope="col">"Coloris · taille"</th><th scope="col">"Prix TTC"</th><th scope="col">"Stock"</th></tr></thead>
                <tbody>
                    {p.variants.iter().map(|v| view! {
                        <tr><td><code>{v.sku.to_string()}</code></td>
                            <td>{options_label(v.colour.as_deref(), v.size.as_deref())}</td>
                            <td>{text::money(v.price)}</td><td>{format!("{} (réservé {})", v.on_hand, v.reserved)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!is_new).then(|| view! { <VariantForm id=id.get_value() editing reload/> })}
        </section>
    }
}

/// Every category with its English name, each saved on its own.
#[component]
fn Categories(version: RwSignal<u32>) -> impl IntoView {
    let categories = load(move || {
        version.track();
        api::categories()
    });
    view! {
        <section aria-labelledby="categories-title">
            <h2 id="categories-title">"Catégories"</h2>
            <p class="muted">"Le nom français est celui que portent les produits ; sans nom anglais, la boutique en anglais affiche le français."</p>
            {shown(categories, move |list: Vec<AdminCategory>| view! {
                <table class="cart-table" id="admin-categories">
                    <thead><tr><th scope="col">"Catégorie"</th><th scope="col">"Produits"</th><th scope="col">"Nom en anglais"</th></tr></thead>
                    <tbody>{list.into_iter().enumerate().map(|(i, c)| view! { <CategoryRow c i/> }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}

#[component]
fn CategoryRow(c: AdminCategory, i: usize) -> impl IntoView {
    let english = RwSignal::new(c.translations.get(&Lang::En).cloned().unwrap_or_default());
    let error = RwSignal::new(None::<CallError>);
    let saved = RwSignal::new(false);
    let name = StoredValue::new(c.name.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = english.get_untracked();
        let translations = if typed.trim().is_empty() {
            Ok(BTreeMap::new())
        } else {
            Label::parse(&typed)
                .map(|label| BTreeMap::from([(Lang::En, label)]))
                .map_err(|e| e.on("translations.en"))
        };
        match translations {
            Ok(translations) => leptos::task::spawn_local(async move {
                match api::save_category(&name.get_value(), &CategoryInput { translations }).await {
                    Ok(_) => {
                        error.set(None);
                        saved.set(true);
                    }
                    Err(e) => error.set(Some(e)),
                }
            }),
            Err(e) => error.set(Some(CallError::Api(e))),
        }
    };
    let field = format!("category-en-{i}");
    view! {
        <tr>
            <td>{c.name.clone()}</td><td>{c.products}</td>
            <td>
                <form class="inline-form" on:submit=save>
                    <label class="sr-only" for=field.clone()>{format!("Nom anglais de {}", c.name)}</label>
                    <input id=field prop:value=move || english.get() on:input=move |ev| { saved.set(false); english.set(value(&ev)) }/>
                    <button type="submit" class="button">"Enregistrer"</button>
                    {move || saved.get().then(|| view! { <span class="notice-ok" role="status">"Enregistré."</span> })}
                </form>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            </td>
        </tr>
    }
}

#[component]
fn VariantForm(
    id: ProductId,
    editing: RwSignal<Option<AdminProduct>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let fields = RwSignal::new([String::new(), String::new(), String::new(), String::new()]);
    let error = RwSignal::new(None::<CallError>);
    let id = StoredValue::new(id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [sku, colour, size, price] = fields.get_untracked();
        let option =
            |raw: &str, field: &str| -> Result<Option<OptionLabel>, comptoir_shared::ApiError> {
                if raw.trim().is_empty() {
                    Ok(None)
                } else {
                    OptionLabel::parse(raw).map(Some).map_err(|e| e.on(field))
                }
            };
        let parsed = (|| {
            Ok::<_, comptoir_shared::ApiError>((
                Sku::parse(&sku).map_err(|e| e.on("sku"))?,
                VariantInput {
                    colour: option(&colour, "colour")?,
                    size: option(&size, "size")?,
                    price: Money::eur(parse_euros(&price).ok_or_else(|| {
                        comptoir_shared::ApiError::validation(
                            "price",
                            "an amount in euros, like 35,00",
                        )
                    })?),
                    position: 0,
                },
            ))
        })();
        match parsed {
            Ok((sku, body)) => leptos::task::spawn_local(async move {
                match api::save_variant(&id.get_value(), &sku, &body).await {
                    Ok(product) => {
                        error.set(None);
                        editing.set(Some(product));
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            }),
            Err(e) => error.set(Some(CallError::Api(e))),
        }
    };
    let labels = [
        ("variant-sku", "Référence"),
        ("variant-colour", "Coloris"),
        ("variant-size", "Taille"),
        ("variant-price", "Prix TTC (€)"),
    ];
    view! {
        <form class="grid-form" on:submit=save>
            {labels.into_iter().enumerate().map(|(i, (fid, label))| view! {
                <div class="field"><label for=fid>{label}</label>
                    <input id=fid on:input=move |ev| fields.update(|f| f[i] = value(&ev))/></div>
            }).collect_view()}
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="button">"Ajouter ou modifier la variante"</button>
        </form>
    }
}

#[component]
fn Promotions() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = load(move || {
        version.track();
        api::promotions()
    });
    let reload = move || version.update(|v| *v += 1);
    let form = PromotionFields::new();
    view! {
        <section aria-labelledby="promotions-title">
            <h2 id="promotions-title">"Codes promo"</h2>
            {shown(list, move |codes: Vec<PromotionListing>| view! {
                <table class="cart-table" id="promotions">
                    <thead><tr><th scope="col">"Code"</th><th scope="col">"Remise"</th><th scope="col">"Dès"</th><th scope="col">"Validité"</th>
                        <th scope="col">"Utilisations"</th><th scope="col">"Actif"</th></tr></thead>
                    <tbody>
                        {codes.into_iter().map(|l| {
                            let p = l.promotion;
                            let code = StoredValue::new(p.code.clone());
                            let disable = move |_| leptos::task::spawn_local(async move {
                                let _ = api::disable_promotion(&code.get_value()).await;
                                reload();
                            });
                            let terms = p.clone();
                            let edit = move |_| form.fill(&terms);
                            view! {
                                <tr>
                                    <td><code>{p.code.to_string()}</code>" "
                                        <button type="button" class="button button-link" on:click=edit>"Modifier"</button></td>
                                    <td>{match p.kind {
                                        PromotionKind::Percentage { bps } => format!("−{} %", f64::from(bps) / 100.0),
                                        PromotionKind::FixedAmount { amount } => format!("−{}", text::money(amount)),
                                        PromotionKind::FreeShipping => "livraison offerte".into(),
                                    }}{if p.stackable { " · cumulable" } else { "" }}</td>
                                    <td>{text::money(p.min_subtotal)}</td>
                                    <td>{text::date_time(p.starts_at_ms)}{p.ends_at_ms.map(|e| format!(" → {}", text::date_time(e)))}</td>
                                    <td>{l.uses}{p.usage_limit.map(|u| format!(" / {u}"))}</td>
                                    <td>{if p.active {
                                        view! { <button type="button" class="button button-link" on:click=disable>"Oui — désactiver"</button> }.into_any()
                                    } else { view! { <span>"Non"</span> }.into_any() }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <PromotionForm form reload/>
        </section>
    }
}

/// The promotion form's fields as typed; `editing` names the code being
/// changed (with whether it is active), `None` for a new one.
#[derive(Clone, Copy)]
struct PromotionFields {
    /// code, kind, value, minimum (€), from, to, limit, per customer
    f: RwSignal<[String; 8]>,
    stackable: RwSignal<bool>,
    editing: RwSignal<Option<(PromoCode, bool)>>,
}

impl PromotionFields {
    fn new() -> Self {
        Self {
            f: RwSignal::new(Self::blank()),
            stackable: RwSignal::new(false),
            editing: RwSignal::new(None),
        }
    }

    fn blank() -> [String; 8] {
        let mut f: [String; 8] = Default::default();
        f[1] = "percentage".into();
        f[3] = "0".into();
        f
    }

    /// Loads a code's terms into the form to change them.
    fn fill(&self, p: &Promotion) {
        let date = |ms: i64| {
            String::from(js_sys::Date::new(&(ms as f64).into()).to_iso_string())
                .chars()
                .take(10)
                .collect::<String>()
        };
        let (kind, value) = match p.kind {
            // Basis points read like cents: 1250 → "12,50" (%).
            PromotionKind::Percentage { bps } => ("percentage", euros(i64::from(bps))),
            PromotionKind::FixedAmount { amount } => ("fixed", euros(amount.amount)),
            PromotionKind::FreeShipping => ("free_shipping", String::new()),
        };
        self.f.set([
            p.code.to_string(),
            kind.into(),
            value,
            euros(p.min_subtotal.amount),
            date(p.starts_at_ms),
            p.ends_at_ms.map(date).unwrap_or_default(),
            p.usage_limit.map(|n| n.to_string()).unwrap_or_default(),
            p.per_customer_limit
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ]);
        self.stackable.set(p.stackable);
        self.editing.set(Some((p.code.clone(), p.active)));
    }
}

#[component]
fn PromotionForm(
    form: PromotionFields,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let PromotionFields {
        f,
        stackable,
        editing,
    } = form;
    let error = RwSignal::new(None::<CallError>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [code, kind, amount, minimum, from, to, limit, per_customer] = f.get_untracked();
        let amount_of = |raw: &str, field: &str| {
            parse_euros(raw).ok_or_else(|| {
                comptoir_shared::ApiError::validation(field, "an amount, like 12,50")
            })
        };
        // Empty: no limit; anything else must be a count of at least one.
        let count = |raw: &str, field: &str| match raw.trim() {
            "" => Ok(None),
            n => n
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .map(Some)
                .ok_or_else(|| {
                    comptoir_shared::ApiError::validation(field, "a number of uses, 1 or more")
                }),
        };
        let editing_now = editing.get_untracked();
        let parsed = (|| {
            let kind = match kind.as_str() {
                "percentage" => PromotionKind::Percentage {
                    bps: u32::try_from(amount_of(&amount, "kind")?).unwrap_or(0),
                },
                "fixed" => PromotionKind::FixedAmount {
                    amount: Money::eur(amount_of(&amount, "kind")?),
                },
                _ => PromotionKind::FreeShipping,
            };
            Ok::<_, comptoir_shared::ApiError>(Promotion {
                code: PromoCode::parse(&code).map_err(|e| e.on("code"))?,
                kind,
                min_subtotal: Money::eur(amount_of(&minimum, "min_subtotal")?),
                starts_at_ms: day_start_ms(&from).unwrap_or_else(|| js_sys::Date::now() as i64),
                ends_at_ms: day_start_ms(&to),
                usage_limit: count(&limit, "usage_limit")?,
                per_customer_limit: count(&per_customer, "per_customer_limit")?,
                stackable: stackable.get_untracked(),
                active: editing_now.as_ref().is_none_or(|(_, active)| *active),
            })
        })();
        match parsed {
            Ok(body) => leptos::task::spawn_local(async move {
                let saved = match &editing_now {
                    Some((code, _)) => api::update_promotion(code, &body).await,
                    None => api::create_promotion(&body).await,
                };
                match saved {
                    Ok(_) => {
                        error.set(None);
                        editing.set(None);
                        f.set(PromotionFields::blank());
                        stackable.set(false);
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            }),
            Err(e) => error.set(Some(CallError::Api(e))),
        }
    };
    let input = move |i: usize, id: &'static str, label: &'static str, kind: &'static str| {
        view! {
            <div class="field"><label for=id>{label}</label>
                <input id=id type=kind prop:value=move || f.with(|v| v[i].clone()) on:input=move |ev| f.update(|v| v[i] = value(&ev))/></div>
        }
    };
    view! {
        <h3>{move || match editing.get() {
            Some((code, _)) => format!("Modifier {code}"),
            None => "Nouveau code".to_owned(),
        }}</h3>
        <form class="grid-form" on:submit=create>
            {input(0, "promo-code-new", "Code", "text")}
            <div class="field"><label for="promo-kind">"Type"</label>
                <select id="promo-kind" prop:value=move || f.with(|v| v[1].clone()) on:change=move |ev| f.update(|v| v[1] = value(&ev))>
                    <option value="percentage">"Pourcentage"</option>
                    <option value="fixed">"Montant fixe (€)"</option>
                    <option value="free_shipping">"Livraison offerte"</option>
                </select>
            </div>
            {input(2, "promo-value", "Valeur (% ou €, ex. 12,50)", "text")}
            {input(3, "promo-minimum", "Dès (€ d'achats)", "text")}
            {input(4, "promo-from", "Du", "date")}
            {input(5, "promo-to", "Au (exclu)", "date")}
            {input(6, "promo-limit", "Utilisations au total", "number")}
            {input(7, "promo-per-customer", "Par client", "number")}
            <label class="check"><input type="checkbox" prop:checked=move || stackable.get() on:change=move |ev| stackable.set(event_target_checked(&ev))/>"Cumulable"</label>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="button button-primary" id="create-promotion">
                {move || if editing.get().is_some() { "Enregistrer" } else { "Créer le code" }}
            </button>
        </form>
    }
}
