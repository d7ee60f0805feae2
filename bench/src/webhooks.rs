//! `ocf-bench --webhooks`: delivery throughput and latency to a loopback receiver. A partner endpoint
//! subscribes to `proposal.created`; --proposals records (default 20,000) come in through one bulk import;
//! the receiver (in this process) notes when each message arrives. Latency is from the event (stamped
//! in the transaction that commits it) to its arrival; throughput is messages per second from the first
//! arrival to the last.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{DateTime, Utc};
use ocf_persistence::{Database, DatabaseUrl};
use serde_json::{Value, json};

use crate::setup::{free_port, spawn_server, wait_ready};

/// What the receiver saw: when, and how long after the event.
#[derive(Default)]
struct Seen {
    arrivals: Vec<(Instant, f64)>,
    ids: std::collections::HashSet<String>,
}

async fn receive(req: HttpRequest, body: web::Bytes, seen: web::Data<Mutex<Seen>>) -> HttpResponse {
    let now = Utc::now();
    let event: Option<DateTime<Utc>> = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["timestamp"].as_str().and_then(|t| t.parse().ok()));
    let id = req
        .headers()
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
    if s.ids.insert(id) {
        let ms = event.map_or(f64::NAN, |e| {
            (now - e).num_microseconds().unwrap_or(0) as f64 / 1e3
        });
        s.arrivals.push((Instant::now(), ms));
    }
    HttpResponse::Ok().finish()
}

/// # Errors
/// Setup failures.
pub(crate) fn run(
    count: usize,
    seed: u64,
    url: &DatabaseUrl,
    db: &Database,
) -> Result<bool, String> {
    let admin = crate::intake::admin_token(db, seed)?;
    let drafts = crate::data::drafts(count, seed);
    let lines: Vec<String> = drafts
        .iter()
        .enumerate()
        .map(|(i, (t, b))| {
            json!({"external_id": format!("WH-{i}"), "title": t, "body": b, "policy_area": "transport-logistics"})
                .to_string()
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let port = free_port()?;
    let (_server, log) = spawn_server(
        url,
        port,
        &[
            ("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"),
            ("PARTNER_QUOTA_PER_MINUTE", "1000000"),
        ],
    )?;
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(async {
        wait_ready(&base, &log).await?;
        let seen = web::Data::new(Mutex::new(Seen::default()));
        let data = seen.clone();
        let receiver = HttpServer::new(move || App::new().app_data(data.clone()).route("/hook", web::post().to(receive)))
            .workers(1)
            .bind(("127.0.0.1", 0))
            .map_err(|e| e.to_string())?;
        let hook_port = receiver.addrs()[0].port();
        let handle = receiver.run();
        let stop = handle.handle();
        tokio::spawn(handle);
        let http = reqwest::Client::builder().no_proxy().build().map_err(|e| e.to_string())?;
        let (channel, token) = crate::intake::machine_token(&http, &base, &admin).await?;
        let hook: Value = http
            .post(format!("{base}/api/v1/channels/{channel}/webhooks"))
            .bearer_auth(&token)
            .json(&json!({"url": format!("http://127.0.0.1:{hook_port}/hook"), "event_types": ["proposal.created"]}))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        if hook["secret"].as_str().is_none() {
            return Err(format!("no webhook: {hook}"));
        }
        let bulk_url = format!("{base}/api/v1/channels/{channel}/proposals/bulk");
        let send = |body: String| {
            http.post(&bulk_url)
                .bearer_auth(&token)
                .header("content-type", "application/x-ndjson")
                .body(body)
                .send()
        };
        // A burst: every record at once.
        let started = Instant::now();
        let text = send(lines.join("\n")).await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
        let imported = text.matches("\"created\"").count();
        let import_secs = started.elapsed().as_secs_f64();
        let burst = wait_for(&seen, count).await;
        // A steady stream: 100 records every 100 ms (1,000 events a second) for 10 s (1 s for a
        // smoke test).
        let rounds = (count / 200).clamp(10, 100);
        let steady: Vec<String> = (0..rounds)
            .map(|round| {
                (0..100usize)
                    .map(|i| {
                        let (t, b) = &drafts[(round * 100 + i) % drafts.len()];
                        json!({"external_id": format!("ST-{round}-{i}"), "title": t, "body": b, "policy_area": "transport-logistics"}).to_string()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        for body in steady {
            tick.tick().await;
            send(body).await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
        }
        let all = wait_for(&seen, count + rounds * 100).await;
        stop.stop(true).await;
        println!(
            "\n{count} proposals imported in one bulk request ({import_secs:.1} s, {imported} created), then {} more at 1,000 a second (100 every 100 ms), to a channel with one endpoint on `proposal.created`; the receiver (actix-web, one worker) shares the 2 cores with the server and the imports.\n",
            rounds * 100
        );
        println!("| phase | deliveries | throughput (deliveries/s, first to last arrival) | p50 event to arrival (ms) | p99 (ms) | max (ms) |");
        println!("|---|---|---|---|---|---|");
        let steady_part = all.get(burst.len()..).unwrap_or_default();
        for (name, part) in [("burst", &burst[..]), ("steady 1,000/s", steady_part)] {
            println!("{}", summary(name, part));
        }
        let n = all.len();
        Ok::<_, String>(n == count + rounds * 100 && imported == count)
    })
}

async fn wait_for(seen: &web::Data<Mutex<Seen>>, n: usize) -> Vec<(Instant, f64)> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let got = seen.lock().map(|s| s.arrivals.clone()).unwrap_or_default();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn summary(name: &str, part: &[(Instant, f64)]) -> String {
    let span = match (part.first(), part.last()) {
        (Some(f), Some(l)) => (l.0 - f.0).as_secs_f64().max(1e-3),
        _ => 1.0,
    };
    let mut lat: Vec<f64> = part.iter().map(|a| a.1).filter(|x| x.is_finite()).collect();
    lat.sort_by(f64::total_cmp);
    let q = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    format!(
        "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} |",
        part.len(),
        part.len() as f64 / span,
        q(0.5),
        q(0.99),
        lat.last().copied().unwrap_or(f64::NAN)
    )
}
