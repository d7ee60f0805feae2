//! The referral ledger over HTTP: the whole chain from a selected proposal to its implementation, who may
//! take each step, out-of-order steps, the one extension, transfers, numbering under concurrency, the
//! overdue filter, forum outcomes, and the timeline that shows every step.

use std::collections::BTreeSet;

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
async fn concurrent_referrals_take_consecutive_numbers_and_one_subject_goes_once() {
    let app = app().await;
    let m = app.moderator().await;
    let (_, org) = app.official().await;
    let mut proposals = Vec::new();
    for i in 0..8 {
        proposals.push(
            app.selected_proposal(&m.access_token, &format!("동시에 보내는 제안 {i}"))
                .await
                .0,
        );
    }
    let sends = proposals.iter().map(|p| {
        let body = json!({"subject_kind": "proposal", "subject_id": p, "organization_id": org, "cover_note": "송부"});
        let app = &app;
        let token = m.access_token.clone();
        async move { app.refer(Some(&token), &body).await }
    });
    let mut serials = BTreeSet::new();
    for r in futures_util::future::join_all(sends).await {
        let v = expect_json(r, 201).await;
        let n: i64 = v["number"].as_str().unwrap()[9..].parse().unwrap();
        assert!(serials.insert(n), "{n} twice");
    }
    let first = *serials.first().unwrap();
    assert_eq!(
        serials,
        (first..first + 8).collect::<BTreeSet<_>>(),
        "gaps in {serials:?}"
    );

    // Five referrals of one proposal at once: exactly one is sent.
    let (proposal, _) = app
        .selected_proposal(&m.access_token, "한꺼번에 송부하는 제안")
        .await;
    let body = json!({"subject_kind": "proposal", "subject_id": proposal, "organization_id": org, "cover_note": "송부"});
    let tries = (0..5).map(|_| app.refer(Some(&m.access_token), &body));
    let statuses: Vec<u16> = futures_util::future::join_all(tries)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [201, 409].contains(s)),
        "{statuses:?}"
    );
    let list = expect_json(
        app.referrals(&format!("subject_id={proposal}"), None).await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // And the next number follows on, without a gap left by the refused ones.
    let (next, _) = app
        .selected_proposal(&m.access_token, "그다음에 보내는 제안")
        .await;
    let n = app.refer_proposal(&m.access_token, &next, &org).await;
    let n: i64 = n["number"].as_str().unwrap()[9..].parse().unwrap();
    assert_eq!(n, first + 9);
}

