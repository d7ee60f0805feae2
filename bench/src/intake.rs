//! `ocf-bench --intake`: partner intake at national scale. The 2017 channel's 180,705 proposals go
//! through `POST /channels/{id}/proposals/bulk` in 100,000-line requests (then once more, unchanged),
//! and single `PUT /channels/{id}/proposals/{external_id}` upserts are driven at 64 connections.

use std::time::{Duration, Instant};

use ocf_api::auth::TokenService;
use ocf_api::settings::JwtSecret;
use ocf_domain::account::{Roles, User};
use ocf_domain::clock;
use ocf_persistence::{Database, DatabaseUrl};
use serde_json::{Value, json};

use crate::setup::{free_port, spawn_server, wait_ready};

/// Lines per bulk request: the most one request may hold.
const LINES_PER_REQUEST: usize = 100_000;

/// What the run is asked to do.
pub(crate) struct IntakeArgs {
    pub(crate) proposals: usize,
    pub(crate) connections: usize,
    pub(crate) duration: Duration,
    pub(crate) seed: u64,
}

fn line(i: usize, title: &str, body: &str) -> String {
    json!({
        "external_id": format!("IB-{i}"),
        "title": title,
        "body": body,
        "policy_area": "transport-logistics",
        "external_url": format!("https://idea.example.go.kr/ideas/{i}"),
        "partner_created_at": "2017-07-01T09:00:00Z",
        "partner_support_count": i % 500,
    })
    .to_string()
}

