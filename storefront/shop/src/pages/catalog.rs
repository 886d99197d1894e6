//! The catalog: search, categories with counts, price and stock filters,
//! sort and pages. The query lives in the URL (`/?q=lin&sort=price_asc`), so
//! a listing can be shared, cached, reloaded and navigated back to; the form
//! is a plain `GET` form, so it works before (and without) any script.

use comptoir_shared::catalog::{ProductPage, ProductQuery, ProductSort};
use comptoir_ui::i18n::{Lang, lang};
use comptoir_ui::{paths, text};
use leptos::prelude::*;

use crate::head::product_path;

/// The form's price fields, in whole euros (the API's `min_price` and
/// `max_price` are cents).
pub const MIN_EUROS: &str = "prix_min";
/// See [`MIN_EUROS`].
pub const MAX_EUROS: &str = "prix_max";

/// How many cards a phone shows before scrolling: their images load at
/// once, the others lazily.
const ABOVE_THE_FOLD: usize = 4;

fn href(lang: Lang, query: &ProductQuery) -> String {
    match query.to_query_string() {
        q if q.is_empty() => lang.path(paths::CATALOG),
        q => format!("{}?{q}", lang.path(paths::CATALOG)),
    }
}

fn sort_label(sort: ProductSort, l: Lang) -> &'static str {
    match sort {
        ProductSort::Featured => l.pick("Sélection", "Featured"),
        ProductSort::PriceAsc => l.pick("Prix croissant", "Price, low to high"),
        ProductSort::PriceDesc => l.pick("Prix décroissant", "Price, high to low"),
        ProductSort::Name => l.pick("Nom", "Name"),
    }
}

/// `/`, `/en/`
#[component]
pub fn CatalogPage(query: ProductQuery, page: ProductPage) -> impl IntoView {
    let l = lang();
    let heading = if !query.q.trim().is_empty() {
        l.pick(
            format!("Recherche « {} »", query.q.trim()),
            format!("Search “{}”", query.q.trim()),
        )
    } else if !query.category.is_empty() {
        page.category_label(&query.category).to_owned()
    } else {
        l.pick("Catalogue", "Catalogue").to_owned()
    };
    view! {
        <h1>{heading}</h1>
        <Filters query=query.clone()/>
        <div class="catalog">
            <Results page query/>
        </div>
    }
}

/// Words, then (behind a toggle, so a phone's first screen shows products)
/// the price window in whole euros, "in stock" and the sort.
#[component]
fn Filters(query: ProductQuery) -> impl IntoView {
    let l = lang();
    let euros = |cents: Option<i64>| cents.map(|c| (c / 100).to_string()).unwrap_or_default();
    let filtering = query.min_price.is_some()
        || query.max_price.is_some()
        || query.in_stock
        || query.sort != ProductSort::Featured;
    view! {
        <form class="filters" role="search" method="get" action=l.path(paths::CATALOG) id="catalog-filters">
            <div class="search-row">
                <label for="search" class="sr-only">{l.pick("Rechercher", "Search")}</label>
                <input id="search" type="search" name="q" autocomplete="off" maxlength="100"
                    value=query.q.clone() placeholder=l.pick("Rechercher un article", "Search for an item")/>
                <button type="submit" class="button button-primary" id="apply-filters">{l.pick("Afficher", "Show")}</button>
            </div>
            {(!query.category.is_empty()).then(|| view! {
                <input type="hidden" name="category" value=query.category.clone()/>
            })}
            <details class="filter-drawer" open=filtering>
                <summary>{l.pick("Filtrer et trier", "Filter and sort")}</summary>
                <fieldset class="price-range">
                    <legend>{l.pick("Prix (€)", "Price (€)")}</legend>
                    <label for="min-price">{l.pick("de", "from")}</label>
                    <input id="min-price" name=MIN_EUROS type="number" inputmode="numeric" min="0" step="1"
                        value=euros(query.min_price)/>
                    <label for="max-price">{l.pick("à", "to")}</label>
                    <input id="max-price" name=MAX_EUROS type="number" inputmode="numeric" min="0" step="1"
                        value=euros(query.max_price)/>
                </fieldset>
                <label class="check">
                    <input id="in-stock" name="in_stock" value="true" type="checkbox" checked=query.in_stock/>
                    {l.pick("En stock uniquement", "In stock only")}
                </label>
                <label for="sort">{l.pick("Trier par", "Sort by")}</label>
                <select id="sort" name="sort">
                    {ProductSort::ALL.into_iter().map(|o| view! {
                        <option value=o.as_str() selected=o == query.sort>{sort_label(o, l)}</option>
                    }).collect_view()}
                </select>
            </details>
        </form>
    }
}

/// Categories, the count, the cards and the pager.
#[component]
fn Results(page: ProductPage, query: ProductQuery) -> impl IntoView {
    let l = lang();
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
                <li><a href=href(l, &target) aria-current=current>{format!("{} ({})", c.label, c.count)}</a></li>
            }
        })
        .collect_view();
    let at = |n: u32| {
        href(
            l,
            &ProductQuery {
                page: Some(n),
                ..query.clone()
            },
        )
    };
    let (previous, next) = (at(current.saturating_sub(1)), at(current.saturating_add(1)));
    let count = l.pick(
        match total {
            0 => "Aucun produit ne correspond.".to_owned(),
            1 => "1 produit".to_owned(),
            n => format!("{n} produits"),
        },
        match total {
            0 => "No product matches.".to_owned(),
            1 => "1 product".to_owned(),
            n => format!("{n} products"),
        },
    );
    view! {
        <nav class="categories" aria-label=l.pick("Catégories", "Categories")>
            <ul>
                <li><a href=href(l, &all) aria-current=query.category.is_empty().then_some("page")>{l.pick("Tout", "All")}</a></li>
                {category_links}
            </ul>
        </nav>
        <section aria-labelledby="results-count" class="results">
            <p id="results-count" class="muted">{count}</p>
            <ul class="product-grid">
                {page.items.into_iter().enumerate().map(|(i, p)| {
                    let above = i < ABOVE_THE_FOLD;
                    view! {
                        <li class="product-card">
                            <a href=product_path(l, &p.id)>
                                <img src=p.image.clone() alt="" width="400" height="500"
                                    loading=if above { "eager" } else { "lazy" }
                                    fetchpriority=(i == 0).then_some("high")/>
                                <span class="product-name">{p.name.clone()}</span>
                                <span class="price">{l.pick("dès ", "from ")}{text::money(p.price_from)}</span>
                                {(!p.in_stock).then(|| view! { <span class="tag tag-out">{l.pick("Rupture de stock", "Out of stock")}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label=l.pick("Pages", "Pages")>
                    {(current > 1).then(|| view! { <a href=previous rel="prev" id="page-prev">{l.pick("← Précédente", "← Previous")}</a> })}
                    <span>{l.pick(format!("Page {current} sur {pages}"), format!("Page {current} of {pages}"))}</span>
                    {(current < pages).then(|| view! { <a href=next rel="next" id="page-next">{l.pick("Suivante →", "Next →")}</a> })}
                </nav>
            })}
        </section>
    }
}
