//! The dashboard's visitor funnel (`GET /api/kpis/funnel`, over the
//! dashboard's period): visits → product views → add to cart → checkout
//! started → paid, as an SVG funnel with each step's conversion, then the
//! same counts by source and by device class as tables.

use comptoir_shared::audience::{Funnel, FunnelSlice, FunnelStage};
use leptos::prelude::*;

use super::percent;
use crate::chart::{FunnelChart, Stage};

fn stage_label(stage: FunnelStage) -> &'static str {
    match stage {
        FunnelStage::Visits => "Visites",
        FunnelStage::ProductViews => "Fiches produit vues",
        FunnelStage::AddToCart => "Ajouts au panier",
        FunnelStage::CheckoutStarted => "Commandes commencées",
        FunnelStage::Paid => "Commandes payées",
    }
}

/// The funnel section of the dashboard.
#[component]
pub fn FunnelSection(f: Funnel) -> impl IntoView {
    let stages = f
        .steps
        .iter()
        .map(|s| Stage {
            label: stage_label(s.stage).to_owned(),
            count: s.count,
            conversion: s
                .from_previous_bps
                .map(|b| percent(Some(b)))
                .unwrap_or_default(),
        })
        .collect();
    view! {
        <section aria-labelledby="funnel-title">
            <h2 id="funnel-title">"Parcours des visiteurs"</h2>
            <p class="muted">"Mesure d'audience sans cookie, données pseudonymisées (ré-identification \
                impossible une fois le sel du jour effacé) ; événements bruts effacés après environ deux heures \
                (7 jours au plus), puis seulement des agrégats horaires anonymes, 13 mois au plus ; refus (DNT, GPC, page \
                Confidentialité de la boutique) respecté. Les commandes payées viennent des commandes."</p>
            <dl class="kpis">
                <div class="kpi">
                    <dt>"Taux de conversion"</dt>
                    <dd id="kpi-visit-conversion">{percent(f.conversion_bps)}</dd>
                    <small>"commandes payées / visites"</small>
                </div>
                <div class="kpi">
                    <dt>"Pages vues"</dt>
                    <dd id="kpi-page-views">{f.counts.page_views.to_string()}</dd>
                </div>
            </dl>
            <div class="charts">
                <FunnelChart id="chart-funnel" caption="Entonnoir de conversion".to_owned() stages/>
            </div>
            <Slices id="funnel-by-source" title="Par source" slices=f.by_source/>
            <Slices id="funnel-by-device" title="Par appareil" slices=f.by_device/>
        </section>
    }
}

/// The counts of each source or device class, as a table.
#[component]
fn Slices(id: &'static str, title: &'static str, slices: Vec<FunnelSlice>) -> impl IntoView {
    view! {
        <table class="cart-table" id=id>
            <caption>{title}</caption>
            <thead>
                <tr>
                    <th scope="col">{title}</th>
                    <th scope="col">"Visites"</th>
                    <th scope="col">"Fiches produit"</th>
                    <th scope="col">"Ajouts au panier"</th>
                    <th scope="col">"Commandes commencées"</th>
                    <th scope="col">"Commencées / visites"</th>
                </tr>
            </thead>
            <tbody>
                {slices.into_iter().map(|s| view! {
                    <tr data-key=s.key.clone()>
                        <th scope="row">{s.key.clone()}</th>
                        <td>{s.counts.visits.to_string()}</td>
                        <td>{s.counts.product_views.to_string()}</td>
                        <td>{s.counts.add_to_cart.to_string()}</td>
                        <td>{s.counts.checkout_started.to_string()}</td>
                        <td>{percent(s.checkout_rate_bps)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
