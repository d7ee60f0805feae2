//! Repository ports of accounts, sessions and reference data (each aggregate built on use cases keeps its
//! own in its module: `proposal::ProposalStore`, `topic::TopicStore`, ...). `ocf-persistence` implements them for SQLite and PostgreSQL.
//!
//! They are synchronous: the API calls them off the async workers (`web::block`), so a slow query never
//! stalls other requests. Every method may also return [`RepoError::Backend`] when storage fails.

use chrono::{DateTime, Utc};

use crate::account::{Assignment, Credentials, DisplayName, Email, NewUser, Role, User, UserId};
use crate::organization::{Organization, OrganizationId};
use crate::policy_area::{PolicyArea, PolicyAreaId};
use crate::{Id, Page, PageRequest, RepoError};

pub trait UserRepository {
    /// Stores a new account.
    ///
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "email" }` when the (case-folded) email is taken.
    fn create_user(&self, user: &NewUser) -> Result<User, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn user_by_id(&self, id: UserId) -> Result<Option<User>, RepoError>;

    /// The account and its password hash, for login.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn credentials_by_email(&self, email: &Email) -> Result<Option<Credentials>, RepoError>;

    /// The password hash of an account, to confirm the current password before changing it.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("user")`.
    fn password_hash(&self, id: UserId) -> Result<String, RepoError>;

    /// Changes what a person may change about themselves. `None` keeps a field.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("user")`.
    fn update_profile(
        &self,
        id: UserId,
        display_name: Option<&DisplayName>,
        password_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<User, RepoError>;

    /// Replaces an account's roles and organization (an admin action).
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("user")`, or `("organization")` when the organization does not exist.
    fn assign(
        &self,
        id: UserId,
        assignment: &Assignment,
        now: DateTime<Utc>,
    ) -> Result<User, RepoError>;

    /// Accounts, newest first, optionally only those holding `role`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_users(
        &self,
        role: Option<Role>,
        page: &PageRequest<UserId>,
    ) -> Result<Page<User, UserId>, RepoError>;
}

pub trait OrganizationRepository {
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "code" }`.
    fn create_organization(&self, org: &Organization) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn organization(&self, id: OrganizationId) -> Result<Option<Organization>, RepoError>;

    /// Saves every field of an existing organization.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("organization")`; [`RepoError::Duplicate`] `{ field: "code" }`.
    fn update_organization(&self, org: &Organization) -> Result<(), RepoError>;

    /// Organizations ordered by code.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_organizations(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<Organization, String>, RepoError>;
}

pub trait PolicyAreaRepository {
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "code" }`.
    fn create_policy_area(&self, area: &PolicyArea) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn policy_area(&self, id: PolicyAreaId) -> Result<Option<PolicyArea>, RepoError>;

    /// Every policy area (a short, fixed list), for lookups by code.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn all_policy_areas(&self) -> Result<Vec<PolicyArea>, RepoError>;

    /// Policy areas ordered by code.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_policy_areas(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<PolicyArea, String>, RepoError>;
}

/// A refresh token as stored: only its hash, never the token itself.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub id: Id<RefreshTokenTag>,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Marker for refresh-token identifiers.
#[derive(Debug)]
pub enum RefreshTokenTag {}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was live; it is now used and its replacement belongs to the same family.
    Rotated { user_id: UserId },
    /// The token had been used or revoked before: it was stolen or replayed, so its whole family is now
    /// revoked (RFC 9700 section 4.14.2).
    Reused,
    /// The token was revoked (logout, password change, or an earlier reuse in its family).
    Revoked,
    /// The token expired.
    Expired,
    /// No such token.
    Unknown,
}

pub trait SessionRepository {
    /// Starts a new token family (a login).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn start_session(&self, user_id: UserId, token: &NewRefreshToken) -> Result<(), RepoError>;

    /// Consumes the token with `token_hash` and, when it was live, stores `replacement` in its family, all in
    /// one transaction (two concurrent uses of one token cannot both succeed).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn rotate(
        &self,
        token_hash: &str,
        replacement: &NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<Rotation, RepoError>;

    /// Revokes the family of the token with `token_hash` (logout). Returns whether such a token exists.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn end_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool, RepoError>;

    /// Revokes every refresh token of a user (after a password change).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn end_all_sessions(&self, user_id: UserId, now: DateTime<Utc>) -> Result<(), RepoError>;

    /// Reserves one login attempt under each key, atomically with the check that no key has reached its
    /// limit of failures since `since`: concurrent attempts take turns, so a burst of parallel logins can
    /// evaluate at most the limit. A reserved attempt counts as a failure until it is released; so a
    /// failed attempt needs nothing more, while a successful one (or one never evaluated) is released.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn reserve_login_attempt(
        &self,
        limits: &[ThrottleLimit<'_>],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<LoginAttempt, RepoError>;

    /// Gives back a reserved attempt that was not a failure.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn release_login_attempt(&self, reservation: &AttemptReservation) -> Result<(), RepoError>;

    /// Forgets the failures of `key` (after a successful login) and every failure older than `before`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn clear_login_failures(&self, key: &str, before: DateTime<Utc>) -> Result<(), RepoError>;
}

/// One throttling key (an account, a client address) and how many failures it may have in the window.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimit<'a> {
    pub key: &'a str,
    pub max_failures: u32,
}

/// The attempts reserved by [`SessionRepository::reserve_login_attempt`], one per key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptReservation {
    pub ids: Vec<String>,
}

/// Whether a login may be tried now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Go ahead; the attempt counts as a failure until released.
    Reserved(AttemptReservation),
    /// A key is at its limit; its oldest failure in the window is `oldest` (when the window frees a slot).
    Throttled { oldest: Option<DateTime<Utc>> },
}

/// What the ledger has learned for the suggested competent organization (`routing`): per organization,
/// the referrals it kept and, per term, in how many of them the term occurred. Outside any unit of work.
pub trait RoutingStore {
    /// The stats of every organization that kept a referral, restricted to `terms`, and the number of
    /// distinct terms learned overall.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn routing_stats(
        &self,
        terms: &[String],
    ) -> Result<(Vec<crate::routing::OrganizationStats<OrganizationId>>, i64), RepoError>;

    /// Learns kept referrals (each an organization and its proposal's distinct terms) read from the log
    /// after `from`, and moves the learning reader's cursor ([`ROUTING_READER`]) to `to`, in one
    /// transaction (so each is learned once). `None` when the cursor is no longer at `from` (another
    /// instance learned the batch).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn learn(
        &self,
        kept: &[(OrganizationId, Vec<String>)],
        from: crate::event::LogCursor,
        to: crate::event::LogCursor,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, RepoError>;
}

/// The name of the learning reader's cursor.
pub const ROUTING_READER: &str = "routing";
