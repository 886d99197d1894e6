//! The audience beacon (`POST /api/events`) and the visitor funnel
//! (`GET /api/kpis/funnel`): what counts and what counts nothing (opt-outs,
//! robots, reloads, other origins, bad bodies), and a roll-up that never
//! counts twice.

use comptoir_e2e::{TestApp, spawn_quiet_app_with};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

const SECRET: &str = "le secret du planificateur";
const DESKTOP: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";

/// Sends one beacon event as a browser with `user_agent` and `headers`.
async fn beacon(
    app: &TestApp,
    user_agent: &str,
    headers: &[(&str, &str)],
    body: &Json,
) -> anyhow::Result<comptoir_e2e::Answer> {
    let mut all = vec![("user-agent", user_agent)];
    all.extend_from_slice(headers);
    app.call("POST", "/api/events", Some(body.to_string()), &all)
        .await
}

/// Runs the job runner once; checks the audience duty ran.
async fn roll_up(app: &TestApp) -> anyhow::Result<()> {
    app.run_duty(SECRET, "audience").await.map(drop)
}

async fn aggregates(app: &TestApp) -> anyhow::Result<Vec<String>> {
    Ok(app
        .rows(
            "SELECT hour, step, source, device, count, visitors FROM audience_hourly ORDER BY 1, 2, 3, 4",
            &[],
        )
        .await?
        .iter()
        .map(|r| format!("{:?}", r.0))
        .collect())
}

#[tokio::test]
async fn the_funnel_counts_each_step_once_and_nothing_for_opt_outs_robots_reloads_or_bad_requests()
-> anyhow::Result<()> {
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    let app = spawn_quiet_app_with(config).await?;
    let staff = app.staff("warehouse").await?;

    // Visitor 1 arrives from a search engine, reloads the home page, then
    // goes down the funnel; the query string of a path is never kept.
    let home = json!({"kind": "view", "path": "/?email=a@b.fr", "referrer": "https://www.google.com/search?q=lin"});
    for _ in 0..2 {
        let answer = beacon(&app, DESKTOP, &[], &home).await?;
        assert_eq!(answer.status, 204, "{}", answer.json);
        assert_eq!(answer.set_cookie, None, "the beacon never sets a cookie");
    }
    for (kind, path) in [
        ("product_view", "/produits/t-shirt-lin"),
        ("add_to_cart", "/produits/t-shirt-lin"),
        ("checkout_started", "/compte/commande"),
    ] {
        let body = json!({"kind": kind, "path": path, "referrer": format!("{}/", app.base)});
        assert_eq!(beacon(&app, DESKTOP, &[], &body).await?.status, 204);
    }
    // Visitor 2, on a phone, from a newsletter, views a product and leaves.
    let tagged = json!({"kind": "product_view", "path": "/produits/t-shirt-lin", "utm_source": "Newsletter", "utm_medium": "email"});
    assert_eq!(beacon(&app, PHONE, &[], &tagged).await?.status, 204);

    // Opt-outs and robots: the same answer, nothing stored.
    let other = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15";
    for (ua, headers) in [
        (other, vec![("dnt", "1")]),
        (other, vec![("sec-gpc", "1")]),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            vec![],
        ),
        ("", vec![]),
    ] {
        let answer = beacon(&app, ua, &headers, &home).await?;
        assert_eq!(answer.status, 204, "{ua} {headers:?}");
    }
    // Another origin's page may not post events; a bad body is refused typed.
    let answer = beacon(&app, other, &[("origin", "https://evil.example")], &home).await?;
    assert_eq!(
        (answer.status, &answer.json["error"]),
        (403, &json!("cross_origin"))
    );
    let answer = app
        .call(
            "POST",
            "/api/events",
            Some("{not json".into()),
            &[("user-agent", other)],
        )
        .await?;
    assert_eq!(
        (answer.status, &answer.json["error"]),
        (400, &json!("malformed_request"))
    );
    for bad in [
        json!({"kind": "view"}),
        json!({"kind": "purchase", "path": "/"}),
        json!({"kind": "view", "path": "https://elsewhere.example/"}),
        json!({"kind": "view", "path": "/", "email": "a@b.fr"}),
    ] {
        let answer = beacon(&app, other, &[], &bad).await?;
        assert_eq!(
            (answer.status, &answer.json["error"]),
            (422, &json!("validation")),
            "{bad}"
        );
    }

    roll_up(&app).await?;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audience_events", &[])
            .await?,
        6,
        "visitor 1's 5 events and visitor 2's"
    );
    let paths = app
        .rows("SELECT DISTINCT path FROM audience_events ORDER BY 1", &[])
        .await?;
    assert!(!format!("{paths:?}").contains("email"), "{paths:?}");
    let first = aggregates(&app).await?;
    roll_up(&app).await?;
    assert_eq!(
        aggregates(&app).await?,
        first,
        "rolling up again changes nothing"
    );

    app.paid_order("TSL-BLEU-M", 1).await?;
    let funnel: Json = app.get_as(&staff, "/api/kpis/funnel").await?.expect(200)?;
    let counts = &funnel["counts"];
    assert_eq!(
        counts,
        &json!({"visits": 2, "page_views": 1, "product_views": 2, "add_to_cart": 1, "checkout_started": 1, "paid": 1}),
        "{funnel}"
    );
    assert_eq!(funnel["conversion_bps"], 5_000);
    let steps: Vec<_> = funnel["steps"]
        .as_array()
        .map(|s| s.iter().map(|s| s["from_previous_bps"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        steps,
        [
            Json::Null,
            json!(10_000),
            json!(5_000),
            json!(10_000),
            json!(10_000)
        ]
    );
    let slice = |list: &str, key: &str| {
        funnel[list]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["key"] == key))
            .map(|s| s["counts"]["visits"].clone())
    };
    assert_eq!(slice("by_source", "google.com"), Some(json!(1)), "{funnel}");
    assert_eq!(slice("by_source", "newsletter"), Some(json!(1)), "{funnel}");
    assert_eq!(slice("by_device", "desktop"), Some(json!(1)), "{funnel}");
    assert_eq!(slice("by_device", "mobile"), Some(json!(1)), "{funnel}");

    // Shoppers do not read it.
    let customer = app.customer().await?;
    assert_eq!(app.get_as(&customer, "/api/kpis/funnel").await?.status, 403);
    Ok(())
}
