//! Repository ports, one per aggregate. `ocf-persistence` implements them for SQLite and PostgreSQL.
//!
//! They are synchronous: the API calls them off the async workers (`web::block`), so a slow query never
//! stalls other requests. Every method may also return [`RepoError::Backend`] when storage fails.

use chrono::{DateTime, Utc};

use crate::account::{Assignment, Credentials, DisplayName, Email, NewUser, Role, User, UserId};
use crate::moderation::{LogEntry, Report, ReportDecision, ReportId};
use crate::organization::{Organization, OrganizationId};
use crate::policy_area::{PolicyArea, PolicyAreaId};
use crate::proposal::{
    ActorRole, Channel, Proposal, ProposalEvent, ProposalId, ProposalStatus, Region,
};
use crate::search::SearchQuery;
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

/// Which hidden proposals a listing may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenFilter {
    /// The public: no hidden proposals.
    Exclude,
    /// A signed-in person: their own hidden proposals too.
    ExcludeExceptAuthor(UserId),
    /// Moderators and admins: everything.
    Include,
}

/// Filters of `GET /proposals`; every `Some` narrows the list.
#[derive(Debug, Clone)]
pub struct ProposalFilter {
    pub status: Option<ProposalStatus>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Region>,
    pub tag: Option<String>,
    pub channel: Option<Channel>,
    pub author_id: Option<UserId>,
    pub topic_id: Option<String>,
    pub forum_id: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub search: Option<SearchQuery>,
    pub hidden: HiddenFilter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalSort {
    /// Newest first.
    Newest,
    /// Most supports first.
    MostSupported,
    /// Most supports gained in the last 7 days first.
    Trending,
    /// Most recently changed first.
    RecentlyUpdated,
}

/// Where a page ends in a sorted listing: the sort value (support count, trending score, or update time
/// in microseconds; 0 for newest) and the proposal's position in submission order, which breaks ties.
/// Positions only grow, so a page boundary never moves when proposals are added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalKey {
    pub value: i64,
    pub position: i64,
}

/// A proposal as lists show it: the body cut to an excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalSummary {
    pub id: ProposalId,
    pub title: String,
    /// The first [`EXCERPT_CHARS`] characters of the body.
    pub excerpt: String,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Vec<String>,
    pub channel: Channel,
    pub status: ProposalStatus,
    pub hidden: bool,
    pub merged_into: Option<ProposalId>,
    pub support_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How much of the body a list item carries.
pub const EXCERPT_CHARS: usize = 200;

/// Where the similar check looks for candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateScope {
    /// Every proposal: the rarest term is rare, so the full-text index hands over few matches.
    All,
    /// Only the newest `n` proposals, walked newest first. Used when every term of the draft is common:
    /// an index would have to visit thousands of matches (all of them, on PostgreSQL, before the newest
    /// can be picked), while a walk in insertion order meets enough of them within a few hundred rows.
    Newest(i64),
}

impl CandidateScope {
    /// How many of the newest proposals are walked when every term is common (a few days of proposals
    /// at the 2017 channel's pace of ~3,600 a day).
    pub const RECENT: i64 = 5_000;

    /// The scope for terms whose (capped) counts are `counts`, given the counting `cap`: all proposals if
    /// one term is rarer than the cap, else the newest [`Self::RECENT`].
    pub fn for_counts(counts: &[i64], cap: i64) -> Self {
        if counts.iter().any(|n| *n < cap) {
            Self::All
        } else {
            Self::Newest(Self::RECENT)
        }
    }
}

/// The outcome of merging: how many supports moved to the surviving proposal (the rest were already
/// there, or belonged to its author).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeOutcome {
    pub moved_supports: i64,
}

pub trait ProposalRepository {
    /// Stores a new proposal, its tags and its `submitted` event.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("policy area")` or `("user")` when a reference is dangling.
    fn create_proposal(
        &self,
        proposal: &Proposal,
        event: &ProposalEvent,
        actor: UserId,
    ) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, RepoError>;

