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

async fn log(app: &TestApp) -> Vec<Value> {
    expect_json(app.moderation_log().await, 200).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn three_distinct_reports_hide_a_proposal_until_a_moderator_decides() {
    let app = app().await;
    let author = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let reporters = [
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    ];

    for (n, r) in reporters.iter().enumerate() {
        let report = expect_json(
            app.report(&r.access_token, &id, "광고성 글입니다").await,
            201,
        )
        .await;
        assert_eq!(report["status"], "open");
        let visible = app.proposal(&id, None).await.status() == 200;
        assert_eq!(visible, n < 2, "hidden exactly at the third report");
    }
    assert!(app.list_ids("", None).await.is_empty());
    let entries = log(&app).await;
    assert_eq!(entries[0]["action"], "auto_hide");
    assert_eq!(entries[0]["actor_role"], "system");
    assert_eq!(entries[0]["proposal_id"], json!(id));

    let queue = expect_json(app.reports("", Some(&moderator.access_token)).await, 200).await;
    let reports = queue["items"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    let report_id = reports[0]["id"].as_str().unwrap();

    let resolved = expect_json(
        app.resolve(
            &moderator.access_token,
            report_id,
            "dismiss",
            "정상적인 제안입니다",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(resolved["resolved_reports"], 3);
    assert_eq!(resolved["proposal"]["hidden"], false);
    assert_eq!(app.list_ids("", None).await, vec![id.clone()]);
    assert_eq!(log(&app).await[0]["action"], "report_dismissed");
    let open = expect_json(app.reports("", Some(&moderator.access_token)).await, 200).await;
    assert!(open["items"].as_array().unwrap().is_empty());
    let closed = expect_json(
        app.reports("status=resolved", Some(&moderator.access_token))
            .await,
        200,
    )
    .await;
    assert_eq!(closed["items"][0]["decision"], "dismiss");

    expect_problem(
        app.resolve(&moderator.access_token, report_id, "uphold", "다시")
            .await,
        409,
        "report_already_resolved",
    )
    .await;
    let kinds = app.timeline_kinds(&id).await;
    assert_eq!(kinds, vec!["submitted", "hidden", "unhidden"]);
}

#[tokio::test]
async fn upholding_a_report_keeps_the_proposal_hidden() {
    let app = app().await;
    let author = app.citizen().await;
    let reporter = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let report = expect_json(app.report(&reporter.access_token, &id, "욕설").await, 201).await;
    let resolved = expect_json(
        app.resolve(
            &moderator.access_token,
            report["id"].as_str().unwrap(),
            "uphold",
            "욕설이 포함되어 있습니다",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(resolved["proposal"]["hidden"], true);
    expect_problem(app.proposal(&id, None).await, 404, "not_found").await;
    assert_eq!(log(&app).await[0]["action"], "report_upheld");
}

#[tokio::test]
async fn a_person_reports_a_proposal_once_and_never_their_own() {
    let app = app().await;
    let author = app.citizen().await;
    let reporter = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    expect_json(app.report(&reporter.access_token, &id, "광고").await, 201).await;
    expect_problem(
        app.report(&reporter.access_token, &id, "또 광고").await,
        409,
        "already_exists",
    )
    .await;
    expect_problem(
        app.report(&author.access_token, &id, "제 글").await,
        403,
        "own_proposal",
    )
    .await;
    let problem = expect_problem(
        app.report(&reporter.access_token, &id, "  ").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["reason"]);
    let anonymous = app.report_as(None, &id, &json!({"reason": "x"})).await;
    expect_problem(anonymous, 401, "unauthenticated").await;
    expect_problem(
        app.report(
            &reporter.access_token,
            "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            "x",
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn hidden_proposals_are_invisible_to_everyone_but_their_author_and_moderators() {
    let app = app().await;
    let author = app.citizen().await;
    let stranger = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let hidden = expect_json(
        app.hide(&moderator.access_token, &id, "개인정보 노출")
            .await,
        200,
    )
    .await;
    assert_eq!(hidden["hidden"], true);
    assert_eq!(
        hidden["status"], "submitted",
        "hiding is a flag, not a status"
    );

    for token in [None, Some(stranger.access_token.as_str())] {
        expect_problem(app.proposal(&id, token).await, 404, "not_found").await;
        expect_problem(app.timeline(&id, token).await, 404, "not_found").await;
        assert!(app.list_ids("", token).await.is_empty());
        assert!(app.list_ids("q=주차", token).await.is_empty());
    }
    expect_problem(
        app.support(&stranger.access_token, &id).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        expect_json(app.proposal(&id, Some(&author.access_token)).await, 200).await["hidden"],
        true
    );
    assert_eq!(
        app.list_ids("", Some(&author.access_token)).await,
        vec![id.clone()]
    );
    assert_eq!(
        app.list_ids("q=주차", Some(&moderator.access_token)).await,
        vec![id.clone()]
    );

    expect_problem(
        app.hide(&moderator.access_token, &id, "again").await,
        409,
        "already_hidden",
    )
    .await;
    expect_json(
        app.unhide(&moderator.access_token, &id, "수정됨").await,
        200,
    )
    .await;
    expect_problem(
        app.unhide(&moderator.access_token, &id, "again").await,
        409,
        "not_hidden",
    )
    .await;
    expect_json(app.proposal(&id, None).await, 200).await;

    let actions: Vec<String> = log(&app)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, vec!["unhide", "hide"]);
    assert!(
        !log(&app)
            .await
            .iter()
            .any(|e| e.to_string().contains(&moderator.id)),
        "moderators appear by role only"
    );
}

#[tokio::test]
async fn moderation_is_for_moderators() {
    let app = app().await;
    let author = app.citizen().await;
    let citizen = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let token = Some(citizen.access_token.as_str());
    expect_problem(app.reports("", token).await, 403, "forbidden").await;
    expect_problem(app.reports("", None).await, 401, "unauthenticated").await;
    expect_problem(
        app.hide_as(token, &id, &json!({"reason": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let unknown = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(
        app.resolve_as(
            token,
            unknown,
            &json!({"decision": "uphold", "reason": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    expect_json(app.proposal(&id, None).await, 200).await;
}

#[tokio::test]
async fn moderation_requests_are_validated() {
    let app = app().await;
    let moderator = app.moderator().await;
    let t = Some(moderator.access_token.as_str());
    let problem = expect_problem(
        app.reports("status=pending", t).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["status"]);
    let unknown = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(
        app.resolve_as(t, unknown, &json!({"decision": "uphold", "reason": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    let problem = expect_problem(
        app.resolve_as(t, unknown, &json!({"decision": "maybe", "reason": ""}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["decision", "reason"]);
    expect_problem(
        app.hide_as(t, unknown, &json!({"reason": "x"})).await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.hide_as(t, unknown, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_hidden_proposal_takes_supports_only_from_moderators_but_gives_any_back() {
    let app = app().await;
    let author = app.citizen().await;
    let early = app.citizen().await;
    let late = app.citizen().await;
    let moderator = app.moderator().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    assert_eq!(app.support(&early.access_token, &id).await.status(), 204);
    expect_json(
        app.hide(&moderator.access_token, &id, "개인정보 노출")
            .await,
        200,
    )
    .await;

    expect_problem(app.support(&late.access_token, &id).await, 404, "not_found").await;
    expect_problem(
        app.unsupport(&late.access_token, &id).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.support(&moderator.access_token, &id).await.status(),
        204
    );
    assert_eq!(
        app.support_count(&id, Some(&moderator.access_token)).await,
        2
    );
    // Someone who supported before it was hidden can still take the support back.
    assert_eq!(app.unsupport(&early.access_token, &id).await.status(), 204);
    assert_eq!(
        app.support_count(&id, Some(&moderator.access_token)).await,
        1
    );
}

#[tokio::test]
async fn a_filed_report_comes_with_its_location() {
    let app = app().await;
    let author = app.citizen().await;
    let reporter = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let response = app.report(&reporter.access_token, &id, "광고").await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let report = expect_json(response, 201).await;
    let report_id = report["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/moderation/reports/{report_id}"));
    // Moderators act on the report at `<Location>/resolve`.
    let moderator = app.moderator().await;
    let resolved = app
        .post(
            &format!("{location}/resolve"),
            &json!({"decision": "dismiss", "reason": "광고가 아닙니다."}),
            Some(&moderator.access_token),
        )
        .await;
    expect_json(resolved, 200).await;
}

#[tokio::test]
async fn reports_arriving_together_still_reach_the_threshold() {
    let app = app().await;
    let author = app.citizen().await;
    let id = app.propose(&author.access_token, TITLE, BODY).await;
    let mut reporters = Vec::new();
    for _ in 0..3 {
        reporters.push(app.citizen().await);
    }
    // All three at once: each must see the others' reports, so the third one counted hides it.
    let reports = reporters
        .iter()
        .map(|r| app.report(&r.access_token, &id, "광고입니다"));
    for response in futures_util::future::join_all(reports).await {
        assert_eq!(response.status(), 201);
    }
    expect_problem(app.proposal(&id, None).await, 404, "not_found").await;
    let hides = log(&app)
        .await
        .iter()
        .filter(|e| e["action"] == "auto_hide")
        .count();
    assert_eq!(hides, 1, "hidden once");
}
