//! Delivers the vehicle change feed to agencies' webhooks from the outbox: each event is
//! POSTed as JSON, signed with HMAC-SHA256 over `"{timestamp}.{body}"` with the webhook's
//! secret (header `X-Customs-Signature: t=…,v1=…`, as Stripe does, so a receiver can reject
//! replays), retried with exponential backoff until it is acknowledged by a 2xx or the
//! attempts run out. The event id travels in `X-Customs-Event-Id` for deduplication.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use store::vehicle_feed::{DueDelivery, VehicleChange};

use super::Platform;

pub const SIGNATURE_HEADER: &str = "x-customs-signature";
pub const EVENT_ID_HEADER: &str = "x-customs-event-id";
pub const ATTEMPT_HEADER: &str = "x-customs-delivery-attempt";

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// How often the dispatcher looks for due deliveries.
    pub poll: Duration,
    /// Wait after the first failure; doubled after each further one.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// Per request.
    pub timeout: Duration,
    /// Accept endpoints on this machine or a private network (tests, closed networks).
    pub allow_internal_hosts: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            poll: Duration::from_secs(1),
            backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(3600),
            max_attempts: 10,
            timeout: Duration::from_secs(10),
            allow_internal_hosts: false,
        }
    }
}

impl WebhookSettings {
    /// The wait before attempt `attempts + 1`, or None when it is time to give up.
    pub fn retry_after(&self, attempts_made: u32) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let factor = 2u32.saturating_pow(attempts_made.saturating_sub(1).min(20));
        Some(self.backoff.saturating_mul(factor).min(self.max_backoff))
    }
}

/// The event as agencies receive it, on the feed and on their webhooks. It names the
/// vehicle; the facts are read through the scoped (and logged) look-up.
#[derive(Debug, Serialize)]
pub struct EventBody<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: String,
    pub seq: i64,
    pub vin: &'a str,
    pub version: i64,
    pub occurred_at: &'a str,
    pub href: String,
}

impl<'a> EventBody<'a> {
    pub fn of(change: &'a VehicleChange) -> EventBody<'a> {
        EventBody {
            id: &change.event_id,
            kind: format!("vehicle.{}", change.kind),
            seq: change.seq,
            vin: &change.vin,
            version: change.version,
            occurred_at: &change.at,
            href: format!("/api/v1/vehicles/{}", change.vin),
        }
    }
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Runs until the process ends: polls the outbox and delivers what is due.
pub async fn run(platform: Arc<Platform>) {
    let settings = platform.settings.webhooks.clone();
    let client = match reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook dispatcher cannot start");
            return;
        }
    };
    loop {
        match platform
            .store
            .due_deliveries(50, settings.timeout * 3)
            .await
        {
            Ok(due) if !due.is_empty() => {
                // One slow endpoint must not hold up the others.
                let mut sends = tokio::task::JoinSet::new();
                for d in due {
                    let (platform, client, settings) =
                        (platform.clone(), client.clone(), settings.clone());
                    sends.spawn(async move { deliver(&platform, &client, &settings, d).await });
                }
                while sends.join_next().await.is_some() {}
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook outbox unreadable"),
        }
        tokio::time::sleep(settings.poll).await;
    }
}

async fn deliver(
    platform: &Platform,
    client: &reqwest::Client,
    settings: &WebhookSettings,
    due: DueDelivery,
) {
    let body = serde_json::to_vec(&EventBody::of(&due.change)).expect("events serialise");
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let attempt = due.attempts + 1;
    let sent = client
        .post(&due.url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature(&due.secret, timestamp, &body))
        .header(EVENT_ID_HEADER, &due.change.event_id)
        .header(ATTEMPT_HEADER, attempt.to_string())
        .body(body)
        .send()
        .await;
    let failure = match sent {
        Ok(res) if res.status().is_success() => None,
        Ok(res) => Some(format!("HTTP {}", res.status().as_u16())),
        // The error's text names the host, never the secret.
        Err(e) => Some(format!("{}", e.without_url())),
    };
    let result = match failure {
        None => platform.store.delivery_succeeded(&due.id).await,
        Some(error) => {
            let retry = settings.retry_after(u32::try_from(attempt).unwrap_or(u32::MAX));
            tracing::info!(delivery = %due.id, attempt, %error, retry = ?retry, "webhook delivery failed");
            platform.store.delivery_failed(&due.id, &error, retry).await
        }
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "webhook outbox not updated");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_then_gives_up() {
        let s = WebhookSettings {
            backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(60),
            max_attempts: 5,
            ..Default::default()
        };
        let waits: Vec<_> = (1..=5).map(|a| s.retry_after(a)).collect();
        assert_eq!(
            waits,
            vec![
                Some(Duration::from_secs(10)),
                Some(Duration::from_secs(20)),
                Some(Duration::from_secs(40)),
                Some(Duration::from_secs(60)),
                None
            ]
        );
    }

    #[test]
    fn signature_covers_timestamp_and_body() {
        let a = signature("s3cret", 1_700_000_000, b"{}");
        assert!(a.starts_with("t=1700000000,v1="));
        assert_eq!(a.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(a, signature("s3cret", 1_700_000_001, b"{}"));
        assert_ne!(a, signature("s3cret", 1_700_000_000, b"{ }"));
        assert_ne!(a, signature("other", 1_700_000_000, b"{}"));
    }
}
