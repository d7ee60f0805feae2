//! Comments on proposals, topics and forums: threads three levels deep, one level per page, likes, the
//! author's edit and soft delete, closed subjects, live marks, and moderation through the shared mechanism.

use ocf_tests::forum::offline_forum;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn replies_nest_three_levels_and_each_level_pages_on_its_own() {
    let app = app().await;
    let author = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "공영 주차장 야간 개방",
            "낮 시간에 비어 있는 공영 주차장을 야간에 주민에게 개방해 주세요.",
        )
        .await;
    let t = &author.access_token;
    let root = app
        .post_comment(t, "proposals", &p, "좋은 제안입니다", None)
        .await;
    let root_id = root["id"].as_str().unwrap();
    assert_eq!(
        (root["depth"].as_i64(), root["author_role"].as_str()),
        (Some(0), Some("citizen"))
    );
    let l1 = app
        .post_comment(t, "proposals", &p, "동의합니다", Some(root_id))
        .await;
    let l2 = app
        .post_comment(t, "proposals", &p, "저도요", l1["id"].as_str())
        .await;
    let l3 = app
        .post_comment(t, "proposals", &p, "더 깊은 답글", l2["id"].as_str())
        .await;
    assert_eq!(l2["depth"], 2);
    assert_eq!(l3["depth"], 2, "the deepest level");
    assert_eq!(
        l3["parent_id"], l1["id"],
        "joins the deepest allowed thread"
    );
    assert_eq!(l3["in_reply_to"], l2["id"]);
    for i in 0..4 {
        app.post_comment(t, "proposals", &p, &format!("의견 {i}"), None)
            .await;
    }
    let top = expect_json(app.comments("proposals", &p, "limit=3", None).await, 200).await;
    assert_eq!(top["items"][0]["id"], root["id"]);
    assert_eq!(top["items"][0]["reply_count"], 1);
    let rest = expect_json(
        app.comments(
            "proposals",
            &p,
            &format!("limit=3&cursor={}", top["next_cursor"].as_str().unwrap()),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
    assert!(rest["next_cursor"].is_null());
    let replies = expect_json(
        app.comments(
            "proposals",
            &p,
            &format!("parent_id={}", l1["id"].as_str().unwrap()),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        ids(&replies),
        [l2["id"].as_str().unwrap(), l3["id"].as_str().unwrap()]
    );
    let newest = expect_json(
        app.comments("proposals", &p, "sort=newest&limit=1", None)
            .await,
        200,
    )
    .await;
    assert_eq!(newest["items"][0]["body"], "의견 3");
    for q in ["sort=best", "parent_id=x", "limit=101", "cursor=oldest:x"] {
        expect_problem(
            app.comments("proposals", &p, q, None).await,
            422,
            "validation_failed",
        )
        .await;
    }
    expect_problem(
        app.comments(
            "proposals",
            "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            "",
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn likes_are_one_per_person_and_sort_the_thread() {
    let app = app().await;
    let author = app.citizen().await;
    let topic = app
        .suggest(&author.access_token, "섬 주민 여객선 이동권 문제")
        .await;
    let a = app
        .post_comment(&author.access_token, "topics", &topic, "첫 의견", None)
        .await;
    let b = app
        .post_comment(&author.access_token, "topics", &topic, "둘째 의견", None)
        .await;
    let b_id = b["id"].as_str().unwrap();
    let fan = app.citizen().await;
    for _ in 0..2 {
        assert_eq!(
            app.like_comment(&fan.access_token, b_id, true)
                .await
                .status(),
            204
        );
    }
    expect_problem(
        app.like_comment(&author.access_token, b_id, true).await,
        403,
        "own_comment",
    )
    .await;
    let liked = expect_json(
        app.comments("topics", &topic, "sort=most_liked", Some(&fan.access_token))
            .await,
        200,
    )
    .await;
    assert_eq!(liked["items"][0]["id"], b["id"]);
    assert_eq!(liked["items"][0]["like_count"], 1);
    assert_eq!(liked["items"][0]["liked_by_me"], true);
    assert_eq!(liked["items"][1]["id"], a["id"]);
    for _ in 0..2 {
        assert_eq!(
            app.like_comment(&fan.access_token, b_id, false)
                .await
                .status(),
            204
        );
    }
    let c = expect_json(
        app.get(&format!("/api/v1/comments/{b_id}"), None).await,
        200,
    )
    .await;
    assert_eq!(c["like_count"], 0);
}

#[tokio::test]
async fn only_the_author_edits_and_a_delete_leaves_a_placeholder() {
    let app = app().await;
    let author = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "공영 주차장 야간 개방",
            "낮 시간에 비어 있는 공영 주차장을 야간에 주민에게 개방해 주세요.",
        )
        .await;
    let c = app
        .post_comment(&author.access_token, "proposals", &p, "처음 의견", None)
        .await;
    let id = c["id"].as_str().unwrap();
    let reply = app
        .post_comment(&author.access_token, "proposals", &p, "답글", Some(id))
        .await;
    let other = app.citizen().await;
    expect_problem(
        app.edit_comment(&other.access_token, id, "남의 글").await,
        403,
        "not_author",
    )
    .await;
    expect_problem(
        app.delete_comment(&other.access_token, id).await,
        403,
        "not_author",
    )
    .await;
    invalid_fields(app.edit_comment(&author.access_token, id, "   ").await).await;
    invalid_fields(
        app.edit_comment(&author.access_token, id, &"가".repeat(5001))
            .await,
    )
    .await;
    let edited = expect_json(
        app.edit_comment(&author.access_token, id, "고친 의견")
            .await,
        200,
    )
    .await;
    assert_eq!(edited["body"], "고친 의견");
    assert!(edited["edited_at"].is_string());
    for _ in 0..2 {
        assert_eq!(
            app.delete_comment(&author.access_token, id).await.status(),
            204
        );
    }
    expect_problem(
        app.get(&format!("/api/v1/comments/{id}"), None).await,
        404,
        "not_found",
    )
    .await;
    let listed = expect_json(app.comments("proposals", &p, "", None).await, 200).await;
    let gone = &listed["items"][0];
    assert_eq!(
        (gone["deleted"].as_bool(), gone["body"].is_null()),
        (Some(true), true)
    );
    expect_problem(
        app.edit_comment(&author.access_token, id, "되살리기").await,
        409,
        "comment_deleted",
    )
    .await;
    expect_problem(
        app.like_comment(&other.access_token, id, true).await,
        409,
        "comment_deleted",
    )
    .await;
    let replies = expect_json(
        app.comments("proposals", &p, &format!("parent_id={id}"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(
        replies["items"][0]["id"], reply["id"],
        "replies keep their place"
    );
    let top = expect_json(app.comments("proposals", &p, "", None).await, 200).await;
    assert_eq!(
        top["items"][0]["deleted"], true,
        "the placeholder stays in the thread"
    );
}

#[tokio::test]
async fn closed_subjects_take_no_comments_and_bad_input_loses_nothing() {
    let app = app().await;
    let author = app.citizen().await;
    let t = &author.access_token;
    let p = app
        .propose(
            t,
            "공영 주차장 야간 개방",
            "낮 시간에 비어 있는 공영 주차장을 야간에 주민에게 개방해 주세요.",
        )
        .await;
    let other = app
        .propose(
            t,
            "버스 정류장 그늘막 설치",
            "여름철 버스 정류장에 그늘막을 설치해 주시면 좋겠습니다.",
        )
        .await;
    let foreign = app
        .post_comment(t, "proposals", &other, "다른 제안의 댓글", None)
        .await;
    assert_eq!(
        invalid_fields(
            app.comment_on(
                Some(t),
                "proposals",
                &p,
                &json!({"body": "답글", "parent_id": foreign["id"]})
            )
            .await
        )
        .await,
        ["parent_id"]
    );
    invalid_fields(
        app.comment_on(Some(t), "proposals", &p, &json!({"body": ""}))
            .await,
    )
    .await;
    invalid_fields(
        app.comment_on(
            Some(t),
            "proposals",
            &p,
            &json!({"body": "의견", "extra": 1}),
        )
        .await,
    )
    .await;
    expect_problem(
        app.comment_on(
            Some(t),
            "proposals",
            &p,
            &json!({"body": "의견", "agenda_item": 0}),
        )
        .await,
        409,
        "forum_not_live",
    )
    .await;
    expect_problem(
        app.comment_on(None, "proposals", &p, &json!({"body": "의견"}))
            .await,
        401,
        "unauthenticated",
    )
    .await;
    let empty = expect_json(app.comments("proposals", &p, "", None).await, 200).await;
    assert!(
        empty["items"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
    expect_json(
        app.post(
            &format!("/api/v1/proposals/{p}/withdraw"),
            &json!({}),
            Some(t),
        )
        .await,
        200,
    )
    .await;
    expect_problem(
        app.comment_on(Some(t), "proposals", &p, &json!({"body": "의견"}))
            .await,
        409,
        "subject_closed",
    )
    .await;
    let (official, _) = app.official().await;
    let f = app
        .plan_forum(&official.access_token, &offline_forum(None))
        .await;
    expect_problem(
        app.comment_on(Some(t), "forums", &f, &json!({"body": "의견"}))
            .await,
        404,
        "not_found",
    )
    .await;
    app.walk_forum(&official.access_token, &f, &["scheduled"])
        .await;
    expect_problem(
        app.comment_on(
            Some(t),
            "forums",
            &f,
            &json!({"body": "의견", "stream_offset": 10}),
        )
        .await,
        409,
        "forum_not_live",
    )
    .await;
    app.walk_forum(&official.access_token, &f, &["live"]).await;
    assert_eq!(
        invalid_fields(
            app.comment_on(
                Some(t),
                "forums",
                &f,
                &json!({"body": "의견", "agenda_item": 5, "stream_offset": -1})
            )
            .await
        )
        .await,
        ["agenda_item", "stream_offset"]
    );
    let live = expect_json(app.comment_on(Some(t), "forums", &f, &json!({"body": "여객선 운항 횟수부터 늘려야 합니다.", "agenda_item": 0, "stream_offset": 1830})).await, 201).await;
    assert_eq!(
        (live["agenda_item"].as_i64(), live["stream_offset"].as_i64()),
        (Some(0), Some(1830))
    );
    let whole = expect_json(
        app.comment_on(
            Some(t),
            "forums",
            &f,
            &json!({"body": "정수로 보낸 시각", "stream_offset": 90.0}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        whole["stream_offset"], 90,
        "90.0 is the integer 90, as JSON Schema says"
    );
    assert_eq!(
        invalid_fields(
            app.comment_on(
                Some(t),
                "forums",
                &f,
                &json!({"body": "의견", "stream_offset": 1.5})
            )
            .await
        )
        .await,
        ["stream_offset"]
    );
    let official_says = app
        .post_comment(&official.access_token, "forums", &f, "검토하겠습니다", None)
        .await;
    assert_eq!(official_says["author_role"], "official");
}

#[tokio::test]
async fn reported_comments_hide_after_three_and_moderators_decide() {
    let app = app().await;
    let author = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "공영 주차장 야간 개방",
            "낮 시간에 비어 있는 공영 주차장을 야간에 주민에게 개방해 주세요.",
        )
        .await;
    let c = app
        .post_comment(&author.access_token, "proposals", &p, "문제의 댓글", None)
        .await;
    let id = c["id"].as_str().unwrap();
    expect_problem(
        app.post(
            &format!("/api/v1/comments/{id}/reports"),
            &json!({"reason": "욕설"}),
            Some(&author.access_token),
        )
        .await,
        403,
        "own_comment",
    )
    .await;
    for _ in 0..3 {
        let r = app.citizen().await;
        expect_json(
            app.post(
                &format!("/api/v1/comments/{id}/reports"),
                &json!({"reason": "욕설"}),
                Some(&r.access_token),
            )
            .await,
            201,
        )
        .await;
    }
    expect_problem(
        app.get(&format!("/api/v1/comments/{id}"), None).await,
        404,
        "not_found",
    )
    .await;
    let mine = expect_json(
        app.get(
            &format!("/api/v1/comments/{id}"),
            Some(&author.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(mine["hidden"], true);
    let public = expect_json(app.comments("proposals", &p, "", None).await, 200).await;
    assert!(public["items"].as_array().unwrap().is_empty());
    let moderator = app.moderator().await;
    let shown = expect_json(
        app.post(
            &format!("/api/v1/moderation/comments/{id}/unhide"),
            &json!({"reason": "문제없음"}),
            Some(&moderator.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(shown["hidden"], false);
    expect_problem(
        app.post(
            &format!("/api/v1/moderation/comments/{id}/unhide"),
            &json!({"reason": "다시"}),
            Some(&moderator.access_token),
        )
        .await,
        409,
        "not_hidden",
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/moderation/comments/{id}/hide"),
            &json!({"reason": "욕설"}),
            Some(&author.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let log = expect_json(app.get("/api/v1/moderation/log", None).await, 200).await;
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["target_type"] == "comment")
    );
}
