//! A real browser for the UI tests: Debian's chromium driven over WebDriver
//! by chromedriver, started on a free port with a fresh profile. Every
//! journey fails on a Content-Security-Policy violation the browser reports
//! (read from chromedriver's log when the journey ends).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context as _;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};

/// At most two browsers at once: the tests of one binary run in parallel
/// and each Chromium wants a core.
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A chromedriver process and a headless Chromium session.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    _slot: tokio::sync::SemaphorePermit<'static>,
    driver: Child,
    profile: std::path::PathBuf,
    screenshots: std::path::PathBuf,
}

impl Browser {
    /// Starts chromedriver and opens a headless session; screenshots of
    /// `test` go to `e2e/screenshots/<test>/`.
    pub async fn start(test: &str) -> anyhow::Result<Self> {
        Self::launch(test, true, None).await
    }

    /// The same, with `user_agent` instead of headless Chromium's own (which
    /// the audience beacon counts as a robot's): each visitor of a test one
    /// of its own, since every test browser comes from 127.0.0.1.
    pub async fn start_as(test: &str, user_agent: &str) -> anyhow::Result<Self> {
        Self::launch(test, true, Some(user_agent)).await
    }

    /// The same, with JavaScript turned off: what a crawler without
    /// scripts, or a shopper before the bundle arrives, sees.
    pub async fn start_without_scripts(test: &str) -> anyhow::Result<Self> {
        Self::launch(test, false, None).await
    }

    async fn launch(test: &str, scripts: bool, user_agent: Option<&str>) -> anyhow::Result<Self> {
        let slot = SLOTS.acquire().await?;
        let port = crate::free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (run infra/install-tools.sh --browser)")?;
        let profile =
            std::env::temp_dir().join(format!("comptoir-chromium-{}-{port}", std::process::id()));
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if let Some(agent) = user_agent {
            args.push(format!("--user-agent={agent}"));
        }
        let caps = serde_json::json!({
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": { "profile.managed_default_content_settings.javascript": if scripts { 1 } else { 2 } }
            }
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => anyhow::bail!("capabilities must be an object"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let screenshots = crate::workspace().join("e2e/screenshots").join(test);
                    std::fs::create_dir_all(&screenshots)?;
                    return Ok(Self {
                        client,
                        _slot: slot,
                        driver,
                        profile,
                        screenshots,
                    });
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("chromedriver did not answer: {last:?}")
    }

    /// Waits (up to 10 s) for an element matching `css`.
    pub async fn find(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    /// Waits (up to 10 s) until `css`'s text is `expected` (WebDriver reports
    /// no-break spaces as plain spaces; so does this comparison).
    pub async fn wait_text(&self, css: &str, expected: &str) -> anyhow::Result<()> {
        let mut seen = String::new();
        for _ in 0..100 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                seen = el.text().await.unwrap_or_default();
                if normalise(&seen) == normalise(expected) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("{css} shows {seen:?}, expected {expected:?}")
    }

    /// Waits (up to 10 s) until `css`'s text contains `fragment`.
    pub async fn wait_contains(&self, css: &str, fragment: &str) -> anyhow::Result<()> {
        let mut seen = String::new();
        for _ in 0..100 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                seen = el.text().await.unwrap_or_default();
                if normalise(&seen).contains(&normalise(fragment)) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("{css} shows {seen:?}, expected it to contain {fragment:?}")
    }

    /// Types `value` into the field matching `css`.
    pub async fn fill(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self.find(css).await?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    /// Clicks the element matching `css` once it is there.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Opens `path` on `base`; on a server-rendered shop page, waits (up to
    /// 10 s) until its islands are awake, so clicks reach their handlers.
    pub async fn open(&self, base: &str, path: &str) -> anyhow::Result<()> {
        self.client.goto(&format!("{base}{path}")).await?;
        self.awake().await
    }

    /// Waits until the page's islands (if any) are awake.
    pub async fn awake(&self) -> anyhow::Result<()> {
        const AWAKE: &str = "return !document.querySelector('leptos-island') \
            || document.documentElement.dataset.islands === 'awake'";
        for _ in 0..100 {
            if self.client.execute(AWAKE, vec![]).await?.as_bool() == Some(true) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the page's islands did not wake up within 10 s")
    }

    /// Ends the test: a `failure` screenshot when `journey` failed, then the
    /// session closes either way and the journey's result is returned.
    pub async fn finish(self, journey: anyhow::Result<()>) -> anyhow::Result<()> {
        if journey.is_err() {
            let _ = self.shot("failure").await;
        }
        let violations = self.csp_violations().await;
        self.close().await?;
        journey?;
        let violations = violations?;
        anyhow::ensure!(
            violations.is_empty(),
            "the page broke its Content-Security-Policy:\n{}",
            violations.join("\n")
        );
        Ok(())
    }

    /// The Content-Security-Policy violations the browser logged since the
    /// last call (chromedriver drains its log on each read).
    pub async fn csp_violations(&self) -> anyhow::Result<Vec<String>> {
        let entries = self.client.issue_cmd(BrowserLog).await?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.get("message").and_then(serde_json::Value::as_str))
            .filter(|m| {
                m.contains("Content Security Policy")
                    || m.contains("Content-Security-Policy")
                    // A page whose islands cannot wake (hydration error,
                    // missing island code, a panic in the bundle).
                    || m.contains("hydrat")
                    || m.contains("island")
                    || m.contains("RuntimeError")
            })
            .map(str::to_owned)
            .collect())
    }

    /// Saves a screenshot named `step` (in `e2e/screenshots/`, git-ignored).
    pub async fn shot(&self, step: &str) -> anyhow::Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(self.screenshots.join(format!("{step}.png")), png)?;
        Ok(())
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) -> anyhow::Result<()> {
        let closed = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
        closed.map_err(Into::into)
    }
}

fn normalise(text: &str) -> String {
    text.trim().replace(['\u{a0}', '\u{202f}'], " ")
}

/// chromedriver's `POST /session/{id}/se/log {"type": "browser"}`: the
/// console and security messages buffered since the last read.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(serde_json::json!({ "type": "browser" }).to_string()),
        )
    }
}
