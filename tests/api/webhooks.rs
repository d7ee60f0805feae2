//! Signed webhooks to a partner receiver on loopback: signatures checked by an implementation of the
//! receiver's own, retries the receiver sees (same `webhook-id`), `Retry-After`, `410 Gone`, secret
//! rotation, redelivery, SSRF refusals, and who may manage endpoints.

use chrono::{DateTime, Utc};
use ocf_tests::partner::{TestPartner, record};
use ocf_tests::receiver::{Receiver, verifies};
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use reqwest::Method;
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

async fn create(app: &TestApp, p: &TestPartner, url: &str, types: &[&str]) -> Value {
    let path = format!("/api/v1/channels/{}/webhooks", p.channel_id);
    expect_json(
        app.post(
            &path,
            &json!({"url": url, "event_types": types}),
            Some(&p.token),
        )
        .await,
        201,
    )
    .await
}

async fn deliveries(app: &TestApp, p: &TestPartner) -> Vec<Value> {
    let path = format!("/api/v1/channels/{}/deliveries", p.channel_id);
    let page = expect_json(app.get(&path, Some(&p.token)).await, 200).await;
    page["items"].as_array().unwrap().clone()
}

/// Waits until the newest delivery is no longer pending, or 20 s.
async fn settled(app: &TestApp, p: &TestPartner) -> Vec<Value> {
    for _ in 0..400 {
        let d = deliveries(app, p).await;
        if d.first().is_some_and(|d| d["status"] != "pending") {
            return d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    deliveries(app, p).await
}

#[tokio::test]
async fn a_receiver_verifies_each_signature_and_sees_the_retries_under_one_id() {
    let app = app().await;
    let p = app.partner().await;
    let receiver = Receiver::start(vec![(500, None), (503, None)]);
    let hook = create(
        &app,
        &p,
        &receiver.url,
        &["proposal.created", "proposal.status_changed"],
    )
    .await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(hook["webhook"]["status"], "active");
    let created = expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "W-1",
            &record("웹훅으로 알리는 제안", 1),
        )
        .await,
        201,
    )
    .await;
    let proposal = created["proposal"]["id"].as_str().unwrap().to_owned();
    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3, "two failures, then success");
    for r in &got {
        assert!(verifies(r, &secret), "signature of {r:?}");
        assert!(
            !verifies(r, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "not under another secret"
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    let id = got[0].header("webhook-id").unwrap();
    assert!(id.starts_with("msg_"));
    assert!(
        got.iter().all(|r| r.header("webhook-id") == Some(id)),
        "stable across retries"
    );
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "proposal.created");
    assert_eq!(body["data"]["subject_type"], "proposal");
    assert_eq!(body["data"]["subject_id"], proposal.as_str());
    assert_eq!(body["data"]["to_status"], "submitted");
    let log = settled(&app, &p).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["id"], id);
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(log[0]["last_response_code"], 200);
    assert!(log[0]["next_attempt_at"].is_null());
    // A type it did not subscribe to is not sent; a status change is.
    let m = app.moderator().await;
    expect_json(
        app.set_status(&m.access_token, &proposal, "under_review", None)
            .await,
        200,
    )
    .await;
    let got = receiver.wait_for(4).await;
    let last: Value = serde_json::from_str(&got[3].body).unwrap();
    assert_eq!(last["type"], "proposal.status_changed");
    assert_eq!(last["data"]["from_status"], "submitted");
    assert_eq!(last["data"]["to_status"], "under_review");
}

