//! Proposals: what citizens submit, the lifecycle staff move them through, supports, merging duplicates,
//! and the public timeline of every step.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::account::{Role, Roles, UserId};
use crate::policy_area::PolicyAreaId;
use crate::text::{self, TextError};
use crate::{Id, ValidationErrors};

pub type ProposalId = Id<Proposal>;

/// 5-150 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    /// # Errors
    /// [`TextError`] when empty, outside 5-150 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::single_line(raw, 5, 150).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 20-10,000 characters; line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

impl Body {
    /// # Errors
    /// [`TextError`] when empty, outside 20-10,000 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::multi_line(raw, 20, 10_000).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why staff decided something: 1-2,000 characters, shown on the public timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    /// # Errors
    /// [`TextError`] when empty, longer than 2,000 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::multi_line(raw, 1, 2_000).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A free label, 1-30 characters, lower-cased, without `#` or `,`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    /// # Errors
    /// A message when the tag is empty, too long, or has forbidden characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let tag = text::single_line(raw, 1, 30)
            .map_err(|e| e.to_string())?
            .to_lowercase();
        if tag.contains(['#', ',']) {
            return Err("must not contain '#' or ','".to_owned());
        }
        Ok(Self(tag))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Up to 10 distinct tags, kept sorted so every response lists them the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<Tag>);

impl Tags {
    pub const MAX: usize = 10;

    /// At most 10 given (repeats count: the limit is on what is sent, as the document's `maxItems` says);
    /// repeats are then kept once.
    ///
    /// # Errors
    /// A message naming the first bad tag, or saying there are more than 10.
    pub fn parse<S: AsRef<str>>(raw: &[S]) -> Result<Self, String> {
        if raw.len() > Self::MAX {
            return Err(format!("at most {} tags", Self::MAX));
        }
        let mut tags: Vec<Tag> = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            let tag = Tag::parse(r.as_ref()).map_err(|e| format!("tag {}: {e}", i + 1))?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags.sort();
        Ok(Self(tags))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.0.iter()
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $err:literal, { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("unknown {} '{s}'; expected one of {}", $err, all.join(", "))
                })
            }
        }
    };
}

code_enum!(
    /// Where a proposal applies: the whole country or one of the 17 metropolitan and provincial governments.
    Region, "region", {
    Nationwide = "nationwide", Seoul = "seoul", Busan = "busan", Daegu = "daegu", Incheon = "incheon",
    Gwangju = "gwangju", Daejeon = "daejeon", Ulsan = "ulsan", Sejong = "sejong", Gyeonggi = "gyeonggi",
    Gangwon = "gangwon", Chungbuk = "chungbuk", Chungnam = "chungnam", Jeonbuk = "jeonbuk", Jeonnam = "jeonnam",
    Gyeongbuk = "gyeongbuk", Gyeongnam = "gyeongnam", Jeju = "jeju",
});

code_enum!(
    /// A proposal's place in the funnel.
    ProposalStatus, "status", {
    Submitted = "submitted", UnderReview = "under_review", Selected = "selected", Rejected = "rejected",
    Merged = "merged", Referred = "referred", Answered = "answered", Implemented = "implemented",
    Withdrawn = "withdrawn",
});

impl ProposalStatus {
    /// Statuses in which a proposal can gain supports (and be a merge target).
    pub const OPEN: &'static [ProposalStatus] = &[
        Self::Submitted,
        Self::UnderReview,
        Self::Selected,
        Self::Referred,
        Self::Answered,
        Self::Implemented,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

/// The channel a proposal came in through. `web` is this API's own; `offline` is staff entering forum
/// tables and paper cards; partner platforms are `partner:<code>` (People's Idea Box, e-People, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Channel {
    Web,
    Offline,
    Partner(String),
}

impl Channel {
    pub fn code(&self) -> String {
        match self {
            Self::Web => "web".to_owned(),
            Self::Offline => "offline".to_owned(),
            Self::Partner(code) => format!("partner:{code}"),
        }
    }

