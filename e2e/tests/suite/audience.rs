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

/// Sends one beacon event as a browser with `user_agent` and `headers` —
/// from the shop's own page (its `Origin`) unless `headers` say where from.
async fn beacon(
    app: &TestApp,
    user_agent: &str,
    headers: &[(&str, &str)],
    body: &Json,
) -> anyhow::Result<comptoir_e2e::Answer> {
    let mut all = vec![("user-agent", user_agent)];
    all.extend_from_slice(headers);
    if !headers
        .iter()
        .any(|(name, _)| ["origin", "sec-fetch-site"].contains(name))
    {
        all.push(("origin", &app.base));
    }
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
    // Nor may a bare HTTP client (neither `Origin` nor `Sec-Fetch-Site`);
    // `Sec-Fetch-Site: same-origin` alone is a page (here one that opted out).
    let bare = app
        .call(
            "POST",
            "/api/events",
            Some(home.to_string()),
            &[("user-agent", other)],
        )
        .await?;
    assert_eq!(
        (bare.status, &bare.json["error"]),
        (403, &json!("cross_origin"))
    );
    let fetched = beacon(
        &app,
        other,
        &[("sec-fetch-site", "same-origin"), ("dnt", "1")],
        &home,
    )
    .await?;
    assert_eq!(fetched.status, 204);
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

/// A closed hour's raw events go once the next hour is closed too (they
/// were only its 30 minutes before); the aggregates stay. A busy hour under
/// way (10 000 events here) is not re-read on the next pass, 2 s later.
#[tokio::test]
async fn raw_events_go_two_hours_after_and_a_busy_hour_is_not_re_read_every_pass()
-> anyhow::Result<()> {
    use comptoir_functions::port::Value;
    use comptoir_shared::audience::HOUR_MS;
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    let app = spawn_quiet_app_with(config).await?;
    // Away from an hour's edges: the hour before must be closed (60 s after
    // its end) and this one still under way at the end of the test.
    let into = comptoir_e2e::now_ms().rem_euclid(HOUR_MS);
    if !(70_000..HOUR_MS - 30_000).contains(&into) {
        let wait = (HOUR_MS - into + 70_000).rem_euclid(HOUR_MS);
        tokio::time::sleep(std::time::Duration::from_millis(u64::try_from(wait)?)).await;
    }
    let now = comptoir_e2e::now_ms();
    let this_hour = now - now.rem_euclid(HOUR_MS);
    // 10 000 visitors, one page view each, in the hour under way; and one
    // in each of the three hours before.
    let insert = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3) \
         INSERT INTO audience_events (visitor, at_ms, hour, kind, path, source, device) \
         SELECT 'v' || i, ?1, ?2, 'view', '/', 'direct', 'desktop' FROM n";
    app.execute(
        insert,
        &[
            Value::from(this_hour + 1),
            Value::from(this_hour),
            Value::from(10_000_i64),
        ],
    )
    .await?;
    for back in 1..=3 {
        let hour = this_hour - back * HOUR_MS;
        app.execute(
            insert,
            &[Value::from(hour + 1), Value::from(hour), Value::from(1_i64)],
        )
        .await?;
    }
    roll_up(&app).await?;
    let pairs = |sql: &'static str| {
        let app = &app;
        async move {
            app.rows(sql, &[])
                .await?
                .iter()
                .map(|r| Ok((r.int(0)?, r.int(1)?)))
                .collect::<anyhow::Result<Vec<(i64, i64)>>>()
        }
    };
    let visits = "SELECT hour, SUM(count) FROM audience_hourly WHERE step = 'visit' GROUP BY hour ORDER BY hour";
    let expected = [
        (this_hour - 3 * HOUR_MS, 1),
        (this_hour - 2 * HOUR_MS, 1),
        (this_hour - HOUR_MS, 1),
        (this_hour, 10_000),
    ];
    assert_eq!(pairs(visits).await?, expected);
    // The three hours are closed; only the newest one's raw events remain
    // (the 30 minutes before the hour under way), and only its mark.
    assert_eq!(
        pairs("SELECT hour, COUNT(*) FROM audience_events GROUP BY hour ORDER BY hour").await?,
        [(this_hour - HOUR_MS, 1), (this_hour, 10_000)]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audience_closed_hours", &[])
            .await?,
        1
    );
    // One more visitor: the busy hour waits for its minute.
    app.execute(
        insert,
        &[Value::from(now), Value::from(this_hour), Value::from(1_i64)],
    )
    .await?;
    roll_up(&app).await?;
    assert_eq!(
        pairs(visits).await?,
        expected,
        "a busy hour rolled less than a minute ago is not re-read"
    );
    Ok(())
}

/// After a quiet spell the last busy hour's raw events do not wait for the
/// next event: once the hour after it is over without events, they go.
#[tokio::test]
async fn raw_events_go_after_a_quiet_hour_too() -> anyhow::Result<()> {
    use comptoir_functions::port::Value;
    use comptoir_shared::audience::HOUR_MS;
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    let app = spawn_quiet_app_with(config).await?;
    let now = comptoir_e2e::now_ms();
    let hour = now - now.rem_euclid(HOUR_MS) - 3 * HOUR_MS;
    app.execute(
        "INSERT INTO audience_events (visitor, at_ms, hour, kind, path, source, device) \
         VALUES ('v', ?1, ?2, 'view', '/', 'direct', 'desktop')",
        &[Value::from(hour + 1), Value::from(hour)],
    )
    .await?;
    roll_up(&app).await?;
    assert_eq!(
        app.scalar(
            "SELECT SUM(count) FROM audience_hourly WHERE step = 'visit'",
            &[]
        )
        .await?,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audience_events", &[])
            .await?,
        0,
        "the hour after it is over and had none"
    );
    Ok(())
}

/// A store migrated past a migration it lacks (one merged from a branch
/// numbered before another's, here the audience tables) gets it on the
/// next start: every missing migration is applied, not only newer ones.
#[tokio::test]
async fn a_missing_migration_numbered_before_the_newest_is_applied() -> anyhow::Result<()> {
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    let app = spawn_quiet_app_with(config.clone()).await?;
    for statement in [
        "DROP TABLE audience_salts",
        "DROP TABLE audience_events",
        "DROP TABLE audience_hourly",
        "DROP TABLE audience_closed_hours",
        "DELETE FROM schema_migrations WHERE version = 20261211093000",
    ] {
        app.execute(statement, &[]).await?;
    }
    let store = comptoir_host::store::NativeStore::open(&app.database).await?;
    comptoir_functions::migrate::ensure(&store, &config, comptoir_e2e::now_ms()).await?;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM schema_migrations", &[])
            .await?,
        i64::try_from(comptoir_functions::migrate::MIGRATIONS.len())?
    );
    roll_up(&app).await?;
    let body = json!({"kind": "view", "path": "/"});
    assert_eq!(beacon(&app, DESKTOP, &[], &body).await?.status, 204);
    roll_up(&app).await?;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audience_hourly", &[])
            .await?,
        2,
        "a visit and a page view"
    );
    Ok(())
}
