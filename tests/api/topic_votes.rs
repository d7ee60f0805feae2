//! Votes on topics (one per person, under a race) and the moderation topics share with proposals.

//! Topics: suggest, edit, vote, the agenda lifecycle, lists and search, the timeline from the event log,
//! moderation through the proposals' mechanism, and proposals answering a topic.

use ocf_tests::topic::TOPIC_TITLE;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn votes_are_one_per_person_idempotent_and_never_ones_own() {
    let app = app().await;
    let author = app.citizen().await;
    let fan = app.citizen().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    for _ in 0..2 {
        assert_eq!(
            app.vote(Some(&fan.access_token), &id, true).await.status(),
            204
        );
    }
    assert_eq!(app.vote_count(&id, None).await, 1);
    let mine = expect_json(app.topic(&id, Some(&fan.access_token)).await, 200).await;
    assert_eq!(mine["voted_by_me"], true);
    expect_problem(
        app.vote(Some(&author.access_token), &id, true).await,
        403,
        "own_topic",
    )
    .await;
    expect_problem(app.vote(None, &id, true).await, 401, "unauthenticated").await;
    for _ in 0..2 {
        assert_eq!(
            app.vote(Some(&fan.access_token), &id, false).await.status(),
            204
        );
    }
    assert_eq!(app.vote_count(&id, None).await, 0);
    let unknown = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(
        app.vote(Some(&fan.access_token), unknown, true).await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.vote(Some(&fan.access_token), unknown, false).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn concurrent_votes_count_each_person_once() {
    let app = app().await;
    let author = app.citizen().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    let mut voters = Vec::new();
    for _ in 0..12 {
        voters.push(app.citizen().await);
    }
    // Everyone at once, each twice: twelve votes, however the writes interleave.
    let votes = voters
        .iter()
        .flat_map(|v| [v, v])
        .map(|v| app.vote(Some(&v.access_token), &id, true));
    for response in futures_util::future::join_all(votes).await {
        assert_eq!(response.status(), 204);
    }
    assert_eq!(app.vote_count(&id, None).await, 12);
}

#[tokio::test]
async fn topics_share_the_proposals_moderation() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    expect_problem(
        app.report_topic(Some(&author.access_token), &id, "광고입니다")
            .await,
        403,
        "own_topic",
    )
    .await;
    expect_problem(
        app.report_topic(None, &id, "광고입니다").await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(
        invalid_fields(
            app.report_topic(Some(&moderator.access_token), &id, "")
                .await
        )
        .await,
        ["reason"]
    );
    let mut reports = Vec::new();
    for n in 0..3 {
        let reporter = app.citizen().await;
        let report = expect_json(
            app.report_topic(Some(&reporter.access_token), &id, "광고입니다")
                .await,
            201,
        )
        .await;
        assert_eq!(report["target_type"], "topic");
        assert_eq!(report["target_id"], json!(id));
        assert_eq!(report["proposal_id"], Value::Null);
        if n == 0 {
            expect_problem(
                app.report_topic(Some(&reporter.access_token), &id, "또 신고합니다")
                    .await,
                409,
                "already_exists",
            )
            .await;
        }
        reports.push(report["id"].as_str().unwrap().to_owned());
    }
    // Three distinct reports hide it: gone for the public, still there for its author.
    expect_problem(app.topic(&id, None).await, 404, "not_found").await;
    assert!(app.topic_ids("", None).await.is_empty());
    let own = expect_json(app.topic(&id, Some(&author.access_token)).await, 200).await;
    assert_eq!(own["hidden"], true);
    let log = expect_json(app.moderation_log().await, 200).await;
    assert_eq!(log["items"][0]["action"], "auto_hide");
    assert_eq!(log["items"][0]["target_type"], "topic");
    let resolved = expect_json(
        app.resolve(
            &moderator.access_token,
            &reports[0],
            "dismiss",
            "광고가 아닙니다",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(resolved["resolved_reports"], 3);
    assert_eq!(resolved["proposal"], Value::Null);
    assert_eq!(resolved["topic"]["hidden"], false);
    assert_eq!(app.topic_ids("", None).await, [id.as_str()]);
    let hidden = expect_json(
        app.moderate_topic(&moderator.access_token, &id, true, "욕설이 있습니다")
            .await,
        200,
    )
    .await;
    assert_eq!(hidden["hidden"], true);
    expect_problem(
        app.moderate_topic(&moderator.access_token, &id, true, "다시")
            .await,
        409,
        "already_hidden",
    )
    .await;
    expect_problem(
        app.moderate_topic(&author.access_token, &id, false, "보여 주세요")
            .await,
        403,
        "forbidden",
    )
    .await;
    expect_json(
        app.moderate_topic(&moderator.access_token, &id, false, "수정되었습니다")
            .await,
        200,
    )
    .await;
    assert_eq!(
        app.topic_timeline_kinds(&id).await,
        ["suggested", "hidden", "unhidden", "hidden", "unhidden"]
    );
}

#[tokio::test]
async fn a_hidden_topic_cannot_be_answered_by_those_who_cannot_see_it() {
    let app = app().await;
    let author = app.citizen().await;
    let other = app.citizen().await;
    let moderator = app.moderator().await;
    let topic = app.suggest(&author.access_token, TOPIC_TITLE).await;
    expect_json(
        app.moderate_topic(&moderator.access_token, &topic, true, "개인정보가 있습니다")
            .await,
        200,
    )
    .await;
    let proposal = json!({
        "title": "골목길 양면 주차 금지 구간 지정",
        "body": "소방차 진입로 확보를 위해 좁은 골목길의 양면 주차를 금지해 주세요.",
        "policy_area": "transport-logistics",
        "topic_id": topic,
    });
    assert_eq!(
        invalid_fields(app.create_proposal(&other.access_token, &proposal).await).await,
        ["topic_id"]
    );
    expect_json(
        app.create_proposal(&author.access_token, &proposal).await,
        201,
    )
    .await;
}
