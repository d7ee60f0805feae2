//! Registrations: seats, then the waitlist in arrival order; a cancellation seats the first in line; the
//! counts stay exact under concurrency; the window; attendance.

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use ocf_tests::forum::offline_forum;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn scheduled(app: &TestApp, capacity: Option<i64>) -> (String, String) {
    app.seed().await;
    let (official, _) = app.official().await;
    let id = app
        .plan_forum(&official.access_token, &offline_forum(capacity))
        .await;
    app.walk_forum(&official.access_token, &id, &["scheduled"])
        .await;
    (official.access_token, id)
}

#[tokio::test]
async fn seats_then_the_waitlist_and_a_cancellation_seats_the_first_in_line() {
    let app = TestApp::spawn().await;
    let (staff, id) = scheduled(&app, Some(1)).await;
    let (a, b, c) = (
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    );
    let ra = expect_json(app.register_for(Some(&a.access_token), &id).await, 201).await;
    assert_eq!(
        (ra["status"].as_str(), ra["waitlist_position"].as_i64()),
        (Some("registered"), None)
    );
    let rb = expect_json(app.register_for(Some(&b.access_token), &id).await, 201).await;
    assert_eq!(
        (rb["status"].as_str(), rb["waitlist_position"].as_i64()),
        (Some("waitlisted"), Some(1))
    );
    let rc = expect_json(app.register_for(Some(&c.access_token), &id).await, 201).await;
    assert_eq!(rc["waitlist_position"], 2);
    expect_problem(
        app.register_for(Some(&b.access_token), &id).await,
        409,
        "already_registered",
    )
    .await;
    let f = expect_json(app.forum(&id, None).await, 200).await;
    assert_eq!(
        f["seats"],
        json!({"capacity": 1, "registered": 1, "waitlisted": 2, "attended": 0, "seats_left": 0})
    );
    assert_eq!(
        app.cancel_registration(&a.access_token, &id).await.status(),
        204
    );
    let mine = expect_json(app.registrations(&b.access_token, &id, "").await, 200).await;
    assert_eq!(
        mine["items"].as_array().unwrap().len(),
        1,
        "a citizen sees their own"
    );
    assert_eq!(mine["items"][0]["status"], "registered", "promoted");
    let theirs = expect_json(app.registrations(&c.access_token, &id, "").await, 200).await;
    assert_eq!(theirs["items"][0]["waitlist_position"], 1);
    let all = expect_json(app.registrations(&staff, &id, "").await, 200).await;
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        3,
        "staff see all, the cancelled one too"
    );
    let waiting = expect_json(
        app.registrations(&staff, &id, "status=waitlisted").await,
        200,
    )
    .await;
    assert_eq!(waiting["items"].as_array().unwrap().len(), 1);
    expect_problem(
        app.cancel_registration(&a.access_token, &id).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.register_for(Some(&a.access_token), &id).await.status(),
        201,
        "a cancelled person may come back"
    );
    let f = expect_json(app.forum(&id, None).await, 200).await;
    assert_eq!(f["seats"]["registered"], 1);
    assert_eq!(f["seats"]["waitlisted"], 2);
}

#[tokio::test]
async fn fifty_people_at_once_for_ten_seats_never_oversell() {
    let app = TestApp::spawn().await;
    let (staff, id) = scheduled(&app, Some(10)).await;
    let mut people = Vec::new();
    for _ in 0..50 {
        people.push(app.citizen().await);
    }
    let attempts = people
        .iter()
        .map(|p| app.register_for(Some(&p.access_token), &id));
    let answers: Vec<Value> = join_all(
        join_all(attempts)
            .await
            .into_iter()
            .map(|r| expect_json(r, 201)),
    )
    .await;
    let registered = answers
        .iter()
        .filter(|r| r["status"] == "registered")
        .count();
    let mut positions: Vec<i64> = answers
        .iter()
        .filter_map(|r| r["waitlist_position"].as_i64())
        .collect();
    positions.sort_unstable();
    assert_eq!(registered, 10);
    assert_eq!(
        positions,
        (1..=40).collect::<Vec<_>>(),
        "each place in line once"
    );
    let f = expect_json(app.forum(&id, None).await, 200).await;
    assert_eq!(
        f["seats"],
        json!({"capacity": 10, "registered": 10, "waitlisted": 40, "attended": 0, "seats_left": 0})
    );
    // Arrival order is the order the registrations were stored: the first ten hold the seats.
    let mut listed = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = expect_json(
            app.registrations(&staff, &id, &format!("limit=100{cursor}"))
                .await,
            200,
        )
        .await;
        listed.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    let statuses: Vec<&str> = listed
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(&statuses[..10], ["registered"; 10]);
    assert_eq!(&statuses[10..], ["waitlisted"; 40]);
    let order: Vec<i64> = listed[10..]
        .iter()
        .map(|r| r["waitlist_position"].as_i64().unwrap())
        .collect();
    assert_eq!(order, (1..=40).collect::<Vec<_>>());
}

