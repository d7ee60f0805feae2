//! `ocf-bench --live`: sets up one live forum, starts the server instances and runs the trials of
//! `live.rs` (see there), printing Markdown for BENCHMARKS.md.

use std::net::SocketAddr;
use std::time::Duration;

use ocf_api::auth::TokenService;
use ocf_api::settings::JwtSecret;
use ocf_domain::account::{Roles, User};
use ocf_domain::clock;
use ocf_persistence::{Database, DatabaseUrl};
use serde_json::json;

use crate::live::{self, Trial};
use crate::setup::{Server, free_port, spawn_server, wait_ready};

#[derive(Debug, Clone, Copy)]
pub struct LiveArgs {
    pub viewers: usize,
    pub rate: u32,
    pub instances: usize,
    pub duration: Duration,
    pub ceiling: bool,
    pub seed: u64,
}

/// Viewer counts the ceiling search tries on one instance, in order.
/// This machine allows 20,000 open files per process (`ulimit -Hn`, not raisable here), so one server
/// (and the one load generator) cannot hold more than about 19,500 connections.
const CEILING_STEPS: &[usize] = &[10_000, 12_500, 15_000, 17_500, 19_500];

/// # Errors
/// Setup failures; a trial that cannot connect its viewers ends the ceiling search instead.
pub fn run(a: LiveArgs, url: &DatabaseUrl, db: &Database) -> Result<bool, String> {
    let now = clock::now();
    let mut rng = crate::data::rng(a.seed);
    let users = crate::data::users(60, "not-used-tokens-are-minted", now, &mut rng)?;
    db.bulk_insert_users(&users).map_err(|e| e.to_string())?;
    let secret = JwtSecret::new(crate::JWT_SECRET.as_bytes().to_vec())?;
    let issuer = TokenService::new(&secret);
    let token = |i: usize, roles: Roles| {
        let u = &users[i];
        issuer
            .issue_access(
                &User {
                    id: u.id,
                    email: u.email.clone(),
                    display_name: u.display_name.clone(),
                    roles,
                    organization_id: None,
                    created_at: u.created_at,
                    updated_at: u.created_at,
                },
                clock::now(),
            )
            .map_err(|e| e.to_string())
    };
    let admin = token(0, Roles::parse(&["admin"]).map_err(|e| e.to_string())?)?;
    let tokens = (10..60)
        .map(|i| token(i, Roles::citizen()))
        .collect::<Result<Vec<_>, _>>()?;
    let org = {
        use ocf_domain::ports::OrganizationRepository;
        let page = ocf_domain::PageRequest::new(Some(1), None).map_err(|e| e.to_string())?;
        db.list_organizations(&page)
            .map_err(|e| e.to_string())?
            .items
            .first()
            .map(|o| o.id.to_string())
            .ok_or("the seed has no organizations")?
    };
    let instances = if matches!(url, DatabaseUrl::Sqlite(_)) && a.instances > 1 {
        println!(
            "\nSQLite serves one instance; running 1 instead of {}.",
            a.instances
        );
        1
    } else {
        a.instances
    };
    let mut servers: Vec<(Server, SocketAddr)> = Vec::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    for _ in 0..instances {
        let port = free_port()?;
        let (server, log) = spawn_server(url, port, &[("STREAMS_MAX_OPEN", "200000")])?;
        runtime.block_on(wait_ready(&format!("http://127.0.0.1:{port}"), &log))?;
        servers.push((server, SocketAddr::from(([127, 0, 0, 1], port))));
    }
    let base = format!("http://{}", servers[0].1);
    let forum = runtime.block_on(live_forum(&base, &admin, &org))?;
    let targets: Vec<(SocketAddr, u32)> = servers.iter().map(|(s, a)| (*a, s.0.id())).collect();
    println!(
        "\n{} viewers of one live forum over {instances} instance(s), {} comments/s for {} s; the load generator (2 tokio workers) shares the 2 cores with the server(s).\n",
        a.viewers,
        a.rate,
        a.duration.as_secs()
    );
    live::header();
    let main = Trial {
        viewers: a.viewers,
        rate: a.rate,
        duration: a.duration,
    };
    let outcome = runtime.block_on(live::trial(&targets, &forum, &tokens, main))?;
    live::row(&outcome);
    let mut clean = outcome.lost() == 0 && outcome.duplicates == 0 && outcome.post_errors == 0;
    if a.ceiling {
        println!(
            "\nceiling: one instance, {} comments/s, 10 s per step, until p99 > 1 s:\n",
            a.rate
        );
        live::header();
        let one = &targets[..1];
        for &viewers in CEILING_STEPS {
            let t = Trial {
                viewers,
                rate: a.rate,
                duration: Duration::from_secs(10),
            };
            match runtime.block_on(live::trial(one, &forum, &tokens, t)) {
                Ok(o) => {
                    live::row(&o);
                    if o.p99_ms > 1000.0 || o.lost() > 0 {
                        break;
                    }
                }
                Err(e) => {
                    println!("\n{viewers} viewers: {e}");
                    break;
                }
            }
        }
    }
    if outcome.post_errors > 0 {
        clean = false;
        eprintln!("  {} comment posts failed", outcome.post_errors);
    }
    drop(servers);
    Ok(clean)
}

/// Plans a hybrid forum as an admin and takes it live; returns its id.
async fn live_forum(base: &str, admin: &str, org: &str) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    let body = json!({
        "kind": "open_forum",
        "mode": "hybrid",
        "organization_id": org,
        "title": "실시간 토론회 부하 시험",
        "description": "만 명이 지켜보는 실시간 토론회에서 댓글이 모두에게 전달되는지 잽니다.",
        "policy_area": "transport-logistics",
        "venue": {"name": "광화문 광장", "address": "서울특별시 종로구 세종대로 172", "region": "seoul"},
        "livestream_url": "https://tv.example.go.kr/live/bench",
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339(),
    });
    let r = client
        .post(format!("{base}/api/v1/forums"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let v: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    if status != 201 {
        return Err(format!("planning the forum: {status} {v}"));
    }
    let id = v["id"].as_str().ok_or("no forum id")?.to_owned();
    for s in ["scheduled", "live"] {
        let r = client
            .post(format!("{base}/api/v1/forums/{id}/status"))
            .bearer_auth(admin)
            .json(&json!({"status": s}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != 200 {
            return Err(format!("forum to {s}: {}", r.status()));
        }
    }
    Ok(id)
}
