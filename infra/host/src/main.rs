//! `comptoir-host`: the shop on this machine, without Spin.
//!
//! Environment: `COMPTOIR_ADDR` (default `127.0.0.1:3000`), `COMPTOIR_DATABASE_URL`
//! (a `postgres://` URL; unset: SQLite), `COMPTOIR_DATABASE` (the SQLite file,
//! default `.data/comptoir.db`), `COMPTOIR_MANIFEST` (default `spin.toml`),
//! `COMPTOIR_STOREFRONT` (default `dist`), `COMPTOIR_SMTP_ADDR` (outbox relay,
//! `host:port`; unset, the outbox goes through the HTTP mail API when
//! `COMPTOIR_MAIL_API_BASE` is set, else stays unsent for staff) and
//! `COMPTOIR_SMTP_FROM`, and every Spin variable as `COMPTOIR_<NAME>` (see
//! the README; `COMPTOIR_JOBS_SECRET` opens `POST /api/jobs/run` to a
//! scheduler — the host's own timer needs none).

use std::path::PathBuf;

use anyhow::Context as _;
use comptoir_host::{Options, config_from_env, start};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let env =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let options = Options {
        database: comptoir_host::store::Store::choose(
            std::env::var("COMPTOIR_DATABASE_URL").ok().as_deref(),
            &PathBuf::from(env("COMPTOIR_DATABASE", ".data/comptoir.db")),
        )?,
        addr: env("COMPTOIR_ADDR", "127.0.0.1:3000")
            .parse()
            .context("COMPTOIR_ADDR")?,
        manifest: PathBuf::from(env("COMPTOIR_MANIFEST", "spin.toml")),
        storefront: PathBuf::from(env("COMPTOIR_STOREFRONT", "dist")),
        config: config_from_env()?,
        smtp: std::env::var("COMPTOIR_SMTP_ADDR").ok().map(|addr| {
            comptoir_host::smtp::SmtpMailer {
                addr,
                from: env("COMPTOIR_SMTP_FROM", "boutique@comptoir.localhost"),
            }
        }),
        statements: Default::default(),
        back_office: true,
        until: Default::default(),
    };
    let until = std::sync::Arc::clone(&options.until);
    tokio::spawn(async move {
        stop_asked().await;
        until.notify_one();
    });
    let (addr, server) = start(options).await?;
    tracing::info!("Comptoir is open on http://{addr}");
    server.await.context("server task")?
}

/// Completes on Ctrl-C or SIGTERM (what `docker stop` and Kubernetes send).
async fn stop_asked() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(e) => {
                tracing::warn!(error = %e, "no SIGTERM handler; stopping on Ctrl-C only");
                let _ = interrupt.await;
                return;
            }
        };
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
    tracing::info!("stopping: finishing requests under way, writing queued events");
}
