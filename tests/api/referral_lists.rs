//! The ledger's lists and numbers over HTTP: consecutive document numbers under concurrent referrals and
//! one send out of racing ones, the filters (overdue moved across now in the database), and a forum's
//! outcome referred and shown on its timeline.

use std::collections::BTreeSet;

use chrono::Utc;
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
async fn a_hidden_proposal_is_not_referred_and_its_referral_is_for_staff_and_the_organization() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let citizen = app.citizen().await;
    let (p, _) = app
        .selected_proposal(&m.access_token, "숨겨질 제안입니다")
        .await;
    let rid = id(&app.refer_proposal(&m.access_token, &p, &org).await);
    expect_json(
        app.hide(&m.access_token, &p, "개인정보가 담겨 있습니다")
            .await,
        200,
    )
    .await;
    let public = expect_json(app.referrals("", None).await, 200).await;
    assert!(public["items"].as_array().unwrap().is_empty());
    let staff = expect_json(app.referrals("", Some(&m.access_token)).await, 200).await;
    assert_eq!(staff["items"][0]["id"], rid);
    expect_problem(app.referral(&rid, None).await, 404, "not_found").await;
    expect_problem(
        app.referral(&rid, Some(&citizen.access_token)).await,
        404,
        "not_found",
    )
    .await;
    expect_json(app.referral(&rid, Some(&m.access_token)).await, 200).await;
    expect_json(app.referral(&rid, Some(&official.access_token)).await, 200).await;
    // And a hidden one cannot be sent.
    let (q, _) = app
        .selected_proposal(&m.access_token, "또 숨겨질 제안입니다")
        .await;
    expect_json(
        app.hide(&m.access_token, &q, "중복 게시물입니다").await,
        200,
    )
    .await;
    let body = json!({"subject_kind": "proposal", "subject_id": q, "organization_id": org, "cover_note": "송부"});
    let problem = expect_problem(
        app.refer(Some(&m.access_token), &body).await,
        409,
        "subject_not_referable",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("hidden"));
}
