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

#[tokio::test]
async fn merging_moves_supports_without_counting_anyone_twice() {
    let app = app().await;
    let moderator = app.moderator().await;
    let a_author = app.citizen().await;
    let b_author = app.citizen().await;
    let (u1, u2) = (app.citizen().await, app.citizen().await);
    let a = app.propose(&a_author.access_token, TITLE, BODY).await;
    let b = app
        .propose(&b_author.access_token, "주차장 공유로 골목 주차 해결", BODY)
        .await;
    for t in [&u1.access_token, &u2.access_token, &b_author.access_token] {
        assert_eq!(app.support(t, &a).await.status(), 204);
    }
    assert_eq!(app.support(&u2.access_token, &b).await.status(), 204);
    expect_json(
        app.set_status(&moderator.access_token, &a, "under_review", None)
            .await,
        200,
    )
    .await;

    let merged = expect_json(app.merge(&moderator.access_token, &a, &b).await, 200).await;
    assert_eq!(
        merged["moved_supports"], 1,
        "u1 moves; u2 already supports b; b's author cannot support b"
    );
    assert_eq!(merged["proposal"]["status"], "merged");
    assert_eq!(merged["proposal"]["merged_into"], json!(b));
    assert_eq!(app.support_count(&b, None).await, 2);
    assert_eq!(app.support_count(&a, None).await, 0);

    let a_timeline = expect_json(app.timeline(&a, None).await, 200).await;
    let last = a_timeline["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["kind"].as_str(), last["related_proposal_id"].as_str()),
        (Some("merged"), Some(b.as_str()))
    );
    let b_timeline = expect_json(app.timeline(&b, None).await, 200).await;
    let last = b_timeline["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "absorbed");
    assert_eq!(last["moved_supports"], 1);
}

#[tokio::test]
async fn merge_chains_carry_every_support_to_the_last_survivor() {
    let app = app().await;
    let moderator = app.moderator().await;
    let author = app.citizen().await;
    let fans = [
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    ];
    let a = app.propose(&author.access_token, TITLE, BODY).await;
    let b = app.propose(&author.access_token, TITLE, BODY).await;
    let c = app.propose(&author.access_token, TITLE, BODY).await;
    assert_eq!(app.support(&fans[0].access_token, &a).await.status(), 204);
    assert_eq!(app.support(&fans[1].access_token, &a).await.status(), 204);
    assert_eq!(app.support(&fans[1].access_token, &b).await.status(), 204);
    assert_eq!(app.support(&fans[2].access_token, &c).await.status(), 204);
    for id in [&a, &b] {
        expect_json(
            app.set_status(&moderator.access_token, id, "under_review", None)
                .await,
            200,
        )
        .await;
    }
    expect_json(app.merge(&moderator.access_token, &a, &b).await, 200).await;
    assert_eq!(app.support_count(&b, None).await, 2);
    expect_json(app.merge(&moderator.access_token, &b, &c).await, 200).await;
    assert_eq!(
        app.support_count(&c, None).await,
        3,
        "every distinct supporter of a, b and c, once"
    );
    // a still points at b, which points at c.
    let a_now = expect_json(app.proposal(&a, None).await, 200).await;
    assert_eq!(a_now["merged_into"], json!(b));
    // A merged proposal cannot receive merges.
    let d = app.propose(&author.access_token, TITLE, BODY).await;
    expect_json(
        app.set_status(&moderator.access_token, &d, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_problem(
        app.merge(&moderator.access_token, &d, &a).await,
        409,
        "merge_target_closed",
    )
    .await;
}

#[tokio::test]
async fn merges_follow_the_rules() {
    let app = app().await;
    let moderator = app.moderator().await;
    let citizen = app.citizen().await;
    let a = app.propose(&citizen.access_token, TITLE, BODY).await;
    let b = app.propose(&citizen.access_token, TITLE, BODY).await;
    expect_problem(
        app.merge(&citizen.access_token, &a, &b).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.merge(&moderator.access_token, &a, &b).await,
        409,
        "invalid_transition",
    )
    .await;
    expect_json(
        app.set_status(&moderator.access_token, &a, "under_review", None)
            .await,
        200,
    )
    .await;
    let problem = expect_problem(
        app.merge(&moderator.access_token, &a, &a).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["into"]);
    expect_problem(
        app.merge(
            &moderator.access_token,
            &a,
            "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let problem = expect_problem(
        app.merge_with(&moderator.access_token, &a, &json!({"into": b}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["reason"]);
    // A rejected survivor is closed.
    expect_json(
        app.set_status(&moderator.access_token, &b, "under_review", None)
            .await,
        200,
    )
    .await;
    expect_json(
        app.set_status(&moderator.access_token, &b, "rejected", Some("중복"))
            .await,
        200,
    )
    .await;
    expect_problem(
        app.merge(&moderator.access_token, &a, &b).await,
        409,
        "merge_target_closed",
    )
    .await;
    assert_eq!(
        expect_json(app.proposal(&a, None).await, 200).await["status"],
        "under_review",
        "nothing changed"
    );
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
