//! The funnel's two halves, looked at under the API: the funnel reader's projection (one journey per
//! proposal, `funnel_journeys`) and what a request adds from the log after the reader's cursor. The
//! answer is the same whichever half holds a journey.

use std::time::Duration;

use ocf_persistence::DatabaseUrl;
use ocf_tests::{TestApp, expect_json};
use serde_json::Value;

use crate::stats::{fixture, funnel};

/// Events after the funnel reader's cursor.
async fn behind(app: &TestApp) -> i64 {
    let after = match app.database_url {
        DatabaseUrl::Sqlite(_) => "e.seq > r.seq",
        DatabaseUrl::Postgres(_) => "(e.tx_id::text::bigint, e.seq) > (r.tx, r.seq)",
    };
    app.sql_number(&format!(
        "SELECT COUNT(*) AS n FROM events e, log_readers r WHERE r.name = 'funnel' AND {after}"
    ))
    .await
}

async fn caught_up(app: &TestApp) {
    for _ in 0..200 {
        if behind(app).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the funnel reader did not reach the end of the log in 20 s");
}

const QUERIES: [&str; 3] = [
    "",
    "region=busan",
    "channel=web&policy_area=transport-logistics",
];

async fn all(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for q in QUERIES {
        out.push(funnel(app, q).await);
    }
    out
}

#[tokio::test]
async fn the_funnel_reads_the_projection_and_the_log_after_the_readers_cursor() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let org = format!("organization_id={}", fx.org_a);
    let before = (all(&app).await, funnel(&app, &org).await);

    caught_up(&app).await;
    assert_eq!(
        app.sql_number("SELECT COUNT(*) AS n FROM funnel_journeys")
            .await,
        app.sql_number("SELECT COUNT(*) AS n FROM proposals").await,
        "one journey per proposal"
    );
    assert_eq!(
        app.sql_number("SELECT COUNT(*) AS n FROM funnel_journeys WHERE progressed")
            .await,
        5,
        "five of the six went past collected"
    );
    // From the projection alone, the same figures.
    assert_eq!((all(&app).await, funnel(&app, &org).await), before);

    // The answer comes from the projection: a row changed under the reader changes it.
    app.sql("UPDATE funnel_journeys SET rejected_at = NULL WHERE rejected_at IS NOT NULL")
        .await;
    let changed = funnel(&app, "").await;
    assert_ne!(changed, before.0[0]);
    assert_eq!(
        crate::stats::count(&changed, "stages", "stage", "rejected"),
        0
    );

    // Moved back to the start of the log, the reader's work is all "after the cursor": the request
    // computes every journey itself, with the same answer, and the reader then rebuilds the rows.
    app.sql("UPDATE log_readers SET tx = 0, seq = 0 WHERE name = 'funnel'")
        .await;
    assert_eq!((all(&app).await, funnel(&app, &org).await), before);
    caught_up(&app).await;
    assert_eq!(
        app.sql_number("SELECT COUNT(*) AS n FROM funnel_journeys WHERE rejected_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!((all(&app).await, funnel(&app, &org).await), before);
}

#[tokio::test]
async fn a_change_after_the_cursor_shows_at_once() {
    let app = TestApp::spawn().await;
    fixture(&app).await;
    caught_up(&app).await;
    let m = app.moderator().await;
    let citizen = app.citizen().await;
    let id = app
        .propose(
            &citizen.access_token,
            "새로 모인 제안",
            "버스 노선을 늘려 주민의 통근 시간을 줄여 주세요. 배차 간격도 줄여야 합니다.",
        )
        .await;
    for (status, reason) in [
        ("under_review", None),
        ("rejected", Some("이미 시행 중인 정책입니다.")),
    ] {
        expect_json(
            app.set_status(&m.access_token, &id, status, reason).await,
            200,
        )
        .await;
    }
    // No waiting for the reader: the request reads the log after its cursor.
    let f = funnel(&app, "").await;
    assert_eq!(crate::stats::count(&f, "stages", "stage", "collected"), 7);
    assert_eq!(crate::stats::count(&f, "stages", "stage", "rejected"), 2);
    caught_up(&app).await;
    assert_eq!(funnel(&app, "").await, f);
}

/// Holds the funnel reader where it is: a trigger refuses every forward move of its cursor (its runs
/// fail and retry), so what a request sees after the cursor stays there.
async fn pause_reader(app: &TestApp) {
    match app.database_url {
        DatabaseUrl::Sqlite(_) => {
            app.sql(
                "CREATE TRIGGER pause_funnel BEFORE UPDATE ON log_readers \
                 WHEN NEW.name = 'funnel' AND NEW.seq > OLD.seq \
                 BEGIN SELECT RAISE(ABORT, 'paused by the test'); END",
            )
            .await;
        }
        DatabaseUrl::Postgres(_) => {
            app.sql(
                "CREATE FUNCTION pause_funnel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.name = 'funnel' AND NEW.seq > OLD.seq THEN \
                 RAISE EXCEPTION 'paused by the test'; END IF; RETURN NEW; END $$",
            )
            .await;
            app.sql(
                "CREATE TRIGGER pause_funnel BEFORE UPDATE ON log_readers \
                 FOR EACH ROW EXECUTE FUNCTION pause_funnel()",
            )
            .await;
        }
    }
}

#[tokio::test]
async fn a_reader_far_behind_is_not_waited_for_the_filter_is_computed_whole() {
    // `FUNNEL_FAR_BEHIND=0`: one event after the cursor is "far", and the request reads no projected
    // row at all.
    let app = TestApp::spawn_with(|s| s.funnel_far_behind = 0).await;
    let fx = fixture(&app).await;
    caught_up(&app).await;
    let org = format!("organization_id={}", fx.org_a);
    let projected = (all(&app).await, funnel(&app, &org).await);
    assert_eq!(
        crate::stats::count(&projected.0[0], "stages", "stage", "collected"),
        6
    );

    // The reader held one event behind, and its projection emptied: counted from the projection, the
    // funnel would show the one proposal that event names; computed whole, it shows all six.
    pause_reader(&app).await;
    app.sql("UPDATE log_readers SET seq = seq - 1 WHERE name = 'funnel'")
        .await;
    app.sql("DELETE FROM funnel_journeys").await;
    assert_eq!(behind(&app).await, 1);
    assert_eq!((all(&app).await, funnel(&app, &org).await), projected);
    assert_eq!(behind(&app).await, 1, "the reader stayed where it was held");
}
