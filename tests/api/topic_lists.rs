//! Topic lists: search, filters, sorts and pages.

//! Topics: suggest, edit, vote, the agenda lifecycle, lists and search, the timeline from the event log,
//! moderation through the proposals' mechanism, and proposals answering a topic.

use ocf_tests::topic::TOPIC_TITLE;
use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn topics_are_listed_searched_filtered_and_sorted() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let fans = [app.citizen().await, app.citizen().await];
    let parking = app.suggest(&author.access_token, TOPIC_TITLE).await;
    let buses = app
        .suggest(&author.access_token, "심야 버스 노선이 부족합니다")
        .await;
    let noise = app
        .suggest(&author.access_token, "층간 소음 분쟁 조정 제도")
        .await;
    for f in &fans {
        assert_eq!(
            app.vote(Some(&f.access_token), &buses, true).await.status(),
            204
        );
    }
    assert_eq!(
        app.vote(Some(&fans[0].access_token), &noise, true)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.topic_ids("", None).await,
        [buses.clone(), noise.clone(), parking.clone()]
    );
    assert_eq!(
        app.topic_ids("sort=newest", None).await,
        [noise.clone(), buses.clone(), parking.clone()]
    );
    assert_eq!(app.topic_ids("q=버스", None).await, [buses.as_str()]);
    assert_eq!(app.topic_ids("q=층간", None).await, [noise.as_str()]);
    assert_eq!(
        app.topic_ids("q=주차", None).await.len(),
        3,
        "every description mentions it"
    );
    assert!(app.topic_ids("region=busan", None).await.is_empty());
    assert_eq!(
        app.topic_ids("policy_area=transport-logistics", None)
            .await
            .len(),
        3
    );
    expect_json(
        app.set_topic_status(&moderator.access_token, &noise, "shortlisted", None)
            .await,
        200,
    )
    .await;
    assert_eq!(
        app.topic_ids("status=shortlisted", None).await,
        [noise.as_str()]
    );
    // Pages: one by one, no repeats, no gaps.
    let mut seen = Vec::new();
    let mut query = "limit=1".to_owned();
    loop {
        let page = expect_json(app.topics(&query, None).await, 200).await;
        seen.push(page["items"][0]["id"].as_str().unwrap().to_owned());
        match page["next_cursor"].as_str() {
            Some(c) => query = format!("limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, [buses.clone(), noise.clone(), parking.clone()]);
    let first = expect_json(app.topics("limit=1&sort=newest", None).await, 200).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    for query in [
        format!("limit=1&sort=most_voted&cursor={cursor}"),
        "sort=random".to_owned(),
        "status=lost".to_owned(),
        "region=atlantis".to_owned(),
        "policy_area=nowhere".to_owned(),
        "q=x".to_owned(),
        "limit=500".to_owned(),
    ] {
        let problem =
            expect_problem(app.topics(&query, None).await, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem).len(), 1, "{query}");
    }
    expect_problem(app.topics("colour=red", None).await, 400, "invalid_query").await;
}

#[tokio::test]
async fn trending_topics_count_only_recent_votes() {
    use ocf_domain::topic::query::TopicQueries;
    let app = app().await;
    let author = app.citizen().await;
    let fans = [app.citizen().await, app.citizen().await];
    let old = app.suggest(&author.access_token, TOPIC_TITLE).await;
    for f in &fans {
        assert_eq!(
            app.vote(Some(&f.access_token), &old, true).await.status(),
            204
        );
    }
    let db = app.database();
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    tokio::task::spawn_blocking(move || {
        db.refresh_topic_trending(ocf_domain::proposal::trending_since(later))
    })
    .await
    .unwrap()
    .unwrap();
    let new = app
        .suggest(&author.access_token, "심야 버스 노선이 부족합니다")
        .await;
    assert_eq!(
        app.vote(Some(&fans[0].access_token), &new, true)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.topic_ids("sort=most_voted", None).await,
        [old.clone(), new.clone()]
    );
    assert_eq!(app.topic_ids("sort=trending", None).await, [new, old]);
}
