//! The catalog: search, categories with counts, price and stock filters,
//! sort and pages. The query lives in the URL (`/?q=lin&sort=price_asc`), so
//! a filtered listing can be shared, reloaded and navigated back to.

use comptoir_shared::catalog::{ProductPage, ProductQuery, ProductSort};
use comptoir_ui::api::{self, CallResult};
use comptoir_ui::components::{ErrorNotice, Loading};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::{paths, text};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

/// Reads the listing's query from the URL; anything unreadable is left out.
fn query_of(params: &ParamsMap) -> ProductQuery {
    let euros = |key: &str| {
        params
            .get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v >= 0)
    };
    ProductQuery {
        q: params.get("q").unwrap_or_default(),
        category: params.get("category").unwrap_or_default(),
        min_price: euros("min_price"),
        max_price: euros("max_price"),
        in_stock: params.get("in_stock").as_deref() == Some("true"),
        sort: params
            .get("sort")
            .and_then(|s| ProductSort::ALL.into_iter().find(|o| o.as_str() == s))
            .unwrap_or_default(),
        page: params.get("page").and_then(|p| p.parse().ok()),
        per_page: None,
    }
}

fn href(query: &ProductQuery) -> String {
    match query.to_query_string() {
        q if q.is_empty() => paths::CATALOG.to_owned(),
        q => format!("{}?{q}", paths::CATALOG),
    }
}

fn sort_label(sort: ProductSort) -> &'static str {
    let l = lang();
    match sort {
        ProductSort::Featured => l.pick("Sélection", "Featured"),
        ProductSort::PriceAsc => l.pick("Prix croissant", "Price, low to high"),
        ProductSort::PriceDesc => l.pick("Prix décroissant", "Price, high to low"),
        ProductSort::Name => l.pick("Nom", "Name"),
    }
}

