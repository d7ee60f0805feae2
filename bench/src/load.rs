//! Drives the real server over loopback: a fixed number of connections, each its own HTTP client and loop,
//! a warm-up, then a fixed measured duration. Latencies go into HDR histograms (microseconds).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// What one load run needs: where the server is, and ids, tokens and words to send.
#[derive(Debug)]
pub struct Target {
    pub base: String,
    pub seed: u64,
    /// (proposal id, its author's index in `tokens`, open for supports)
    pub proposals: Vec<(String, usize, bool)>,
    /// Access tokens of generated citizens, by index.
    pub tokens: Vec<String>,
    pub policy_areas: Vec<String>,
    pub korean_queries: Vec<String>,
    pub english_queries: Vec<String>,
    pub drafts: Vec<(String, String)>,
    /// The proposal with the long comment thread, and the cursor of that thread's 100th page.
    pub thread: String,
    pub thread_page_100: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Healthz,
    ListBySupportInArea,
    NewestTenPages,
    Detail,
    SearchKorean,
    SearchEnglish,
    Similar,
    SupportBurst,
    Create,
    ViralBurst,
    ThreadFirstPage,
    ThreadPage100,
    PostComment,
    FunnelInArea,
}

impl Workload {
    pub const ALL: [Workload; 14] = [
        Self::Healthz,
        Self::ListBySupportInArea,
        Self::NewestTenPages,
        Self::Detail,
        Self::SearchKorean,
        Self::SearchEnglish,
        Self::Similar,
        Self::SupportBurst,
        Self::Create,
        Self::ViralBurst,
        Self::ThreadFirstPage,
        Self::ThreadPage100,
        Self::PostComment,
        Self::FunnelInArea,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Healthz => "GET /healthz (ceiling)",
            Self::ListBySupportInArea => "list most_supported + policy_area",
            Self::NewestTenPages => "list newest, cursor walk of 10 pages",
            Self::Detail => "proposal detail",
            Self::SearchKorean => "search Korean (2 syllables)",
            Self::SearchEnglish => "search English",
            Self::Similar => "similar check",
            Self::SupportBurst => "support + unsupport (writes)",
            Self::Create => "create proposal",
            Self::ViralBurst => "viral: support + unsupport of one proposal (writes)",
            Self::ThreadFirstPage => "comments: long thread, first page",
            Self::ThreadPage100 => "comments: long thread, 100th page",
            Self::PostComment => "post a comment (writes)",
            Self::FunnelInArea => "stats funnel, policy_area + region filters",
        }
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub histogram: Histogram<u64>,
    pub first_error: Option<String>,
}

impl Outcome {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    pub fn ms(&self, quantile: f64) -> f64 {
        self.histogram.value_at_quantile(quantile) as f64 / 1000.0
    }
}

/// One HTTP request of a workload and the status that counts as success.
struct Call<'a> {
    method: Method,
    path: &'a str,
    token: Option<&'a str>,
    body: Option<&'a Value>,
    want: StatusCode,
}

impl<'a> Call<'a> {
    fn get(path: &'a str) -> Self {
        Self {
            method: Method::GET,
            path,
            token: None,
            body: None,
            want: StatusCode::OK,
        }
    }
}

/// The `next_cursor` of a page, found without parsing the whole page (cursors are URL-safe base64, so
/// the value has no escapes).
fn next_cursor(page: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"\"next_cursor\":\"";
    let start = page.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let len = page[start..].iter().position(|b| *b == b'"')?;
    std::str::from_utf8(&page[start..start + len]).ok()
}

struct Worker {
    client: Client,
    rng: ChaCha8Rng,
    histogram: Histogram<u64>,
    requests: u64,
    errors: u64,
    first_error: Option<String>,
}

