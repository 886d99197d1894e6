//! `/confidentialite`: the audience measurement in plain words — what is
//! sent, what is kept and how long — and the button that stops it for this
//! browser. The page is plain server HTML; the button is worked by the boot
//! script (`storefront/islands.js`, loaded on every shop page), which shows
//! it: no island, no extra WebAssembly, no inline script (the pages' CSP
//! allows none). The choice is one `localStorage` entry
//! ([`comptoir_ui::state::AUDIENCE_OPT_OUT`]), written only when the button
//! is pressed, which every beacon of the shop reads before sending anything.

use comptoir_ui::i18n::lang;
use leptos::prelude::*;

/// The privacy page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let l = lang();
    view! {
        <article class="privacy" aria-labelledby="privacy-title">
            <h1 id="privacy-title">{l.pick("Confidentialité", "Privacy")}</h1>
            <h2>{l.pick("Mesure d'audience", "Audience measurement")}</h2>
            <p>{l.pick(
                "Pour savoir quelles pages servent et où les visiteurs s'arrêtent, la boutique compte les visites, \
                 les pages de produit vues, les ajouts au panier et les commandes commencées. C'est pour ses propres \
                 statistiques seulement : pas de publicité, rien n'est transmis à d'autres, aucun cookie.",
                "To know which pages help and where visitors stop, the shop counts visits, product pages viewed, \
                 additions to the cart and checkouts started. It is for its own statistics only: no advertising, \
                 nothing passed on to anyone, no cookie.",
            )}</p>
            <ul>
                <li>{l.pick(
                    "Ce que la page envoie : son adresse (sans ce qui suit « ? »), le nom du site d'où vous venez \
                     et les étiquettes de campagne (utm_…).",
                    "What the page sends: its address (without what follows “?”), the name of the site you came \
                     from and the campaign tags (utm_…).",
                )}</li>
                <li>{l.pick(
                    "Pour reconnaître une visite, le serveur calcule un code à partir de votre adresse IP et de votre \
                     navigateur, mélangés à une clé aléatoire du jour. Ce sont des données pseudonymisées : ni \
                     l'adresse IP ni le navigateur ne sont gardés, et la clé du jour est effacée le lendemain ; dès \
                     lors, retrouver qui était derrière un code est impossible.",
                    "To recognise a visit, the server computes a code from your IP address and your browser, mixed \
                     with a random key of the day. This is pseudonymised data: neither the IP address nor the \
                     browser is kept, and the day's key is deleted the next day; from then on, finding out who was \
                     behind a code is impossible.",
                )}</li>
                <li>{l.pick(
                    "Les événements bruts sont effacés environ deux heures après leur arrivée (7 jours au \
                     plus) ; au-delà, il ne reste que des totaux anonymes par heure, gardés 13 mois au plus.",
                    "Raw events are deleted about two hours after they came (7 days at most); beyond that, \
                     only anonymous hourly totals remain, kept 13 months at most.",
                )}</li>
                <li>{l.pick(
                    "Rien n'est envoyé si votre navigateur demande à ne pas être suivi (« Do Not Track » ou \
                     « Global Privacy Control »), ni sans JavaScript.",
                    "Nothing is sent if your browser asks not to be tracked (“Do Not Track” or “Global Privacy \
                     Control”), nor without JavaScript.",
                )}</li>
            </ul>
            <h2>{l.pick("Ne pas être mesuré", "Not being measured")}</h2>
            <p>{l.pick(
                "Ce bouton arrête la mesure pour ce navigateur : il n'envoie plus rien. Votre choix est gardé dans ce \
                 navigateur seulement (une seule entrée de stockage local, écrite quand vous appuyez, effacée quand \
                 vous appuyez à nouveau) ; il ne nous est pas envoyé.",
                "This button stops the measurement for this browser: it sends nothing any more. Your choice is kept \
                 in this browser only (a single local storage entry, written when you press it, cleared when you \
                 press it again); it is not sent to us.",
            )}</p>
            <p id="audience-state" role="status" aria-live="polite"
                data-measured=l.pick("Ce navigateur est mesuré.", "This browser is measured.")
                data-opted-out=l.pick("Ce navigateur n'est pas mesuré : vous l'avez demandé.", "This browser is not measured: you asked for it.")
                data-browser=l.pick("Ce navigateur n'est pas mesuré : il demande à ne pas être suivi.", "This browser is not measured: it asks not to be tracked.")>
                {l.pick("Sans JavaScript, ce navigateur n'est pas mesuré.", "Without JavaScript, this browser is not measured.")}
            </p>
            <p>
                <button type="button" class="button" id="audience-toggle" hidden=true
                    data-off=l.pick("Ne pas être mesuré", "Do not measure me")
                    data-on=l.pick("Me mesurer à nouveau", "Measure me again")>
                    {l.pick("Ne pas être mesuré", "Do not measure me")}
                </button>
            </p>
        </article>
    }
}
