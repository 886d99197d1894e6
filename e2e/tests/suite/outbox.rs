//! Notifications: written with the change they announce, delivered by SMTP
//! later, retried after a refusal, never sent twice.

use comptoir_e2e::fake_smtp::FakeSmtp;
use comptoir_e2e::{now_ms, spawn_app};
use comptoir_host::smtp::SmtpMailer;
use futures::future::join_all;
use serde_json::Value as Json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_order_is_announced_once_even_after_a_refusal_and_racing_deliverers()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let smtp = FakeSmtp::start(1).await?;
    let mailer = SmtpMailer {
        addr: smtp.addr.clone(),
        from: "boutique@comptoir.test".into(),
    };
    let order = app.paid_order("TSL-BLEU-M", 1).await?;

    let support = app.staff("support").await?;
    let kept: Json = app
        .get_as(&support, "/api/orders/notifications?unsent=1")
        .await?
        .expect(200)?;
    assert_eq!(kept.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (kept[0]["kind"].as_str(), kept[0]["recipient"].as_str()),
        (Some("order_confirmation"), Some("marie.curie@exemple.fr"))
    );
    let customer = app.customer().await?;
    assert_eq!(
        app.get_as(&customer, "/api/orders/notifications")
            .await?
            .status,
        403
    );
    // This test follows the order's messages: the sign-up's verification
    // link (retention.rs follows those) is set aside.
    app.execute("DELETE FROM outbox WHERE kind = 'email_verification'", &[])
        .await?;

    let now = now_ms();
    assert_eq!(
        app.deliver_outbox(&mailer, now).await?,
        (0, 1),
        "the relay said 451"
    );
    let after: Json = app
        .get_as(&support, "/api/orders/notifications")
        .await?
        .expect(200)?;
    assert_eq!(after[0]["attempts"], 1);
    assert!(
        after[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("451"))
    );
    assert_eq!(
        app.deliver_outbox(&mailer, now).await?,
        (0, 0),
        "backing off"
    );
    assert_eq!(app.deliver_outbox(&mailer, now + 31_000).await?, (1, 0));
    assert_eq!(
        app.deliver_outbox(&mailer, now + 60_000).await?,
        (0, 0),
        "sent once"
    );
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "marie.curie@exemple.fr");
    assert!(mails[0].data.contains(&order[..8]));

    // Shipping announces itself; two deliverers racing send it once.
    app.ship(&order, "6A99").await?;
    let later = now + 120_000;
    let passes = join_all((0..2).map(|_| app.deliver_outbox(&mailer, later))).await;
    let sent: u32 = passes
        .into_iter()
        .map(|p| p.map(|(s, _)| s))
        .sum::<anyhow::Result<u32>>()?;
    assert_eq!(sent, 1);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2);
    assert!(mails[1].data.contains("6A99"));
    Ok(())
}

#[tokio::test]
async fn staff_see_that_a_verification_link_was_sent_never_the_link() -> anyhow::Result<()> {
    let app = comptoir_e2e::spawn_quiet_app().await?;
    app.sign_up("marie.curie@exemple.fr").await?;
    let support = app.staff("support").await?;
    let listed: Json = app
        .get_as(&support, "/api/orders/notifications")
        .await?
        .expect(200)?;
    let link = listed
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["kind"] == "email_verification")
        .ok_or_else(|| anyhow::anyhow!("no verification message in {listed}"))?;
    assert_eq!(link["recipient"], "marie.curie@exemple.fr");
    let body = link["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("[lien masqué]")
            && !body.contains("token=")
            && !body.contains("/compte/verifier"),
        "{body}"
    );
    assert!(
        body.contains("Si vous n'avez pas créé de compte sur 127.0.0.1:"),
        "{body}"
    );
    // What the mailer sends keeps the link: only the listing masks it.
    let stored = app
        .text(
            "SELECT body FROM outbox WHERE kind = 'email_verification'",
            &[],
        )
        .await?;
    assert!(stored.contains("/compte/verifier?token="), "{stored}");
    Ok(())
}