pub(crate) async fn machine_token(
    http: &reqwest::Client,
    base: &str,
    admin: &str,
) -> Result<(String, String), String> {
    let send = |path: String, body: Value| {
        http.post(format!("{base}{path}"))
            .bearer_auth(admin)
            .json(&body)
            .send()
    };
    let channel: Value = send(
        "/api/v1/channels".to_owned(),
        json!({"code": "idea_box", "name": "국민생각함", "kind": "idea_box", "base_url": "https://idea.example.go.kr", "contact": "bench"}),
    )
    .await
    .map_err(|e| e.to_string())?
    .json()
    .await
    .map_err(|e| e.to_string())?;
    let channel_id = channel["id"]
        .as_str()
        .ok_or(format!("no channel: {channel}"))?
        .to_owned();
    let issued: Value = send(
        format!("/api/v1/channels/{channel_id}/credentials"),
        json!({}),
    )
    .await
    .map_err(|e| e.to_string())?
    .json()
    .await
    .map_err(|e| e.to_string())?;
    let id = issued["credential"]["client_id"]
        .as_str()
        .ok_or("no client id")?;
    let secret = issued["client_secret"].as_str().ok_or("no secret")?;
    let grant: Value = http
        .post(format!("{base}/api/v1/oauth/token"))
        .basic_auth(id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = grant["access_token"]
        .as_str()
        .ok_or(format!("no token: {grant}"))?;
    Ok((channel_id, token.to_owned()))
}

/// Sends the lines in requests of 100,000 and counts the results by status.
async fn import(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    lines: &[String],
) -> Result<(Duration, std::collections::BTreeMap<String, usize>), String> {
    let mut counts = std::collections::BTreeMap::new();
    let started = Instant::now();
    for chunk in lines.chunks(LINES_PER_REQUEST) {
        let body = chunk.join("\n");
        let r = http
            .post(url)
            .bearer_auth(token)
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != 200 {
            return Err(format!("bulk: {}", r.status()));
        }
        let text = r.text().await.map_err(|e| e.to_string())?;
        for result in text.lines() {
            let v: Value = serde_json::from_str(result).map_err(|e| e.to_string())?;
            *counts
                .entry(v["status"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
        }
    }
    Ok((started.elapsed(), counts))
}

/// An admin's access token, for an account loaded into `db` (minted: nobody signs in).
///
/// # Errors
/// Setup failures.
pub(crate) fn admin_token(db: &Database, seed: u64) -> Result<String, String> {
    let users = crate::data::users(
        1,
        "not-used-tokens-are-minted",
        clock::now(),
        &mut crate::data::rng(seed),
    )?;
    db.bulk_insert_users(&users).map_err(|e| e.to_string())?;
    let u = &users[0];
    TokenService::new(&JwtSecret::new(crate::JWT_SECRET.as_bytes().to_vec())?)
        .issue_access(
            &User {
                id: u.id,
                email: u.email.clone(),
                display_name: u.display_name.clone(),
                roles: Roles::parse(&["admin"]).map_err(|e| e.to_string())?,
                organization_id: None,
                created_at: u.created_at,
                updated_at: u.created_at,
            },
            clock::now(),
        )
        .map_err(|e| e.to_string())
}

/// # Errors
/// Setup failures.
pub(crate) fn run(args: &IntakeArgs, url: &DatabaseUrl, db: &Database) -> Result<bool, String> {
    let admin = admin_token(db, args.seed)?;
    let drafts = crate::data::drafts(args.proposals, args.seed);
    let lines: Vec<String> = drafts
        .iter()
        .enumerate()
        .map(|(i, (t, b))| line(i, t, b))
        .collect();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let port = free_port()?;
    let (_server, log) = spawn_server(url, port, &[("PARTNER_QUOTA_PER_MINUTE", "10000000")])?;
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(wait_ready(&base, &log))?;
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let (channel, token) = machine_token(&http, &base, &admin).await?;
        let bulk_url = format!("{base}/api/v1/channels/{channel}/proposals/bulk");
        let (rps, p50, p99, failed) = puts(&http, &base, &channel, &token, args, &drafts).await;
        println!(
            "\nFirst, single `PUT` upserts of new records at {} connections for {} s, on an empty channel: {rps:.0} requests/s, p50 {p50:.1} ms, p99 {p99:.1} ms, {failed} failed.",
            args.connections,
            args.duration.as_secs()
        );
        let mut clean = failed == 0;
        println!(
            "\n{} partner records ({:.1} MB of NDJSON) through POST /bulk in requests of {LINES_PER_REQUEST} lines, one at a time; one server instance, the harness on the same 2 cores; the look-alike check of the intakes runs in the background meanwhile.\n",
            lines.len(),
            bytes as f64 / 1e6
        );
        println!("| pass | wall time (s) | lines/s | results |");
        println!("|---|---|---|---|");
        for pass in ["first (all new)", "again (re-sent, unchanged)"] {
            let (took, counts) = import(&http, &bulk_url, &token, &lines).await?;
            let expected = if pass.starts_with("first") { "created" } else { "unchanged" };
            clean &= counts.get(expected) == Some(&lines.len());
            println!(
                "| {pass} | {:.1} | {:.0} | {counts:?} |",
                took.as_secs_f64(),
                lines.len() as f64 / took.as_secs_f64()
            );
        }

        Ok::<_, String>(clean)
    })
}

/// `PUT` new records from every connection until the time is up: requests/s, p50 and p99 (ms), failures.
async fn puts(
    http: &reqwest::Client,
    base: &str,
    channel: &str,
    token: &str,
    args: &IntakeArgs,
    drafts: &[(String, String)],
) -> (f64, f64, f64, usize) {
    let deadline = Instant::now() + args.duration;
    let started = Instant::now();
    let tasks = (0..args.connections).map(|c| {
        let (http, token) = (http.clone(), token.to_owned());
        let url = format!("{base}/api/v1/channels/{channel}/proposals");
        let drafts = drafts.to_vec();
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0;
            let mut n = 0;
            while Instant::now() < deadline {
                let (title, body) = &drafts[(c * 7919 + n) % drafts.len()];
                let record = json!({"title": title, "body": body, "policy_area": "transport-logistics", "partner_support_count": n});
                let t = Instant::now();
                let ok = http
                    .put(format!("{url}/PUT-{c}-{n}"))
                    .bearer_auth(&token)
                    .json(&record)
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == 201);
                latencies.push(t.elapsed());
                failed += usize::from(!ok);
                n += 1;
            }
            (latencies, failed)
        })
    });
    let mut all = Vec::new();
    let mut failed = 0;
    for (l, f) in futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .flatten()
    {
        all.extend(l);
        failed += f;
    }
    let took = started.elapsed().as_secs_f64();
    all.sort();
    let q = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    (all.len() as f64 / took, q(0.5), q(0.99), failed)
}
