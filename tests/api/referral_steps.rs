//! A referral's later steps over HTTP: the one extension per organization, transfers that keep the chain
//! and restart the clock, and every bad field of the answer, the follow-up and the completion.

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
async fn one_extension_per_organization_and_a_transfer_keeps_the_chain_and_restarts_the_clock() {
    let app = app().await;
    let m = app.moderator().await;
    let (first, org_a) = app.official().await;
    let (second, org_b) = app.official().await;
    let (proposal, _) = app
        .selected_proposal(&m.access_token, "어린이 보호구역 확대")
        .await;
    let r = app.refer_proposal(&m.access_token, &proposal, &org_a).await;
    let rid = id(&r);
    let due: DateTime<Utc> = r["due_at"].as_str().unwrap().parse().unwrap();
    let due_on = due.date_naive();
    let plus = |d: i64| {
        (due_on + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let t = &first.access_token;
    let too_far = json!({"reason": "협의 중", "due_on": plus(31)});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "extend", &too_far).await).await,
        ["due_on"]
    );
    let not_later = json!({"reason": "협의 중", "due_on": plus(0)});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "extend", &not_later).await).await,
        ["due_on"]
    );
    let ok = json!({"reason": "관계 부처 협의", "due_on": plus(30)});
    let extended = expect_json(app.referral_step(Some(t), &rid, "extend", &ok).await, 200).await;
    assert_eq!(extended["extended"], true);
    assert_eq!(extended["due_on"], plus(30));
    assert_eq!(extended["extension_reason"], "관계 부처 협의");
    expect_problem(
        app.referral_step(Some(t), &rid, "extend", &ok).await,
        409,
        "referral_already_extended",
    )
    .await;

    let same = json!({"organization_id": org_a, "reason": "소관"});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "transfer", &same).await).await,
        ["organization_id"]
    );
    let nowhere =
        json!({"organization_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", "reason": "소관"});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "transfer", &nowhere).await).await,
        ["organization_id"]
    );
    expect_json(app.acknowledge(t, &rid).await, 200).await;
    let to_b = json!({"organization_id": org_b, "reason": "소관 부처가 아닙니다."});
    let moved = expect_json(
        app.referral_step(Some(t), &rid, "transfer", &to_b).await,
        200,
    )
    .await;
    assert_eq!(moved["status"], "sent");
    assert_eq!(moved["organization_id"], org_b);
    assert_eq!(moved["extended"], false);
    assert_eq!(moved["acknowledgement"], Value::Null);
    let hops = moved["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(hops[0]["organization_id"], org_a);
    assert_eq!(hops[1]["organization_id"], org_b);
    assert_eq!(hops[1]["reason"], "소관 부처가 아닙니다.");
    let restarted: DateTime<Utc> = moved["due_at"].as_str().unwrap().parse().unwrap();
    assert!((29..=30).contains(&(restarted - Utc::now()).num_days()));
    assert_eq!(moved["number"], r["number"]);
    // The first organization has no say any more; the second has its own extension.
    expect_problem(
        app.acknowledge(t, &rid).await,
        403,
        "not_receiving_organization",
    )
    .await;
    let u = &second.access_token;
    let plus_b = (restarted.date_naive() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    expect_json(
        app.referral_step(
            Some(u),
            &rid,
            "extend",
            &json!({"reason": "검토", "due_on": plus_b}),
        )
        .await,
        200,
    )
    .await;
    expect_json(app.acknowledge(u, &rid).await, 200).await;
    expect_json(app.answer(u, &rid, "partially_accepted").await, 200).await;
    let back = json!({"organization_id": org_a, "reason": "다시"});
    expect_problem(
        app.referral_step(Some(u), &rid, "transfer", &back).await,
        409,
        "referral_already_answered",
    )
    .await;
    let kinds = app.timeline_kinds(&proposal).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "referral_extended").count(),
        2
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "referral_transferred")
            .count(),
        1
    );
}

#[tokio::test]
async fn answers_and_follow_ups_check_every_field() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let t = &official.access_token;
    let (proposal, _) = app
        .selected_proposal(&m.access_token, "도서관 연장 운영 제안")
        .await;
    let rid = id(&app.refer_proposal(&m.access_token, &proposal, &org).await);
    assert_eq!(
        invalid_fields(
            app.referral_step(Some(t), &rid, "acknowledge", &json!({"division": ""}))
                .await
        )
        .await,
        ["division"]
    );
    expect_json(app.acknowledge(t, &rid).await, 200).await;
    let bad = json!({"decision": "maybe", "reasoning": "", "policy_task": "a\nb", "expected_completion_on": "2020-01-01"});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "answer", &bad).await).await,
        [
            "decision",
            "reasoning",
            "policy_task",
            "expected_completion_on"
        ]
    );
    let missing = json!({"decision": "accepted", "reasoning": "좋습니다"});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "answer", &missing).await).await,
        ["planned_measures", "expected_completion_on"]
    );
    let tomorrow = (Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let f = json!({
        "held_on": tomorrow,
        "participants": [],
        "minutes": "",
        "commitments": [{"description": "예산", "due_on": "someday", "status": "later"}],
    });
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "follow-ups", &f).await).await,
        [
            "held_on",
            "participants",
            "minutes",
            "commitments[0].due_on",
            "commitments[0].status"
        ]
    );
    let many: Vec<Value> = (0..21)
        .map(|i| json!({"description": format!("약속 {i}"), "due_on": "2027-01-01"}))
        .collect();
    let f = json!({"held_on": "2026-01-01", "participants": [{"role": "과장", "organization": "부처"}], "minutes": "회의", "commitments": many});
    assert_eq!(
        invalid_fields(app.referral_step(Some(t), &rid, "follow-ups", &f).await).await,
        ["commitments"]
    );
    let path = format!("/api/v1/referrals/{rid}/commitments/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11");
    expect_problem(
        app.patch(&path, &json!({"status": "done"}), Some(t)).await,
        404,
        "not_found",
    )
    .await;
    let complete = json!({"evidence_url": "http://example.kr", "summary": ""});
    expect_json(app.answer(t, &rid, "accepted").await, 200).await;
    assert_eq!(
        invalid_fields(
            app.referral_step(Some(t), &rid, "complete", &complete)
                .await
        )
        .await,
        ["evidence_url", "summary"]
    );
}
