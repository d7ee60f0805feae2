//! Proposal lists: every filter, the sorts (trending against most supported), and keyset pages that
//! neither skip nor repeat.

use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};
use serde_json::{Value, json};

const TITLE: &str = "아파트 주차장을 낮 시간에 이웃과 공유해요";
const BODY: &str =
    "낮 시간에 비어 있는 아파트 주차장을 인근 주민에게 개방하면 골목 주차 문제가 줄어듭니다.";

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn valid() -> Value {
    json!({"title": TITLE, "body": BODY, "policy_area": "transport-logistics", "region": "seoul", "tags": ["주차", "Parking"]})
}

async fn walk(
    app: &TestApp,
    query: &str,
    limit: usize,
    mut between_pages: impl AsyncFnMut(),
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut page_query = format!("{query}&limit={limit}");
    loop {
        let page = expect_json(app.list(&page_query, None).await, 200).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => page_query = format!("{query}&limit={limit}&cursor={c}"),
            None => return seen,
        }
        between_pages().await;
    }
}

#[tokio::test]
async fn lists_filter_by_every_field() {
    let app = app().await;
    let author = app.citizen().await;
    let other = app.citizen().await;
    let moderator = app.moderator().await;
    let seoul = expect_json(
        app.create_proposal(&author.access_token, &valid()).await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let busan_body = json!({"title": "부산 해변 쓰레기 줄이기", "body": "해수욕장에 다회용 컵 반납기를 설치해 주세요. 쓰레기가 크게 줄어듭니다.", "policy_area": "environment", "region": "busan", "tags": ["환경"]});
    let busan = expect_json(
        app.create_proposal(&other.access_token, &busan_body).await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    expect_json(
        app.set_status(&moderator.access_token, &busan, "under_review", None)
            .await,
        200,
    )
    .await;

    assert_eq!(
        app.list_ids("policy_area=environment", None).await,
        vec![busan.clone()]
    );
    assert_eq!(
        app.list_ids("region=seoul", None).await,
        vec![seoul.clone()]
    );
    assert_eq!(app.list_ids("tag=주차", None).await, vec![seoul.clone()]);
    assert_eq!(app.list_ids("tag=PARKING", None).await, vec![seoul.clone()]);
    assert_eq!(
        app.list_ids("status=under_review", None).await,
        vec![busan.clone()]
    );
    assert_eq!(app.list_ids("channel=web", None).await.len(), 2);
    assert!(app.list_ids("channel=offline", None).await.is_empty());
    assert_eq!(
        app.list_ids("author=me", Some(&other.access_token)).await,
        vec![busan.clone()]
    );
    assert_eq!(
        app.list_ids(
            &format!("author={}", other.id),
            Some(&moderator.access_token)
        )
        .await,
        vec![busan.clone()]
    );
    assert_eq!(
        app.list_ids("created_after=2000-01-01T00:00:00Z", None)
            .await
            .len(),
        2
    );
    assert!(
        app.list_ids("created_before=2000-01-01T00:00:00Z", None)
            .await
            .is_empty()
    );

    expect_problem(app.list("author=me", None).await, 401, "unauthenticated").await;
    expect_problem(
        app.list(&format!("author={}", other.id), Some(&author.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;
    for (query, field) in [
        ("status=lost", "status"),
        ("region=atlantis", "region"),
        ("channel=fax", "channel"),
        ("created_after=yesterday", "created_after"),
        ("sort=random", "sort"),
        ("topic_id=x", "topic_id"),
        ("policy_area=nowhere", "policy_area"),
        ("q=x", "q"),
    ] {
        let problem = expect_problem(app.list(query, None).await, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), vec![field], "{query}");
    }
    expect_problem(app.list("colour=red", None).await, 400, "invalid_query").await;
}

#[tokio::test]
async fn sorts_order_by_support_trend_and_update() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let fans = [
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    ];
    let one = app.propose(&author.access_token, TITLE, BODY).await;
    let three = app.propose(&author.access_token, TITLE, BODY).await;
    let none = app.propose(&author.access_token, TITLE, BODY).await;
    assert_eq!(app.support(&fans[0].access_token, &one).await.status(), 204);
    for f in &fans {
        assert_eq!(app.support(&f.access_token, &three).await.status(), 204);
    }
    assert_eq!(
        app.list_ids("sort=most_supported", None).await,
        vec![three.clone(), one.clone(), none.clone()]
    );
    assert_eq!(
        app.list_ids("sort=trending", None).await,
        vec![three.clone(), one.clone(), none.clone()]
    );
    assert_eq!(
        app.list_ids("sort=newest", None).await,
        vec![none.clone(), three.clone(), one.clone()]
    );
    expect_json(
        app.set_status(&moderator.access_token, &one, "under_review", None)
            .await,
        200,
    )
    .await;
    assert_eq!(app.list_ids("sort=recently_updated", None).await[0], one);
}

#[tokio::test]
async fn trending_counts_only_recent_supports_unlike_most_supported() {
    use ocf_domain::proposal::query::ProposalQueries;
    let app = app().await;
    let author = app.citizen().await;
    let fans = [
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    ];
    let old = app.propose(&author.access_token, TITLE, BODY).await;
    for f in &fans {
        assert_eq!(app.support(&f.access_token, &old).await.status(), 204);
    }
    // Eight days on, the background refresh finds those supports outside the seven-day window...
    let db = app.database();
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    tokio::task::spawn_blocking(move || {
        db.refresh_trending(ocf_domain::proposal::trending_since(later))
    })
    .await
    .unwrap()
    .unwrap();
    // ...while a newer proposal gains one support now.
    let new = app.propose(&author.access_token, TITLE, BODY).await;
    assert_eq!(app.support(&fans[0].access_token, &new).await.status(), 204);
    assert_eq!(
        app.list_ids("sort=most_supported", None).await,
        vec![old.clone(), new.clone()]
    );
    assert_eq!(app.list_ids("sort=trending", None).await, vec![new, old]);
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_while_proposals_are_inserted() {
    let app = app().await;
    let author = app.citizen().await;
    let fan = app.citizen().await;
    let mut originals = Vec::new();
    for _ in 0..7 {
        originals.push(app.propose(&author.access_token, TITLE, BODY).await);
    }
    // Ties in the sort value are broken by id, so equal support counts still page cleanly.
    assert_eq!(
        app.support(&fan.access_token, &originals[2]).await.status(),
        204
    );
    for query in [
        "sort=newest",
        "sort=most_supported",
        "sort=recently_updated",
        "sort=trending",
        "q=주차",
    ] {
        let seen = walk(&app, query, 3, async || {
            app.propose(&author.access_token, TITLE, BODY).await;
        })
        .await;
        let mut sorted_seen = seen.clone();
        sorted_seen.sort();
        sorted_seen.dedup();
        assert_eq!(
            sorted_seen.len(),
            seen.len(),
            "{query}: no repeats in {seen:?}"
        );
        for id in &originals {
            assert!(seen.contains(id), "{query}: {id} was skipped");
        }
    }
}

#[tokio::test]
async fn a_cursor_only_works_with_the_sort_it_came_from() {
    let app = app().await;
    let author = app.citizen().await;
    for _ in 0..3 {
        app.propose(&author.access_token, TITLE, BODY).await;
    }
    let page = expect_json(app.list("limit=1&sort=newest", None).await, 200).await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let problem = expect_problem(
        app.list(
            &format!("limit=1&sort=most_supported&cursor={cursor}"),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["cursor"]);
}
