//! The storage adapters and the use cases over a real database, without HTTP: the unit of work, the event
//! log, upgrades from an earlier schema, and the similar check's candidate query. SQLite by default; set
//! TEST_DATABASE_URL=postgres://... for PostgreSQL, as for the HTTP suite.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod similar;
mod unit_of_work;
mod upgrade;

use ocf_domain::account::{DisplayName, Email, NewUser, Roles, UserId};
use ocf_domain::actor::Actor;
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::ports::{PolicyAreaRepository, UserRepository};
use ocf_domain::proposal::{NewProposalInput, Proposal, ProposalDraft, service};
use ocf_domain::{Id, UseCaseError, clock};
use ocf_persistence::Database;
use ocf_tests::{Scratch, fresh_database};

/// A migrated, seeded database of the test's own.
pub struct World {
    pub db: Database,
    pub area: PolicyAreaId,
    _scratch: Scratch,
}

#[allow(clippy::new_without_default)]
impl World {
    pub fn new() -> Self {
        let (url, scratch) = fresh_database();
        let db = Database::connect(&url, 4).expect("connect");
        db.migrate().expect("migrate");
        ocf_api::seed::seed(&db).expect("seed");
        let area = db
            .all_policy_areas()
            .expect("areas")
            .into_iter()
            .find(|a| a.code.as_str() == "transport-logistics")
            .expect("seeded area")
            .id;
        Self {
            db,
            area,
            _scratch: scratch,
        }
    }

    /// A citizen, stored directly (no password is ever checked here).
    pub fn citizen(&self) -> Actor {
        let id: UserId = Id::generate();
        let user = NewUser {
            id,
            email: Email::parse(&format!("{}@example.kr", id.as_uuid().simple())).expect("email"),
            display_name: DisplayName::parse("시민").expect("name"),
            password_hash: "not-a-real-hash".to_owned(),
            roles: Roles::citizen(),
            created_at: clock::now(),
        };
        self.db.create_user(&user).expect("user");
        Actor::new(id, Roles::citizen())
    }

    /// Submits a proposal through its use case, in one unit of work.
    pub fn propose(&self, author: &Actor, title: &str, body: &str) -> Proposal {
        let draft = ProposalDraft::parse(&NewProposalInput {
            title,
            body,
            region: None,
            tags: &[],
            topic_id: None,
            forum_id: None,
        })
        .expect("draft");
        self.db
            .transact(|uow| service::submit(uow, author, draft, self.area, clock::now()))
            .map_err(|e: UseCaseError| e.to_string())
            .expect("submit")
    }
}
