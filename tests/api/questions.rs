//! Questions to a live forum's panel: asked while live with the moment they were asked, one vote each
//! (also under a race), one on stage at a time, lists by votes or newest, and the outcome that lists them.

use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn bodies(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["body"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_question_is_asked_while_live_and_records_the_moment() {
    let app = app().await;
    let (official, _) = app.official().await;
    let forum = app
        .plan_forum(&official.access_token, &ocf_tests::live::streamed_forum())
        .await;
    let citizen = app.citizen().await;
    app.walk_forum(&official.access_token, &forum, &["scheduled"])
        .await;
    expect_problem(
        app.ask(&citizen.access_token, &forum, "아직 시작 전").await,
        409,
        "forum_not_live",
    )
    .await;
    app.walk_forum(&official.access_token, &forum, &["live"])
        .await;
    let r = app
        .ask(&citizen.access_token, &forum, "예산은 어떻게 마련합니까?")
        .await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/api/v1/comments/")
    );
    let q = expect_json(r, 201).await;
    assert_eq!(q["question"]["status"], "open");
    assert_eq!(q["question"]["votes"], 0);
    assert_eq!(q["question"]["voted_by_me"], false);
    assert_eq!(q["agenda_item"], 0);
    assert!(q["stream_offset"].as_i64().unwrap() >= 0);
    assert_eq!(q["parent_id"], Value::Null);
    // It is a comment on the forum too.
    let comments = expect_json(app.comments("forums", &forum, "", None).await, 200).await;
    assert_eq!(comments["items"][0]["question"]["status"], "open");
    for bad in [
        json!({"body": ""}),
        json!({"body": "x".repeat(5001)}),
        json!({"body": "q", "parent_id": q["id"]}),
    ] {
        let r = app
            .post(
                &format!("/api/v1/forums/{forum}/questions"),
                &bad,
                Some(&citizen.access_token),
            )
            .await;
        expect_problem(r, 422, "validation_failed").await;
    }
    expect_problem(
        app.post(
            &format!("/api/v1/forums/{forum}/questions"),
            &json!({"body": "q"}),
            None,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    let unknown = uuid::Uuid::now_v7().to_string();
    expect_problem(
        app.ask(&citizen.access_token, &unknown, "q").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn one_vote_each_even_when_many_vote_at_once() {
    let app = app().await;
    let (_, forum) = app.live_forum().await;
    let author = app.citizen().await;
    let q = app.ask_ok(&author.access_token, &forum, "질문").await;
    let id = q["id"].as_str().unwrap().to_owned();
    expect_problem(
        app.vote_question(&author.access_token, &id, true).await,
        403,
        "own_comment",
    )
    .await;
    let mut voters = Vec::new();
    for _ in 0..10 {
        voters.push(app.citizen().await);
    }
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for v in &voters {
        for _ in 0..2 {
            let (app, token, id) = (app.clone(), v.access_token.clone(), id.clone());
            tasks.push(tokio::spawn(async move {
                app.vote_question(&token, &id, true).await.status().as_u16()
            }));
        }
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let page = expect_json(
        app.questions(&forum, "", Some(&voters[0].access_token))
            .await,
        200,
    )
    .await;
    assert_eq!(
        page["items"][0]["question"]["votes"], 10,
        "twenty votes from ten people count ten"
    );
    assert_eq!(page["items"][0]["question"]["voted_by_me"], true);
    let back = expect_json(
        app.vote_question(&voters[0].access_token, &id, false).await,
        200,
    )
    .await;
    assert_eq!(back["votes"], 9);
    assert_eq!(back["voted_by_me"], false);
    let again = expect_json(
        app.vote_question(&voters[0].access_token, &id, false).await,
        200,
    )
    .await;
    assert_eq!(
        again["votes"], 9,
        "taking back a vote twice changes nothing"
    );
    // A plain comment is not a question.
    let plain = app
        .post_comment(&author.access_token, "forums", &forum, "그냥 댓글", None)
        .await;
    expect_problem(
        app.vote_question(&voters[0].access_token, plain["id"].as_str().unwrap(), true)
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.vote_question(&voters[0].access_token, "nope", true)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn managers_put_one_question_on_stage_then_mark_it_answered() {
    let app = app().await;
    let (official, forum) = app.live_forum().await;
    let token = &official.access_token;
    let citizen = app.citizen().await;
    let first = app.ask_ok(&citizen.access_token, &forum, "첫 질문").await;
    let second = app.ask_ok(&citizen.access_token, &forum, "둘째 질문").await;
    let (a, b) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    expect_problem(
        app.set_question_status(&citizen.access_token, a, "on_stage")
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    let on = expect_json(app.set_question_status(token, a, "on_stage").await, 200).await;
    assert_eq!(on["question"]["status"], "on_stage");
    let p = expect_problem(
        app.set_question_status(token, b, "on_stage").await,
        409,
        "question_on_stage",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains(a));
    expect_json(app.set_question_status(token, a, "answered").await, 200).await;
    expect_problem(
        app.set_question_status(token, a, "open").await,
        409,
        "invalid_transition",
    )
    .await;
    expect_json(app.set_question_status(token, b, "on_stage").await, 200).await;
    let r = app
        .post(
            &format!("/api/v1/questions/{b}/status"),
            &json!({"status": "asked"}),
            Some(token),
        )
        .await;
    assert_eq!(invalid_fields(r).await, ["status"]);
    let answered = expect_json(app.questions(&forum, "status=answered", None).await, 200).await;
    assert_eq!(bodies(&answered), ["첫 질문"]);
}

#[tokio::test]
async fn questions_list_by_votes_or_newest_in_keyset_pages() {
    let app = app().await;
    let (official, forum) = app.live_forum().await;
    let author = app.citizen().await;
    let voter = app.citizen().await;
    let mut ids = Vec::new();
    for text in ["하나", "둘", "셋"] {
        let q = app.ask_ok(&author.access_token, &forum, text).await;
        ids.push(q["id"].as_str().unwrap().to_owned());
    }
    expect_json(
        app.vote_question(&voter.access_token, &ids[1], true).await,
        200,
    )
    .await;
    let votes = expect_json(app.questions(&forum, "limit=2", None).await, 200).await;
    assert_eq!(bodies(&votes), ["둘", "셋"]);
    let cursor = votes["next_cursor"].as_str().unwrap();
    let rest = expect_json(
        app.questions(&forum, &format!("limit=2&cursor={cursor}"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(bodies(&rest), ["하나"]);
    let newest = expect_json(app.questions(&forum, "sort=newest", None).await, 200).await;
    assert_eq!(bodies(&newest), ["셋", "둘", "하나"]);
    for bad in ["sort=loudest", "status=asked", "limit=0", "cursor=zzz"] {
        expect_problem(
            app.questions(&forum, bad, None).await,
            422,
            "validation_failed",
        )
        .await;
    }
    // The outcome lists them with their votes and whether they were answered.
    let token = &official.access_token;
    expect_json(
        app.set_question_status(token, &ids[1], "answered").await,
        200,
    )
    .await;
    app.walk_forum(token, &forum, &["ended"]).await;
    expect_problem(
        app.vote_question(&voter.access_token, &ids[0], true).await,
        409,
        "forum_not_live",
    )
    .await;
    let outcome = expect_json(
        app.put_outcome(token, &forum, &json!({"summary": "섬 주민의 질문 세 가지를 듣고 답했습니다. 예산이 가장 많이 물어졌습니다.", "recommendations": ["권고"]}))
            .await,
        201,
    )
    .await;
    let listed = outcome["questions"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["body"], "둘");
    assert_eq!(listed[0]["votes"], 1);
    assert_eq!(listed[0]["answered"], true);
    assert_eq!(listed[1]["answered"], false);
    assert_eq!(listed[0]["agenda_item"], 0);
    let read = expect_json(
        app.get(&format!("/api/v1/forums/{forum}/outcome"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(read["questions"], outcome["questions"]);
}

#[tokio::test]
async fn votes_and_moves_reach_the_stream() {
    let app = app().await;
    let (official, forum) = app.live_forum().await;
    let mut c = app.follow(&forum, None, None).await;
    let author = app.citizen().await;
    let voter = app.citizen().await;
    let q = app
        .ask_ok(&author.access_token, &forum, "스트림 질문")
        .await;
    let id = q["id"].as_str().unwrap();
    let asked = c.next_named("comment.posted").await;
    assert_eq!(asked.data["comment"]["question"]["status"], "open");
    expect_json(app.vote_question(&voter.access_token, id, true).await, 200).await;
    let voted = c.next_named("comment.question_voted").await;
    assert_eq!(voted.data["comment_id"], id);
    assert_eq!(voted.data["votes"], 1);
    expect_json(
        app.set_question_status(&official.access_token, id, "on_stage")
            .await,
        200,
    )
    .await;
    let staged = c.next_named("comment.question_status_changed").await;
    assert_eq!(staged.data["comment"]["question"]["status"], "on_stage");
    assert!(staged.id > voted.id && voted.id > asked.id);
}