#[tokio::test]
async fn registration_follows_the_window_and_the_status() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let (official, _) = app.official().await;
    let token = &official.access_token;
    let citizen = app.citizen().await;
    let mut later = offline_forum(None);
    later["registration_opens_at"] = json!((Utc::now() + Duration::days(1)).to_rfc3339());
    let id = app.plan_forum(token, &later).await;
    expect_problem(
        app.register_for(Some(&citizen.access_token), &id).await,
        404,
        "not_found",
    )
    .await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    expect_problem(
        app.register_for(Some(&citizen.access_token), &id).await,
        409,
        "registration_not_open",
    )
    .await;
    let mut closed = offline_forum(None);
    closed["registration_closes_at"] = json!((Utc::now() - Duration::hours(1)).to_rfc3339());
    let id = app.plan_forum(token, &closed).await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    expect_problem(
        app.register_for(Some(&citizen.access_token), &id).await,
        409,
        "registration_closed",
    )
    .await;
    let id = app.plan_forum(token, &offline_forum(None)).await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    expect_json(
        app.register_for(Some(&citizen.access_token), &id).await,
        201,
    )
    .await;
    expect_problem(app.register_for(None, &id).await, 401, "unauthenticated").await;
    app.walk_forum(token, &id, &["live"]).await;
    let late = app.citizen().await;
    expect_problem(
        app.register_for(Some(&late.access_token), &id).await,
        409,
        "registration_closed",
    )
    .await;
    expect_problem(
        app.cancel_registration(&citizen.access_token, &id).await,
        409,
        "registration_closed",
    )
    .await;
    expect_problem(
        app.register_for(
            Some(&late.access_token),
            "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_mark_attendance_once_the_forum_is_held() {
    let app = TestApp::spawn().await;
    let (staff, id) = scheduled(&app, Some(5)).await;
    let citizen = app.citizen().await;
    let r = expect_json(
        app.register_for(Some(&citizen.access_token), &id).await,
        201,
    )
    .await;
    let body = json!({"registration_ids": [r["id"]], "attended": true});
    expect_problem(
        app.mark_attendance(&staff, &id, &body).await,
        409,
        "forum_not_held",
    )
    .await;
    app.walk_forum(&staff, &id, &["live"]).await;
    expect_problem(
        app.mark_attendance(&citizen.access_token, &id, &body).await,
        403,
        "not_forum_manager",
    )
    .await;
    let f = expect_json(app.mark_attendance(&staff, &id, &body).await, 200).await;
    assert_eq!(f["seats"]["attended"], 1);
    let f = expect_json(app.mark_attendance(&staff, &id, &body).await, 200).await;
    assert_eq!(f["seats"]["attended"], 1, "idempotent");
    let fields = invalid_fields(
        app.mark_attendance(&staff, &id, &json!({"registration_ids": ["nope", "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"], "attended": true})).await,
    )
    .await;
    assert_eq!(fields, ["registration_ids[0]"]);
    assert_eq!(
        invalid_fields(app.mark_attendance(&staff, &id, &json!({"registration_ids": ["0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"], "attended": true})).await).await,
        ["registration_ids[0]"]
    );
    invalid_fields(
        app.mark_attendance(
            &staff,
            &id,
            &json!({"registration_ids": [], "attended": true}),
        )
        .await,
    )
    .await;
    app.walk_forum(&staff, &id, &["ended"]).await;
    let outcome = json!({"summary": "섬 주민 이동권 보장을 위한 여객선 공영제 확대가 가장 많이 제안되었습니다."});
    let o = expect_json(app.put_outcome(&staff, &id, &outcome).await, 201).await;
    assert_eq!(o["attendee_count"], 1, "the attendance marked");
}
