//! Supports: one per person, idempotent both ways, counted right under races, never on closed or merged
//! proposals.

use ocf_tests::{TestApp, expect_json, expect_problem};

const TITLE: &str = "아파트 주차장을 낮 시간에 이웃과 공유해요";
const BODY: &str =
    "낮 시간에 비어 있는 아파트 주차장을 인근 주민에게 개방하면 골목 주차 문제가 줄어듭니다.";

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn a_support_is_one_per_person_both_ways() {
    let app = app().await;
    let author = app.citizen().await;
    let fan = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;

    assert_eq!(app.support(&fan.access_token, &id).await.status(), 204);
    assert_eq!(app.support(&fan.access_token, &id).await.status(), 204);
    assert_eq!(
        app.support_count(&id, None).await,
        1,
        "double support is still one"
    );
    let mine = expect_json(app.proposal(&id, Some(&fan.access_token)).await, 200).await;
    assert_eq!(mine["supported_by_me"], true);

    assert_eq!(app.unsupport(&fan.access_token, &id).await.status(), 204);
    assert_eq!(app.unsupport(&fan.access_token, &id).await.status(), 204);
    assert_eq!(app.support_count(&id, None).await, 0);

    expect_problem(
        app.support(&author.access_token, &id).await,
        403,
        "own_proposal",
    )
    .await;
    let anonymous = app.support_as(None, &id).await;
    expect_problem(anonymous, 401, "unauthenticated").await;
    expect_problem(
        app.support(&fan.access_token, "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.support(&fan.access_token, "not-an-id").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn concurrent_supports_from_many_people_are_all_counted() {
    let app = app().await;
    let author = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let mut fans = Vec::new();
    for _ in 0..8 {
        fans.push(app.citizen().await);
    }
    let requests = fans.iter().flat_map(|f| {
        [
            app.support(&f.access_token, &id),
            app.support(&f.access_token, &id),
        ]
    });
    for response in futures_util::future::join_all(requests).await {
        assert_eq!(response.status(), 204);
    }
    assert_eq!(app.support_count(&id, None).await, 8);
}

#[tokio::test]
async fn one_person_supporting_and_withdrawing_at_once_always_gets_204_and_a_true_count() {
    let app = app().await;
    let author = app.citizen().await;
    let fan = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    for _ in 0..10 {
        // Two tabs of the same person: support, withdraw and support again, all at once.
        let (a, b, c) = tokio::join!(
            app.support(&fan.access_token, &id),
            app.unsupport(&fan.access_token, &id),
            app.support(&fan.access_token, &id),
        );
        for response in [a, b, c] {
            assert_eq!(response.status(), 204);
        }
        let mine = expect_json(app.proposal(&id, Some(&fan.access_token)).await, 200).await;
        let count = i64::from(mine["supported_by_me"] == true);
        assert_eq!(mine["support_count"], count, "{mine}");
    }
}

#[tokio::test]
async fn closed_and_merged_proposals_cannot_gain_supports() {
    let app = app().await;
    let author = app.citizen().await;
    let fan = app.citizen().await;
    let moderator = app.moderator().await;
    let withdrawn = app.propose(&author.access_token, TITLE, BODY).await;
    expect_json(
        app.withdraw(Some(&author.access_token), &withdrawn).await,
        200,
    )
    .await;
    expect_problem(
        app.support(&fan.access_token, &withdrawn).await,
        409,
        "proposal_closed",
    )
    .await;

    let duplicate = app.propose(&author.access_token, TITLE, BODY).await;
    let survivor = app.propose(&moderator.access_token, TITLE, BODY).await;
    expect_json(
        app.set_status(&moderator.access_token, &duplicate, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_json(
        app.merge(&moderator.access_token, &duplicate, &survivor)
            .await,
        200,
    )
    .await;
    let problem = expect_problem(
        app.support(&fan.access_token, &duplicate).await,
        409,
        "proposal_merged",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains(&survivor));
}
