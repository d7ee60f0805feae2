//! A burst of concurrent sign-ins with wrong passwords: each costs an argon2id hash (19 MiB), so this is
//! where the server's memory would climb if hashing were unbounded. Records the statuses and the server's
//! private memory before, at its peak during, and after the burst.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct BurstOutcome {
    pub refused: usize,
    pub busy: usize,
    pub other: usize,
    pub elapsed: Duration,
    pub before_kib: u64,
    pub peak_kib: u64,
    pub after_kib: u64,
}

/// Sends `n` sign-ins at once (each to an unknown address, so no account throttle applies) and waits for
/// every answer.
pub async fn logins(
    base: &str,
    n: usize,
    rss_kib: impl Fn() -> Option<u64> + Send + Sync + 'static,
) -> Result<BurstOutcome, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let rss_kib = Arc::new(rss_kib);
    let before_kib = rss_kib().unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(before_kib));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop, rss_kib) = (peak.clone(), stop.clone(), rss_kib.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib() {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let started = Instant::now();
    let requests = (0..n).map(|i| {
        let client = client.clone();
        let url = format!("{base}/api/v1/auth/login");
        tokio::spawn(async move {
            client
                .post(url)
                .json(&serde_json::json!({
                    "email": format!("burst-{i}@bench.example"),
                    "password": "not the password at all",
                }))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    });
    let handles: Vec<_> = requests.collect();
    let mut outcome = BurstOutcome::default();
    for h in handles {
        match h.await.map_err(|e| e.to_string())? {
            Ok(401) => outcome.refused += 1,
            Ok(503) => outcome.busy += 1,
            _ => outcome.other += 1,
        }
    }
    outcome.elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    outcome.before_kib = before_kib;
    outcome.peak_kib = peak.load(Ordering::Relaxed);
    outcome.after_kib = rss_kib().unwrap_or(0);
    Ok(outcome)
}
