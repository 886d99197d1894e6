//! Sign-in that cannot be used against the shop: throttled per account and
//! per client address in the database (so every instance sees the same
//! counts), answered 429 with `Retry-After`, never locking the owner out;
//! sessions rotated on sign-in and on a password change.
//!
//! Client addresses are simulated the way a deployment sees them: the shop
//! trusts 127.0.0.1 as its proxy, and each request names its client in
//! `X-Forwarded-For`.

use comptoir_e2e::{Answer, TestApp, spawn_app_with};
use comptoir_functions::config::Config;
use serde_json::json;

const PASSWORD: &str = "radium et polonium";

fn behind_proxy() -> anyhow::Result<Config> {
    Config::from_lookup(|name| (name == "trusted_proxies").then(|| "127.0.0.1".to_owned()))
}

async fn sign_in_from(
    app: &TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<Answer> {
    let body = json!({"email": email, "password": password}).to_string();
    app.call(
        "POST",
        "/api/accounts/signin",
        Some(body),
        &[("x-forwarded-for", client)],
    )
    .await
}

fn retry_after(answer: &Answer) -> Option<u64> {
    answer.json["retry_after_seconds"].as_u64()
}

#[tokio::test]
async fn guessing_one_accounts_password_is_slowed_then_answered_429_with_retry_after()
-> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("victime@exemple.fr").await?;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let answer =
            sign_in_from(&app, "203.0.113.9", "victime@exemple.fr", "devinette123").await?;
        statuses.push(answer.status);
        if answer.status == 429 {
            assert_eq!(answer.json["error"], "too_many_attempts");
            assert!(
                retry_after(&answer).is_some_and(|s| (1..=2).contains(&s)),
                "{}",
                answer.json
            );
        }
    }
    // Five free failures, a sixth that earns a one-second wait, then 429s.
    assert_eq!(statuses, [401, 401, 401, 401, 401, 401, 429, 429]);
    let header = app
        .http
        .post(format!("{}/api/accounts/signin", app.base))
        .header("content-type", "application/json")
        .header("x-forwarded-for", "203.0.113.9")
        .body(json!({"email": "victime@exemple.fr", "password": "x"}).to_string())
        .send()
        .await?;
    assert_eq!(header.status(), 429);
    assert!(
        header.headers().get("retry-after").is_some(),
        "429 carries Retry-After"
    );

    // The owner, from an address with no failures, still gets in — with
    // the right password only — and that clears the account's count.
    let owner = sign_in_from(&app, "198.51.100.20", "victime@exemple.fr", PASSWORD).await?;
    assert_eq!(owner.status, 200, "{}", owner.json);
    let count = app
        .scalar(
            "SELECT COUNT(*) FROM signin_throttle WHERE key = 'account:victime@exemple.fr'",
            &[],
        )
        .await?;
    assert_eq!(count, 0);
    Ok(())
}

#[tokio::test]
async fn one_address_spraying_many_accounts_is_throttled_by_address() -> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("cible@exemple.fr").await?;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let email = format!("inconnu{i}@exemple.fr");
        statuses.push(
            sign_in_from(&app, "203.0.113.50", &email, "devinette123")
                .await?
                .status,
        );
    }
    // Ten free failures from one address, an eleventh that earns a wait.
    assert_eq!(&statuses[..11], [401; 11]);
    assert_eq!(statuses[11], 429);
    // While it waits, even a right password from that address waits too…
    let blocked = sign_in_from(&app, "203.0.113.50", "cible@exemple.fr", PASSWORD).await?;
    assert_eq!(blocked.status, 429);
    // …while another client of the same proxy is not affected.
    let elsewhere = sign_in_from(&app, "198.51.100.7", "cible@exemple.fr", PASSWORD).await?;
    assert_eq!(elsewhere.status, 200);
    Ok(())
}

#[tokio::test]
async fn without_a_trusted_proxy_the_forwarded_address_is_ignored() -> anyhow::Result<()> {
    let app = spawn_app_with(Config::from_lookup(|_| None)?).await?;
    let mut last = 0;
    for i in 0..12 {
        // A guesser cannot buy a fresh address per request with a header.
        let client = format!("203.0.113.{i}");
        last = sign_in_from(&app, &client, &format!("x{i}@exemple.fr"), "devinette123")
            .await?
            .status;
    }
    assert_eq!(last, 429, "all twelve counted against the real peer");
    Ok(())
}

