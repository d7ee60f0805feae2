//! The referral ledger over HTTP: the whole chain from a selected proposal to its implementation and the
//! timeline that shows every step, who may take each step, out-of-order steps, and what can be referred
//! (the later steps are in `referral_steps.rs`, lists and numbering in `referral_lists.rs`).

use chrono::{DateTime, Utc};
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn a_proposal_goes_from_selected_to_implemented_and_its_timeline_shows_every_step() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let (proposal, author) = app
        .selected_proposal(&m.access_token, "버스 노선을 늘려 주세요")
        .await;
    let r = app.refer_proposal(&m.access_token, &proposal, &org).await;
    let rid = id(&r);
    let number = r["number"].as_str().unwrap();
    let year = r["sent_at"].as_str().unwrap()[..4].to_owned();
    assert!(number.starts_with("OCF-"), "{number}");
    assert_eq!(number.len(), "OCF-2026-000001".len());
    assert_eq!(r["status"], "sent");
    assert_eq!(r["organization_id"], org);
    assert_eq!(r["hops"].as_array().unwrap().len(), 1);
    // 30 days on, at the end of that day in Asia/Seoul.
    let due: DateTime<Utc> = r["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(due.format("%H:%M:%S%.6f").to_string(), "14:59:59.999999");
    let days = (due - Utc::now()).num_days();
    assert!((29..=30).contains(&days), "{days}");
    assert_eq!(r["due_on"], due.format("%Y-%m-%d").to_string());
    assert!(year.len() == 4);
    let p = expect_json(app.proposal(&proposal, None).await, 200).await;
    assert_eq!(p["status"], "referred");

    let acked = expect_json(app.acknowledge(&official.access_token, &rid).await, 200).await;
    assert_eq!(acked["status"], "acknowledged");
    assert_eq!(acked["acknowledgement"]["division"], "교통정책과");
    assert_eq!(
        acked["acknowledgement"]["contact"],
        "홍길동 사무관 044-000-0000"
    );
    // The internal contact is for staff and the organization only.
    let public = expect_json(app.referral(&rid, None).await, 200).await;
    assert_eq!(public["acknowledgement"]["contact"], Value::Null);
    let citizen = expect_json(app.referral(&rid, Some(&author.access_token)).await, 200).await;
    assert_eq!(citizen["acknowledgement"]["contact"], Value::Null);
    let staff = expect_json(app.referral(&rid, Some(&m.access_token)).await, 200).await;
    assert!(staff["acknowledgement"]["contact"].is_string());

    let answered = expect_json(
        app.answer(&official.access_token, &rid, "accepted").await,
        200,
    )
    .await;
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["answer"]["decision"], "accepted");
    assert_eq!(answered["answer"]["policy_task"], "국정과제 12");
    let p = expect_json(app.proposal(&proposal, None).await, 200).await;
    assert_eq!(p["status"], "answered");

    let today = Utc::now().format("%Y-%m-%d").to_string();
    let f = json!({
        "held_on": today,
        "participants": [{"role": "과장", "organization": "국토교통부"}, {"role": "제안자", "organization": "시민"}],
        "minutes": "추진 일정을 논의했습니다.",
        "commitments": [{"description": "시범 노선 운행", "due_on": "2027-03-31"}],
    });
    let followed = expect_json(
        app.referral_step(Some(&official.access_token), &rid, "follow-ups", &f)
            .await,
        201,
    )
    .await;
    assert_eq!(followed["follow_ups"].as_array().unwrap().len(), 1);
    let commitment = &followed["commitments"][0];
    assert_eq!(commitment["status"], "planned");
    assert_eq!(commitment["overdue"], false);
    let path = format!("/api/v1/referrals/{rid}/commitments/{}", id(commitment));
    let done = expect_json(
        app.patch(
            &path,
            &json!({"status": "done"}),
            Some(&official.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(done["commitments"][0]["status"], "done");
    expect_problem(
        app.patch(&path, &json!({"status": "done"}), Some(&m.access_token))
            .await,
        403,
        "not_receiving_organization",
    )
    .await;

    let complete =
        json!({"evidence_url": "https://www.korea.kr/news/1", "summary": "노선을 개편했습니다."});
    let implemented = expect_json(
        app.referral_step(Some(&official.access_token), &rid, "complete", &complete)
            .await,
        200,
    )
    .await;
    assert_eq!(implemented["status"], "implemented");
    assert_eq!(
        implemented["completion"]["evidence_url"],
        "https://www.korea.kr/news/1"
    );
    let p = expect_json(app.proposal(&proposal, None).await, 200).await;
    assert_eq!(p["status"], "implemented");
    expect_problem(
        app.referral_step(Some(&official.access_token), &rid, "complete", &complete)
            .await,
        409,
        "referral_closed",
    )
    .await;

    let kinds = app.timeline_kinds(&proposal).await;
    for k in [
        "referral_sent",
        "referral_acknowledged",
        "referral_answered",
        "referral_followed_up",
        "referral_commitment_updated",
        "referral_completed",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} missing from {kinds:?}");
    }
    let timeline = expect_json(app.timeline(&proposal, None).await, 200).await;
    let answer = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "referral_answered")
        .unwrap();
    assert_eq!(answer["referral_id"], rid);
    assert_eq!(answer["organization_id"], org);
    assert_eq!(answer["decision"], "accepted");
    assert_eq!(answer["actor_role"], "official");
    let statuses: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status_changed")
        .filter_map(|e| e["to_status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "under_review",
            "selected",
            "referred",
            "answered",
            "implemented"
        ]
    );
}

