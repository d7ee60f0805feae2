//! Upgrades: a database made by the previous release (timeline rows in `proposal_events`) loses nothing
//! when the event log arrives.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use ocf_domain::event::{AggregateKind, EventReader, EventType};
use ocf_domain::proposal::ProposalEvent;
use ocf_domain::{PageRequest, ports::PolicyAreaRepository};
use ocf_persistence::{Database, DatabaseUrl};
use ocf_tests::fresh_database;

/// The last migration of the release before the event log.
const BEFORE_EVENT_LOG: &str = "20261127000002";

fn execute(url: &DatabaseUrl, sql: &str) {
    match url {
        DatabaseUrl::Sqlite(path) => diesel::SqliteConnection::establish(&path.to_string_lossy())
            .unwrap()
            .batch_execute(sql)
            .unwrap(),
        DatabaseUrl::Postgres(url) => diesel::PgConnection::establish(url)
            .unwrap()
            .batch_execute(sql)
            .unwrap(),
    }
}

#[test]
fn timeline_rows_of_the_previous_release_become_the_first_events() {
    let (url, _scratch) = fresh_database();
    let db = Database::connect(&url, 2).unwrap();
    assert_eq!(db.migrate_through(BEFORE_EVENT_LOG).unwrap().len(), 2);
    ocf_api::seed::seed(&db).unwrap();
    let area = db.all_policy_areas().unwrap()[0].id;
    let (user, proposal) = (
        "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d01",
        "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d02",
    );
    // What the previous release wrote: a proposal, submitted, then rejected by a moderator.
    execute(
        &url,
        &format!(
            "INSERT INTO users (id, email, password_hash, display_name, created_at, updated_at) \
               VALUES ('{user}', 'old@example.kr', 'x', '시민', '2026-11-28 09:00:00', '2026-11-28 09:00:00');
             INSERT INTO proposals (id, author_id, title, body, policy_area_id, channel, status, search_text, \
               created_at, updated_at, version) VALUES ('{proposal}', '{user}', '주차장 공유 제안', \
               '낮 시간에 비어 있는 주차장을 이웃과 공유합시다.', '{area}', 'web', 'rejected', '주차', \
               '2026-11-28 09:00:00', '2026-11-29 10:00:00', 3);
             INSERT INTO proposal_events (id, proposal_id, kind, actor_role, actor_id, from_status, to_status, \
               reason, related_proposal_id, count, created_at) VALUES
               ('0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d10', '{proposal}', 'submitted', 'author', '{user}', NULL, \
                'submitted', NULL, NULL, NULL, '2026-11-28 09:00:00'),
               ('0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11', '{proposal}', 'status_changed', 'moderator', NULL, \
                'under_review', 'rejected', '이미 시행 중입니다', NULL, NULL, '2026-11-29 10:00:00');"
        ),
    );
    let applied = db.migrate().unwrap();
    assert!(
        applied.len() >= 2,
        "the event log and what follows: {applied:?}"
    );
    let page = db
        .aggregate_events(
            AggregateKind::Proposal,
            proposal,
            &PageRequest::new(Some(10), None).unwrap(),
        )
        .unwrap();
    let types: Vec<EventType> = page.items.iter().map(|e| e.event.event_type).collect();
    assert_eq!(
        types,
        [
            EventType::ProposalSubmitted,
            EventType::ProposalStatusChanged
        ]
    );
    let rejected = ProposalEvent::from_logged(&page.items[1]).unwrap();
    assert_eq!(rejected.reason.as_deref(), Some("이미 시행 중입니다"));
    assert_eq!(rejected.to_status.map(|s| s.as_str()), Some("rejected"));
    assert_eq!(
        rejected.id.to_string(),
        "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"
    );
    assert_eq!(
        page.items[0]
            .event
            .actor_id
            .map(|a| a.to_string())
            .as_deref(),
        Some(user)
    );
    assert_eq!(
        page.items[1].event.payload.related_id, None,
        "nulls are not carried over"
    );
}
