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

#[tokio::test]
async fn an_ipv6_guesser_is_counted_by_network_not_by_address() -> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("six@exemple.fr").await?;
    let mut statuses = Vec::new();
    for i in 1..=15 {
        // Every address of one /64: one subscriber, however many addresses.
        let client = format!("2001:db8:7:7::{i:x}");
        statuses.push(
            sign_in_from(&app, &client, "six@exemple.fr", "devinette123")
                .await?
                .status,
        );
    }
    assert_eq!(&statuses[..6], [401; 6]);
    assert!(statuses[6..].iter().all(|s| *s == 429), "{statuses:?}");
    // IPv4 behind an IPv4-mapped address is the same client as plain IPv4.
    for _ in 0..11 {
        sign_in_from(&app, "::ffff:203.0.113.80", "x@exemple.fr", "devinette123").await?;
    }
    let plain = sign_in_from(&app, "203.0.113.80", "x@exemple.fr", "devinette123").await?;
    assert_eq!(plain.status, 429);
    Ok(())
}

#[tokio::test]
async fn the_owner_may_mistype_while_a_guesser_runs() -> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("distraite@exemple.fr").await?;
    for i in 0..12 {
        // Twelve addresses guessing: the account's back-off runs.
        let client = format!("203.0.113.{}", 100 + i);
        sign_in_from(&app, &client, "distraite@exemple.fr", "devinette123").await?;
    }
    let owner = "198.51.100.33";
    let typo = sign_in_from(&app, owner, "distraite@exemple.fr", "radium et polonim").await?;
    assert_eq!(typo.status, 401);
    let right = sign_in_from(&app, owner, "distraite@exemple.fr", PASSWORD).await?;
    assert_eq!(right.status, 200, "{}", right.json);
    Ok(())
}

#[tokio::test]
async fn very_many_addresses_cannot_guess_past_the_accounts_back_off_for_free() -> anyhow::Result<()>
{
    let app = spawn_app_with(behind_proxy()?).await?;
    app.sign_up("assiegee@exemple.fr").await?;
    let mut refused = 0;
    for i in 0..60 {
        let client = format!("10.99.{}.{}", i / 200, i % 200 + 1);
        let answer = sign_in_from(&app, &client, "assiegee@exemple.fr", "devinette123").await?;
        if answer.status == 429 {
            refused += 1;
        }
    }
    // 5 free, one that earns the wait, 20 passes of clean addresses, one
    // more that earns the passes' wait: the rest wait.
    assert_eq!(refused, 60 - 27, "{refused}");
    Ok(())
}

#[tokio::test]
async fn sign_ups_and_password_checks_are_throttled_too() -> anyhow::Result<()> {
    let app = spawn_app_with(behind_proxy()?).await?;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let body =
            json!({"email": format!("masse{i}@exemple.fr"), "password": PASSWORD}).to_string();
        let answer = app
            .call(
                "POST",
                "/api/accounts/signup",
                Some(body),
                &[("x-forwarded-for", "203.0.113.90")],
            )
            .await?;
        statuses.push(answer.status);
    }
    assert_eq!(&statuses[..11], [201; 11]);
    assert_eq!(statuses[11], 429);

    let session = app.sign_up("voleur@exemple.fr").await?;
    let mut last = 0;
    for _ in 0..8 {
        let body = json!({"current": "devinette123", "new": "un nouveau secret"}).to_string();
        last = app
            .call(
                "POST",
                "/api/accounts/password",
                Some(body),
                &[("cookie", &session), ("x-forwarded-for", "203.0.113.91")],
            )
            .await?
            .status;
    }
    assert_eq!(last, 429, "a stolen session is no guessing machine");
    Ok(())
}

#[tokio::test]
async fn a_planted_second_session_cookie_signs_nobody_in() -> anyhow::Result<()> {
    let app = spawn_app_with(Config::from_lookup(|_| None)?).await?;
    let victim = app.sign_up("victime2@exemple.fr").await?;
    let planted = app.sign_up("pirate@exemple.fr").await?;
    let both = format!("{planted}; {victim}");
    let me = app.get_as(&both, "/api/accounts/me").await?;
    assert_eq!(me.status, 401, "neither account: {}", me.json);
    assert_eq!(app.get_as(&victim, "/api/accounts/me").await?.status, 200);
    // Over https the cookie is `__Host-` prefixed, which a sibling cannot set.
    let https = spawn_app_with(Config::from_lookup(|name| match name {
        "public_base_url" => Some("https://boutique.example".to_owned()),
        // A shop others reach signs its verification links with its own key.
        "verification_secret" => Some("une clé de vérification de test".to_owned()),
        _ => None,
    })?)
    .await?;
    let signup = https
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "secure@exemple.fr", "password": PASSWORD}),
        )
        .await?;
    let set_cookie = signup.set_cookie.unwrap_or_default();
    assert!(
        set_cookie.starts_with("__Host-comptoir_session=")
            && set_cookie.contains("; Secure")
            && set_cookie.contains("Path=/"),
        "{set_cookie}"
    );
    let cookie = signup.cookie.unwrap_or_default();
    assert_eq!(https.get_as(&cookie, "/api/accounts/me").await?.status, 200);
    Ok(())
}
