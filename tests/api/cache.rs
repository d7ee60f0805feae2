//! The public micro-cache: anonymous lists may lag by up to its TTL; callers with a token never do.

use std::time::Duration;

use ocf_tests::{TestApp, expect_json, expect_problem};

const BODY: &str = "캐시가 맞게 동작하는지 확인하기 위한 제안의 본문입니다.";

async fn app_with_cache(ttl: Duration) -> TestApp {
    let app = TestApp::spawn_with(|s| s.public_cache_ttl = ttl).await;
    app.seed().await;
    app
}

#[tokio::test]
async fn anonymous_lists_are_served_from_the_cache_until_it_expires() {
    // Long in real time (the run never waits for it); the test moves the server's clock instead.
    let app = app_with_cache(Duration::from_secs(60)).await;
    let author = app.citizen().await;
    let first = app
        .propose(&author.access_token, "첫 번째 제안입니다", BODY)
        .await;
    assert_eq!(app.list_ids("", None).await, vec![first.clone()]);

    let second = app
        .propose(&author.access_token, "두 번째 제안입니다", BODY)
        .await;
    // Anonymous: the cached page, for a moment.
    assert_eq!(app.list_ids("", None).await, vec![first.clone()]);
    // With a token: always fresh.
    assert_eq!(
        app.list_ids("", Some(&author.access_token)).await,
        vec![second.clone(), first.clone()]
    );
    // Another query is another entry.
    assert_eq!(
        app.list_ids("limit=5", None).await,
        vec![second.clone(), first.clone()]
    );

    app.advance_clock(Duration::from_secs(61));
    assert_eq!(app.list_ids("", None).await, vec![second, first]);
}

#[tokio::test]
async fn errors_are_not_cached_and_a_cached_page_keeps_its_form() {
    let app = app_with_cache(Duration::from_secs(60)).await;
    let author = app.citizen().await;
    expect_problem(
        app.get("/api/v1/proposals?sort=loudest", None).await,
        422,
        "validation_failed",
    )
    .await;
    app.propose(&author.access_token, "캐시 확인용 제안", BODY)
        .await;
    let miss = app.get("/api/v1/proposals?limit=1", None).await;
    assert_eq!(
        miss.headers()["content-type"].to_str().ok(),
        Some("application/json")
    );
    let miss = expect_json(miss, 200).await;
    let hit = app.get("/api/v1/proposals?limit=1", None).await;
    assert_eq!(
        hit.headers()["content-type"].to_str().ok(),
        Some("application/json")
    );
    assert!(hit.headers().contains_key("x-request-id"));
    assert_eq!(expect_json(hit, 200).await, miss);
    // A bad request stays a bad request, cached neighbours or not.
    expect_problem(
        app.get("/api/v1/proposals?sort=loudest", None).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_token_is_refused_even_when_the_page_is_cached() {
    let app = app_with_cache(Duration::from_secs(60)).await;
    app.list_ids("", None).await;
    expect_problem(
        app.get("/api/v1/proposals", Some("not-a-token")).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_hidden_proposal_leaves_anonymous_lists_when_the_cache_expires() {
    let app = app_with_cache(Duration::from_secs(60)).await;
    let author = app.citizen().await;
    let id = app
        .propose(&author.access_token, "숨겨질 제안입니다", BODY)
        .await;
    assert_eq!(app.list_ids("", None).await, vec![id.clone()]);
    let moderator = app.moderator().await;
    let hidden = app
        .hide(&moderator.access_token, &id, "개인정보 노출")
        .await;
    assert_eq!(hidden.status(), 200);
    // The author still sees it (with a token, no cache); anonymous readers stop seeing it within the TTL.
    assert_eq!(
        app.list_ids("", Some(&author.access_token)).await,
        vec![id.clone()]
    );
    app.advance_clock(Duration::from_secs(61));
    assert!(app.list_ids("", None).await.is_empty());
}
