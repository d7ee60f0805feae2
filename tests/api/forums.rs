//! Forums: planning by their managers, the lifecycle and its refusals, locked fields, linked topics, the
//! public timeline, lists and the outcome with proposals entered at the forum.

use chrono::{Duration, Utc};
use ocf_tests::forum::offline_forum;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn an_official_plans_a_draft_that_only_managers_see_until_it_is_scheduled() {
    let app = app().await;
    let (official, org) = app.official().await;
    let created = expect_json(
        app.create_forum(Some(&official.access_token), &offline_forum(Some(50)))
            .await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["organization_id"], org.as_str());
    assert_eq!(created["venue"]["region"], "jeonnam");
    assert_eq!(
        created["seats"],
        json!({"capacity": 50, "registered": 0, "waitlisted": 0, "attended": 0, "seats_left": 50})
    );
    assert_eq!(created["can_manage"], true);
    let citizen = app.citizen().await;
    expect_problem(app.forum(id, None).await, 404, "not_found").await;
    expect_problem(
        app.forum(id, Some(&citizen.access_token)).await,
        404,
        "not_found",
    )
    .await;
    let (other_official, _) = app.official().await;
    expect_problem(
        app.forum(id, Some(&other_official.access_token)).await,
        404,
        "not_found",
    )
    .await;
    let listed = expect_json(app.forums("", None).await, 200).await;
    assert!(listed["items"].as_array().unwrap().is_empty());
    app.walk_forum(&official.access_token, id, &["scheduled"])
        .await;
    let public = expect_json(app.forum(id, None).await, 200).await;
    assert_eq!(public["status"], "scheduled");
    assert_eq!(public["can_manage"], serde_json::Value::Null);
    assert_eq!(app.forum_timeline(id).await, ["created", "status_changed"]);
}

