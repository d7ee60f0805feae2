//! Live streams of forums over real HTTP: every viewer gets every event in log order, a resume replays
//! what was missed without duplicates (or says `reset`), hidden content never reaches the public while
//! moderators see what is pending review, the per-instance limit answers `503`, and across instances on
//! one database a comment posted on one reaches a viewer on the other, also after the listening
//! connection is killed.

use std::time::Duration;

use ocf_tests::live::SseClient;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn is_postgres(app: &TestApp) -> bool {
    matches!(app.database_url, ocf_persistence::DatabaseUrl::Postgres(_))
}

/// Comments until the named event with this body arrives (skipping viewer counts and the like).
async fn comment_event(client: &mut SseClient, body: &str) -> ocf_tests::live::SseEvent {
    loop {
        let e = client.next_named("comment.posted").await;
        if e.data["comment"]["body"] == body {
            return e;
        }
    }
}

#[tokio::test]
async fn every_viewer_gets_each_comment_in_log_order_with_its_position() {
    let app = app().await;
    let (_, forum) = app.live_forum().await;
    let mut a = app.follow(&forum, None, None).await;
    let mut b = app.follow(&forum, None, None).await;
    let hello = a.next().await;
    assert_eq!(
        hello.event, "viewers",
        "a fresh viewer first learns the count"
    );
    assert!(hello.data["viewers"].as_i64().unwrap() >= 1);
    let writer = app.citizen().await;
    for text in ["첫 번째", "두 번째", "세 번째"] {
        app.post_comment(&writer.access_token, "forums", &forum, text, None)
            .await;
    }
    for client in [&mut a, &mut b] {
        let mut last = 0;
        for text in ["첫 번째", "두 번째", "세 번째"] {
            let e = comment_event(client, text).await;
            let id = e.id.unwrap();
            assert!(id > last, "ids increase along the stream");
            assert_eq!(e.data["position"], id);
            assert_eq!(e.data["comment"]["author_role"], "citizen");
            assert!(
                e.data["comment"]["is_mine"].is_null(),
                "shared frames carry no caller"
            );
            last = id;
        }
        assert_eq!(client.retry, Some(3000), "retry: is set");
    }
}

