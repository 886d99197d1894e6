//! The native adapter of outbound HTTP: reqwest.
//!
//! Built without a TLS stack to keep the native host's build small and free
//! of system libraries: it reaches `http://` services (a local fake Stripe in
//! tests). Production traffic to Stripe goes through Spin, whose host
//! provides TLS.

use anyhow::Context as _;
use async_trait::async_trait;
use comptoir_functions::port::{HttpClient, OutboundRequest, OutboundResponse};

/// A shared reqwest client.
pub struct ReqwestClient(reqwest::Client);

impl ReqwestClient {
    /// A client with a 20-second overall timeout.
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        Self(client)
    }
}

impl Default for ReqwestClient {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl HttpClient for ReqwestClient {
    async fn send(&self, request: OutboundRequest) -> anyhow::Result<OutboundResponse> {
        let method: reqwest::Method = request.method.parse().context("HTTP method")?;
        let mut builder = self.0.request(method, &request.url).body(request.body);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .send()
            .await
            .with_context(|| format!("sending to {}", request.url))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .context("reading the response")?
            .to_vec();
        Ok(OutboundResponse { status, body })
    }
}