#[tokio::test]
async fn only_staff_refer_and_only_the_receiving_organization_takes_the_steps() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let (other, _) = app.official().await;
    let (proposal, author) = app
        .selected_proposal(&m.access_token, "보행로를 정비해 주세요")
        .await;
    let body = json!({"subject_kind": "proposal", "subject_id": proposal, "organization_id": org, "cover_note": "송부"});
    expect_problem(app.refer(None, &body).await, 401, "unauthenticated").await;
    expect_problem(
        app.refer(Some(&author.access_token), &body).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.refer(Some(&official.access_token), &body).await,
        403,
        "forbidden",
    )
    .await;
    let rid = id(&app.refer_proposal(&m.access_token, &proposal, &org).await);
    for token in [&other.access_token, &m.access_token, &author.access_token] {
        expect_problem(
            app.acknowledge(token, &rid).await,
            403,
            "not_receiving_organization",
        )
        .await;
    }
    // The check comes before the body: a wrong organization learns 403, not the shape of the body.
    expect_problem(
        app.referral_step(Some(&other.access_token), &rid, "answer", &json!({}))
            .await,
        403,
        "not_receiving_organization",
    )
    .await;
    expect_problem(
        app.referral_step(None, &rid, "acknowledge", &json!({"division": "과"}))
            .await,
        401,
        "unauthenticated",
    )
    .await;
    let missing = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(
        app.acknowledge(&official.access_token, missing).await,
        404,
        "not_found",
    )
    .await;
    expect_problem(app.referral(missing, None).await, 404, "not_found").await;
    expect_problem(app.referral("not-an-id", None).await, 404, "not_found").await;
}

