//! Topics: suggest, edit, vote, the agenda lifecycle, lists and search, the timeline from the event log,
//! moderation through the proposals' mechanism, and proposals answering a topic.

use ocf_tests::topic::{TOPIC_DESCRIPTION, TOPIC_TITLE};
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn valid() -> Value {
    json!({
        "title": TOPIC_TITLE,
        "description": TOPIC_DESCRIPTION,
        "policy_area": "transport-logistics",
        "region": "seoul",
        "tags": ["주차", "Safety"],
    })
}

#[tokio::test]
async fn a_citizen_suggests_a_topic_that_everyone_can_read() {
    let app = app().await;
    let author = app.citizen().await;
    let response = app.create_topic(Some(&author.access_token), &valid()).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(response, 201).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/topics/{id}"));
    assert_eq!(created["status"], "suggested");
    assert_eq!(created["vote_count"], 0);
    assert_eq!(created["tags"], json!(["safety", "주차"]));
    assert_eq!(created["is_mine"], true);
    assert_eq!(created["voted_by_me"], false);
    let public = expect_json(app.topic(id, None).await, 200).await;
    assert_eq!(public["title"], TOPIC_TITLE);
    assert_eq!(public["is_mine"], Value::Null);
    assert!(public.get("author_id").is_none(), "authors are not exposed");
    assert_eq!(app.topic_timeline_kinds(id).await, ["suggested"]);
}