#[tokio::test]
async fn a_burst_of_concurrent_guesses_cannot_slip_past_the_count() -> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("rafale@exemple.fr").await?;
    let guesses =
        (0..30).map(|_| sign_in_from(&app, "203.0.113.77", "rafale@exemple.fr", "devinette123"));
    let statuses: Vec<u16> = futures::future::join_all(guesses)
        .await
        .into_iter()
        .map(|a| a.map(|a| a.status))
        .collect::<anyhow::Result<_>>()?;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    // Each attempt is counted before its password is checked: five free
    // failures and the one that earns the first wait are checked; no more.
    assert_eq!((checked, refused), (6, 24), "{statuses:?}");
    Ok(())
}

#[tokio::test]
async fn the_throttle_is_shared_by_every_instance_on_the_database() -> anyhow::Result<()> {
    let first = spawn_app_with(behind_proxy()?).await?;
    let second = first.another_instance(behind_proxy()?).await?;
    first.sign_up("partage@exemple.fr").await?;
    for _ in 0..6 {
        let answer =
            sign_in_from(&first, "203.0.113.60", "partage@exemple.fr", "devinette123").await?;
        assert_eq!(answer.status, 401);
    }
    let other = sign_in_from(
        &second,
        "203.0.113.60",
        "partage@exemple.fr",
        "devinette123",
    )
    .await?;
    assert_eq!(
        (other.status, other.json["error"].as_str()),
        (429, Some("too_many_attempts"))
    );
    Ok(())
}

#[tokio::test]
async fn signing_in_ends_the_session_the_browser_held() -> anyhow::Result<()> {
    let app = spawn_app_with(Config::from_lookup(|_| None)?).await?;
    let old = app.sign_up("rotation@exemple.fr").await?;
    assert_eq!(app.get_as(&old, "/api/accounts/me").await?.status, 200);
    let body = json!({"email": "rotation@exemple.fr", "password": PASSWORD}).to_string();
    let fresh = app
        .call(
            "POST",
            "/api/accounts/signin",
            Some(body),
            &[("cookie", &old)],
        )
        .await?;
    assert_eq!(fresh.status, 200);
    let fresh = fresh.cookie.unwrap_or_default();
    assert_ne!(fresh, old);
    assert_eq!(app.get_as(&old, "/api/accounts/me").await?.status, 401);
    assert_eq!(app.get_as(&fresh, "/api/accounts/me").await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn changing_the_password_rotates_the_callers_own_token() -> anyhow::Result<()> {
    let app = spawn_app_with(Config::from_lookup(|_| None)?).await?;
    let here = app.sign_up("change@exemple.fr").await?;
    let elsewhere = app.sign_in("change@exemple.fr", PASSWORD).await?;
    let changed = app
        .send_as(
            &here,
            "POST",
            "/api/accounts/password",
            &json!({"current": PASSWORD, "new": "un tout nouveau secret"}),
        )
        .await?;
    assert_eq!(changed.status, 204);
    let renewed = changed.cookie.unwrap_or_default();
    assert!(!renewed.is_empty() && renewed != here);
    assert_eq!(app.get_as(&here, "/api/accounts/me").await?.status, 401);
    assert_eq!(
        app.get_as(&elsewhere, "/api/accounts/me").await?.status,
        401
    );
    assert_eq!(app.get_as(&renewed, "/api/accounts/me").await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn staff_sessions_are_strict_same_site_and_customers_lax() -> anyhow::Result<()> {
    let app = spawn_app_with(Config::from_lookup(|_| None)?).await?;
    app.staff("support").await?;
    let staff = app
        .send(
            "POST",
            "/api/accounts/signin",
            &json!({"email": "support@comptoir.test", "password": "mot de passe du personnel"}),
        )
        .await?;
    assert!(
        staff
            .set_cookie
            .as_deref()
            .is_some_and(|c| c.contains("SameSite=Strict") && c.contains("HttpOnly")),
        "{:?}",
        staff.set_cookie
    );
    let customer = app
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "client@exemple.fr", "password": PASSWORD}),
        )
        .await?;
    assert!(
        customer
            .set_cookie
            .as_deref()
            .is_some_and(|c| c.contains("SameSite=Lax")),
        "{:?}",
        customer.set_cookie
    );
    Ok(())
}
