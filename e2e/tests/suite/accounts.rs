//! Accounts and sessions: argon2id passwords, HttpOnly SameSite cookies,
//! the configured first admin, and roles enforced by the functions.

use comptoir_e2e::{spawn_app, spawn_app_with};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

#[tokio::test]
async fn a_customer_signs_up_signs_out_and_back_in() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let signup = app
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "Lea@Exemple.fr", "password": "un long mot de passe", "name": "Léa"}),
        )
        .await?;
    assert_eq!(signup.status, 201);
    assert_eq!(signup.json["role"], "customer");
    assert_eq!(signup.json["email"], "lea@exemple.fr");
    let set_cookie = signup.set_cookie.clone().unwrap_or_default();
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax")
            && set_cookie.contains("Path=/"),
        "{set_cookie}"
    );
    let cookie = signup.cookie.unwrap_or_default();

    let me: Json = app.get_as(&cookie, "/api/accounts/me").await?.expect(200)?;
    assert_eq!(me["name"], "Léa");
    let stored = app
        .scalar(
            "SELECT COUNT(*) FROM accounts WHERE password_hash LIKE '$argon2id$%'",
            &[],
        )
        .await?;
    assert_eq!(stored, 1);

    let taken = app
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "LEA@exemple.fr", "password": "un autre mot de passe"}),
        )
        .await?;
    assert_eq!(
        (taken.status, taken.json["error"].as_str()),
        (409, Some("conflict"))
    );
    let short = app
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "x@exemple.fr", "password": "court"}),
        )
        .await?;
    assert_eq!(
        (short.status, short.json["field"].as_str()),
        (422, Some("password"))
    );

    let out = app
        .call(
            "POST",
            "/api/accounts/signout",
            None,
            &[("cookie", &cookie)],
        )
        .await?;
    assert_eq!(out.status, 204);
    assert!(out.set_cookie.unwrap_or_default().contains("Max-Age=0"));
    assert_eq!(app.get_as(&cookie, "/api/accounts/me").await?.status, 401);

    let wrong = app
        .send(
            "POST",
            "/api/accounts/signin",
            &json!({"email": "Lea@exemple.fr", "password": "pas le bon mot"}),
        )
        .await?;
    assert_eq!(
        (wrong.status, wrong.json),
        (401, json!({"error": "invalid_credentials"}))
    );
    let nobody = app
        .send(
            "POST",
            "/api/accounts/signin",
            &json!({"email": "personne@exemple.fr", "password": "pas le bon mot"}),
        )
        .await?;
    assert_eq!(
        (nobody.status, nobody.json),
        (401, json!({"error": "invalid_credentials"}))
    );
    let cookie = app
        .sign_in("Lea@exemple.fr", "un long mot de passe")
        .await?;

    let change = app
        .send_as(
            &cookie,
            "POST",
            "/api/accounts/password",
            &json!({"current": "un long mot de passe", "new": "encore plus long mot"}),
        )
        .await?;
    assert_eq!(change.status, 204);
    assert!(
        app.sign_in("Lea@exemple.fr", "un long mot de passe")
            .await
            .is_err()
    );
    app.sign_in("Lea@exemple.fr", "encore plus long mot")
        .await?;
    Ok(())
}

#[tokio::test]
async fn the_configured_admin_is_created_on_first_sign_in_only() -> anyhow::Result<()> {
    let config = Config::from_lookup(|name| match name {
        "admin_email" => Some("admin@comptoir.test".into()),
        "admin_password" => Some("mot de passe admin".into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    // Nobody can take the admin's e-mail before the admin's first sign-in.
    let squatter = app
        .send(
            "POST",
            "/api/accounts/signup",
            &serde_json::json!({"email": "ADMIN@comptoir.test", "password": "je serai admin"}),
        )
        .await?;
    assert_eq!(
        (squatter.status, squatter.json["error"].clone()),
        (409, serde_json::json!("conflict"))
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM accounts WHERE disabled_at IS NULL",
            &[]
        )
        .await?,
        0
    );
    assert!(
        app.sign_in("admin@comptoir.test", "pas le bon mot de passe")
            .await
            .is_err()
    );
    let cookie = app
        .sign_in("admin@comptoir.test", "mot de passe admin")
        .await?;
    let me: Json = app.get_as(&cookie, "/api/accounts/me").await?.expect(200)?;
    assert_eq!(me["role"], "admin");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM accounts WHERE role = 'admin'", &[])
            .await?,
        1
    );
    app.sign_in("admin@comptoir.test", "mot de passe admin")
        .await?;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM accounts WHERE disabled_at IS NULL",
            &[]
        )
        .await?,
        1
    );
    Ok(())
}