#[tokio::test]
async fn the_ledger_lists_by_organization_status_kind_year_and_overdue() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org_a) = app.official().await;
    let (_, org_b) = app.official().await;
    let (p1, _) = app
        .selected_proposal(&m.access_token, "첫째 송부 제안")
        .await;
    let (p2, _) = app
        .selected_proposal(&m.access_token, "둘째 송부 제안")
        .await;
    let (p3, _) = app
        .selected_proposal(&m.access_token, "셋째 송부 제안")
        .await;
    let r1 = id(&app.refer_proposal(&m.access_token, &p1, &org_a).await);
    let r2 = id(&app.refer_proposal(&m.access_token, &p2, &org_a).await);
    let r3 = id(&app.refer_proposal(&m.access_token, &p3, &org_b).await);
    expect_json(app.acknowledge(&official.access_token, &r2).await, 200).await;
    let ids =
        |v: &Value| -> Vec<String> { v["items"].as_array().unwrap().iter().map(id).collect() };
    let all = expect_json(app.referrals("", None).await, 200).await;
    assert_eq!(ids(&all), [r3.clone(), r2.clone(), r1.clone()]);
    let a = expect_json(
        app.referrals(&format!("organization_id={org_a}"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(ids(&a), [r2.clone(), r1.clone()]);
    let acked = expect_json(app.referrals("status=acknowledged", None).await, 200).await;
    assert_eq!(ids(&acked), [r2.as_str()]);
    let year = Utc::now().format("%Y").to_string();
    let this_year = expect_json(
        app.referrals(&format!("year={year}&subject_kind=proposal"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(ids(&this_year).len(), 3);
    let forums = expect_json(app.referrals("subject_kind=forum", None).await, 200).await;
    assert!(ids(&forums).is_empty());
    let page = expect_json(app.referrals("limit=2", None).await, 200).await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = expect_json(
        app.referrals(&format!("limit=2&cursor={cursor}"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(ids(&rest), [r1.as_str()]);

    // Overdue: past the end of the due day with no answer. Move r1's due date to a second ago and r3's
    // to a minute ahead, in the database (the server's clock is the real one).
    app.set_due_at(&r1, Utc::now() - chrono::Duration::seconds(1))
        .await;
    app.set_due_at(&r3, Utc::now() + chrono::Duration::minutes(1))
        .await;
    let overdue = expect_json(app.referrals("overdue=true", None).await, 200).await;
    assert_eq!(ids(&overdue), [r1.as_str()]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let on_time = expect_json(app.referrals("overdue=false", None).await, 200).await;
    assert_eq!(ids(&on_time), [r3.clone(), r2.clone()]);
    // An answer ends being overdue.
    let t = &official.access_token;
    expect_json(app.acknowledge(t, &r1).await, 200).await;
    expect_json(app.answer(t, &r1, "accepted").await, 200).await;
    let overdue = expect_json(app.referrals("overdue=true", None).await, 200).await;
    assert!(ids(&overdue).is_empty());

    assert_eq!(
        invalid_fields(
            app.referrals(
                "status=lost&overdue=maybe&subject_kind=idea&year=1999&organization_id=x",
                None
            )
            .await
        )
        .await,
        [
            "organization_id",
            "status",
            "overdue",
            "subject_kind",
            "year"
        ]
    );
    expect_problem(app.referrals("page=2", None).await, 400, "invalid_query").await;
    assert_eq!(
        invalid_fields(app.referrals("cursor=abc", None).await).await,
        ["cursor"]
    );
}

#[tokio::test]
async fn a_reported_forums_outcome_is_referred_and_shows_on_the_forums_timeline() {
    let app = app().await;
    let m = app.moderator().await;
    let (host, _) = app.official().await;
    let (official, org) = app.official().await;
    let forum = app
        .plan_forum(&host.access_token, &ocf_tests::forum::offline_forum(None))
        .await;
    let body = json!({"subject_kind": "forum", "subject_id": forum, "organization_id": org, "cover_note": "토론회 결과를 송부합니다."});
    expect_problem(
        app.refer(Some(&m.access_token), &body).await,
        409,
        "subject_not_referable",
    )
    .await;
    app.walk_forum(&host.access_token, &forum, &["scheduled", "live", "ended"])
        .await;
    let outcome = json!({"summary": "섬 주민의 교통 불편을 해결할 방안을 논의했습니다.", "recommendations": ["여객선 공영제 확대"]});
    expect_json(
        app.put_outcome(&host.access_token, &forum, &outcome).await,
        201,
    )
    .await;
    let r = expect_json(app.refer(Some(&m.access_token), &body).await, 201).await;
    assert_eq!(r["subject_kind"], "forum");
    expect_problem(
        app.refer(Some(&m.access_token), &body).await,
        409,
        "subject_already_referred",
    )
    .await;
    expect_json(app.acknowledge(&official.access_token, &id(&r)).await, 200).await;
    let f = expect_json(app.forum(&forum, None).await, 200).await;
    assert_eq!(f["status"], "reported");
    let kinds = app.forum_timeline(&forum).await;
    assert!(kinds.contains(&"referral_sent".to_owned()), "{kinds:?}");
    assert!(
        kinds.contains(&"referral_acknowledged".to_owned()),
        "{kinds:?}"
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
