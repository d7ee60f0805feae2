//! The live-stream benchmark (`ocf-bench --live`): N SSE viewers of one live forum, spread over one or
//! more server instances on one database, while comments are posted at a steady rate. Each comment's
//! body carries its number and the wall-clock time it was sent; each viewer records the delay to receipt
//! and which comments it got, so the run reports delivery latency from post to receipt at every viewer,
//! events lost and duplicated, and the servers' CPU and memory. `--ceiling` then raises the viewers of one
//! instance until p99 passes 1 s.
//!
//! The viewers are plain TCP connections speaking HTTP/1.1 (a chunked `text/event-stream`), parsed
//! just enough to find each event's `id:` and the comment marker; a dropped viewer reconnects with
//! `Last-Event-ID` like a browser. Client and servers share the machine's cores.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hdrhistogram::Histogram;
use serde_json::json;

/// What one trial measures.
#[derive(Debug, Clone, Copy)]
pub struct Trial {
    pub viewers: usize,
    pub rate: u32,
    pub duration: Duration,
}

/// Counters every viewer adds to.
pub struct Stats {
    /// Each viewer's own histogram (locked only by it until the trial merges them).
    latency: std::sync::Mutex<Vec<Arc<std::sync::Mutex<Histogram<u64>>>>>,
    pub received: AtomicU64,
    pub duplicates: AtomicU64,
    pub reconnects: AtomicU64,
    pub connect_failures: AtomicU64,
    pub ready: AtomicUsize,
}

impl Stats {
    fn new() -> Result<Arc<Self>, String> {
        Ok(Arc::new(Self {
            latency: std::sync::Mutex::new(Vec::new()),
            received: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            reconnects: AtomicU64::new(0),
            connect_failures: AtomicU64::new(0),
            ready: AtomicUsize::new(0),
        }))
    }

    pub(crate) fn register(&self) -> Result<Arc<std::sync::Mutex<Histogram<u64>>>, String> {
        let h = Arc::new(std::sync::Mutex::new(histogram()?));
        lock(&self.latency).push(h.clone());
        Ok(h)
    }

    fn merged(&self) -> Result<Histogram<u64>, String> {
        let mut all = histogram()?;
        for h in lock(&self.latency).iter() {
            let _ = all.add(&*lock(h));
        }
        Ok(all)
    }
}

pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Microseconds up to two minutes, two significant figures (a few KiB per viewer).
fn histogram() -> Result<Histogram<u64>, String> {
    Histogram::new_with_bounds(1, 120_000_000, 2).map_err(|e| e.to_string())
}

pub(crate) fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// CPU ticks (user + system) of a process so far.
fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // Fields after the command (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    n(11) + n(12)
}

/// What one trial found.
#[derive(Debug)]
pub struct Outcome {
    pub trial: Trial,
    pub instances: usize,
    pub posted: u64,
    pub post_errors: u64,
    pub expected: u64,
    pub received: u64,
    pub duplicates: u64,
    pub reconnects: u64,
    pub connect_failures: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub cpu_percent: f64,
    pub rss_mib: f64,
    /// Private memory only (`RssAnon`: without the database file's pages mapped by SQLite).
    pub anon_mib: f64,
}

impl Outcome {
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.received)
    }
}