    /// # Errors
    /// A message for anything but `web`, `offline` or `partner:<code>`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "web" => Ok(Self::Web),
            "offline" => Ok(Self::Offline),
            other => match other.strip_prefix("partner:") {
                Some(code)
                    if !code.is_empty()
                        && code.len() <= 40
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Ok(Self::Partner(code.to_owned()))
                }
                _ => Err(format!(
                    "unknown channel '{other}'; expected web, offline or partner:<code>"
                )),
            },
        }
    }
}

/// Who did something, as the public timeline shows it: never a citizen's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRole {
    Author,
    Moderator,
    Admin,
    Official,
    System,
}

impl ActorRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
            Self::Official => "official",
            Self::System => "system",
        }
    }

    /// How a staff member's action is shown: as admin when they are one, else as moderator, else official.
    pub fn of_staff(roles: &Roles) -> Self {
        if roles.contains(Role::Admin) {
            Self::Admin
        } else if roles.contains(Role::Moderator) {
            Self::Moderator
        } else if roles.contains(Role::Official) {
            Self::Official
        } else {
            Self::Author
        }
    }

    /// # Errors
    /// A message for an unknown role name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [
            Self::Author,
            Self::Moderator,
            Self::Admin,
            Self::Official,
            Self::System,
        ]
        .into_iter()
        .find(|r| r.as_str() == raw)
        .ok_or_else(|| format!("unknown actor role '{raw}'"))
    }
}

code_enum!(
    /// What happened to a proposal.
    EventKind, "event kind", {
    Submitted = "submitted", Edited = "edited", StatusChanged = "status_changed", Withdrawn = "withdrawn",
    Merged = "merged", Absorbed = "absorbed", Hidden = "hidden", Unhidden = "unhidden",
});

/// One step on a proposal's public timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalEvent {
    pub id: Id<ProposalEvent>,
    pub proposal_id: ProposalId,
    pub kind: EventKind,
    pub actor_role: ActorRole,
    pub from_status: Option<ProposalStatus>,
    pub to_status: Option<ProposalStatus>,
    pub reason: Option<String>,
    /// For `merged`: the surviving proposal; for `absorbed`: the duplicate.
    pub related_proposal_id: Option<ProposalId>,
    /// For `absorbed`: how many supports moved over.
    pub count: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl ProposalEvent {
    pub fn new(
        proposal_id: ProposalId,
        kind: EventKind,
        actor_role: ActorRole,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Id::generate(),
            proposal_id,
            kind,
            actor_role,
            from_status: None,
            to_status: None,
            reason: None,
            related_proposal_id: None,
            count: None,
            created_at: at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: ProposalId,
    pub author_id: UserId,
    pub title: Title,
    pub body: Body,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Tags,
    /// The topic this proposal answers, if any (topics are their own aggregate).
    pub topic_id: Option<String>,
    /// The forum this proposal came out of, if any (forums are their own aggregate).
    pub forum_id: Option<String>,
    pub channel: Channel,
    pub status: ProposalStatus,
    /// Hidden by moderation: a flag, not a status.
    pub hidden: bool,
    pub merged_into: Option<ProposalId>,
    pub support_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change; saving checks it (optimistic concurrency).
    pub version: i64,
}

/// The rules of the lifecycle, each forbidden move named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("only the author may do this")]
    NotAuthor,
    #[error("a proposal can be edited only while submitted; this one is {status}")]
    NotEditable { status: ProposalStatus },
    #[error("a proposal cannot go from {from} to {to}")]
    InvalidTransition {
        from: ProposalStatus,
        to: ProposalStatus,
    },
    #[error("moderators set only under_review, selected or rejected; {to} follows from referrals")]
    NotAModeratorStatus { to: ProposalStatus },
    #[error("a reason is required to reject a proposal")]
    ReasonRequired,
    #[error("authors cannot support their own proposal")]
    OwnProposal,
    #[error("this proposal was merged into {into}; support that one instead")]
    Merged { into: ProposalId },
    #[error("a {status} proposal cannot gain supports")]
    NotOpen { status: ProposalStatus },
    #[error("a proposal cannot be merged into itself")]
    MergeIntoSelf,
    #[error("the surviving proposal is {status}; merge only into an open proposal")]
    MergeTargetClosed { status: ProposalStatus },
}

