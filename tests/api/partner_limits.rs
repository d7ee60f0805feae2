//! Partner channels' quotas (held in the database, so across instances, with `RateLimit` headers) and
//! `Idempotency-Key` on their `POST`s: replays, mismatches and a key still in flight.

use chrono::Timelike;
use ocf_tests::partner::bulk_line;
use ocf_tests::{TestApp, expect_json, expect_problem};
use reqwest::Response;

/// Waits out the last seconds of a minute, so a test's requests share one quota window.
async fn early_in_a_minute() {
    let second = chrono::Utc::now().second();
    if second > 45 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
}

fn header(r: &Response, name: &str) -> String {
    r.headers()[name].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_channel_spends_its_quota_across_instances_and_then_waits() {
    let app = TestApp::spawn_with(|s| s.partner_quota_per_minute = 4).await;
    app.seed().await;
    let other = app
        .another_instance(|s| s.partner_quota_per_minute = 4)
        .await;
    let p = app.partner().await;
    let q = app.partner().await;
    early_in_a_minute().await;
    let mut remaining = Vec::new();
    for (i, instance) in [&app, &other, &app, &other].into_iter().enumerate() {
        let r = instance
            .get_record(&p.token, &p.channel_id, &format!("none-{i}"))
            .await;
        assert_eq!(header(&r, "ratelimit-policy"), "\"partner\";q=4;w=60");
        remaining.push(
            header(&r, "ratelimit")
                .split(';')
                .nth(1)
                .unwrap()
                .to_owned(),
        );
        expect_problem(r, 404, "not_found").await;
    }
    assert_eq!(remaining, ["r=3", "r=2", "r=1", "r=0"]);
    let r = other.get_record(&p.token, &p.channel_id, "none").await;
    let retry: u64 = header(&r, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(header(&r, "ratelimit").starts_with("\"partner\";r=0;t="));
    expect_problem(r, 429, "too_many_requests").await;
    // Another channel has its own quota; users' endpoints have none.
    let r = app.get_record(&q.token, &q.channel_id, "none").await;
    assert_eq!(header(&r, "ratelimit").split(';').nth(1).unwrap(), "r=3");
    let r = app.get("/api/v1/policy-areas", None).await;
    assert!(r.headers().get("ratelimit").is_none());
}

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_answer_and_another_body_is_refused() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let p = app.partner().await;
    let body = (0..20)
        .map(|i| bulk_line(&format!("I-{i}"), &format!("멱등 키로 보낸 제안 {i}번")))
        .collect::<Vec<_>>()
        .join("\n");
    let send = |key: &'static str, body: String| {
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/channels/{}/proposals/bulk", p.channel_id),
            Some(&p.token),
        )
        .header("content-type", "application/x-ndjson")
        .header("idempotency-key", key)
        .body(body)
        .send()
    };
    let first = send("\"key-1\"", body.clone()).await.unwrap();
    assert_eq!(first.status(), 200);
    let first = first.text().await.unwrap();
    assert_eq!(first.matches("\"created\"").count(), 20);
    let again = send("\"key-1\"", body.clone()).await.unwrap();
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(
        again.text().await.unwrap(),
        first,
        "the stored answer, not a new one"
    );
    // Without the key, the same body is simply unchanged.
    let plain = app
        .bulk(&p.token, &p.channel_id, body.clone())
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(plain.matches("\"unchanged\"").count(), 20);
    let other = body.replace("멱등", "다른");
    expect_problem(
        send("\"key-1\"", other.clone()).await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    // A key is the channel's own: another channel's same key is another request.
    let q = app.partner().await;
    let theirs = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/channels/{}/proposals/bulk", q.channel_id),
            Some(&q.token),
        )
        .header("content-type", "application/x-ndjson")
        .header("idempotency-key", "\"key-1\"")
        .body(other)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 200);
    for bad in ["", "\"\"", &"k".repeat(256), "\"a\"b\""] {
        expect_problem(
            send(Box::leak(bad.to_owned().into_boxed_str()), body.clone())
                .await
                .unwrap(),
            400,
            "invalid_header",
        )
        .await;
    }
}

#[tokio::test]
async fn a_key_still_in_flight_is_refused_until_its_request_has_finished() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let p = app.partner().await;
    let body = (0..20_000)
        .map(|i| bulk_line(&format!("F-{i}"), &format!("오래 걸리는 일괄 제안 {i}번")))
        .collect::<Vec<_>>()
        .join("\n");
    let path = format!("/api/v1/channels/{}/proposals/bulk", p.channel_id);
    let send = |body: String| {
        app.request(reqwest::Method::POST, &path, Some(&p.token))
            .header("content-type", "application/x-ndjson")
            .header("idempotency-key", "slow")
            // 20,000 lines on a loaded CI machine can outlast the client's usual 30 s.
            .timeout(std::time::Duration::from_secs(180))
            .body(body)
            .send()
    };
    let first = send(body.clone());
    let probe = async {
        // Once the first batch of the first request is stored, that request holds the key.
        for _ in 0..500 {
            if app
                .get_record(&p.token, &p.channel_id, "F-0")
                .await
                .status()
                == 200
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let mut conflicts = 0;
        for _ in 0..200 {
            let r = send(bulk_line("F-0", "오래 걸리는 일괄 제안 0번"))
                .await
                .unwrap();
            match r.status().as_u16() {
                409 => {
                    expect_problem(r, 409, "idempotency_key_in_use").await;
                    conflicts += 1;
                }
                // The first has finished: a different body under its key.
                422 => return conflicts,
                other => panic!("unexpected {other}"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        conflicts
    };
    let (first, conflicts) = tokio::join!(first, probe);
    let first = first.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.text().await.unwrap().lines().count(), 20_000);
    assert!(
        conflicts > 0,
        "the probe never saw the first request in flight"
    );
    // Finished: the same request is now replayed.
    let replay = send(body).await.unwrap();
    assert_eq!(header(&replay, "idempotent-replayed"), "true");
    let _ = expect_json;
}