    /// Saves a changed proposal (its `version` already incremented) and its events, if nobody changed it
    /// since it was read.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("proposal")` when the stored version is not `proposal.version - 1`.
    fn save_proposal(
        &self,
        proposal: &Proposal,
        events: &[ProposalEvent],
        actor: Option<UserId>,
    ) -> Result<(), RepoError>;

    /// Saves `source` (now merged) and moves its supports to `target`, without counting anyone twice and
    /// without giving the target's author a support of their own, all in one transaction.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("proposal")` when either changed meanwhile or the target closed.
    fn merge_proposals(
        &self,
        source: &Proposal,
        target: ProposalId,
        events: &[ProposalEvent],
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<MergeOutcome, RepoError>;

    /// A page of proposals.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_proposals(
        &self,
        filter: &ProposalFilter,
        sort: ProposalSort,
        page: &PageRequest<ProposalKey>,
    ) -> Result<Page<ProposalSummary, ProposalKey>, RepoError>;

    /// Up to `limit` visible, not withdrawn or merged proposals containing all of `terms` (rarest first),
    /// newest first, within `scope`; while fewer than a quarter of `limit` match, the last term is dropped
    /// and the search repeated, so a draft still finds look-alikes that share only its rarest term.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn similar_candidates(
        &self,
        terms: &[String],
        limit: i64,
        scope: CandidateScope,
    ) -> Result<Vec<ProposalSummary>, RepoError>;

    /// How many proposals contain each term, counting no further than `cap` (a cheap, bounded estimate of
    /// how common a term is), in the order of `terms`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn term_counts(&self, terms: &[String], cap: i64) -> Result<Vec<i64>, RepoError>;

    /// Adds `user`'s support if the proposal is open, not theirs, not hidden (unless `hidden_ok`: the
    /// caller may see hidden proposals) and not yet supported by them; returns whether a support was
    /// added. The rule is checked in the same statement as the insert, so a concurrent status change
    /// cannot slip between, and the count moves in the same transaction.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn add_support(
        &self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError>;

    /// Removes `user`'s support; returns whether there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn remove_support(
        &self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn supports(&self, id: ProposalId, user: UserId) -> Result<bool, RepoError>;

    /// Recomputes the 7-day trending scores that have gone stale; returns how many changed.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn refresh_trending(&self, now: DateTime<Utc>) -> Result<usize, RepoError>;

    /// A proposal's public timeline, oldest first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn timeline(
        &self,
        id: ProposalId,
        page: &PageRequest<String>,
    ) -> Result<Page<ProposalEvent, String>, RepoError>;
}

pub trait ModerationRepository {
    /// Files a report and, when the proposal now has `threshold` distinct open reports and is visible,
    /// hides it (with a timeline event and a log entry by `system`). Returns whether it was hidden now.
    ///
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "report" }` when this person reported this proposal before.
    fn file_report(&self, report: &Report, threshold: i64) -> Result<bool, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn report(&self, id: ReportId) -> Result<Option<Report>, RepoError>;

    /// Reports, oldest first; only open ones unless `resolved` is true (then only resolved ones).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_reports(
        &self,
        resolved: bool,
        page: &PageRequest<String>,
    ) -> Result<Page<Report, String>, RepoError>;

    /// Resolves every open report of the report's proposal with `decision`, and saves the proposal's
    /// visibility change (if any) with its event and the log entries, in one transaction.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] when the proposal changed meanwhile.
    #[allow(clippy::too_many_arguments)]
    fn resolve_reports(
        &self,
        proposal: &Proposal,
        event: Option<&ProposalEvent>,
        decision: ReportDecision,
        reason: &str,
        actor: UserId,
        actor_role: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<usize, RepoError>;

    /// Saves a moderator's hide or unhide with its timeline event and log entry.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] when the proposal changed meanwhile.
    fn moderate(
        &self,
        proposal: &Proposal,
        event: &ProposalEvent,
        entry: &LogEntry,
        actor: UserId,
    ) -> Result<(), RepoError>;

    /// The public moderation log, newest first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn moderation_log(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<LogEntry, String>, RepoError>;
}