/// An author's edit; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct ProposalEdit {
    pub title: Option<Title>,
    pub body: Option<Body>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Option<Region>>,
    pub tags: Option<Tags>,
}

impl ProposalEdit {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.body.is_none()
            && self.policy_area_id.is_none()
            && self.region.is_none()
            && self.tags.is_none()
    }
}

impl Proposal {
    fn touch(&mut self, now: DateTime<Utc>) {
        self.updated_at = now;
        self.version += 1;
    }

    fn event(&self, kind: EventKind, actor: ActorRole, now: DateTime<Utc>) -> ProposalEvent {
        ProposalEvent::new(self.id, kind, actor, now)
    }

    /// The author changes the text while nobody has started reviewing it.
    ///
    /// # Errors
    /// [`ProposalError::NotAuthor`], [`ProposalError::NotEditable`].
    pub fn edit(
        &mut self,
        by: UserId,
        edit: ProposalEdit,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        if by != self.author_id {
            return Err(ProposalError::NotAuthor);
        }
        if self.status != ProposalStatus::Submitted {
            return Err(ProposalError::NotEditable {
                status: self.status,
            });
        }
        if let Some(t) = edit.title {
            self.title = t;
        }
        if let Some(b) = edit.body {
            self.body = b;
        }
        if let Some(a) = edit.policy_area_id {
            self.policy_area_id = a;
        }
        if let Some(r) = edit.region {
            self.region = r;
        }
        if let Some(t) = edit.tags {
            self.tags = t;
        }
        self.touch(now);
        Ok(self.event(EventKind::Edited, ActorRole::Author, now))
    }

    /// The author takes the proposal back before a decision.
    ///
    /// # Errors
    /// [`ProposalError::NotAuthor`], [`ProposalError::InvalidTransition`].
    pub fn withdraw(
        &mut self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        if by != self.author_id {
            return Err(ProposalError::NotAuthor);
        }
        let from = self.status;
        if !matches!(
            from,
            ProposalStatus::Submitted | ProposalStatus::UnderReview
        ) {
            return Err(ProposalError::InvalidTransition {
                from,
                to: ProposalStatus::Withdrawn,
            });
        }
        self.status = ProposalStatus::Withdrawn;
        self.touch(now);
        let mut e = self.event(EventKind::Withdrawn, ActorRole::Author, now);
        e.from_status = Some(from);
        e.to_status = Some(ProposalStatus::Withdrawn);
        Ok(e)
    }

