//! `POST /proposals/{id}/links`: one idea across channels. Staff link any channel's record, a partner
//! its own; the proposal shows every channel it lives on, and the partner's status read follows it.

use ocf_tests::partner::record;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn staff_link_a_partner_record_and_the_proposal_shows_both_channels() {
    let app = app().await;
    let m = app.moderator().await;
    let author = app.citizen().await;
    let p = app.partner().await;
    let q = app.partner().await;
    let web = app
        .propose(
            &author.access_token,
            "골목길 가로등을 늘려 주세요",
            "밤길이 어두운 골목에 가로등을 더 달아 주시기 바랍니다.",
        )
        .await;
    // The same idea came in through channel q too.
    let theirs = expect_json(
        app.put_record(
            &q.token,
            &q.channel_id,
            "Q-9",
            &record("골목 가로등 설치 요청", 4),
        )
        .await,
        201,
    )
    .await;
    let path = format!("/api/v1/proposals/{web}/links");
    let body = json!({"channel_id": p.channel_id, "external_id": "EP-42", "external_url": "https://www.example.go.kr/ideas/42", "partner_support_count": 57});
    let r = app.post(&path, &body, Some(&m.access_token)).await;
    assert_eq!(
        r.headers()["location"],
        format!("/api/v1/channels/{}/proposals/EP-42", p.channel_id).as_str()
    );
    let linked = expect_json(r, 201).await;
    assert_eq!(linked["origin"], false);
    assert_eq!(linked["channel"], format!("partner:{}", p.code));
    let again = expect_json(app.post(&path, &body, Some(&m.access_token)).await, 200).await;
    assert_eq!(again["external_id"], "EP-42");
    let view = expect_json(app.proposal(&web, None).await, 200).await;
    assert_eq!(view["channel"], "web");
    let channels = view["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0]["partner_support_count"], 57);
    // The partner reads its record and finds this proposal.
    let read = expect_json(app.get_record(&p.token, &p.channel_id, "EP-42").await, 200).await;
    assert_eq!(read["proposal"]["id"], web.as_str());
    // Its content updates do not rewrite a proposal it did not bring in; its count does change.
    let mut changed = record("파트너가 바꾼 제목입니다", 60);
    changed["external_url"] = json!("https://www.example.go.kr/ideas/42");
    let put = expect_json(
        app.put_record(&p.token, &p.channel_id, "EP-42", &changed)
            .await,
        200,
    )
    .await;
    assert_eq!(put["outcome"], "updated");
    let view = expect_json(app.proposal(&web, None).await, 200).await;
    assert_eq!(view["title"], "골목길 가로등을 늘려 주세요");
    assert_eq!(view["channels"][0]["partner_support_count"], 60);
    // A record that maps to another proposal is not moved by a link: merge the proposals instead.
    let other = json!({"channel_id": q.channel_id, "external_id": "Q-9"});
    expect_problem(
        app.post(&path, &other, Some(&m.access_token)).await,
        409,
        "already_exists",
    )
    .await;
    let still = expect_json(app.get_record(&q.token, &q.channel_id, "Q-9").await, 200).await;
    assert_eq!(still["proposal"]["id"], theirs["proposal"]["id"]);
}

#[tokio::test]
async fn a_partner_links_its_own_records_only() {
    let app = app().await;
    let author = app.citizen().await;
    let p = app.partner().await;
    let q = app.partner().await;
    let web = app
        .propose(
            &author.access_token,
            "공원에 음수대를 설치해 주세요",
            "여름철 공원 이용객을 위해 음수대를 더 설치해 주시기 바랍니다.",
        )
        .await;
    let path = format!("/api/v1/proposals/{web}/links");
    let mine = expect_json(
        app.post(&path, &json!({"external_id": "P-1"}), Some(&p.token))
            .await,
        201,
    )
    .await;
    assert_eq!(mine["channel_id"], p.channel_id.as_str());
    expect_problem(
        app.post(
            &path,
            &json!({"channel_id": q.channel_id, "external_id": "P-2"}),
            Some(&p.token),
        )
        .await,
        403,
        "wrong_channel",
    )
    .await;
    let readonly = app.partner_with(Some(&["proposals:read"])).await;
    expect_problem(
        app.post(&path, &json!({"external_id": "P-3"}), Some(&readonly.token))
            .await,
        403,
        "insufficient_scope",
    )
    .await;
    expect_problem(
        app.post(
            &path,
            &json!({"external_id": "P-4"}),
            Some(&author.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post(&path, &json!({"external_id": "P-5"}), None).await,
        401,
        "unauthenticated",
    )
    .await;
    expect_problem(
        app.post(&path, &json!({"external_id": "P-6"}), Some("not.a.token"))
            .await,
        401,
        "invalid_token",
    )
    .await;
    // With a key, a retry replays the first answer.
    let keyed = |key: &'static str, ext: &str| {
        app.request(reqwest::Method::POST, &path, Some(&p.token))
            .header("idempotency-key", key)
            .json(&json!({"external_id": ext}))
            .send()
    };
    assert_eq!(keyed("link-1", "P-7").await.unwrap().status(), 201);
    let replay = keyed("link-1", "P-7").await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    expect_problem(
        keyed("link-1", "P-8").await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
}

#[tokio::test]
async fn bad_links_are_refused() {
    let app = app().await;
    let m = app.moderator().await;
    let author = app.citizen().await;
    let p = app.partner().await;
    let web = app
        .propose(
            &author.access_token,
            "버스 정류장 의자를 늘려 주세요",
            "버스를 기다리는 어르신을 위해 정류장 의자를 늘려 주시기 바랍니다.",
        )
        .await;
    let path = format!("/api/v1/proposals/{web}/links");
    let t = Some(m.access_token.as_str());
    assert_eq!(
        invalid_fields(app.post(&path, &json!({"external_id": "X"}), t).await).await,
        ["channel_id"]
    );
    let unknown = json!({"channel_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", "external_id": "X"});
    assert_eq!(
        invalid_fields(app.post(&path, &unknown, t).await).await,
        ["channel_id"]
    );
    let mut fields = invalid_fields(app.post(&path, &json!({"channel_id": p.channel_id, "external_id": "a b", "external_url": "http://x", "partner_support_count": -1}), t).await).await;
    fields.sort();
    assert_eq!(
        fields,
        ["external_id", "external_url", "partner_support_count"]
    );
    let missing = "/api/v1/proposals/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11/links";
    expect_problem(
        app.post(
            missing,
            &json!({"channel_id": p.channel_id, "external_id": "X"}),
            t,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // A merged proposal: link its survivor.
    let dup = app
        .propose(
            &author.access_token,
            "정류장 의자를 더 놓아 주세요",
            "정류장에서 오래 기다리는 분들을 위해 의자를 놓아 주시기 바랍니다.",
        )
        .await;
    expect_json(
        app.set_status(&m.access_token, &dup, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_json(
        app.post(
            &format!("/api/v1/proposals/{dup}/merge"),
            &json!({"into": web, "reason": "같은 제안"}),
            t,
        )
        .await,
        200,
    )
    .await;
    let merged = format!("/api/v1/proposals/{dup}/links");
    expect_problem(
        app.post(
            &merged,
            &json!({"channel_id": p.channel_id, "external_id": "X"}),
            t,
        )
        .await,
        409,
        "proposal_merged",
    )
    .await;
    expect_problem(
        app.get_record(&p.token, &p.channel_id, "X").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_intake_near_an_existing_proposal_is_flagged_for_staff() {
    let app = app().await;
    let m = app.moderator().await;
    let author = app.citizen().await;
    let p = app.partner().await;
    let title = "심야 버스 노선을 늘려 주세요";
    let body =
        "밤늦게 퇴근하는 시민을 위해 심야 버스 노선을 늘리고 배차 간격을 줄여 주시기 바랍니다.";
    let web = app.propose(&author.access_token, title, body).await;
    let mut near = record(title, 3);
    near["body"] = json!(body);
    let intake = expect_json(
        app.put_record(&p.token, &p.channel_id, "N-1", &near).await,
        201,
    )
    .await;
    let intake_id = intake["proposal"]["id"].as_str().unwrap().to_owned();
    expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "N-2",
            &record("전혀 다른 내용의 기록입니다", 1),
        )
        .await,
        201,
    )
    .await;
    let mut flags = json!([]);
    for _ in 0..100 {
        flags = expect_json(
            app.get("/api/v1/intake-flags", Some(&m.access_token)).await,
            200,
        )
        .await["items"]
            .clone();
        if !flags.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let flags = flags.as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["intake"]["id"], intake_id.as_str());
    assert_eq!(flags[0]["intake"]["channel"], format!("partner:{}", p.code));
    assert_eq!(flags[0]["candidate"]["id"], web.as_str());
    assert!(flags[0]["score"].as_f64().unwrap() >= 0.5);
    expect_problem(
        app.get("/api/v1/intake-flags", Some(&author.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get("/api/v1/intake-flags", Some(&p.token)).await,
        401,
        "invalid_token",
    )
    .await;
}