impl Worker {
    /// Sends one request; when `record`, counts it and its latency (and an error unless `want` came back).
    /// Returns the body of a successful response unparsed: the load generator shares the machine with
    /// the server, so it parses JSON only where a workload needs a value from it (the cursor walk).
    async fn send(&mut self, t: &Target, call: Call<'_>, record: bool) -> Option<Bytes> {
        let Call {
            method,
            path,
            token,
            body,
            want,
        } = call;
        let mut request = self.client.request(method, format!("{}{path}", t.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = Instant::now();
        let result = request.send().await;
        let (ok, value, problem) = match result {
            Ok(response) => {
                let status = response.status();
                let body = response.bytes().await.unwrap_or_default();
                if status == want {
                    (true, Some(body), None)
                } else {
                    let text = String::from_utf8_lossy(&body);
                    (false, None, Some(format!("{path}: {status} {text}")))
                }
            }
            Err(e) => (false, None, Some(format!("{path}: {e}"))),
        };
        if record {
            let micros = u64::try_from(started.elapsed().as_micros())
                .unwrap_or(u64::MAX)
                .max(1);
            let _ = self.histogram.record(micros);
            self.requests += 1;
            if !ok {
                self.errors += 1;
                if self.first_error.is_none() {
                    self.first_error = problem;
                }
            }
        }
        value
    }

    async fn operation(&mut self, t: &Target, w: Workload, record: bool) {
        match w {
            Workload::Healthz => {
                self.send(t, Call::get("/healthz"), record).await;
            }
            Workload::ListBySupportInArea => {
                let area = t
                    .policy_areas
                    .choose(&mut self.rng)
                    .cloned()
                    .unwrap_or_default();
                let path =
                    format!("/api/v1/proposals?sort=most_supported&policy_area={area}&limit=20");
                self.send(t, Call::get(&path), record).await;
            }
            Workload::NewestTenPages => {
                let mut path = "/api/v1/proposals?limit=20".to_owned();
                for _ in 0..10 {
                    let page = self.send(t, Call::get(&path), record).await;
                    match page.as_deref().and_then(next_cursor) {
                        Some(c) => path = format!("/api/v1/proposals?limit=20&cursor={c}"),
                        None => break,
                    }
                }
            }
            Workload::FunnelInArea => {
                let area = t
                    .policy_areas
                    .choose(&mut self.rng)
                    .cloned()
                    .unwrap_or_default();
                let path = format!("/api/v1/stats/funnel?policy_area={area}&region=seoul");
                self.send(t, Call::get(&path), record).await;
            }
            Workload::Detail => {
                let id = t
                    .proposals
                    .choose(&mut self.rng)
                    .map(|p| p.0.clone())
                    .unwrap_or_default();
                self.send(t, Call::get(&format!("/api/v1/proposals/{id}")), record)
                    .await;
            }
            Workload::SearchKorean | Workload::SearchEnglish => {
                let words = if w == Workload::SearchKorean {
                    &t.korean_queries
                } else {
                    &t.english_queries
                };
                let q = words.choose(&mut self.rng).cloned().unwrap_or_default();
                let path = format!("/api/v1/proposals?q={}&limit=20", urlencode(&q));
                self.send(t, Call::get(&path), record).await;
            }
            Workload::Similar => {
                let (title, body) = t.drafts.choose(&mut self.rng).cloned().unwrap_or_default();
                let body = json!({"title": title, "body": body});
                let call = Call {
                    method: Method::POST,
                    body: Some(&body),
                    ..Call::get("/api/v1/proposals/similar")
                };
                self.send(t, call, record).await;
            }
            Workload::SupportBurst | Workload::ViralBurst => {
                let (id, author, _) = if w == Workload::ViralBurst {
                    // Everyone at once on the same proposal: the hot row of a viral burst.
                    match t.proposals.iter().find(|p| p.2) {
                        Some(p) => p,
                        None => return,
                    }
                } else {
                    loop {
                        let p = &t.proposals[self.rng.random_range(0..t.proposals.len())];
                        if p.2 {
                            break p;
                        }
                    }
                };
                let mut user = self.rng.random_range(0..t.tokens.len());
                if user == *author {
                    user = (user + 1) % t.tokens.len();
                }
                let token = t.tokens[user].clone();
                let path = format!("/api/v1/proposals/{id}/support");
                let put = Call {
                    method: Method::PUT,
                    token: Some(&token),
                    want: StatusCode::NO_CONTENT,
                    ..Call::get(&path)
                };
                self.send(t, put, record).await;
                let delete = Call {
                    method: Method::DELETE,
                    token: Some(&token),
                    want: StatusCode::NO_CONTENT,
                    ..Call::get(&path)
                };
                self.send(t, delete, record).await;
            }
            Workload::ThreadFirstPage | Workload::ThreadPage100 => {
                let mut path = format!("/api/v1/proposals/{}/comments?limit=20", t.thread);
                if w == Workload::ThreadPage100 {
                    path = format!("{path}&cursor={}", t.thread_page_100);
                }
                self.send(t, Call::get(&path), record).await;
            }
            Workload::PostComment => {
                let (title, _) = t.drafts.choose(&mut self.rng).cloned().unwrap_or_default();
                let token = t.tokens.choose(&mut self.rng).cloned().unwrap_or_default();
                let id = loop {
                    let p = &t.proposals[self.rng.random_range(0..t.proposals.len())];
                    if p.2 {
                        break p.0.clone();
                    }
                };
                let body = json!({"body": title});
                let path = format!("/api/v1/proposals/{id}/comments");
                let call = Call {
                    method: Method::POST,
                    token: Some(&token),
                    body: Some(&body),
                    want: StatusCode::CREATED,
                    ..Call::get(&path)
                };
                self.send(t, call, record).await;
            }
            Workload::Create => {
                let (title, body) = t.drafts.choose(&mut self.rng).cloned().unwrap_or_default();
                let token = t.tokens.choose(&mut self.rng).cloned().unwrap_or_default();
                let area = t
                    .policy_areas
                    .choose(&mut self.rng)
                    .cloned()
                    .unwrap_or_default();
                let body =
                    json!({"title": title, "body": format!("{body} {body}"), "policy_area": area});
                let call = Call {
                    method: Method::POST,
                    token: Some(&token),
                    body: Some(&body),
                    want: StatusCode::CREATED,
                    ..Call::get("/api/v1/proposals")
                };
                self.send(t, call, record).await;
            }
        }
    }
}

/// The cursor that fetches page `page` (1-based, `page > 1`) of the list at `path`, found by walking the
/// pages before it once (not measured).
///
/// # Errors
/// A failed request, or a list shorter than `page` pages.
pub async fn page_cursor(base: &str, path: &str, page: usize) -> Result<String, String> {
    let client = Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let mut url = format!("{base}{path}");
    let mut cursor = String::new();
    for n in 1..page {
        let body = client
            .get(&url)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        cursor = next_cursor(&body)
            .ok_or_else(|| format!("{path} has only {n} pages"))?
            .to_owned();
        url = format!("{base}{path}&cursor={cursor}");
    }
    Ok(cursor)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs one workload: `connections` loops for `warmup` (not recorded), then for `duration`.
pub async fn run(
    target: Arc<Target>,
    workload: Workload,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> Result<Outcome, String> {
    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + duration;
    let mut handles = Vec::with_capacity(connections);
    for n in 0..connections {
        let t = target.clone();
        let client = Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let mut worker = Worker {
            client,
            rng: ChaCha8Rng::seed_from_u64(t.seed ^ ((n as u64) << 20) ^ workload as u64),
            histogram: Histogram::new_with_bounds(1, 60_000_000, 3).map_err(|e| e.to_string())?,
            requests: 0,
            errors: 0,
            first_error: None,
        };
        handles.push(tokio::spawn(async move {
            loop {
                let now = Instant::now();
                if now >= end {
                    break;
                }
                worker.operation(&t, workload, now >= measure_from).await;
            }
            worker
        }));
    }
    let mut histogram = Histogram::new_with_bounds(1, 60_000_000, 3).map_err(|e| e.to_string())?;
    let (mut requests, mut errors, mut first_error) = (0, 0, None);
    for h in handles {
        let w = h.await.map_err(|e| e.to_string())?;
        histogram.add(&w.histogram).map_err(|e| e.to_string())?;
        requests += w.requests;
        errors += w.errors;
        first_error = first_error.or(w.first_error);
    }
    Ok(Outcome {
        requests,
        errors,
        seconds: duration.as_secs_f64(),
        histogram,
        first_error,
    })
}

#[cfg(test)]
mod tests {
    use super::next_cursor;

    #[test]
    fn the_cursor_is_found_without_parsing() {
        assert_eq!(
            next_cursor(br#"{"items":[{"title":"x"}],"next_cursor":"bmV3ZXN0OjA6MTI"}"#),
            Some("bmV3ZXN0OjA6MTI")
        );
        assert_eq!(next_cursor(br#"{"items":[],"next_cursor":null}"#), None);
    }
}