/// `/`
#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));
    // The previous results stay on screen while the next ones load; an
    // answer to a query the shopper has already changed is dropped.
    let listing = RwSignal::new(None::<CallResult<ProductPage>>);
    Effect::new(move || {
        let q = query.get();
        leptos::task::spawn_local(async move {
            let answer = api::products(&q).await;
            // The page may have been left meanwhile: its memo is gone then.
            if query.try_get_untracked().as_ref() == Some(&q) {
                listing.set(Some(answer));
            }
        });
    });
    view! {
        <h1>{t("Catalogue", "Catalogue")}</h1>
        <div class="catalog">
            <Filters query/>
            <section aria-labelledby="results-count" class="results">
                {move || match listing.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                    Some(Ok(page)) => view! { <Results page query=query.get_untracked()/> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// The search form: words, price window (whole euros), in stock, sort.
#[component]
fn Filters(query: Memo<ProductQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let words = RwSignal::new(String::new());
    let min = RwSignal::new(String::new());
    let max = RwSignal::new(String::new());
    let in_stock = RwSignal::new(false);
    let sort = RwSignal::new(ProductSort::Featured);
    Effect::new(move || {
        let q = query.get();
        words.set(q.q.clone());
        min.set(
            q.min_price
                .map(|c| (c / 100).to_string())
                .unwrap_or_default(),
        );
        max.set(
            q.max_price
                .map(|c| (c / 100).to_string())
                .unwrap_or_default(),
        );
        in_stock.set(q.in_stock);
        sort.set(q.sort);
    });
    let cents = |raw: String| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|e| *e >= 0)
            .map(|e| e * 100)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = ProductQuery {
            q: words.get_untracked(),
            category: query.get_untracked().category,
            min_price: cents(min.get_untracked()),
            max_price: cents(max.get_untracked()),
            in_stock: in_stock.get_untracked(),
            sort: sort.get_untracked(),
            page: None,
            per_page: None,
        };
        navigate(&href(&wanted), Default::default());
    };
    view! {
        <form class="filters" role="search" on:submit=submit id="catalog-filters">
            <label for="search">{t("Rechercher", "Search")}</label>
            <input id="search" type="search" name="q" autocomplete="off" maxlength="100"
                prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))/>
            <fieldset class="price-range">
                <legend>{t("Prix (€)", "Price (€)")}</legend>
                <label for="min-price">{t("de", "from")}</label>
                <input id="min-price" type="number" inputmode="numeric" min="0" step="1"
                    prop:value=move || min.get() on:input=move |ev| min.set(event_target_value(&ev))/>
                <label for="max-price">{t("à", "to")}</label>
                <input id="max-price" type="number" inputmode="numeric" min="0" step="1"
                    prop:value=move || max.get() on:input=move |ev| max.set(event_target_value(&ev))/>
            </fieldset>
            <label class="check">
                <input id="in-stock" type="checkbox" prop:checked=move || in_stock.get()
                    on:change=move |ev| in_stock.set(event_target_checked(&ev))/>
                {t("En stock uniquement", "In stock only")}
            </label>
            <label for="sort">{t("Trier par", "Sort by")}</label>
            <select id="sort" prop:value=move || sort.get().as_str() on:change=move |ev| {
                let v = event_target_value(&ev);
                sort.set(ProductSort::ALL.into_iter().find(|o| o.as_str() == v).unwrap_or_default());
            }>
                {ProductSort::ALL.into_iter().map(|o| view! {
                    <option value=o.as_str()>{move || sort_label(o)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button button-primary" id="apply-filters">{t("Afficher", "Show")}</button>
        </form>
    }
}

/// Categories, the count, the cards and the pager.
#[component]
fn Results(page: ProductPage, query: ProductQuery) -> impl IntoView {
    let pages = page.pages();
    let (current, total) = (page.page, page.total);
    let all = ProductQuery {
        category: String::new(),
        page: None,
        ..query.clone()
    };
    let category_links = page
        .categories
        .iter()
        .map(|c| {
            let target = ProductQuery {
                category: c.name.clone(),
                page: None,
                ..query.clone()
            };
            let current = (query.category == c.name).then_some("page");
            view! {
                <li><a href=href(&target) aria-current=current>{format!("{} ({})", c.name, c.count)}</a></li>
            }
        })
        .collect_view();
    let at = |n: u32| {
        href(&ProductQuery {
            page: Some(n),
            ..query.clone()
        })
    };
    let (previous, next) = (at(current.saturating_sub(1)), at(current + 1));
    view! {
        <nav class="categories" aria-label=t("Catégories", "Categories")>
            <ul>
                <li><a href=href(&all) aria-current=query.category.is_empty().then_some("page")>{t("Tout", "All")}</a></li>
                {category_links}
            </ul>
        </nav>
        <p id="results-count" class="muted" aria-live="polite">
            {move || lang().pick(
                match total { 0 => "Aucun produit ne correspond.".to_owned(), 1 => "1 produit".to_owned(), n => format!("{n} produits") },
                match total { 0 => "No product matches.".to_owned(), 1 => "1 product".to_owned(), n => format!("{n} products") },
            )}
        </p>
        <ul class="product-grid">
            {page.items.into_iter().map(|p| view! {
                <li class="product-card">
                    <a href=paths::product(&p.id)>
                        <img src=p.image.clone() alt="" width="400" height="500" loading="lazy"/>
                        <span class="product-name">{p.name.clone()}</span>
                        <span class="price">{move || lang().pick("dès ", "from ")}{move || text::money(p.price_from)}</span>
                        {(!p.in_stock).then(|| view! { <span class="tag tag-out">{t("Rupture de stock", "Out of stock")}</span> })}
                    </a>
                </li>
            }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t("Pages", "Pages")>
                {(current > 1).then(|| view! { <a href=previous rel="prev" id="page-prev">{t("← Précédente", "← Previous")}</a> })}
                <span>{move || lang().pick(format!("Page {current} sur {pages}"), format!("Page {current} of {pages}"))}</span>
                {(current < pages).then(|| view! { <a href=next rel="next" id="page-next">{t("Suivante →", "Next →")}</a> })}
            </nav>
        })}
    }
}
