//! `ocf-bench --followers N`: the cost of telling N followers. A proposal with N followers is referred
//! and acknowledged; then its organization answers, and the harness measures the answer request's
//! latency and the time until every follower has the `referral.answered` notification (written by the
//! server's notification job from the event log, off the request path). The fan-out writes one event's
//! notifications in one transaction, so the first follower to have it means all have it; the harness
//! polls the last follower over HTTP and counts them all in the database afterwards.

use std::time::{Duration, Instant};

use ocf_api::auth::TokenService;
use ocf_api::settings::JwtSecret;
use ocf_domain::account::{Roles, User, UserId};
use ocf_domain::clock;
use ocf_domain::organization::OrganizationId;
use ocf_persistence::{Database, DatabaseUrl};
use serde_json::{Value, json};

use crate::setup::{free_port, spawn_server, wait_ready};

/// Rounds: each a new proposal with its own N followers.
const ROUNDS: usize = 3;

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        want: u16,
    ) -> Result<Value, String> {
        let mut rb = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        if status != want {
            return Err(format!("{path}: {status} {v}"));
        }
        Ok(v)
    }

    async fn post(&self, path: &str, token: &str, body: Value, want: u16) -> Result<Value, String> {
        self.send(reqwest::Method::POST, path, token, Some(body), want)
            .await
    }
}

/// # Errors
/// Setup failures, or a follower left without the notification.
pub fn run(
    followers: usize,
    settle: bool,
    url: &DatabaseUrl,
    db: &Database,
    seed: u64,
) -> Result<bool, String> {
    let now = clock::now();
    let mut rng = crate::data::rng(seed);
    let users = crate::data::users(
        3 + followers * ROUNDS,
        "not-used-tokens-are-minted",
        now,
        &mut rng,
    )?;
    let loaded = Instant::now();
    db.bulk_insert_users(&users).map_err(|e| e.to_string())?;
    let org: OrganizationId = {
        use ocf_domain::ports::OrganizationRepository;
        let page = ocf_domain::PageRequest::new(Some(1), None).map_err(|e| e.to_string())?;
        db.list_organizations(&page)
            .map_err(|e| e.to_string())?
            .items
            .first()
            .map(|o| o.id)
            .ok_or("the seed has no organizations")?
    };
    let secret = JwtSecret::new(crate::JWT_SECRET.as_bytes().to_vec())?;
    let issuer = TokenService::new(&secret);
    let token = |i: usize, roles: &[&str], org: Option<OrganizationId>| {
        let u = &users[i];
        issuer
            .issue_access(
                &User {
                    id: u.id,
                    email: u.email.clone(),
                    display_name: u.display_name.clone(),
                    roles: Roles::parse(roles).map_err(|e| e.to_string())?,
                    organization_id: org,
                    created_at: u.created_at,
                    updated_at: u.created_at,
                },
                clock::now(),
            )
            .map_err(|e| e.to_string())
    };
    let admin = token(0, &["admin"], None)?;
    let official = token(1, &["official"], Some(org))?;
    let author = token(2, &["citizen"], None)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let port = free_port()?;
    let (_server, log) = spawn_server(url, port, &[])?;
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(wait_ready(&base, &log))?;
    let c = Client {
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?,
        base,
    };
    println!(
        "\n{followers} followers per proposal, {ROUNDS} rounds ({} accounts loaded in {:.1} s); one server instance, the harness on the same 2 cores; the answer is sent {}.\n",
        users.len(),
        loaded.elapsed().as_secs_f64(),
        if settle {
            "5 s after the earlier steps' notifications were all written (--settle)"
        } else {
            "as soon as the earlier steps' notifications were all written"
        }
    );
    println!(
        "| round | answer request (ms) | until all {followers} followers have it (ms) | notifications written (followers and the author) |"
    );
    println!("|---|---|---|---|");
    let mut clean = true;
    for round in 0..ROUNDS {
        let mine: Vec<UserId> = users[3 + round * followers..3 + (round + 1) * followers]
            .iter()
            .map(|u| u.id)
            .collect();
        let last = 3 + (round + 1) * followers - 1;
        let last_token = token(last, &["citizen"], None)?;
        let outcome = runtime.block_on(async {
            let p = c
                .post(
                    "/api/v1/proposals",
                    &author,
                    json!({
                        "title": format!("알림 부하 시험 제안 {round}"),
                        "body": "오만 명이 지켜보는 제안에 답변이 오면 모두에게 알림이 가는지 잽니다.",
                        "policy_area": "transport-logistics",
                    }),
                    201,
                )
                .await?;
            let pid = p["id"].as_str().ok_or("no id")?.to_owned();
            db.bulk_insert_follows("proposal", &pid, &mine, clock::now())
                .map_err(|e| e.to_string())?;
            for s in ["under_review", "selected"] {
                c.post(&format!("/api/v1/proposals/{pid}/status"), &admin, json!({"status": s}), 200)
                    .await?;
            }
            let r = c
                .post(
                    "/api/v1/referrals",
                    &admin,
                    json!({"subject_kind": "proposal", "subject_id": pid, "organization_id": org.to_string(), "cover_note": "부하 시험"}),
                    201,
                )
                .await?;
            let rid = r["id"].as_str().ok_or("no id")?.to_owned();
            c.post(&format!("/api/v1/referrals/{rid}/acknowledge"), &official, json!({"division": "시험과"}), 200)
                .await?;
            // Let the fan-out of the earlier steps finish (under_review, selected and referral.sent: three
            // notifications each), so the answer is measured on its own.
            let backlog = Instant::now() + Duration::from_secs(120);
            loop {
                let v = c
                    .send(reqwest::Method::GET, "/api/v1/me/notifications/unread-count", &last_token, None, 200)
                    .await?;
                if v["unread"].as_i64() >= Some(3) {
                    break;
                }
                if Instant::now() > backlog {
                    return Err("the earlier steps' notifications did not arrive in 120 s".to_owned());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if settle {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            let started = Instant::now();
            c.post(
                &format!("/api/v1/referrals/{rid}/answer"),
                &official,
                json!({"decision": "accepted", "reasoning": "시험", "planned_measures": "시험", "expected_completion_on": "2099-12-31"}),
                200,
            )
            .await?;
            let answered = started.elapsed();
            let deadline = Instant::now() + Duration::from_secs(120);
            loop {
                let page = c
                    .send(reqwest::Method::GET, "/api/v1/me/notifications?limit=5", &last_token, None, 200)
                    .await?;
                let has = page["items"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|n| n["type"] == "referral.answered"));
                if has {
                    break;
                }
                if Instant::now() > deadline {
                    return Err("the last follower had no notification after 120 s".to_owned());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok::<_, String>((answered, started.elapsed(), pid))
        })?;
        let (answered, everyone, pid) = outcome;
        let written = db
            .count_notifications("referral.answered", &pid)
            .map_err(|e| e.to_string())?;
        // The followers, and the author (who follows their own proposal).
        clean &= usize::try_from(written).is_ok_and(|w| w == followers + 1);
        println!(
            "| {} | {:.1} | {:.0} | {written} |",
            round + 1,
            answered.as_secs_f64() * 1e3,
            everyone.as_secs_f64() * 1e3
        );
    }
    Ok(clean)
}