#[tokio::test]
async fn bad_topics_are_refused_with_every_field_named() {
    let app = app().await;
    let author = app.citizen().await;
    let token = Some(author.access_token.as_str());
    let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    let fields = invalid_fields(
        app.create_topic(
            token,
            &json!({"title": "짧", "description": "짧음", "policy_area": "nowhere", "region": "mars", "tags": eleven}),
        )
        .await,
    )
    .await;
    assert_eq!(
        fields,
        ["title", "description", "region", "tags", "policy_area"]
    );
    let mut unknown = valid();
    unknown["author_id"] = json!("me");
    expect_problem(
        app.create_topic(token, &unknown).await,
        422,
        "validation_failed",
    )
    .await;
    let mut null_region = valid();
    null_region["region"] = Value::Null;
    assert_eq!(
        invalid_fields(app.create_topic(token, &null_region).await).await,
        ["region"]
    );
    let mut oversized = valid();
    oversized["description"] = json!("가".repeat(70_000));
    expect_problem(
        app.create_topic(token, &oversized).await,
        413,
        "payload_too_large",
    )
    .await;
    expect_problem(
        app.create_topic(None, &valid()).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(
        app.topic_ids("", None).await.is_empty(),
        "nothing was stored"
    );
    expect_problem(app.topic("not-an-id", None).await, 404, "not_found").await;
    expect_problem(
        app.topic("0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", None)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_move_topics_along_the_agenda_with_reasons_on_the_timeline() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let fan = app.citizen().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    expect_problem(
        app.set_topic_status(&author.access_token, &id, "shortlisted", None)
            .await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.set_topic_status(&moderator.access_token, &id, "scheduled", None)
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        invalid_fields(
            app.set_topic_status(&moderator.access_token, &id, "archived", None)
                .await
        )
        .await,
        ["status"]
    );
    let shortlisted = expect_json(
        app.set_topic_status(
            &moderator.access_token,
            &id,
            "shortlisted",
            Some("많은 시민이 공감했습니다"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(shortlisted["status"], "shortlisted");
    for status in ["scheduled", "discussed"] {
        expect_json(
            app.set_topic_status(&moderator.access_token, &id, status, None)
                .await,
            200,
        )
        .await;
    }
    expect_problem(
        app.vote(Some(&fan.access_token), &id, true).await,
        409,
        "topic_closed",
    )
    .await;
    expect_json(
        app.set_topic_status(&moderator.access_token, &id, "closed", None)
            .await,
        200,
    )
    .await;
    let timeline = expect_json(app.topic_timeline(&id, "", None).await, 200).await;
    let items = timeline["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[1]["kind"], "status_changed");
    assert_eq!(items[1]["from_status"], "suggested");
    assert_eq!(items[1]["to_status"], "shortlisted");
    assert_eq!(items[1]["reason"], "많은 시민이 공감했습니다");
    assert_eq!(items[1]["actor_role"], "moderator");
    let text = timeline.to_string();
    assert!(
        !text.contains(&moderator.id) && !text.contains(&author.id),
        "no identities"
    );
    // Pages by position: two and two and one, in order.
    let first = expect_json(app.topic_timeline(&id, "limit=2", None).await, 200).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = expect_json(
        app.topic_timeline(&id, &format!("limit=2&cursor={cursor}"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(second["items"][0]["id"], items[2]["id"]);
    let other = app.suggest(&author.access_token, TOPIC_TITLE).await;
    expect_problem(
        app.topic_timeline(&other, &format!("cursor={cursor}"), None)
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn declining_needs_a_reason_and_an_undecided_topic() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    assert_eq!(
        invalid_fields(
            app.set_topic_status(&moderator.access_token, &id, "declined", None)
                .await
        )
        .await,
        ["reason"]
    );
    let declined = expect_json(
        app.set_topic_status(
            &moderator.access_token,
            &id,
            "declined",
            Some("지방자치단체 소관입니다"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(declined["status"], "declined");
    expect_problem(
        app.set_topic_status(&moderator.access_token, &id, "shortlisted", None)
            .await,
        409,
        "invalid_transition",
    )
    .await;
    let kinds = app.topic_timeline_kinds(&id).await;
    assert_eq!(kinds, ["suggested", "status_changed"]);
}

#[tokio::test]
async fn an_author_edits_a_topic_only_while_it_is_suggested() {
    let app = app().await;
    let author = app.citizen().await;
    let other = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    expect_problem(
        app.edit_topic(
            Some(&other.access_token),
            &id,
            &json!({"title": "남의 주제를 고칩니다"}),
        )
        .await,
        403,
        "not_author",
    )
    .await;
    assert_eq!(
        invalid_fields(
            app.edit_topic(Some(&author.access_token), &id, &json!({}))
                .await
        )
        .await,
        ["body"]
    );
    assert_eq!(
        invalid_fields(
            app.edit_topic(
                Some(&author.access_token),
                &id,
                &json!({"description": "짧음", "policy_area": "nope"})
            )
            .await
        )
        .await,
        ["description"]
    );
    let edited = expect_json(
        app.edit_topic(
            Some(&author.access_token),
            &id,
            &json!({"title": "골목길 불법 주차 대책", "region": null, "tags": ["소방"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(edited["title"], "골목길 불법 주차 대책");
    assert_eq!(edited["region"], Value::Null);
    assert_eq!(edited["tags"], json!(["소방"]));
    expect_json(
        app.set_topic_status(&moderator.access_token, &id, "shortlisted", None)
            .await,
        200,
    )
    .await;
    expect_problem(
        app.edit_topic(
            Some(&author.access_token),
            &id,
            &json!({"title": "선정 후에 고칩니다"}),
        )
        .await,
        409,
        "topic_not_editable",
    )
    .await;
    assert_eq!(
        app.topic_timeline_kinds(&id).await,
        ["suggested", "edited", "status_changed"]
    );
}

#[tokio::test]
async fn concurrent_edits_of_one_topic_never_lose_an_update_silently() {
    let app = app().await;
    let author = app.citizen().await;
    let id = app.suggest(&author.access_token, TOPIC_TITLE).await;
    let titles: Vec<String> = (0..6).map(|i| format!("골목길 주차 대책 {i}")).collect();
    let bodies: Vec<Value> = titles.iter().map(|t| json!({ "title": t })).collect();
    let edits = bodies
        .iter()
        .map(|b| app.edit_topic(Some(&author.access_token), &id, b));
    let mut ok = 0;
    for response in futures_util::future::join_all(edits).await {
        match response.status().as_u16() {
            200 => ok += 1,
            409 => {
                expect_problem(response, 409, "concurrent_update").await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(ok >= 1);
    let kinds = app.topic_timeline_kinds(&id).await;
    assert_eq!(
        kinds.len(),
        1 + ok,
        "one event per edit that happened: {kinds:?}"
    );
}

#[tokio::test]
async fn proposals_answer_topics_that_exist() {
    let app = app().await;
    let author = app.citizen().await;
    let topic = app.suggest(&author.access_token, TOPIC_TITLE).await;
    let proposal = json!({
        "title": "골목길 양면 주차 금지 구간 지정",
        "body": "소방차 진입로 확보를 위해 좁은 골목길의 양면 주차를 금지해 주세요.",
        "policy_area": "transport-logistics",
        "topic_id": topic,
    });
    let created = expect_json(
        app.create_proposal(&author.access_token, &proposal).await,
        201,
    )
    .await;
    assert_eq!(created["topic_id"], json!(topic));
    assert_eq!(
        app.list_ids(&format!("topic_id={topic}"), None).await,
        [created["id"].as_str().unwrap()]
    );
    let mut unknown = proposal.clone();
    unknown["topic_id"] = json!("0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11");
    assert_eq!(
        invalid_fields(app.create_proposal(&author.access_token, &unknown).await).await,
        ["topic_id"]
    );
    assert_eq!(
        app.list_ids("", None).await.len(),
        1,
        "the refused proposal was not stored"
    );
}
