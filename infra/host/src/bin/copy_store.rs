//! `copy-store --from STORE --to STORE [--migrate-source]`: copies a shop's
//! data from one store into another (a SQLite file or a `postgres://` URL on
//! either side), then verifies it row for row. Stop the shop first.
//! `copy-store --verify-only --from STORE --to STORE` only compares two
//! stores (e.g. a restored backup with its original), writing nothing.
//!
//! ```text
//! cargo run -p comptoir-host --bin copy-store -- \
//!     --from .data/comptoir.db --to postgres://comptoir@127.0.0.1/comptoir
//! ```
//!
//! Exits non-zero when refused (source schema not current, target not
//! empty), on any error (nothing is written then), and when the verification
//! finds a difference (2: a usage error).

use std::process::ExitCode;

use comptoir_host::copy::{CopyOptions, PAGE_ROWS, compare, copy, parse_store};

const USAGE: &str = "usage: copy-store --from <sqlite file | postgres:// URL> --to <postgres:// URL | sqlite file> [--migrate-source | --verify-only]";

fn options() -> Result<(CopyOptions, bool), String> {
    let mut from = None;
    let mut to = None;
    let mut migrate_source = false;
    let mut verify_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--from" => from = args.next(),
            "--to" => to = args.next(),
            "--migrate-source" => migrate_source = true,
            "--verify-only" => verify_only = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unexpected argument {other}\n{USAGE}")),
        }
    }
    match (from, to) {
        _ if verify_only && migrate_source => Err(USAGE.to_owned()),
        (Some(from), Some(to)) => Ok((
            CopyOptions {
                from: parse_store(&from),
                to: parse_store(&to),
                migrate_source,
                page_rows: PAGE_ROWS,
            },
            verify_only,
        )),
        _ => Err(USAGE.to_owned()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let (options, verify_only) = match options() {
        Ok(options) => options,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let done = if verify_only {
        compare(&options.from, &options.to, options.page_rows).await
    } else {
        copy(&options).await
    };
    match done {
        Ok(report) => {
            print!("{}", report.render());
            if report.mismatches.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("the stores differ");
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("copy-store: {error:#}");
            ExitCode::FAILURE
        }
    }
}
