//! `POST /channels/{id}/proposals/bulk`: NDJSON line by line, a result per line with every kind of
//! error, re-sends that create nothing twice, the line limit, and a connection cut mid-import.

use std::io::Write;

use ocf_tests::partner::{bulk_line, record};
use ocf_tests::{TestApp, expect_json, expect_problem};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

async fn proposals_of(app: &TestApp, code: &str) -> usize {
    let mut count = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/proposals?channel=partner:{code}&limit=100");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = expect_json(app.get(&path, None).await, 200).await;
        count += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return count,
        }
    }
}

fn by_line(results: &[Value], line: u64) -> &Value {
    results
        .iter()
        .find(|r| r["line"] == line)
        .unwrap_or_else(|| panic!("no result for line {line}: {results:?}"))
}

#[tokio::test]
async fn every_line_gets_its_result_and_bad_lines_lose_nothing_else() {
    let app = app().await;
    let p = app.partner().await;
    let m = app.moderator().await;
    // A record already under review, which a line then tries to rewrite.
    let reviewed = expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "R-1",
            &record("심사 중인 제안입니다", 1),
        )
        .await,
        201,
    )
    .await;
    let reviewed_id = reviewed["proposal"]["id"].as_str().unwrap();
    expect_json(
        app.set_status(&m.access_token, reviewed_id, "under_review", None)
            .await,
        200,
    )
    .await;
    let mut rewrite = record("심사 중인데 제목을 바꿉니다", 1);
    rewrite["external_id"] = json!("R-1");
    let mut unknown = record("모르는 필드가 있습니다", 1);
    unknown["external_id"] = json!("U-1");
    unknown["votes"] = json!(3);
    let mut invalid = record("짧", 1);
    invalid["external_id"] = json!("V-1");
    invalid["partner_support_count"] = json!(-5);
    let long = format!(
        r#"{{"external_id":"L-1","title":"{}"}}"#,
        "가".repeat(70_000)
    );
    let lines = [
        bulk_line("A-1", "첫 번째 일괄 제안입니다"), // 1 created
        bulk_line("A-2", "두 번째 일괄 제안입니다"), // 2 created
        String::new(),                               // 3 empty: no result
        "{not json".to_owned(),                      // 4 malformed
        "[1, 2]".to_owned(),                         // 5 not an object
        record("아이디가 없는 제안입니다", 1).to_string(), // 6 no external_id
        bulk_line("bad id", "아이디가 잘못된 제안입니다"), // 7 bad external_id
        invalid.to_string(),                         // 8 invalid fields
        unknown.to_string(),                         // 9 unknown field
        rewrite.to_string(),                         // 10 not editable
        bulk_line("A-1", "첫 번째 일괄 제안입니다"), // 11 same as line 1: unchanged
        long,                                        // 12 too long
        format!("{}\r", bulk_line("A-3", "윈도 줄바꿈으로 끝난 제안")), // 13 CRLF: created
    ];
    let body = lines.join("\n");
    let results = app.bulk_results(&p.token, &p.channel_id, body).await;
    assert_eq!(
        results.len(),
        12,
        "one result per non-empty line: {results:?}"
    );
    let lines_seen: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines_seen,
        [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
        "in order"
    );
    for (line, status) in [
        (1, "created"),
        (2, "created"),
        (11, "unchanged"),
        (13, "created"),
    ] {
        let r = by_line(&results, line);
        assert_eq!(r["status"], status, "{r}");
        assert!(r["proposal_id"].is_string());
        assert!(r.get("problem").is_none());
    }
    assert_eq!(
        by_line(&results, 1)["proposal_id"],
        by_line(&results, 11)["proposal_id"]
    );
    let expect = [
        (4, "malformed_json", None),
        (5, "validation_failed", Some("body")),
        (6, "validation_failed", Some("external_id")),
        (7, "validation_failed", Some("external_id")),
        (8, "validation_failed", Some("title")),
        (9, "validation_failed", Some("votes")),
        (10, "proposal_not_editable", None),
        (12, "payload_too_large", None),
    ];
    for (line, code, field) in expect {
        let r = by_line(&results, line);
        assert_eq!(r["status"], "error", "{r}");
        assert_eq!(r["problem"]["code"], code, "{r}");
        assert!(r["proposal_id"].is_null());
        if let Some(f) = field {
            let fields: Vec<&str> = r["problem"]["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&f), "line {line}: {fields:?}");
        }
    }
    assert_eq!(by_line(&results, 7)["external_id"], "bad id");
    let rid = by_line(&results, 4)["problem"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(rid.len() > 8, "the request's id, not a placeholder: {rid}");
    assert_eq!(
        by_line(&results, 8)["problem"]["errors"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The refused rewrite changed nothing.
    let view = expect_json(app.proposal(reviewed_id, None).await, 200).await;
    assert_eq!(view["title"], "심사 중인 제안입니다");
    assert_eq!(proposals_of(&app, &p.code).await, 4);
}

#[tokio::test]
async fn a_resent_batch_creates_nothing_twice() {
    let app = app().await;
    let p = app.partner().await;
    let body: Vec<String> = (0..2_500)
        .map(|i| bulk_line(&format!("N-{i}"), &format!("일괄로 들어온 제안 {i}번")))
        .collect();
    let body = body.join("\n") + "\n";
    let first = app
        .bulk_results(&p.token, &p.channel_id, body.clone())
        .await;
    assert_eq!(first.len(), 2_500);
    assert!(first.iter().all(|r| r["status"] == "created"));
    let again = app.bulk_results(&p.token, &p.channel_id, body).await;
    assert!(
        again.iter().all(|r| r["status"] == "unchanged"),
        "{:?}",
        &again[..3]
    );
    assert_eq!(proposals_of(&app, &p.code).await, 2_500);
    // The PUT of the same record agrees.
    let mut same = record("일괄로 들어온 제안 7번", 1);
    same["title"] = json!("일괄로 들어온 제안 7번");
    let put = expect_json(
        app.put_record(&p.token, &p.channel_id, "N-7", &same).await,
        200,
    )
    .await;
    assert_eq!(put["outcome"], "unchanged");
}

#[tokio::test]
async fn a_line_past_the_hundred_thousandth_ends_the_import() {
    let app = app().await;
    let p = app.partner().await;
    let mut body = "\n".repeat(100_000);
    body.push_str(&bulk_line("T-1", "십만 번째 줄 다음의 제안"));
    body.push('\n');
    body.push_str(&bulk_line("T-2", "그 다음 줄의 제안입니다"));
    let results = app.bulk_results(&p.token, &p.channel_id, body).await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["line"], 100_001);
    assert_eq!(results[0]["problem"]["code"], "payload_too_large");
    assert_eq!(proposals_of(&app, &p.code).await, 0);
}

#[tokio::test]
async fn the_wrong_caller_or_media_type_is_refused_before_any_line() {
    let app = app().await;
    let p = app.partner().await;
    let q = app.partner_with(Some(&["proposals:read"])).await;
    let body = bulk_line("W-1", "거절되어야 하는 제안입니다");
    expect_problem(
        app.bulk(&q.token, &q.channel_id, body.clone()).await,
        403,
        "insufficient_scope",
    )
    .await;
    expect_problem(
        app.bulk(&p.token, &q.channel_id, body.clone()).await,
        403,
        "wrong_channel",
    )
    .await;
    expect_problem(
        app.bulk(&p.admin_token, &p.channel_id, body.clone()).await,
        401,
        "invalid_token",
    )
    .await;
    let json = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/channels/{}/proposals/bulk", p.channel_id),
            Some(&p.token),
        )
        .json(&json!({"external_id": "W-1"}))
        .send()
        .await
        .unwrap();
    expect_problem(json, 415, "unsupported_media_type").await;
    assert_eq!(proposals_of(&app, &p.code).await, 0);
    // `bulk` is the import's path, never a record's id.
    let reserved = app
        .put_record(
            &p.token,
            &p.channel_id,
            "bulk",
            &record("예약된 아이디입니다", 1),
        )
        .await;
    assert!(
        matches!(reserved.status().as_u16(), 405 | 422),
        "{}",
        reserved.status()
    );
}

#[tokio::test]
async fn a_cut_connection_keeps_what_was_stored_and_a_resend_completes_the_rest() {
    let app = app().await;
    let p = app.partner().await;
    let lines: Vec<String> = (0..3_000)
        .map(|i| bulk_line(&format!("K-{i}"), &format!("끊긴 연결로 보낸 제안 {i}번")))
        .collect();
    let full = lines.join("\n") + "\n";
    // Announce the whole body, send the first 1,500 lines, and hang up.
    let partial = lines[..1_500].join("\n") + "\n";
    let host = app.address.trim_start_matches("http://").to_owned();
    let (token, channel) = (p.token.clone(), p.channel_id.clone());
    let announced = full.len();
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(&host).unwrap();
        write!(
            s,
            "POST /api/v1/channels/{channel}/proposals/bulk HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {announced}\r\n\r\n"
        )
        .unwrap();
        s.write_all(partial.as_bytes()).unwrap();
        s.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(s);
    })
    .await
    .unwrap();
    // Whatever was stored is whole batches; the re-send stores the rest and nothing twice. The server
    // may still be committing a batch of the cut request: count once the count has stopped moving.
    let mut stored = proposals_of(&app, &p.code).await;
    let mut still = 0;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let now = proposals_of(&app, &p.code).await;
        still = if now == stored { still + 1 } else { 0 };
        stored = now;
        if still == 8 {
            break;
        }
    }
    assert_eq!(still, 8, "the stored count kept moving");
    assert!(stored <= 1_500, "{stored}");
    let results = app.bulk_results(&p.token, &p.channel_id, full).await;
    assert_eq!(results.len(), 3_000);
    let created = results.iter().filter(|r| r["status"] == "created").count();
    let unchanged = results
        .iter()
        .filter(|r| r["status"] == "unchanged")
        .count();
    assert_eq!(created + unchanged, 3_000);
    assert_eq!(unchanged, stored);
    assert_eq!(proposals_of(&app, &p.code).await, 3_000);
}