#[tokio::test]
async fn steps_out_of_order_are_refused_with_their_own_codes() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let t = &official.access_token;
    let (proposal, _) = app
        .selected_proposal(&m.access_token, "공공 와이파이 확대")
        .await;
    let rid = id(&app.refer_proposal(&m.access_token, &proposal, &org).await);
    expect_problem(
        app.answer(t, &rid, "accepted").await,
        409,
        "referral_not_acknowledged",
    )
    .await;
    let f = json!({"held_on": "2026-01-01", "participants": [{"role": "과장", "organization": "부처"}], "minutes": "회의"});
    expect_problem(
        app.referral_step(Some(t), &rid, "follow-ups", &f).await,
        409,
        "referral_not_acknowledged",
    )
    .await;
    let complete = json!({"evidence_url": "https://www.korea.kr/news/1", "summary": "완료"});
    expect_problem(
        app.referral_step(Some(t), &rid, "complete", &complete)
            .await,
        409,
        "referral_not_answered",
    )
    .await;
    expect_json(app.acknowledge(t, &rid).await, 200).await;
    expect_problem(
        app.acknowledge(t, &rid).await,
        409,
        "referral_already_acknowledged",
    )
    .await;
    let no = json!({"decision": "not_accepted", "reasoning": "이미 시행 중인 정책입니다."});
    let closed = expect_json(app.referral_step(Some(t), &rid, "answer", &no).await, 200).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["answer"]["planned_measures"], Value::Null);
    let p = expect_json(app.proposal(&proposal, None).await, 200).await;
    assert_eq!(p["status"], "answered");
    expect_problem(
        app.answer(t, &rid, "accepted").await,
        409,
        "referral_closed",
    )
    .await;
    expect_problem(
        app.referral_step(Some(t), &rid, "complete", &complete)
            .await,
        409,
        "referral_not_accepted",
    )
    .await;
    let extend = json!({"reason": "협의 중", "due_on": "2027-01-01"});
    expect_problem(
        app.referral_step(Some(t), &rid, "extend", &extend).await,
        409,
        "referral_closed",
    )
    .await;
    // A closed referral frees nothing: the proposal is answered, no longer selected.
    let again = json!({"subject_kind": "proposal", "subject_id": proposal, "organization_id": org, "cover_note": "재송부"});
    expect_problem(
        app.refer(Some(&m.access_token), &again).await,
        409,
        "subject_not_referable",
    )
    .await;
}

#[tokio::test]
async fn what_can_be_referred_and_every_bad_field() {
    let app = app().await;
    let m = app.moderator().await;
    let (_, org) = app.official().await;
    let author = app.citizen().await;
    let submitted = app
        .propose(
            &author.access_token,
            "가로등 설치",
            "골목길에 가로등을 설치해 주세요. 밤길이 위험합니다.",
        )
        .await;
    let body = |subject: &str| json!({"subject_kind": "proposal", "subject_id": subject, "organization_id": org, "cover_note": "송부"});
    let p = expect_problem(
        app.refer(Some(&m.access_token), &body(&submitted)).await,
        409,
        "subject_not_referable",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("submitted"));
    expect_problem(
        app.refer(
            Some(&m.access_token),
            &body("0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let (proposal, _) = app
        .selected_proposal(&m.access_token, "자전거 도로 확충")
        .await;
    let unknown_org = json!({"subject_kind": "proposal", "subject_id": proposal, "organization_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", "cover_note": "송부"});
    assert_eq!(
        invalid_fields(app.refer(Some(&m.access_token), &unknown_org).await).await,
        ["organization_id"]
    );
    // Nothing was kept by the refused referral: the proposal is still selected.
    let p = expect_json(app.proposal(&proposal, None).await, 200).await;
    assert_eq!(p["status"], "selected");
    let bad = json!({"subject_kind": "idea", "subject_id": "x", "organization_id": "y", "cover_note": " ", "due_on": "2026-02-30"});
    assert_eq!(
        invalid_fields(app.refer(Some(&m.access_token), &bad).await).await,
        [
            "subject_kind",
            "subject_id",
            "organization_id",
            "cover_note",
            "due_on"
        ]
    );
    let today = Utc::now().format("%Y-%m-%d").to_string();
    for due in [today.as_str(), "2099-01-01"] {
        let mut b = body(&proposal);
        b["due_on"] = json!(due);
        assert_eq!(
            invalid_fields(app.refer(Some(&m.access_token), &b).await).await,
            ["due_on"]
        );
    }
    let mut long = body(&proposal);
    long["cover_note"] = json!("가".repeat(5001));
    assert_eq!(
        invalid_fields(app.refer(Some(&m.access_token), &long).await).await,
        ["cover_note"]
    );
    let mut unknown = body(&proposal);
    unknown["priority"] = json!("high");
    expect_problem(
        app.refer(Some(&m.access_token), &unknown).await,
        422,
        "validation_failed",
    )
    .await;
    // Referred once; the second is refused, naming the open referral.
    let r = app.refer_proposal(&m.access_token, &proposal, &org).await;
    let p = expect_problem(
        app.refer(Some(&m.access_token), &body(&proposal)).await,
        409,
        "subject_already_referred",
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(r["number"].as_str().unwrap())
    );
}
