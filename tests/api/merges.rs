//! Merging duplicates: supports move without counting anyone twice, chains carry them along, and the
//! rules of a merge.

use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};
use serde_json::json;

const TITLE: &str = "아파트 주차장을 낮 시간에 이웃과 공유해요";
const BODY: &str =
    "낮 시간에 비어 있는 아파트 주차장을 인근 주민에게 개방하면 골목 주차 문제가 줄어듭니다.";

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
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