    /// A moderator's decision: `submitted -> under_review -> selected | rejected` (rejecting needs a reason).
    ///
    /// # Errors
    /// [`ProposalError::NotAModeratorStatus`], [`ProposalError::InvalidTransition`],
    /// [`ProposalError::ReasonRequired`].
    pub fn decide(
        &mut self,
        to: ProposalStatus,
        reason: Option<Reason>,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<ProposalEvent, ProposalError> {
        use ProposalStatus as S;
        let from = self.status;
        if !matches!(to, S::UnderReview | S::Selected | S::Rejected) {
            return Err(ProposalError::NotAModeratorStatus { to });
        }
        let allowed = matches!(
            (from, to),
            (S::Submitted, S::UnderReview) | (S::UnderReview, S::Selected | S::Rejected)
        );
        if !allowed {
            return Err(ProposalError::InvalidTransition { from, to });
        }
        if to == S::Rejected && reason.is_none() {
            return Err(ProposalError::ReasonRequired);
        }
        self.status = to;
        self.touch(now);
        let mut e = self.event(EventKind::StatusChanged, actor, now);
        e.from_status = Some(from);
        e.to_status = Some(to);
        e.reason = reason.map(|r| r.0);
        Ok(e)
    }

    /// Marks this proposal a duplicate of `target`. Moving supports is the repository's job, in the same
    /// transaction. Returns the events for this proposal and for the target.
    ///
    /// # Errors
    /// [`ProposalError::MergeIntoSelf`], [`ProposalError::InvalidTransition`] (only a proposal under review
    /// is merged), [`ProposalError::MergeTargetClosed`].
    pub fn merge_into(
        &mut self,
        target: &Proposal,
        reason: Reason,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Result<(ProposalEvent, ProposalEvent), ProposalError> {
        if target.id == self.id {
            return Err(ProposalError::MergeIntoSelf);
        }
        let from = self.status;
        if from != ProposalStatus::UnderReview {
            return Err(ProposalError::InvalidTransition {
                from,
                to: ProposalStatus::Merged,
            });
        }
        if !target.status.is_open() {
            return Err(ProposalError::MergeTargetClosed {
                status: target.status,
            });
        }
        self.status = ProposalStatus::Merged;
        self.merged_into = Some(target.id);
        self.touch(now);
        let mut merged = self.event(EventKind::Merged, actor, now);
        merged.from_status = Some(from);
        merged.to_status = Some(ProposalStatus::Merged);
        merged.reason = Some(reason.0.clone());
        merged.related_proposal_id = Some(target.id);
        let mut absorbed = ProposalEvent::new(target.id, EventKind::Absorbed, actor, now);
        absorbed.reason = Some(reason.0);
        absorbed.related_proposal_id = Some(self.id);
        Ok((merged, absorbed))
    }

    /// Whether `user` may support this proposal now.
    ///
    /// # Errors
    /// [`ProposalError::OwnProposal`], [`ProposalError::Merged`], [`ProposalError::NotOpen`].
    pub fn check_support(&self, user: UserId) -> Result<(), ProposalError> {
        if let Some(into) = self.merged_into {
            return Err(ProposalError::Merged { into });
        }
        if !self.status.is_open() {
            return Err(ProposalError::NotOpen {
                status: self.status,
            });
        }
        if user == self.author_id {
            return Err(ProposalError::OwnProposal);
        }
        Ok(())
    }

    /// Moderation hides or shows the proposal; the status does not change.
    pub fn set_hidden(
        &mut self,
        hidden: bool,
        reason: Option<String>,
        actor: ActorRole,
        now: DateTime<Utc>,
    ) -> Option<ProposalEvent> {
        if self.hidden == hidden {
            return None;
        }
        self.hidden = hidden;
        self.touch(now);
        let kind = if hidden {
            EventKind::Hidden
        } else {
            EventKind::Unhidden
        };
        let mut e = self.event(kind, actor, now);
        e.reason = reason;
        Some(e)
    }

    /// Who may see a hidden proposal: its author and moderation staff.
    pub fn visible_to(&self, viewer: Option<(UserId, &Roles)>) -> bool {
        !self.hidden
            || viewer.is_some_and(|(id, roles)| {
                id == self.author_id
                    || roles.contains(Role::Moderator)
                    || roles.contains(Role::Admin)
            })
    }
}

/// The fields of a new proposal, checked together so the client sees every problem at once.
#[derive(Debug, Clone)]
pub struct NewProposalInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub region: Option<&'a str>,
    pub tags: &'a [String],
    pub topic_id: Option<&'a str>,
    pub forum_id: Option<&'a str>,
}

/// The parsed fields of a new proposal (the policy area is looked up by the caller).
#[derive(Debug, Clone)]
pub struct ProposalDraft {
    pub title: Title,
    pub body: Body,
    pub region: Option<Region>,
    pub tags: Tags,
    pub topic_id: Option<String>,
    pub forum_id: Option<String>,
}

impl ProposalDraft {
    /// # Errors
    /// Every invalid field.
    pub fn parse(input: &NewProposalInput<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check("title", Title::parse(input.title));
        let body = errors.check("body", Body::parse(input.body));
        let region = match input.region {
            None => Some(None),
            Some(r) => errors.check("region", r.parse::<Region>()).map(Some),
        };
        let tags = errors.check("tags", Tags::parse(input.tags));
        let mut ref_id = |field: &str, raw: Option<&str>| match raw {
            None => Some(None),
            Some(r) => errors
                .check(
                    field,
                    Id::<()>::parse(r).map_err(|_| "is not a valid identifier"),
                )
                .map(|id| Some(id.to_string())),
        };
        let topic_id = ref_id("topic_id", input.topic_id);
        let forum_id = ref_id("forum_id", input.forum_id);
        match (title, body, region, tags, topic_id, forum_id) {
            (Some(title), Some(body), Some(region), Some(tags), Some(topic_id), Some(forum_id))
                if errors.is_empty() =>
            {
                Ok(Self {
                    title,
                    body,
                    region,
                    tags,
                    topic_id,
                    forum_id,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(status: ProposalStatus) -> Result<Proposal, Box<dyn std::error::Error>> {
        Ok(Proposal {
            id: Id::generate(),
            author_id: Id::generate(),
            title: Title::parse("주차장 공유 제안")?,
            body: Body::parse("아파트 주차장을 낮 시간에 이웃과 공유하면 좋겠습니다.")?,
            policy_area_id: Id::generate(),
            region: None,
            tags: Tags::default(),
            topic_id: None,
            forum_id: None,
            channel: Channel::Web,
            status,
            hidden: false,
            merged_into: None,
            support_count: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        })
    }

    #[test]
    fn limits_count_characters() {
        assert!(Title::parse("주차장").is_err(), "3 characters is too short");
        assert!(Title::parse("주차장문제").is_ok());
        assert!(Title::parse(&"가".repeat(151)).is_err());
        assert!(Title::parse("two\nlines").is_err());
        assert!(Body::parse(&"가".repeat(19)).is_err());
        assert!(Body::parse(&"가".repeat(10_000)).is_ok());
        assert!(Body::parse(&"가".repeat(10_001)).is_err());
    }

    #[test]
    fn tags_are_lowercased_deduplicated_and_capped() {
        let tags = Tags::parse(&["Parking", "parking", "주차"]).map(|t| t.iter().count());
        assert_eq!(tags, Ok(2));
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(Tags::parse(&eleven).is_err());
        assert!(Tags::parse(&["a,b"]).is_err());
        assert!(Tags::parse(&[" "]).is_err());
    }

    #[test]
    fn channels_fit_partners_without_new_meaning() {
        assert_eq!(Channel::parse("web"), Ok(Channel::Web));
        assert_eq!(
            Channel::parse("partner:epeople").map(|c| c.code()),
            Ok("partner:epeople".to_owned())
        );
        assert!(Channel::parse("partner:").is_err());
        assert!(Channel::parse("fax").is_err());
    }

    #[test]
    fn the_review_path_is_enforced() -> Result<(), Box<dyn std::error::Error>> {
        use ProposalStatus as S;
        let now = Utc::now();
        let mut p = proposal(S::Submitted)?;
        assert_eq!(
            p.decide(S::Selected, None, ActorRole::Moderator, now),
            Err(ProposalError::InvalidTransition {
                from: S::Submitted,
                to: S::Selected
            })
        );
        p.decide(S::UnderReview, None, ActorRole::Moderator, now)?;
        assert_eq!(
            p.decide(S::Rejected, None, ActorRole::Moderator, now),
            Err(ProposalError::ReasonRequired)
        );
        let e = p.decide(
            S::Rejected,
            Some(Reason::parse("이미 시행 중인 정책입니다")?),
            ActorRole::Moderator,
            now,
        )?;
        assert_eq!(
            (e.from_status, e.to_status),
            (Some(S::UnderReview), Some(S::Rejected))
        );
        assert_eq!(p.version, 3);
        assert!(matches!(
            p.decide(S::Implemented, None, ActorRole::Admin, now),
            Err(ProposalError::NotAModeratorStatus { .. })
        ));
        Ok(())
    }

    #[test]
    fn only_the_author_edits_and_only_before_review() -> Result<(), Box<dyn std::error::Error>> {
        let now = Utc::now();
        let mut p = proposal(ProposalStatus::Submitted)?;
        let author = p.author_id;
        assert_eq!(
            p.edit(Id::generate(), ProposalEdit::default(), now),
            Err(ProposalError::NotAuthor)
        );
        p.edit(
            author,
            ProposalEdit {
                title: Some(Title::parse("새로운 제목입니다")?),
                ..Default::default()
            },
            now,
        )?;
        p.decide(ProposalStatus::UnderReview, None, ActorRole::Moderator, now)?;
        assert!(matches!(
            p.edit(author, ProposalEdit::default(), now),
            Err(ProposalError::NotEditable { .. })
        ));
        Ok(())
    }

    #[test]
    fn withdrawal_is_for_the_author_before_a_decision() -> Result<(), Box<dyn std::error::Error>> {
        let now = Utc::now();
        let mut p = proposal(ProposalStatus::Selected)?;
        let author = p.author_id;
        assert!(matches!(
            p.withdraw(author, now),
            Err(ProposalError::InvalidTransition { .. })
        ));
        let mut p = proposal(ProposalStatus::UnderReview)?;
        assert_eq!(
            p.withdraw(Id::generate(), now),
            Err(ProposalError::NotAuthor)
        );
        p.withdraw(p.author_id, now)?;
        assert_eq!(p.status, ProposalStatus::Withdrawn);
        Ok(())
    }

    #[test]
    fn merging_needs_review_and_an_open_target() -> Result<(), Box<dyn std::error::Error>> {
        let now = Utc::now();
        let reason = Reason::parse("같은 제안입니다")?;
        let target = proposal(ProposalStatus::Selected)?;
        let mut source = proposal(ProposalStatus::Submitted)?;
        assert!(matches!(
            source.merge_into(&target, reason.clone(), ActorRole::Moderator, now),
            Err(ProposalError::InvalidTransition { .. })
        ));
        let mut source = proposal(ProposalStatus::UnderReview)?;
        let closed = proposal(ProposalStatus::Rejected)?;
        assert!(matches!(
            source.merge_into(&closed, reason.clone(), ActorRole::Moderator, now),
            Err(ProposalError::MergeTargetClosed { .. })
        ));
        let same = source.clone();
        assert_eq!(
            source.merge_into(&same, reason.clone(), ActorRole::Moderator, now),
            Err(ProposalError::MergeIntoSelf)
        );
        let (merged, absorbed) = source.merge_into(&target, reason, ActorRole::Moderator, now)?;
        assert_eq!(source.merged_into, Some(target.id));
        assert_eq!(merged.related_proposal_id, Some(target.id));
        assert_eq!(absorbed.proposal_id, target.id);
        Ok(())
    }

    #[test]
    fn supports_follow_the_rules() -> Result<(), Box<dyn std::error::Error>> {
        let p = proposal(ProposalStatus::Submitted)?;
        assert_eq!(
            p.check_support(p.author_id),
            Err(ProposalError::OwnProposal)
        );
        assert_eq!(p.check_support(Id::generate()), Ok(()));
        let withdrawn = proposal(ProposalStatus::Withdrawn)?;
        assert!(matches!(
            withdrawn.check_support(Id::generate()),
            Err(ProposalError::NotOpen { .. })
        ));
        Ok(())
    }
}
