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

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hdrhistogram::Histogram;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

    fn register(&self) -> Result<Arc<std::sync::Mutex<Histogram<u64>>>, String> {
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

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Microseconds up to two minutes, two significant figures (a few KiB per viewer).
fn histogram() -> Result<Histogram<u64>, String> {
    Histogram::new_with_bounds(1, 120_000_000, 2).map_err(|e| e.to_string())
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// Reads HTTP/1.1 chunked framing, handing on the payload.
#[derive(Default)]
struct Chunked {
    size_line: Vec<u8>,
    left: usize,
    /// Bytes of the CRLF after a chunk still to skip.
    crlf: usize,
}

impl Chunked {
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            if self.crlf > 0 {
                let n = self.crlf.min(input.len());
                self.crlf -= n;
                input = &input[n..];
            } else if self.left > 0 {
                let n = self.left.min(input.len());
                out.extend_from_slice(&input[..n]);
                self.left -= n;
                input = &input[n..];
                if self.left == 0 {
                    self.crlf = 2;
                }
            } else if let Some(i) = input.iter().position(|b| *b == b'\n') {
                self.size_line.extend_from_slice(&input[..i]);
                let line = String::from_utf8_lossy(&self.size_line);
                let hex = line.trim().split(';').next().unwrap_or("0");
                self.left = usize::from_str_radix(hex, 16).unwrap_or(0);
                self.size_line.clear();
                input = &input[i + 1..];
            } else {
                self.size_line.extend_from_slice(input);
                input = &[];
            }
        }
    }
}

/// One viewer: follows the stream, reconnecting with `Last-Event-ID` when dropped, until `stop`.
#[allow(clippy::too_many_arguments)]
async fn viewer(
    index: usize,
    server: SocketAddr,
    path: Arc<String>,
    total: usize,
    stats: Arc<Stats>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    // Loopback has all of 127/8: spreading the source addresses spreads the ephemeral ports.
    let source = IpAddr::V4(Ipv4Addr::new(127, 0, 1 + (index % 200) as u8, 1));
    let mut seen = vec![0u64; total.div_ceil(64)];
    let mut last_id: Option<i64> = None;
    let mut first = true;
    let Ok(latency) = stats.register() else {
        return;
    };
    let blank_line = memchr::memmem::Finder::new(b"\n\n");
    let id_line = memchr::memmem::Finder::new(b"id: ");
    let marker = memchr::memmem::Finder::new(b"bench#");
    while !stop.load(Ordering::Relaxed) {
        let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
            return;
        };
        if socket.bind(SocketAddr::new(source, 0)).is_err() {
            stats.connect_failures.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let Ok(mut conn) = socket.connect(server).await else {
            stats.connect_failures.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        let resume = last_id.map_or(String::new(), |l| format!("Last-Event-ID: {l}\r\n"));
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {server}\r\nAccept: text/event-stream\r\n{resume}\r\n"
        );
        if conn.write_all(request.as_bytes()).await.is_err() {
            continue;
        }
        let mut buf = vec![0u8; 16 * 1024];
        let mut head = Vec::new();
        let mut body = Vec::new();
        let mut chunked = Chunked::default();
        let mut in_body = false;
        loop {
            let n = match conn.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut data = &buf[..n];
            if !in_body {
                head.extend_from_slice(data);
                let Some(end) = memchr::memmem::find(&head, b"\r\n\r\n") else {
                    continue;
                };
                if !head.starts_with(b"HTTP/1.1 200") {
                    stats.connect_failures.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
                in_body = true;
                let rest = head.split_off(end + 4);
                chunked.feed(&rest, &mut body);
                data = &[];
            }
            chunked.feed(data, &mut body);
            // Each complete event ends with a blank line.
            let mut done = 0;
            while let Some(end) = blank_line.find(&body[done..]) {
                let event = &body[done..done + end + 2];
                done += end + 2;
                if first {
                    first = false;
                    stats.ready.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(i) = id_line.find(event) {
                    let rest = &event[i + 4..];
                    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                    last_id = std::str::from_utf8(&rest[..end])
                        .ok()
                        .and_then(|s| s.parse().ok());
                }
                let Some(at) = marker.find(event) else {
                    continue;
                };
                let mut parts = event[at + 6..].split(|b| *b == b'#');
                let (Some(k), Some(sent)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let parse = |b: &[u8]| std::str::from_utf8(b).ok()?.parse::<u64>().ok();
                let (Some(k), Some(sent)) = (parse(k), parse(sent)) else {
                    continue;
                };
                let k = k as usize;
                if k >= total {
                    continue;
                }
                let (word, bit) = (k / 64, 1u64 << (k % 64));
                if seen[word] & bit != 0 {
                    stats.duplicates.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                seen[word] |= bit;
                stats.received.fetch_add(1, Ordering::Relaxed);
                let delay = now_micros().saturating_sub(sent).max(1);
                let _ = lock(&latency).record(delay);
            }
            body.drain(..done);
        }
        if !stop.load(Ordering::Relaxed) {
            stats.reconnects.fetch_add(1, Ordering::Relaxed);
        }
    }
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
        tasks.push(tokio::spawn(viewer(
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
