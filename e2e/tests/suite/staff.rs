//! Staff accounts, managed by admins: created with a staff role, role
//! changes take effect on the next request, disabling ends every session and
//! sign-in, and the shop never loses its last active admin.

use comptoir_e2e::{spawn_app, spawn_app_with};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

const PASSWORD: &str = "un mot de passe solide";

#[tokio::test]
async fn an_admin_creates_promotes_disables_and_enables_a_staff_account() -> anyhow::Result<()> {
    let config = Config::from_lookup(|name| match name {
        "admin_email" => Some("patronne@comptoir.test".into()),
        "admin_password" => Some("la patronne du comptoir".into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let admin = app
        .sign_in("patronne@comptoir.test", "la patronne du comptoir")
        .await?;
    let customer = app.customer().await?;
    let new = json!({"email": "Agent@Comptoir.test", "password": PASSWORD, "role": "support", "name": "Agent"});

    assert_eq!(
        app.send("POST", "/api/accounts/staff", &new).await?.status,
        401
    );
    assert_eq!(
        app.send_as(&customer, "POST", "/api/accounts/staff", &new)
            .await?
            .status,
        403
    );
    let as_customer = app
        .send_as(
            &admin,
            "POST",
            "/api/accounts/staff",
            &json!({"email": "x@comptoir.test", "password": PASSWORD, "role": "customer"}),
        )
        .await?;
    assert_eq!(
        (as_customer.status, as_customer.json["field"].as_str()),
        (422, Some("role"))
    );
    let created: Json = app
        .send_as(&admin, "POST", "/api/accounts/staff", &new)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            created["email"].as_str(),
            created["role"].as_str(),
            created["disabled"].as_bool()
        ),
        (Some("agent@comptoir.test"), Some("support"), Some(false))
    );
    let taken = app
        .send_as(&admin, "POST", "/api/accounts/staff", &new)
        .await?;
    assert_eq!(taken.status, 409);
    let id = created["id"].as_str().unwrap_or_default().to_owned();

    let agent = app.sign_in("agent@comptoir.test", PASSWORD).await?;
    assert_eq!(
        app.get_as(&agent, "/api/support/threads").await?.status,
        200
    );
    assert_eq!(app.get_as(&agent, "/api/refunds").await?.status, 200);
    assert_eq!(app.get_as(&agent, "/api/accounts/staff").await?.status, 403);
    let path = format!("/api/accounts/staff/{id}");
    assert_eq!(
        app.send_as(&agent, "POST", &path, &json!({"role": "admin"}))
            .await?
            .status,
        403
    );

    let moved: Json = app
        .send_as(&admin, "POST", &path, &json!({"role": "warehouse"}))
        .await?
        .expect(200)?;
    assert_eq!(moved["role"], "warehouse");
    // The same session, the new role.
    assert_eq!(
        app.get_as(&agent, "/api/support/threads").await?.status,
        403
    );
    assert_eq!(app.get_as(&agent, "/api/stock").await?.status, 200);

    let disabled: Json = app
        .send_as(&admin, "POST", &path, &json!({"disabled": true}))
        .await?
        .expect(200)?;
    assert_eq!(disabled["disabled"], true);
    assert_eq!(app.get_as(&agent, "/api/accounts/me").await?.status, 401);
    let refused = app
        .send(
            "POST",
            "/api/accounts/signin",
            &json!({"email": "agent@comptoir.test", "password": PASSWORD}),
        )
        .await?;
    assert_eq!(
        (refused.status, refused.json["error"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let sessions = app
        .scalar(
            "SELECT COUNT(*) FROM sessions WHERE account_id = ?1",
            &[comptoir_functions::port::Value::Text(id.clone())],
        )
        .await?;
    assert_eq!(sessions, 0);

    app.send_as(&admin, "POST", &path, &json!({"disabled": false}))
        .await?
        .expect::<Json>(200)?;
    let back = app.sign_in("agent@comptoir.test", PASSWORD).await?;
    assert_eq!(app.get_as(&back, "/api/stock").await?.status, 200);

    let list: Json = app
        .get_as(&admin, "/api/accounts/staff")
        .await?
        .expect(200)?;
    let emails: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["email"].as_str())
        .collect();
    assert_eq!(emails, ["patronne@comptoir.test", "agent@comptoir.test"]);
    let customer_id = app
        .get_as(&customer, "/api/accounts/me")
        .await?
        .expect::<Json>(200)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        app.send_as(
            &admin,
            "POST",
            &format!("/api/accounts/staff/{customer_id}"),
            &json!({"role": "support"})
        )
        .await?
        .status,
        404,
        "customers are not promoted through the staff routes"
    );
    let nothing = app.send_as(&admin, "POST", &path, &json!({})).await?;
    assert_eq!(nothing.status, 422);

    let log: Json = app
        .get_as(&admin, "/api/audit?action=staff_update")
        .await?
        .expect(200)?;
    assert_eq!(log.as_array().map(Vec::len), Some(3));
    let created_log: Json = app
        .get_as(&admin, "/api/audit?action=staff_create")
        .await?
        .expect(200)?;
    assert_eq!(created_log[0]["detail"], "agent@comptoir.test as support");
    Ok(())
}

#[tokio::test]
async fn the_last_active_admin_can_neither_be_demoted_nor_disabled() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let admin = app.staff("admin").await?;
    let me: Json = app.get_as(&admin, "/api/accounts/me").await?.expect(200)?;
    let path = format!(
        "/api/accounts/staff/{}",
        me["id"].as_str().unwrap_or_default()
    );
    for change in [json!({"role": "support"}), json!({"disabled": true})] {
        let refused = app.send_as(&admin, "POST", &path, &change).await?;
        assert_eq!(
            (refused.status, refused.json["error"].as_str()),
            (409, Some("conflict")),
            "{change}"
        );
    }
    assert_eq!(app.count("audit_log").await?, 0);

    let second: Json = app
        .send_as(
            &admin,
            "POST",
            "/api/accounts/staff",
            &json!({"email": "second@comptoir.test", "password": PASSWORD, "role": "admin"}),
        )
        .await?
        .expect(201)?;
    let demoted: Json = app
        .send_as(&admin, "POST", &path, &json!({"role": "finance"}))
        .await?
        .expect(200)?;
    assert_eq!(demoted["role"], "finance");
    // Now the second admin is the last one.
    let second_admin = app.sign_in("second@comptoir.test", PASSWORD).await?;
    let second_path = format!(
        "/api/accounts/staff/{}",
        second["id"].as_str().unwrap_or_default()
    );
    assert_eq!(
        app.send_as(
            &second_admin,
            "POST",
            &second_path,
            &json!({"disabled": true})
        )
        .await?
        .status,
        409
    );
    Ok(())
}
