//! The forums' statistics over HTTP: held, cancelled, by kind and region, with the proposals born there.

use ocf_tests::{TestApp, expect_json};
use serde_json::json;

use crate::stats::count;

#[tokio::test]
async fn forums_held_are_counted_by_kind_and_region_with_their_proposals() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let (official, _) = app.official().await;
    let t = official.access_token.as_str();
    let held = app
        .plan_forum(t, &ocf_tests::forum::offline_forum(Some(10)))
        .await;
    app.walk_forum(t, &held, &["scheduled", "live", "ended"])
        .await;
    let cancelled = app
        .plan_forum(t, &ocf_tests::forum::offline_forum(None))
        .await;
    app.walk_forum(t, &cancelled, &["scheduled"]).await;
    expect_json(
        app.set_forum_status(t, &cancelled, "cancelled", Some("태풍 예보로 취소합니다"))
            .await,
        200,
    )
    .await;
    let citizen = app.citizen().await;
    let at_forum = json!({"title": "토론회에서 나온 제안입니다", "forum_id": held,
        "body": "섬 주민을 위한 여객선 증편이 필요합니다. 겨울철 결항도 줄여 주세요.",
        "policy_area": "transport-logistics"});
    expect_json(
        app.create_proposal(&citizen.access_token, &at_forum).await,
        201,
    )
    .await;

    let s = expect_json(app.get("/api/v1/stats/forums", None).await, 200).await;
    assert_eq!(
        (s["held"].clone(), s["cancelled"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(count(&s, "by_kind", "kind", "regional_conference"), 1);
    assert_eq!(count(&s, "by_kind", "kind", "open_forum"), 0);
    assert_eq!(s["by_region"], json!([{"region": "jeonnam", "count": 1}]));
    assert_eq!(s["proposals"], 1);
    assert_eq!(count(&s, "outcomes", "status", "submitted"), 1);
    let later = expect_json(
        app.get("/api/v1/stats/forums?from=2099-01-01", None).await,
        200,
    )
    .await;
    assert_eq!(later["held"], 0);
}
