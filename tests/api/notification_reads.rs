//! Following and reading notifications over HTTP: follows are idempotent and only for what one can see,
//! marking read checks its body, and two instances on one database write each notification once.

use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn following_is_idempotent_and_only_for_what_one_can_see() {
    let app = app().await;
    let citizen = app.citizen().await;
    let t = Some(citizen.access_token.as_str());
    let author = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "공원 벤치 늘리기",
            "공원에 그늘막과 벤치를 늘려 주세요. 어르신들이 쉴 곳이 부족합니다.",
        )
        .await;
    for on in [true, true, false, false] {
        assert_eq!(app.set_follow(t, "proposals", &p, on).await.status(), 204);
    }
    expect_problem(
        app.set_follow(None, "proposals", &p, true).await,
        401,
        "unauthenticated",
    )
    .await;
    let missing = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    for subject in ["proposals", "topics", "forums"] {
        expect_problem(
            app.set_follow(t, subject, missing, true).await,
            404,
            "not_found",
        )
        .await;
        expect_problem(
            app.set_follow(t, subject, "nope", false).await,
            404,
            "not_found",
        )
        .await;
    }
    // A forum's draft is hidden from citizens: they cannot follow it.
    let (host, _) = app.official().await;
    let forum = app
        .plan_forum(&host.access_token, &ocf_tests::forum::offline_forum(None))
        .await;
    expect_problem(
        app.set_follow(t, "forums", &forum, true).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.set_follow(Some(&host.access_token), "forums", &forum, true)
            .await
            .status(),
        204
    );
    let topic = app.suggest(&author.access_token, "동네 공원 개선").await;
    assert_eq!(
        app.set_follow(t, "topics", &topic, true).await.status(),
        204
    );
}

#[tokio::test]
async fn marking_read_checks_its_body() {
    let app = app().await;
    let u = app.citizen().await;
    let t = Some(u.access_token.as_str());
    let path = "/api/v1/me/notifications/read";
    for body in [
        json!({}),
        json!({"ids": ["1"], "all": true}),
        json!({"all": false}),
    ] {
        assert_eq!(
            invalid_fields(app.post(path, &body, t).await).await,
            ["body"]
        );
    }
    assert_eq!(
        invalid_fields(app.post(path, &json!({"ids": []}), t).await).await,
        ["ids"]
    );
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    assert_eq!(
        invalid_fields(app.post(path, &json!({"ids": many}), t).await).await,
        ["ids"]
    );
    assert_eq!(
        invalid_fields(app.post(path, &json!({"ids": ["x", "-1"]}), t).await).await,
        ["ids[0]", "ids[1]"]
    );
    expect_problem(
        app.post(path, &json!({"all": true}), None).await,
        401,
        "unauthenticated",
    )
    .await;
    expect_problem(
        app.notifications(&u.access_token, "limit=0").await,
        422,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.get("/api/v1/me/notifications", None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn two_instances_write_each_notification_once() {
    let app = app().await;
    let other = app.another_instance(|_| {}).await;
    let m = app.moderator().await;
    let author = app.citizen().await;
    let mut followers = Vec::new();
    for _ in 0..5 {
        followers.push(app.citizen().await);
    }
    let mut proposals = Vec::new();
    for i in 0..3 {
        let p = app
            .propose(
                &author.access_token,
                &format!("두 서버 제안 {i}"),
                "두 서버가 같은 데이터베이스를 나눠 씁니다. 알림은 한 번씩만 가야 합니다.",
            )
            .await;
        for f in &followers {
            assert_eq!(
                app.set_follow(Some(&f.access_token), "proposals", &p, true)
                    .await
                    .status(),
                204
            );
        }
        proposals.push(p);
    }
    for (i, p) in proposals.iter().enumerate() {
        // Alternate the instance that takes the request; both run the job.
        let on = if i % 2 == 0 { &app } else { &other };
        expect_json(
            on.set_status(&m.access_token, p, "under_review", None)
                .await,
            200,
        )
        .await;
    }
    for f in &followers {
        let items = app.await_notifications(&f.access_token, 3).await;
        assert_eq!(items.len(), 3);
    }
    // Give both jobs a few more rounds: still exactly three each.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    for f in &followers {
        assert_eq!(app.unread(&f.access_token).await, 3);
    }
    assert_eq!(app.unread(&author.access_token).await, 3);
}