#[tokio::test]
async fn a_resume_replays_what_was_missed_in_order_then_goes_live() {
    let app = app().await;
    let (_, forum) = app.live_forum().await;
    let writer = app.citizen().await;
    let mut first = app.follow(&forum, None, None).await;
    app.post_comment(&writer.access_token, "forums", &forum, "하나", None)
        .await;
    let seen = comment_event(&mut first, "하나").await.id.unwrap();
    drop(first);
    for text in ["둘", "셋"] {
        app.post_comment(&writer.access_token, "forums", &forum, text, None)
            .await;
    }
    let mut again = app.follow(&forum, None, Some(seen)).await;
    let replayed: Vec<_> = vec![again.next().await, again.next().await];
    assert_eq!(
        replayed
            .iter()
            .map(|e| e.data["comment"]["body"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>(),
        ["둘", "셋"],
        "missed events first, in order, nothing seen before"
    );
    assert!(replayed[0].id.unwrap() > seen && replayed[1].id > replayed[0].id);
    app.post_comment(&writer.access_token, "forums", &forum, "넷", None)
        .await;
    let live = comment_event(&mut again, "넷").await;
    assert!(live.id > replayed[1].id);
    // The query parameter does the same for clients that cannot set headers.
    let r = app
        .get(
            &format!("/api/v1/forums/{forum}/events?last_event_id={seen}"),
            None,
        )
        .await;
    let mut by_query = SseClient::new(r);
    assert_eq!(by_query.next().await.data["comment"]["body"], "둘");
}

#[tokio::test]
async fn a_resume_from_too_far_back_or_from_nowhere_gets_reset() {
    let app = TestApp::spawn_with(|s| s.streams.replay_max = 2).await;
    app.seed().await;
    let (_, forum) = app.live_forum().await;
    let writer = app.citizen().await;
    let mut c = app.follow(&forum, None, None).await;
    let start = c.next().await.id.unwrap();
    for text in ["가", "나", "다"] {
        app.post_comment(&writer.access_token, "forums", &forum, text, None)
            .await;
    }
    comment_event(&mut c, "다").await;
    let mut behind = app.follow(&forum, None, Some(start)).await;
    let reset = behind.next().await;
    assert_eq!(reset.event, "reset");
    assert!(reset.data["reason"].as_str().unwrap().contains("reload"));
    let mut future = app.follow(&forum, None, Some(999_999_999)).await;
    assert_eq!(future.next().await.event, "reset");
    for bad in ["abc", "-1", "1.5"] {
        let r = app.follow_raw(&forum, None, Some(bad)).await;
        assert_eq!(invalid_fields(r).await, ["Last-Event-ID"]);
    }
    // A reset still goes live afterwards.
    app.post_comment(&writer.access_token, "forums", &forum, "라", None)
        .await;
    comment_event(&mut behind, "라").await;
}

#[tokio::test]
async fn hidden_content_never_reaches_the_public_and_moderators_see_what_is_pending() {
    let app = app().await;
    let (_, forum) = app.live_forum().await;
    let moderator = app.moderator().await;
    let mut public = app.follow(&forum, None, None).await;
    let mut staff = app
        .follow(&forum, Some(&moderator.access_token), None)
        .await;
    let author = app.citizen().await;
    let c = app
        .post_comment(&author.access_token, "forums", &forum, "문제의 댓글", None)
        .await;
    let id = c["id"].as_str().unwrap();
    comment_event(&mut public, "문제의 댓글").await;
    comment_event(&mut staff, "문제의 댓글").await;
    let reporter = app.citizen().await;
    expect_json(
        app.post(
            &format!("/api/v1/comments/{id}/reports"),
            &json!({"reason": "욕설"}),
            Some(&reporter.access_token),
        )
        .await,
        201,
    )
    .await;
    let filed = staff.next_named("report.filed").await;
    assert_eq!(filed.data["comment_id"], id);
    expect_json(
        app.post(
            &format!("/api/v1/moderation/comments/{id}/hide"),
            &json!({"reason": "욕설"}),
            Some(&moderator.access_token),
        )
        .await,
        200,
    )
    .await;
    let hidden = staff.next_named("comment.hidden").await;
    assert_eq!(hidden.data["comment"]["body"], "문제의 댓글");
    let gone = public.next_named("comment.hidden").await;
    assert_eq!(gone.data["comment_id"], id);
    assert!(
        gone.data.get("comment").is_none(),
        "the public never gets the text"
    );
    // Nothing the public stream carried mentions the report.
    let rest = public.drain(Duration::from_millis(300)).await;
    assert!(rest.iter().all(|e| !e.event.starts_with("report.")));
    // A resume from before the comment replays it without its text for the public.
    let mut replay = app.follow(&forum, None, Some(0)).await;
    let events = replay.drain(Duration::from_millis(500)).await;
    assert!(
        events
            .iter()
            .all(|e| e.data["comment"]["body"] != "문제의 댓글")
    );
    assert!(events.iter().any(|e| e.event == "comment.hidden"));
}

#[tokio::test]
async fn the_stream_is_public_like_its_forum() {
    let app = app().await;
    let (official, _) = app.official().await;
    let draft = app
        .plan_forum(&official.access_token, &ocf_tests::live::streamed_forum())
        .await;
    expect_problem(app.follow_raw(&draft, None, None).await, 404, "not_found").await;
    let citizen = app.citizen().await;
    expect_problem(
        app.follow_raw(&draft, Some(&citizen.access_token), None)
            .await,
        404,
        "not_found",
    )
    .await;
    let _manager = app.follow(&draft, Some(&official.access_token), None).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    expect_problem(app.follow_raw(&unknown, None, None).await, 404, "not_found").await;
    expect_problem(
        app.follow_raw(&draft, Some("not-a-token"), None).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn past_the_instance_limit_a_stream_is_503_with_retry_after() {
    // A closed connection is noticed at the next write: heartbeats every second make that soon.
    let app = TestApp::spawn_with(|s| {
        s.streams.max_open = 1;
        s.streams.heartbeat = Duration::from_secs(1);
    })
    .await;
    app.seed().await;
    let (_, forum) = app.live_forum().await;
    let held = app.follow(&forum, None, None).await;
    let r = app.follow_raw(&forum, None, None).await;
    assert_eq!(r.headers()["retry-after"], "5");
    let p = expect_problem(r, 503, "service_unavailable").await;
    assert!(p["detail"].as_str().unwrap().contains("limit of 1"));
    drop(held);
    // The slot frees when the client leaves.
    let mut opened = false;
    for _ in 0..50 {
        let r = app.follow_raw(&forum, None, None).await;
        if r.status() == 200 {
            opened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(opened, "a stream opens again once the first one closed");
}

#[tokio::test]
async fn status_and_agenda_moves_reach_the_stream() {
    let app = app().await;
    let (official, forum) = app.live_forum().await;
    let token = &official.access_token;
    let mut c = app.follow(&forum, None, None).await;
    let moved = expect_json(app.advance_agenda(token, &forum, json!(1)).await, 200).await;
    assert_eq!(moved["agenda_current"], 1);
    let e = c.next_named("forum.agenda_advanced").await;
    assert_eq!(e.data["agenda_item"], 1);
    let timeline = app.forum_timeline(&forum).await;
    assert_eq!(timeline.last().map(String::as_str), Some("agenda_advanced"));
    let citizen = app.citizen().await;
    let q = app.ask_ok(&citizen.access_token, &forum, "예산은요?").await;
    assert_eq!(q["agenda_item"], 1, "a question records the item under way");
    expect_problem(
        app.advance_agenda(&citizen.access_token, &forum, json!(0))
            .await,
        403,
        "not_forum_manager",
    )
    .await;
    for bad in [json!(2), json!(-1), json!("1"), json!(0.5)] {
        let r = app.advance_agenda(token, &forum, bad).await;
        assert_eq!(invalid_fields(r).await, ["agenda_item"]);
    }
    app.walk_forum(token, &forum, &["ended"]).await;
    let ended = c.next_named("forum.status_changed").await;
    assert_eq!(ended.data["to_status"], "ended");
    expect_problem(
        app.advance_agenda(token, &forum, json!(0)).await,
        409,
        "forum_not_live",
    )
    .await;
}

#[tokio::test]
async fn a_comment_posted_on_one_instance_reaches_a_viewer_on_another() {
    let app = app().await;
    // Without a notification the other instance would only see it on its slow safety poll.
    let other = app
        .another_instance(|s| s.streams.safety_poll = Duration::from_secs(600))
        .await;
    let (_, forum) = app.live_forum().await;
    let mut on_other = other.follow(&forum, None, None).await;
    let mut here = app.follow(&forum, None, None).await;
    on_other.next().await;
    let writer = app.citizen().await;
    app.post_comment(&writer.access_token, "forums", &forum, "A에서 씀", None)
        .await;
    if is_postgres(&app) {
        let e = tokio::time::timeout(
            Duration::from_secs(5),
            comment_event(&mut on_other, "A에서 씀"),
        )
        .await
        .expect("NOTIFY brings it to the other instance at once");
        assert!(e.id.is_some());
    } else {
        // SQLite has one writing instance; a second one sees the log only when it reads it.
        drop(on_other);
    }
    comment_event(&mut here, "A에서 씀").await;
}

#[tokio::test]
async fn viewer_counts_add_up_across_instances() {
    let app = app().await;
    let other = app.another_instance(|_| {}).await;
    let (_, forum) = app.live_forum().await;
    let mut a = app.follow(&forum, None, None).await;
    let _b = other.follow(&forum, None, None).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let e = a.next_named("viewers").await;
        if e.data["viewers"] == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the count reaches 2"
        );
    }
}

#[tokio::test]
async fn after_the_listening_connection_is_killed_the_stream_recovers_with_no_gap() {
    let app = app().await;
    if !is_postgres(&app) {
        return; // SQLite has no listening connection.
    }
    let viewer_side = app
        .another_instance(|s| s.streams.safety_poll = Duration::from_secs(600))
        .await;
    let (_, forum) = app.live_forum().await;
    let mut c = viewer_side.follow(&forum, None, None).await;
    c.next().await;
    let writer = app.citizen().await;
    app.post_comment(&writer.access_token, "forums", &forum, "before", None)
        .await;
    let before = comment_event(&mut c, "before").await.id.unwrap();
    let name = viewer_side.live.listener_name();
    let connections = viewer_side.live.listener_connections();
    let killed = terminate(&app, &name);
    assert_eq!(killed, 1, "one listening connection per instance");
    app.post_comment(&writer.access_token, "forums", &forum, "during", None)
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while viewer_side.live.listener_connections() == connections {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listener reconnects"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.post_comment(&writer.access_token, "forums", &forum, "after", None)
        .await;
    let during = comment_event(&mut c, "during").await.id.unwrap();
    let after = comment_event(&mut c, "after").await.id.unwrap();
    assert!(
        before < during && during < after,
        "in order, none lost, none twice"
    );
}

/// Ends the backend of the listener named `name`; how many it ended.
fn terminate(app: &TestApp, name: &str) -> usize {
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Done {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        done: bool,
    }
    let ocf_persistence::DatabaseUrl::Postgres(url) = &app.database_url else {
        return 0;
    };
    let mut conn = diesel::PgConnection::establish(url).unwrap();
    let rows: Vec<Done> = diesel::sql_query(
        "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind::<diesel::sql_types::Text, _>(name)
    .load(&mut conn)
    .unwrap();
    rows.iter().filter(|r| r.done).count()
}