#[tokio::test]
async fn retry_after_is_honoured_and_gone_disables_the_endpoint() {
    let app = app().await;
    let p = app.partner().await;
    let slow = Receiver::start(vec![(429, Some(("Retry-After", "2")))]);
    create(&app, &p, &slow.url, &["proposal.created"]).await;
    expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "R-1",
            &record("잠시 후 다시 보내 주세요", 1),
        )
        .await,
        201,
    )
    .await;
    let got = slow.wait_for(2).await;
    assert_eq!(got.len(), 2);
    let waited = got[1].at - got[0].at;
    assert!(
        waited >= std::time::Duration::from_millis(1_900),
        "{waited:?}"
    );

    let q = app.partner().await;
    let gone = Receiver::start(vec![(410, None)]);
    let hook = create(&app, &q, &gone.url, &["proposal.created"]).await;
    expect_json(
        app.put_record(
            &q.token,
            &q.channel_id,
            "G-1",
            &record("더는 받지 않는 곳으로", 1),
        )
        .await,
        201,
    )
    .await;
    let log = settled(&app, &q).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["last_response_code"], 410);
    let path = format!("/api/v1/channels/{}/webhooks", q.channel_id);
    let list = expect_json(app.get(&path, Some(&q.token)).await, 200).await;
    assert_eq!(list["items"][0]["status"], "disabled");
    assert!(
        list["items"][0]["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("410")
    );
    assert!(
        list.to_string().find("whsec_").is_none(),
        "secrets are never listed"
    );
    // Disabled: nothing more is sent, until its owner turns it back on.
    expect_json(
        app.put_record(
            &q.token,
            &q.channel_id,
            "G-2",
            &record("꺼진 곳으로는 가지 않습니다", 1),
        )
        .await,
        201,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(gone.received().len(), 1);
    let one = format!("{path}/{}", hook["webhook"]["id"].as_str().unwrap());
    let on = expect_json(
        app.patch(&one, &json!({"status": "active"}), Some(&q.token))
            .await,
        200,
    )
    .await;
    assert_eq!(on["webhook"]["status"], "active");
    assert!(on["secret"].is_null());
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_and_a_delivery_can_be_sent_again() {
    let app = app().await;
    let p = app.partner().await;
    let receiver = Receiver::start(vec![]);
    let hook = create(&app, &p, &receiver.url, &["proposal.created"]).await;
    let old = hook["secret"].as_str().unwrap().to_owned();
    let path = format!(
        "/api/v1/channels/{}/webhooks/{}",
        p.channel_id,
        hook["webhook"]["id"].as_str().unwrap()
    );
    let rotated = expect_json(
        app.patch(&path, &json!({"rotate_secret": true}), Some(&p.token))
            .await,
        200,
    )
    .await;
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(rotated["webhook"]["previous_secret_expires_at"].is_string());
    expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "K-1",
            &record("새 비밀로도 서명합니다", 1),
        )
        .await,
        201,
    )
    .await;
    let got = receiver.wait_for(1).await;
    assert_eq!(
        got[0]
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .count(),
        2
    );
    assert!(verifies(&got[0], &old) && verifies(&got[0], &new));

    let log = settled(&app, &p).await;
    let id = log[0]["id"].as_str().unwrap();
    let again = app
        .request(
            Method::POST,
            &format!("/api/v1/deliveries/{id}/redeliver"),
            Some(&p.token),
        )
        .header("idempotency-key", "again-1")
        .send()
        .await
        .unwrap();
    let again = expect_json(again, 202).await;
    assert_eq!(again["status"], "pending");
    let got = receiver.wait_for(2).await;
    assert_eq!(got[1].header("webhook-id"), Some(id));
    // The same key replays; another channel cannot touch it.
    let replay = app
        .request(
            Method::POST,
            &format!("/api/v1/deliveries/{id}/redeliver"),
            Some(&p.token),
        )
        .header("idempotency-key", "again-1")
        .send()
        .await
        .unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let q = app.partner().await;
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/deliveries/{id}/redeliver"),
            Some(&q.token),
        )
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, "not_found").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/deliveries/msg_nope/redeliver",
            Some(&p.token),
        )
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, "not_found").await;
}