#[tokio::test]
async fn only_managers_plan_and_move_forums() {
    let app = app().await;
    let citizen = app.citizen().await;
    expect_problem(
        app.create_forum(Some(&citizen.access_token), &offline_forum(None))
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    let (official, _) = app.official().await;
    let (other, other_org) = app.official().await;
    let mut body = offline_forum(None);
    body["organization_id"] = json!(other_org);
    expect_problem(
        app.create_forum(Some(&official.access_token), &body).await,
        403,
        "not_forum_manager",
    )
    .await;
    let id = app
        .plan_forum(&official.access_token, &offline_forum(None))
        .await;
    app.walk_forum(&official.access_token, &id, &["scheduled"])
        .await;
    expect_problem(
        app.set_forum_status(&other.access_token, &id, "live", None)
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    expect_problem(
        app.set_forum_status(&citizen.access_token, &id, "live", None)
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    let admin = app.admin().await;
    expect_problem(
        app.create_forum(Some(&admin.access_token), &offline_forum(None))
            .await,
        422,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.create_forum(None, &offline_forum(None)).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn urls_with_credentials_odd_ports_or_hidden_spaces_are_refused_and_nothing_is_stored() {
    let app = app().await;
    let (official, _) = app.official().await;
    for bad in [
        "https://user:secret@tv.example.go.kr/live",
        "https://@tv.example.go.kr/live",
        "https://tv.example.go.kr:08080/live",
        "https://tv.example.go.kr:65536/live",
        "https://tv.example.go.kr/\u{FEFF}live",
        "https://tv.example.go.kr/li ve",
        "https:///live",
    ] {
        let mut body = offline_forum(None);
        body["livestream_url"] = json!(bad);
        assert_eq!(
            invalid_fields(app.create_forum(Some(&official.access_token), &body).await).await,
            ["livestream_url"],
            "{bad:?}"
        );
    }
    assert_eq!(app.sql_number("SELECT COUNT(*) AS n FROM forums").await, 0);
    let mut good = offline_forum(None);
    good["livestream_url"] = json!("https://tv.example.go.kr:8443/live/1");
    expect_json(
        app.create_forum(Some(&official.access_token), &good).await,
        201,
    )
    .await;
}

#[tokio::test]
async fn every_bad_field_is_reported_at_once() {
    let app = app().await;
    let (official, _) = app.official().await;
    let start = Utc::now() + Duration::days(2);
    let body = json!({
        "kind": "town_hall",
        "mode": "online",
        "title": "짧음",
        "description": "짧은 설명",
        "policy_area": "no-such-area",
        "venue": {"name": "강당", "address": "서울", "region": "seoul"},
        "starts_at": start.to_rfc3339(),
        "ends_at": (start - Duration::hours(1)).to_rfc3339(),
        "capacity": 0,
        "livestream_url": "http://insecure.example",
        "panel": [{"name": "김", "role": "wizard"}],
    });
    let mut fields =
        invalid_fields(app.create_forum(Some(&official.access_token), &body).await).await;
    fields.sort();
    assert_eq!(
        fields,
        [
            "capacity",
            "description",
            "ends_at",
            "kind",
            "livestream_url",
            "panel[0].role",
            "policy_area",
            "title",
            "venue"
        ]
    );
    let mut hybrid = offline_forum(None);
    hybrid["mode"] = json!("hybrid");
    hybrid.as_object_mut().unwrap().remove("venue");
    assert_eq!(
        invalid_fields(
            app.create_forum(Some(&official.access_token), &hybrid)
                .await
        )
        .await,
        ["venue"]
    );
    let mut online = offline_forum(None);
    online["mode"] = json!("online");
    assert_eq!(
        invalid_fields(
            app.create_forum(Some(&official.access_token), &online)
                .await
        )
        .await,
        ["venue"]
    );
    let mut late = offline_forum(None);
    late["ends_at"] = late["starts_at"].clone();
    assert_eq!(
        invalid_fields(app.create_forum(Some(&official.access_token), &late).await).await,
        ["ends_at", "agenda[0].starts_at"]
    );
    let mut unknown = offline_forum(None);
    unknown["speakers"] = json!([]);
    invalid_fields(
        app.create_forum(Some(&official.access_token), &unknown)
            .await,
    )
    .await;
    let listed = expect_json(app.forums("", Some(&official.access_token)).await, 200).await;
    assert!(
        listed["items"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn the_lifecycle_refuses_what_it_forbids_and_locks_the_past() {
    let app = app().await;
    let (official, _) = app.official().await;
    let token = &official.access_token;
    let mut body = offline_forum(None);
    body["mode"] = json!("hybrid");
    let id = app.plan_forum(token, &body).await;
    expect_problem(
        app.set_forum_status(token, &id, "live", None).await,
        409,
        "invalid_transition",
    )
    .await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    expect_problem(
        app.set_forum_status(token, &id, "live", None).await,
        409,
        "livestream_required",
    )
    .await;
    expect_json(
        app.edit_forum(
            Some(token),
            &id,
            &json!({"livestream_url": "https://tv.example.go.kr/live/1"}),
        )
        .await,
        200,
    )
    .await;
    app.walk_forum(token, &id, &["live"]).await;
    let moved = (Utc::now() + Duration::days(3)).to_rfc3339();
    expect_problem(
        app.edit_forum(Some(token), &id, &json!({"starts_at": moved}))
            .await,
        409,
        "forum_field_locked",
    )
    .await;
    expect_problem(
        app.edit_forum(Some(token), &id, &json!({"capacity": 10}))
            .await,
        409,
        "forum_field_locked",
    )
    .await;
    expect_json(
        app.edit_forum(
            Some(token),
            &id,
            &json!({"title": "섬 지역 교통 토론회 (생중계)"}),
        )
        .await,
        200,
    )
    .await;
    expect_problem(
        app.set_forum_status(token, &id, "cancelled", Some("태풍"))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    app.walk_forum(token, &id, &["ended"]).await;
    expect_problem(
        app.set_forum_status(token, &id, "reported", None).await,
        409,
        "outcome_required",
    )
    .await;
    expect_problem(
        app.edit_forum(
            Some(token),
            &id,
            &json!({"title": "섬 지역 교통 토론회 결과"}),
        )
        .await,
        409,
        "forum_not_editable",
    )
    .await;
    expect_problem(
        app.set_forum_status(token, &id, "adjourned", None).await,
        422,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.edit_forum(
            Some(token),
            "no-such-id",
            &json!({"title": "없는 포럼입니다"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.forum_timeline(&id).await,
        [
            "created",
            "status_changed",
            "edited",
            "status_changed",
            "edited",
            "status_changed"
        ]
    );
}

#[tokio::test]
async fn cancelling_needs_a_reason_and_is_public() {
    let app = app().await;
    let (official, _) = app.official().await;
    let token = &official.access_token;
    let id = app.plan_forum(token, &offline_forum(None)).await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    invalid_fields(app.set_forum_status(token, &id, "cancelled", None).await).await;
    let f = expect_json(
        app.set_forum_status(token, &id, "cancelled", Some("태풍 예보로 취소합니다."))
            .await,
        200,
    )
    .await;
    assert_eq!(f["cancel_reason"], "태풍 예보로 취소합니다.");
    let listed = expect_json(app.forums("status=cancelled", None).await, 200).await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_forum_takes_shortlisted_topics_and_discusses_them_when_it_ends() {
    let app = app().await;
    let admin = app.admin().await;
    let moderator = app.moderator().await;
    let citizen = app.citizen().await;
    let topic = app
        .suggest(&citizen.access_token, "섬 주민 여객선 이동권 문제")
        .await;
    let mut body = offline_forum(None);
    body["organization_id"] = json!(app.official().await.1);
    body["topic_ids"] = json!([topic]);
    expect_problem(
        app.create_forum(Some(&admin.access_token), &body).await,
        409,
        "topic_not_shortlisted",
    )
    .await;
    expect_json(
        app.set_topic_status(&moderator.access_token, &topic, "shortlisted", None)
            .await,
        200,
    )
    .await;
    let f = expect_json(
        app.create_forum(Some(&admin.access_token), &body).await,
        201,
    )
    .await;
    let id = f["id"].as_str().unwrap();
    assert_eq!(f["topic_ids"], json!([topic]));
    let t = expect_json(app.topic(&topic, None).await, 200).await;
    assert_eq!(t["status"], "scheduled");
    expect_problem(
        app.edit_forum(Some(&admin.access_token), id, &json!({"topic_ids": []}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    app.walk_forum(&admin.access_token, id, &["scheduled", "live", "ended"])
        .await;
    let t = expect_json(app.topic(&topic, None).await, 200).await;
    assert_eq!(t["status"], "discussed");
    let listed = expect_json(app.forums(&format!("topic_id={topic}"), None).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn lists_filter_sort_search_and_page() {
    let app = app().await;
    let (official, _) = app.official().await;
    let token = &official.access_token;
    let mut ids = Vec::new();
    for days in [5, 3, 4] {
        let mut body = offline_forum(None);
        let start = Utc::now() + Duration::days(days);
        body["starts_at"] = json!(start.to_rfc3339());
        body["ends_at"] = json!((start + Duration::hours(2)).to_rfc3339());
        body["agenda"] = json!([]);
        let id = app.plan_forum(token, &body).await;
        app.walk_forum(token, &id, &["scheduled"]).await;
        ids.push(id);
    }
    let first = expect_json(app.forums("limit=2", None).await, 200).await;
    let items: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(items, [ids[1].as_str(), ids[2].as_str()], "soonest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = expect_json(
        app.forums(&format!("limit=2&cursor={cursor}"), None).await,
        200,
    )
    .await;
    assert_eq!(second["items"][0]["id"], ids[0].as_str());
    assert!(second["next_cursor"].is_null());
    let newest = expect_json(app.forums("sort=newest&limit=1", None).await, 200).await;
    assert_eq!(newest["items"][0]["id"], ids[2].as_str());
    for (q, n) in [
        ("region=jeonnam", 3),
        ("region=seoul", 0),
        ("when=upcoming", 3),
        ("when=past", 0),
        ("mode=online", 0),
        ("kind=regional_conference", 3),
        ("q=교통", 3),
        ("q=없는단어", 0),
    ] {
        let page = expect_json(app.forums(q, None).await, 200).await;
        assert_eq!(page["items"].as_array().unwrap().len(), n, "{q}");
    }
    for q in [
        "sort=oldest",
        "when=soon",
        "status=open",
        "from=yesterday",
        "limit=0",
        "cursor=bogus",
    ] {
        expect_problem(app.forums(q, None).await, 422, "validation_failed").await;
    }
    expect_problem(app.forums("page=2", None).await, 400, "invalid_query").await;
}

#[tokio::test]
async fn the_outcome_reports_the_forum_with_the_proposals_entered_there() {
    let app = app().await;
    let (official, _) = app.official().await;
    let token = &official.access_token;
    let id = app.plan_forum(token, &offline_forum(None)).await;
    app.walk_forum(token, &id, &["scheduled"]).await;
    let idea = json!({
        "title": "섬 주민 여객선 요금 지원",
        "body": "섬 주민이 육지 병원에 갈 때 여객선 요금 부담이 큽니다. 요금을 지원해 주세요.",
        "policy_area": "transport-logistics",
        "participant_name": "박OO",
    });
    expect_problem(
        app.enter_forum_proposal(token, &id, &idea).await,
        409,
        "forum_not_held",
    )
    .await;
    app.walk_forum(token, &id, &["live"]).await;
    let citizen = app.citizen().await;
    expect_problem(
        app.enter_forum_proposal(&citizen.access_token, &id, &idea)
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    let p = expect_json(app.enter_forum_proposal(token, &id, &idea).await, 201).await;
    let pid = p["id"].as_str().unwrap();
    assert_eq!(p["channel"], "offline_forum");
    assert_eq!(p["forum_id"], id.as_str());
    let public = expect_json(
        app.get(&format!("/api/v1/proposals/{pid}"), None).await,
        200,
    )
    .await;
    assert_eq!(
        public["offline_entry"],
        serde_json::Value::Null,
        "the entry is for staff only"
    );
    assert!(
        !public.to_string().contains("박OO"),
        "the participant's name is never public"
    );
    let moderator = app.moderator().await;
    let staff = expect_json(
        app.get(
            &format!("/api/v1/proposals/{pid}"),
            Some(&moderator.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(staff["offline_entry"]["entered_by"], official.id.as_str());
    assert_eq!(staff["offline_entry"]["participant_name"], "박OO");
    let outcome = json!({
        "summary": "섬 주민 이동권 보장을 위한 여객선 공영제 확대가 가장 많이 제안되었습니다.",
        "recommendations": ["여객선 공영제 확대"],
        "proposal_ids": [pid],
    });
    expect_problem(
        app.put_outcome(token, &id, &outcome).await,
        409,
        "forum_not_ended",
    )
    .await;
    app.walk_forum(token, &id, &["ended"]).await;
    let elsewhere = app
        .propose(
            &citizen.access_token,
            "다른 곳에서 온 제안입니다",
            "포럼과 상관없이 웹에서 제출된 제안의 본문입니다.",
        )
        .await;
    let mut wrong = outcome.clone();
    wrong["proposal_ids"] = json!([elsewhere]);
    assert_eq!(
        invalid_fields(app.put_outcome(token, &id, &wrong).await).await,
        ["proposal_ids[0]"]
    );
    let published = expect_json(app.put_outcome(token, &id, &outcome).await, 201).await;
    assert_eq!(published["attendee_count"], 0);
    let f = expect_json(app.forum(&id, None).await, 200).await;
    assert_eq!(f["status"], "reported");
    assert_eq!(f["outcome_id"], published["id"]);
    let mut again = outcome.clone();
    again["attendee_count"] = json!(87);
    let replaced = expect_json(app.put_outcome(token, &id, &again).await, 200).await;
    assert_eq!(replaced["id"], published["id"], "the outcome keeps its id");
    let read = expect_json(
        app.get(&format!("/api/v1/forums/{id}/outcome"), None).await,
        200,
    )
    .await;
    assert_eq!(read["attendee_count"], 87);
    assert_eq!(read["proposal_ids"], json!([pid]));
    let tl = app.forum_timeline(&id).await;
    assert_eq!(
        &tl[tl.len() - 3..],
        ["status_changed", "outcome_published", "outcome_updated"]
    );
}
