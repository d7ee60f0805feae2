//! Partner intake: `PUT /channels/{id}/proposals/{external_id}` creates or updates the one proposal a
//! partner record maps to, with its provenance; `GET` reads its status back, following merges.

use ocf_tests::partner::record;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn the_first_put_creates_and_later_ones_update_or_change_nothing() {
    let app = app().await;
    let p = app.partner().await;
    let body = record("밤늦게까지 여는 동네 도서관", 412);
    let r = app
        .put_record(&p.token, &p.channel_id, "IB-2026-1", &body)
        .await;
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/api/v1/channels/{}/proposals/IB-2026-1", p.channel_id)
    );
    let created = expect_json(r, 201).await;
    assert_eq!(created["outcome"], "created");
    assert_eq!(created["record"]["external_id"], "IB-2026-1");
    assert_eq!(created["record"]["origin"], true);
    assert_eq!(created["record"]["partner_support_count"], 412);
    assert_eq!(
        created["record"]["partner_created_at"],
        "2026-11-30T12:00:00Z"
    );
    assert_eq!(created["proposal"]["status"], "submitted");
    let proposal_id = created["proposal"]["id"].as_str().unwrap().to_owned();

    let again = expect_json(
        app.put_record(&p.token, &p.channel_id, "IB-2026-1", &body)
            .await,
        200,
    )
    .await;
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(again["proposal"]["id"], proposal_id.as_str());

    let mut more = body.clone();
    more["partner_support_count"] = json!(500);
    more["partner_updated_at"] = json!("2026-12-01T08:00:00Z");
    let updated = expect_json(
        app.put_record(&p.token, &p.channel_id, "IB-2026-1", &more)
            .await,
        200,
    )
    .await;
    assert_eq!(updated["outcome"], "updated");
    assert_eq!(updated["record"]["partner_support_count"], 500);

    // The proposal shows where it lives, with the partner's count apart from OCF's own supports.
    let view = expect_json(app.proposal(&proposal_id, None).await, 200).await;
    assert_eq!(view["channel"], format!("partner:{}", p.code));
    assert_eq!(view["support_count"], 0);
    assert_eq!(view["title"], "밤늦게까지 여는 동네 도서관");
    let channels = view["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0]["channel"], format!("partner:{}", p.code));
    assert_eq!(
        channels[0]["external_url"],
        "https://idea.example.go.kr/ideas/1"
    );
    assert_eq!(channels[0]["partner_support_count"], 500);
    assert_eq!(channels[0]["partner_updated_at"], "2026-12-01T08:00:00Z");

    // A changed title edits the proposal, on its timeline.
    let mut retitled = more.clone();
    retitled["title"] = json!("밤 11시까지 여는 동네 도서관");
    expect_json(
        app.put_record(&p.token, &p.channel_id, "IB-2026-1", &retitled)
            .await,
        200,
    )
    .await;
    let view = expect_json(app.proposal(&proposal_id, None).await, 200).await;
    assert_eq!(view["title"], "밤 11시까지 여는 동네 도서관");
    let timeline = expect_json(
        app.get(&format!("/api/v1/proposals/{proposal_id}/timeline"), None)
            .await,
        200,
    )
    .await;
    let kinds: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"submitted") && kinds.contains(&"edited"),
        "{kinds:?}"
    );
    let read = expect_json(
        app.get_record(&p.token, &p.channel_id, "IB-2026-1").await,
        200,
    )
    .await;
    assert!(read["outcome"].is_null());
    assert_eq!(read["proposal"]["id"], proposal_id.as_str());
    // Nobody else's proposals came of it.
    let list = expect_json(
        app.get(
            &format!("/api/v1/proposals?channel=partner:{}", p.code),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn content_changes_after_review_began_are_refused_and_lose_nothing() {
    let app = app().await;
    let p = app.partner().await;
    let m = app.moderator().await;
    let body = record("심야 버스 노선을 늘려 주세요", 10);
    let created = expect_json(
        app.put_record(&p.token, &p.channel_id, "R-1", &body).await,
        201,
    )
    .await;
    let id = created["proposal"]["id"].as_str().unwrap().to_owned();
    expect_json(
        app.set_status(&m.access_token, &id, "under_review", None)
            .await,
        200,
    )
    .await;
    let mut changed = body.clone();
    changed["body"] = json!("내용을 바꾸어 다시 보냅니다. 심야 버스를 두 배로 늘려 주세요.");
    changed["partner_support_count"] = json!(99);
    expect_problem(
        app.put_record(&p.token, &p.channel_id, "R-1", &changed)
            .await,
        409,
        "proposal_not_editable",
    )
    .await;
    let read = expect_json(app.get_record(&p.token, &p.channel_id, "R-1").await, 200).await;
    assert_eq!(
        read["record"]["partner_support_count"], 10,
        "nothing of the refused write is kept"
    );
    // The same content with a new count is fine after review began.
    let mut counted = body.clone();
    counted["partner_support_count"] = json!(99);
    let ok = expect_json(
        app.put_record(&p.token, &p.channel_id, "R-1", &counted)
            .await,
        200,
    )
    .await;
    assert_eq!(ok["proposal"]["status"], "under_review");
    assert_eq!(ok["record"]["partner_support_count"], 99);
}

#[tokio::test]
async fn invalid_records_are_refused_with_every_field_named() {
    let app = app().await;
    let p = app.partner().await;
    let bad = json!({
        "title": "짧", "body": "짧다", "policy_area": "no-such-area", "region": "mars",
        "external_url": "ftp://x", "partner_support_count": -1, "tags": ["a#b"],
    });
    let mut fields =
        invalid_fields(app.put_record(&p.token, &p.channel_id, "B-1", &bad).await).await;
    fields.sort();
    fields.dedup();
    for f in [
        "title",
        "body",
        "external_url",
        "partner_support_count",
        "policy_area",
        "region",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    let unknown = {
        let mut b = record("알 수 없는 필드가 있는 기록", 1);
        b["author"] = json!("someone");
        b
    };
    expect_problem(
        app.put_record(&p.token, &p.channel_id, "B-2", &unknown)
            .await,
        422,
        "validation_failed",
    )
    .await;
    let mut late = record("날짜가 잘못된 기록입니다", 1);
    late["partner_created_at"] = json!("yesterday");
    expect_problem(
        app.put_record(&p.token, &p.channel_id, "B-3", &late).await,
        422,
        "validation_failed",
    )
    .await;
    let ok = record("외부 아이디가 잘못된 기록", 1);
    assert_eq!(
        invalid_fields(app.put_record(&p.token, &p.channel_id, "a%20b", &ok).await).await,
        ["external_id"]
    );
    let long = "x".repeat(129);
    assert_eq!(
        invalid_fields(app.put_record(&p.token, &p.channel_id, &long, &ok).await).await,
        ["external_id"]
    );
    let mut huge = record("아주 긴 본문을 보내는 기록", 1);
    huge["body"] = json!("가".repeat(300_000));
    expect_problem(
        app.put_record(&p.token, &p.channel_id, "B-4", &huge).await,
        413,
        "payload_too_large",
    )
    .await;
    // None of it was stored.
    for ext in ["B-1", "B-2", "B-3", "B-4"] {
        expect_problem(
            app.get_record(&p.token, &p.channel_id, ext).await,
            404,
            "not_found",
        )
        .await;
    }
    let list = expect_json(
        app.get(
            &format!("/api/v1/proposals?channel=partner:{}", p.code),
            None,
        )
        .await,
        200,
    )
    .await;
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_token_works_only_on_its_own_channel() {
    let app = app().await;
    let p = app.partner().await;
    let q = app.partner().await;
    expect_json(
        app.put_record(
            &q.token,
            &q.channel_id,
            "Q-1",
            &record("다른 채널의 기록입니다", 1),
        )
        .await,
        201,
    )
    .await;
    expect_problem(
        app.put_record(
            &p.token,
            &q.channel_id,
            "Q-1",
            &record("남의 채널에 쓰기", 1),
        )
        .await,
        403,
        "wrong_channel",
    )
    .await;
    expect_problem(
        app.get_record(&p.token, &q.channel_id, "Q-1").await,
        403,
        "wrong_channel",
    )
    .await;
    let missing = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(
        app.get_record(&p.token, missing, "Q-1").await,
        403,
        "wrong_channel",
    )
    .await;
    // The same external id on two channels is two records.
    let mine = expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "Q-1",
            &record("같은 외부 아이디, 다른 채널", 1),
        )
        .await,
        201,
    )
    .await;
    let theirs = expect_json(app.get_record(&q.token, &q.channel_id, "Q-1").await, 200).await;
    assert_ne!(mine["proposal"]["id"], theirs["proposal"]["id"]);
}

#[tokio::test]
async fn concurrent_puts_of_one_new_record_make_one_proposal() {
    let app = app().await;
    let p = app.partner().await;
    let body = record("동시에 여러 번 보낸 기록입니다", 7);
    let puts = (0..8).map(|_| app.put_record(&p.token, &p.channel_id, "C-1", &body));
    let statuses: Vec<u16> = futures_util::future::join_all(puts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        7,
        "{statuses:?}"
    );
    let list = expect_json(
        app.get(
            &format!("/api/v1/proposals?channel=partner:{}", p.code),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_partner_follows_its_record_through_a_merge_and_a_referral() {
    let app = app().await;
    let p = app.partner().await;
    let m = app.moderator().await;
    let created = expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "M-1",
            &record("버스 정류장에 그늘막을", 5),
        )
        .await,
        201,
    )
    .await;
    let dup = created["proposal"]["id"].as_str().unwrap().to_owned();
    let (survivor, _) = app
        .selected_proposal(&m.access_token, "정류장마다 그늘막을 설치해 주세요")
        .await;
    expect_json(
        app.set_status(&m.access_token, &dup, "under_review", None)
            .await,
        200,
    )
    .await;
    let merge = json!({"into": survivor, "reason": "같은 제안입니다"});
    expect_json(
        app.post(
            &format!("/api/v1/proposals/{dup}/merge"),
            &merge,
            Some(&m.access_token),
        )
        .await,
        200,
    )
    .await;
    let (_, org) = app.official().await;
    let referral = app.refer_proposal(&m.access_token, &survivor, &org).await;
    let read = expect_json(app.get_record(&p.token, &p.channel_id, "M-1").await, 200).await;
    assert_eq!(read["proposal"]["id"], dup.as_str());
    assert_eq!(read["proposal"]["status"], "merged");
    assert_eq!(read["current"]["id"], survivor.as_str());
    assert_eq!(read["current"]["status"], "referred");
    assert_eq!(read["referrals"][0]["id"], referral["id"]);
    assert_eq!(read["referrals"][0]["status"], "sent");
    assert!(read["referrals"][0]["decision"].is_null());
    expect_problem(
        app.get_record(&p.token, &p.channel_id, "nope").await,
        404,
        "not_found",
    )
    .await;
}
