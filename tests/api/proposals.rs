use ocf_tests::{TestApp, error_fields, expect_json, expect_problem, invalid_fields};
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

#[tokio::test]
async fn a_citizen_submits_a_proposal_that_anyone_can_read() {
    let app = app().await;
    let citizen = app.citizen().await;
    let response = app.create_proposal(&citizen.access_token, &valid()).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(response, 201).await;
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["channel"], "web");
    assert_eq!(created["policy_area"], "transport-logistics");
    assert_eq!(created["tags"], json!(["parking", "주차"]));
    assert_eq!(created["support_count"], 0);
    assert_eq!(created["is_mine"], true);
    assert_eq!(
        location,
        format!("/api/v1/proposals/{}", created["id"].as_str().unwrap())
    );

    let public = expect_json(app.get(&location, None).await, 200).await;
    assert_eq!(public["title"], TITLE);
    assert_eq!(public["is_mine"], Value::Null);
    assert!(
        public.get("author_id").is_none(),
        "authors are not exposed: {public}"
    );
    let timeline = expect_json(
        app.timeline(created["id"].as_str().unwrap(), None).await,
        200,
    )
    .await;
    assert_eq!(timeline["items"][0]["kind"], "submitted");
    assert_eq!(timeline["items"][0]["actor_role"], "author");
}

