//! Notifications over HTTP: who is told what (followers, supporters, authors, registrants, the person
//! promoted, the person replied to; never the actor), unread first, and marking read (following and the
//! two-instance job are in `notification_reads.rs`).

use ocf_tests::{TestApp, expect_json};
use serde_json::{Value, json};

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

fn types(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_status_change_notifies_the_author_supporters_and_followers_but_not_the_actor() {
    let app = app().await;
    let m = app.moderator().await;
    let author = app.citizen().await;
    let supporter = app.citizen().await;
    let follower = app.citizen().await;
    let quitter = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "심야 버스 노선 확대",
            "심야 버스 노선을 늘려 주세요. 밤늦게 퇴근하는 시민이 많습니다.",
        )
        .await;
    assert_eq!(app.support(&supporter.access_token, &p).await.status(), 204);
    for u in [&follower, &quitter] {
        assert_eq!(
            app.set_follow(Some(&u.access_token), "proposals", &p, true)
                .await
                .status(),
            204
        );
    }
    assert_eq!(
        app.set_follow(Some(&quitter.access_token), "proposals", &p, false)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.set_follow(Some(&m.access_token), "proposals", &p, true)
            .await
            .status(),
        204
    );
    expect_json(
        app.set_status(&m.access_token, &p, "under_review", None)
            .await,
        200,
    )
    .await;
    for u in [&author, &supporter, &follower] {
        let items = app.await_notifications(&u.access_token, 1).await;
        assert_eq!(types(&items), ["proposal.status_changed"]);
        let n = &items[0];
        assert_eq!(n["subject_kind"], "proposal");
        assert_eq!(n["subject_id"], p);
        assert_eq!(n["from_status"], "submitted");
        assert_eq!(n["to_status"], "under_review");
        assert_eq!(n["read"], false);
        assert_eq!(app.unread(&u.access_token).await, 1);
    }
    // The job has passed the event: those who were not to be told have nothing.
    for u in [&quitter, &m] {
        assert_eq!(app.unread(&u.access_token).await, 0);
    }

    // Unread first, then read; newest first within each.
    expect_json(
        app.set_status(&m.access_token, &p, "selected", None).await,
        200,
    )
    .await;
    let items = app.await_notifications(&author.access_token, 2).await;
    assert_eq!(items[0]["to_status"], "selected");
    let older = items[1]["id"].as_str().unwrap().to_owned();
    let marked = expect_json(
        app.post(
            "/api/v1/me/notifications/read",
            &json!({"ids": [older, "999999999"]}),
            Some(&author.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(marked, json!({"marked": 1, "unread": 1}));
    // Someone else's id changes nothing of theirs.
    let others = app.await_notifications(&supporter.access_token, 2).await;
    let theirs = others[0]["id"].as_str().unwrap();
    let marked = expect_json(
        app.post(
            "/api/v1/me/notifications/read",
            &json!({"ids": [theirs]}),
            Some(&author.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(marked["marked"], 0);
    assert_eq!(app.unread(&supporter.access_token).await, 2);
    let page = expect_json(
        app.notifications(&author.access_token, "limit=1").await,
        200,
    )
    .await;
    assert_eq!(page["items"][0]["read"], false);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = expect_json(
        app.notifications(&author.access_token, &format!("limit=1&cursor={cursor}"))
            .await,
        200,
    )
    .await;
    assert_eq!(next["items"][0]["read"], true);
    assert!(next["items"][0]["read_at"].is_string());
    assert_eq!(next["next_cursor"], Value::Null);
    let all = expect_json(
        app.post(
            "/api/v1/me/notifications/read",
            &json!({"all": true}),
            Some(&author.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(all, json!({"marked": 1, "unread": 0}));
}

#[tokio::test]
async fn referral_steps_notify_the_proposals_followers() {
    let app = app().await;
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let (_, other_org) = app.official().await;
    let (p, author) = app
        .selected_proposal(&m.access_token, "주차장을 늘려 주세요")
        .await;
    let r = app.refer_proposal(&m.access_token, &p, &org).await;
    let rid = r["id"].as_str().unwrap();
    let t = &official.access_token;
    let to = json!({"organization_id": other_org, "reason": "소관 부처"});
    expect_json(app.referral_step(Some(t), rid, "transfer", &to).await, 200).await;
    // under_review and selected (status changes), sent, transferred; the move to referred is told by
    // referral.sent, not twice.
    let items = app.await_notifications(&author.access_token, 4).await;
    let got = types(&items);
    assert_eq!(
        got.iter()
            .filter(|t| *t == "proposal.status_changed")
            .count(),
        2,
        "{got:?}"
    );
    assert!(got.contains(&"referral.sent".to_owned()), "{got:?}");
    let transferred = items
        .iter()
        .find(|n| n["type"] == "referral.transferred")
        .unwrap();
    assert_eq!(transferred["referral_id"], rid);
    assert_eq!(transferred["subject_kind"], "proposal");
    assert_eq!(transferred["subject_id"], p);
}

#[tokio::test]
async fn registrants_hear_of_a_new_time_or_a_cancellation_and_repliees_of_replies() {
    let app = app().await;
    let (host, _) = app.official().await;
    let forum = app
        .plan_forum(
            &host.access_token,
            &ocf_tests::forum::offline_forum(Some(10)),
        )
        .await;
    app.walk_forum(&host.access_token, &forum, &["scheduled"])
        .await;
    let guest = app.citizen().await;
    expect_json(
        app.register_for(Some(&guest.access_token), &forum).await,
        201,
    )
    .await;
    let later = chrono::Utc::now() + chrono::Duration::days(3);
    let edit = json!({
        "starts_at": later.to_rfc3339(),
        "ends_at": (later + chrono::Duration::hours(2)).to_rfc3339(),
        "agenda": [],
    });
    expect_json(
        app.edit_forum(Some(&host.access_token), &forum, &edit)
            .await,
        200,
    )
    .await;
    let items = app.await_notifications(&guest.access_token, 1).await;
    assert_eq!(types(&items), ["forum.rescheduled"]);
    assert_eq!(items[0]["subject_kind"], "forum");
    expect_json(
        app.set_forum_status(&host.access_token, &forum, "cancelled", Some("태풍 예보"))
            .await,
        200,
    )
    .await;
    let items = app.await_notifications(&guest.access_token, 2).await;
    assert_eq!(items[0]["type"], "forum.status_changed");
    assert_eq!(items[0]["to_status"], "cancelled");

    // A reply tells the parent's author (not someone replying to themselves).
    let author = app.citizen().await;
    let replier = app.citizen().await;
    let p = app
        .propose(
            &author.access_token,
            "도서관 연장 운영",
            "시험 기간에 도서관을 밤늦게까지 열어 주세요. 학생들이 원합니다.",
        )
        .await;
    let parent = app
        .post_comment(
            &replier.access_token,
            "proposals",
            &p,
            "좋은 제안입니다",
            None,
        )
        .await;
    let pid = parent["id"].as_str().unwrap();
    app.post_comment(
        &replier.access_token,
        "proposals",
        &p,
        "덧붙이면",
        Some(pid),
    )
    .await;
    let reply = app
        .post_comment(
            &author.access_token,
            "proposals",
            &p,
            "감사합니다",
            Some(pid),
        )
        .await;
    let items = app.await_notifications(&replier.access_token, 1).await;
    assert_eq!(types(&items), ["comment.posted"]);
    assert_eq!(items[0]["subject_kind"], "comment");
    assert_eq!(items[0]["subject_id"], reply["id"]);
}

#[tokio::test]
async fn a_place_from_the_waitlist_is_told_to_the_person_promoted() {
    let app = app().await;
    let (host, _) = app.official().await;
    let forum = app
        .plan_forum(
            &host.access_token,
            &ocf_tests::forum::offline_forum(Some(1)),
        )
        .await;
    app.walk_forum(&host.access_token, &forum, &["scheduled"])
        .await;
    let (seated, waiting) = (app.citizen().await, app.citizen().await);
    expect_json(
        app.register_for(Some(&seated.access_token), &forum).await,
        201,
    )
    .await;
    let w = expect_json(
        app.register_for(Some(&waiting.access_token), &forum).await,
        201,
    )
    .await;
    assert_eq!(w["status"], "waitlisted");
    assert_eq!(
        app.cancel_registration(&seated.access_token, &forum)
            .await
            .status(),
        204
    );
    let items = app.await_notifications(&waiting.access_token, 1).await;
    assert_eq!(types(&items), ["registration.promoted"]);
    assert_eq!(items[0]["subject_kind"], "forum");
    assert_eq!(items[0]["subject_id"], forum);
    assert_eq!(items[0]["to_status"], "registered");
    // The one who left is not told of the seat they gave up.
    assert_eq!(app.unread(&seated.access_token).await, 0);
}

#[tokio::test]
async fn a_reply_below_the_deepest_level_tells_the_one_it_answers() {
    let app = app().await;
    let people = [
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
        app.citizen().await,
    ];
    let p = app
        .propose(
            &people[0].access_token,
            "골목길 가로등 설치",
            "골목길이 어두워 밤에 다니기 무섭습니다. 가로등을 설치해 주세요.",
        )
        .await;
    let mut parent: Option<String> = None;
    let mut ids = Vec::new();
    // Depths 0, 1 and 2 by three people; the fourth answers the deepest one.
    for (i, who) in people.iter().enumerate() {
        let c = app
            .post_comment(
                &who.access_token,
                "proposals",
                &p,
                &format!("의견 {i}"),
                parent.as_deref(),
            )
            .await;
        ids.push(c["id"].as_str().unwrap().to_owned());
        parent = Some(ids[i].clone());
    }
    let told = app.await_notifications(&people[2].access_token, 1).await;
    assert_eq!(types(&told), ["comment.posted"]);
    assert_eq!(told[0]["subject_id"], ids[3]);
    // The level-1 author heard of the reply to them only, not of the one below the deepest level.
    let second = app.await_notifications(&people[1].access_token, 1).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["subject_id"], ids[2]);
}
