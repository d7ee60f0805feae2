//! The open data and the annual report at scale: one full `GET /exports/proposals` as CSV, its
//! throughput, and the server's private memory sampled every 50 ms while it streams (flat means constant
//! memory); then this year's annual report once, as JSON and as HTML.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::setup::status_kib;

pub struct ExportRun {
    pub bytes: u64,
    pub rows: u64,
    pub seconds: f64,
    pub before_kib: u64,
    pub peak_kib: u64,
    pub after_kib: u64,
}

impl ExportRun {
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds
    }
}

/// Downloads the whole proposals file once.
///
/// # Errors
/// A failed request or a status other than 200.
pub async fn proposals_csv(base: &str, pid: u32) -> Result<ExportRun, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let before_kib = status_kib(pid, "RssAnon:").unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(before_kib));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(kib) = status_kib(pid, "RssAnon:") {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let started = Instant::now();
    let response = client
        .get(format!("{base}/api/v1/exports/proposals?format=csv"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        return Err(format!("export: {}", response.status()));
    }
    let mut response = response;
    let (mut bytes, mut rows) = (0_u64, 0_u64);
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        bytes += chunk.len() as u64;
        rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    Ok(ExportRun {
        bytes,
        // The header's line is not a row (a body with a line break in it counts twice: an estimate).
        rows: rows.saturating_sub(1),
        seconds,
        before_kib,
        peak_kib: peak.load(Ordering::Relaxed),
        after_kib: status_kib(pid, "RssAnon:").unwrap_or(0),
    })
}

/// One `GET /reports/annual/{year}` of the current year in `format`: its size and seconds.
///
/// # Errors
/// A failed request or a status other than 200.
pub async fn annual_report(base: &str, format: &str) -> Result<(u64, f64), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(600))
        .build()
        .map_err(|e| e.to_string())?;
    // The year in Korea (UTC+9).
    let year = (chrono::Utc::now() + chrono::Duration::hours(9)).format("%Y");
    let started = Instant::now();
    let response = client
        .get(format!(
            "{base}/api/v1/reports/annual/{year}?format={format}"
        ))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        return Err(format!("annual report: {}", response.status()));
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((body.len() as u64, started.elapsed().as_secs_f64()))
}
