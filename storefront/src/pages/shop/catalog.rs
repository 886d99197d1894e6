//! The catalog: every published product as a card.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::ErrorNotice;
use crate::text;

/// `/`
#[component]
pub fn CatalogPage() -> impl IntoView {
    let products = LocalResource::new(crate::api::products);
    view! {
        <h1>"Catalogue"</h1>
        <Suspense fallback=|| view! { <p>{text::LOADING}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(list) => view! {
                        <ul class="product-grid">
                            {list.into_iter().map(|p| view! {
                                <li class="product-card">
                                    <A href=format!("/produits/{}", p.id)>
                                        <img src=p.image.clone() alt="" width="400" height="500" loading="lazy"/>
                                        <span class="product-name">{p.name.clone()}</span>
                                        <span class="price">{format!("dès {}", text::money(p.price_from))}</span>
                                        {(!p.in_stock).then(|| view! { <span class="tag tag-out">"Rupture de stock"</span> })}
                                    </A>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