#[tokio::test]
async fn submitting_needs_a_token() {
    let app = app().await;
    let response = app.create_proposal_as(None, &valid()).await;
    expect_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn every_invalid_field_is_reported_and_nothing_is_stored() {
    let app = app().await;
    let citizen = app.citizen().await;
    let eleven: Vec<String> = (0..11).map(|i| format!("tag{i}")).collect();
    let body = json!({
        "title": "짧음", "body": "   ", "policy_area": "nonsense", "region": "atlantis",
        "tags": eleven, "topic_id": "not-an-id"
    });
    let problem = expect_problem(
        app.create_proposal(&citizen.access_token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        vec!["body", "policy_area", "region", "tags", "title", "topic_id"]
    );
    assert!(app.list_ids("", None).await.is_empty());
}

#[tokio::test]
async fn titles_refuse_control_characters_and_lengths_count_korean_characters() {
    let app = app().await;
    let c = app.citizen().await;
    let mut body = valid();
    body["title"] = json!("줄바꿈이\n있는 제목");
    let problem = expect_problem(
        app.create_proposal(&c.access_token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["title"]);
    body["title"] = json!("가".repeat(150));
    expect_json(app.create_proposal(&c.access_token, &body).await, 201).await;
    body["title"] = json!("가".repeat(151));
    expect_problem(
        app.create_proposal(&c.access_token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    body["title"] = json!(TITLE);
    body["body"] = json!("가".repeat(10_001));
    let problem = expect_problem(
        app.create_proposal(&c.access_token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["body"]);
    body["body"] = json!(BODY);
    body["owner"] = json!("me");
    let problem = expect_problem(
        app.create_proposal(&c.access_token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["owner"]);
}

#[tokio::test]
async fn invisible_titles_are_refused_but_bodies_keep_emoji_joiners() {
    let app = app().await;
    let c = app.citizen().await;
    let mut body = valid();
    body["title"] = json!("\u{200B}".repeat(6));
    assert_eq!(
        invalid_fields(app.create_proposal(&c.access_token, &body).await).await,
        vec!["title"]
    );
    body["title"] = json!(TITLE);
    body["body"] = json!("\u{200B}\u{2060}\u{FEFF}\n".repeat(20));
    assert_eq!(
        invalid_fields(app.create_proposal(&c.access_token, &body).await).await,
        vec!["body"]
    );
    assert!(
        app.list_ids("", None).await.is_empty(),
        "nothing was stored"
    );
    let family = format!("{BODY} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}");
    body["body"] = json!(family);
    let created = expect_json(app.create_proposal(&c.access_token, &body).await, 201).await;
    assert_eq!(created["body"], json!(family));
}

#[tokio::test]
async fn null_optional_fields_and_more_than_ten_tags_are_refused() {
    let app = app().await;
    let c = app.citizen().await;
    for field in ["region", "topic_id", "forum_id"] {
        let mut body = valid();
        body[field] = Value::Null;
        assert_eq!(
            invalid_fields(app.create_proposal(&c.access_token, &body).await).await,
            vec![field]
        );
    }
    // Eleven tags are too many even when they repeat (the limit is on what is sent).
    let mut body = valid();
    body["tags"] = json!(vec!["주차"; 11]);
    assert_eq!(
        invalid_fields(app.create_proposal(&c.access_token, &body).await).await,
        vec!["tags"]
    );
    assert!(
        app.list_ids("", None).await.is_empty(),
        "nothing was stored"
    );
    body["tags"] = json!(["주차", "주차", "Parking"]);
    let created = expect_json(app.create_proposal(&c.access_token, &body).await, 201).await;
    assert_eq!(created["tags"], json!(["parking", "주차"]));
}

#[tokio::test]
async fn an_author_edits_while_submitted_but_not_after_review_started() {
    let app = app().await;
    let author = app.citizen().await;
    let other = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;

    expect_problem(
        app.edit(
            Some(&other.access_token),
            &id,
            &json!({"title": "남의 제안을 고칩니다"}),
        )
        .await,
        403,
        "not_author",
    )
    .await;
    let edited = expect_json(
        app.edit(
            Some(&author.access_token),
            &id,
            &json!({"title": "아파트 주차장 낮 시간 공유", "region": null, "tags": ["공유"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(edited["title"], "아파트 주차장 낮 시간 공유");
    assert_eq!(edited["tags"], json!(["공유"]));
    expect_problem(
        app.edit(Some(&author.access_token), &id, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    let problem = expect_problem(
        app.edit(
            Some(&author.access_token),
            &id,
            &json!({"policy_area": "nope"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["policy_area"]);

    expect_json(
        app.set_status(&moderator.access_token, &id, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_problem(
        app.edit(
            Some(&author.access_token),
            &id,
            &json!({"title": "검토 중에 고칩니다"}),
        )
        .await,
        409,
        "proposal_not_editable",
    )
    .await;
    let kinds = app.timeline_kinds(&id).await;
    assert_eq!(kinds, vec!["submitted", "edited", "status_changed"]);
}

#[tokio::test]
async fn an_author_withdraws_before_a_decision_but_not_after() {
    let app = app().await;
    let author = app.citizen().await;
    let other = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    expect_problem(
        app.withdraw(Some(&other.access_token), &id).await,
        403,
        "not_author",
    )
    .await;
    let withdrawn = expect_json(app.withdraw(Some(&author.access_token), &id).await, 200).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    expect_problem(
        app.withdraw(Some(&author.access_token), &id).await,
        409,
        "invalid_transition",
    )
    .await;

    let selected = app.propose(&author.access_token, TITLE, BODY).await;
    expect_json(
        app.set_status(&moderator.access_token, &selected, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_json(
        app.set_status(&moderator.access_token, &selected, "selected", None)
            .await,
        200,
    )
    .await;
    expect_problem(
        app.withdraw(Some(&author.access_token), &selected).await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn moderators_move_proposals_through_review_with_reasons_on_the_timeline() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;

    expect_problem(
        app.set_status(&author.access_token, &id, "under_review", None)
            .await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.set_status(&moderator.access_token, &id, "selected", None)
            .await,
        409,
        "invalid_transition",
    )
    .await;
    expect_json(
        app.set_status(&moderator.access_token, &id, "under_review", None)
            .await,
        200,
    )
    .await;
    let problem = expect_problem(
        app.set_status(&moderator.access_token, &id, "rejected", None)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["reason"]);
    let problem = expect_problem(
        app.set_status(&moderator.access_token, &id, "implemented", None)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["status"]);
    let problem = expect_problem(
        app.set_status(&moderator.access_token, &id, "approved", None)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["status"]);
    let rejected = expect_json(
        app.set_status(
            &moderator.access_token,
            &id,
            "rejected",
            Some("이미 시행 중인 정책입니다"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    expect_problem(
        app.set_status(&moderator.access_token, &id, "selected", None)
            .await,
        409,
        "invalid_transition",
    )
    .await;

    let timeline = expect_json(app.timeline(&id, None).await, 200).await;
    let last = &timeline["items"][2];
    assert_eq!(last["kind"], "status_changed");
    assert_eq!(last["from_status"], "under_review");
    assert_eq!(last["to_status"], "rejected");
    assert_eq!(last["reason"], "이미 시행 중인 정책입니다");
    assert_eq!(last["actor_role"], "moderator");
    let text = timeline.to_string();
    for private in [&author.email, &author.id, &moderator.email, &moderator.id] {
        assert!(
            !text.contains(private.as_str()),
            "the timeline exposes {private}"
        );
    }
}