/// Runs one trial against `servers` (viewers spread round-robin, posts too).
///
/// # Errors
/// When the viewers cannot connect or the forum cannot be posted to.
pub async fn trial(
    servers: &[(SocketAddr, u32)],
    forum: &str,
    tokens: &[String],
    t: Trial,
) -> Result<Outcome, String> {
    let total = (f64::from(t.rate) * t.duration.as_secs_f64()).round() as usize;
    let stats = Stats::new()?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let path = Arc::new(format!("/api/v1/forums/{forum}/events"));
    let mut tasks = Vec::with_capacity(t.viewers);
    for i in 0..t.viewers {
        let (addr, _) = servers[i % servers.len()];
        tasks.push(tokio::spawn(crate::live_viewer::viewer(
            i,
            addr,
            path.clone(),
            total,
            stats.clone(),
            stop.clone(),
        )));
        // Open them in waves, as an audience arrives, not in one SYN flood.
        if i % 500 == 499 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while stats.ready.load(Ordering::Relaxed) < t.viewers {
        if Instant::now() > deadline {
            stop.store(true, Ordering::Relaxed);
            return Err(format!(
                "only {} of {} viewers connected in 120 s ({} connection failures)",
                stats.ready.load(Ordering::Relaxed),
                t.viewers,
                stats.connect_failures.load(Ordering::Relaxed)
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let pids: Vec<u32> = servers.iter().map(|(_, pid)| *pid).collect();
    let cpu_before: u64 = pids.iter().map(|p| cpu_ticks(*p)).sum();
    let started = Instant::now();
    let rss_peak = Arc::new(AtomicU64::new(0));
    let anon_peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (peak, done, pids) = (rss_peak.clone(), sampling.clone(), pids.clone());
        let anon_peak = anon_peak.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let kib: u64 = pids
                    .iter()
                    .filter_map(|p| crate::setup::status_kib(*p, "VmRSS:"))
                    .sum();
                peak.fetch_max(kib, Ordering::Relaxed);
                let anon: u64 = pids
                    .iter()
                    .filter_map(|p| crate::setup::status_kib(*p, "RssAnon:"))
                    .sum();
                anon_peak.fetch_max(anon, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let posted = Arc::new(AtomicU64::new(0));
    let post_errors = Arc::new(AtomicU64::new(0));
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(t.rate)));
    let mut posts = Vec::with_capacity(total);
    for k in 0..total {
        ticks.tick().await;
        let (addr, _) = servers[k % servers.len()];
        let url = format!("http://{addr}/api/v1/forums/{forum}/comments");
        let token = tokens[k % tokens.len()].clone();
        let (client, posted, errors) = (client.clone(), posted.clone(), post_errors.clone());
        posts.push(tokio::spawn(async move {
            let body = json!({"body": format!("bench#{k}#{}# 실시간 댓글입니다", now_micros())});
            match client.post(url).bearer_auth(token).json(&body).send().await {
                Ok(r) if r.status() == 201 => posted.fetch_add(1, Ordering::Relaxed),
                _ => errors.fetch_add(1, Ordering::Relaxed),
            };
        }));
    }
    for p in posts {
        let _ = p.await;
    }
    // Let the last events arrive (and dropped viewers catch up), then stop.
    let expected = posted.load(Ordering::Relaxed) * t.viewers as u64;
    let settle = Instant::now() + Duration::from_secs(10);
    while stats.received.load(Ordering::Relaxed) < expected && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_after: u64 = pids.iter().map(|p| cpu_ticks(*p)).sum();
    sampling.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.abort();
    }
    let h = stats.merged()?;
    let ms = |v: u64| v as f64 / 1000.0;
    Ok(Outcome {
        trial: t,
        instances: servers.len(),
        posted: posted.load(Ordering::Relaxed),
        post_errors: post_errors.load(Ordering::Relaxed),
        expected,
        received: stats.received.load(Ordering::Relaxed),
        duplicates: stats.duplicates.load(Ordering::Relaxed),
        reconnects: stats.reconnects.load(Ordering::Relaxed),
        connect_failures: stats.connect_failures.load(Ordering::Relaxed),
        p50_ms: ms(h.value_at_quantile(0.50)),
        p99_ms: ms(h.value_at_quantile(0.99)),
        max_ms: ms(h.max()),
        // Clock ticks are 1/100 s on Linux.
        cpu_percent: (cpu_after - cpu_before) as f64 / elapsed,
        rss_mib: rss_peak.load(Ordering::Relaxed) as f64 / 1024.0,
        anon_mib: anon_peak.load(Ordering::Relaxed) as f64 / 1024.0,
    })
}

pub fn header() {
    println!(
        "| viewers | instances | comments/s | posted | deliveries expected | lost | duplicates | viewer reconnects | refused connects | p50 ms | p99 ms | max ms | server CPU % | server RSS MiB | of it private MiB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
}

pub fn row(o: &Outcome) {
    println!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {:.0} |",
        o.trial.viewers,
        o.instances,
        o.trial.rate,
        o.posted,
        o.expected,
        o.lost(),
        o.duplicates,
        o.reconnects,
        o.connect_failures,
        o.p50_ms,
        o.p99_ms,
        o.max_ms,
        o.cpu_percent,
        o.rss_mib,
        o.anon_mib
    );
}