#[tokio::test]
async fn endpoints_are_checked_and_only_their_channel_manages_them() {
    let app = app().await;
    let p = app.partner().await;
    let path = format!("/api/v1/channels/{}/webhooks", p.channel_id);
    let t = Some(p.token.as_str());
    let bad = json!({"url": "ftp://x", "event_types": ["proposal.created", "proposal.created", "comment.posted"]});
    let mut fields = invalid_fields(app.post(&path, &bad, t).await).await;
    fields.sort();
    assert_eq!(fields, ["event_types", "url"]);
    assert_eq!(
        invalid_fields(
            app.post(
                &path,
                &json!({"url": "https://h.example.kr/x", "event_types": []}),
                t
            )
            .await
        )
        .await,
        ["event_types"]
    );
    for i in 0..10 {
        create(
            &app,
            &p,
            &format!("https://h{i}.example.kr/hook"),
            &["forum.live"],
        )
        .await;
    }
    expect_problem(
        app.post(
            &path,
            &json!({"url": "https://h.example.kr/x", "event_types": ["forum.live"]}),
            t,
        )
        .await,
        409,
        "already_exists",
    )
    .await;
    let list = expect_json(app.get(&path, t).await, 200).await;
    let first = list["items"][0]["id"].as_str().unwrap().to_owned();
    let one = format!("{path}/{first}");
    assert_eq!(
        invalid_fields(app.patch(&one, &json!({}), t).await).await,
        ["body"]
    );
    assert_eq!(
        invalid_fields(app.patch(&one, &json!({"status": "paused"}), t).await).await,
        ["status"]
    );
    let readonly = app.partner_with(Some(&["proposals:read"])).await;
    let other = app.partner().await;
    expect_problem(
        app.get(&path, Some(&readonly.token)).await,
        403,
        "wrong_channel",
    )
    .await;
    let theirs = format!("/api/v1/channels/{}/webhooks", readonly.channel_id);
    expect_problem(
        app.get(&theirs, Some(&readonly.token)).await,
        403,
        "insufficient_scope",
    )
    .await;
    expect_problem(
        app.get(&path, Some(&other.token)).await,
        403,
        "wrong_channel",
    )
    .await;
    expect_problem(
        app.get(&path, Some(&p.admin_token)).await,
        401,
        "invalid_token",
    )
    .await;
    let foreign = format!("/api/v1/channels/{}/webhooks/{first}", other.channel_id);
    expect_problem(
        app.patch(&foreign, &json!({"status": "disabled"}), Some(&other.token))
            .await,
        404,
        "not_found",
    )
    .await;
    let r = app.request(Method::DELETE, &one, t).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = app.request(Method::DELETE, &one, t).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let bad_filter = format!("/api/v1/channels/{}/deliveries?status=lost", p.channel_id);
    assert_eq!(
        invalid_fields(app.get(&bad_filter, t).await).await,
        ["status"]
    );
}

#[tokio::test]
async fn private_targets_are_refused_unless_allowed() {
    let app = TestApp::spawn_with(|s| s.webhooks.allow_private_targets = false).await;
    app.seed().await;
    let p = app.partner().await;
    let path = format!("/api/v1/channels/{}/webhooks", p.channel_id);
    let receiver = Receiver::start(vec![]);
    // Plain http is for closed networks only.
    assert_eq!(
        invalid_fields(
            app.post(
                &path,
                &json!({"url": receiver.url, "event_types": ["proposal.created"]}),
                Some(&p.token)
            )
            .await
        )
        .await,
        ["url"]
    );
    for url in [
        "https://127.0.0.1:1/hook",
        "https://localhost:1/hook",
        "https://[::1]:1/hook",
        "https://169.254.169.254/latest",
    ] {
        create(&app, &p, url, &["proposal.created"]).await;
    }
    expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "S-1",
            &record("내부 주소로는 보내지 않습니다", 1),
        )
        .await,
        201,
    )
    .await;
    let mut log = Vec::new();
    for _ in 0..200 {
        log = deliveries(&app, &p).await;
        // An attempt is counted when claimed, and recorded when it is over.
        if log.len() == 4 && log.iter().all(|d| d["last_attempt_at"].is_string()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 4);
    for d in &log {
        assert!(
            d["last_error"]
                .as_str()
                .unwrap_or_default()
                .contains("public"),
            "{d}"
        );
        assert!(d["last_response_code"].is_null());
    }
    assert!(receiver.received().is_empty());
    let _: Option<DateTime<Utc>> = None;
}
