//! Moderation: reports from signed-in people, automatic hiding after enough distinct reports, moderators'
//! decisions, and the public log of every decision. One mechanism for every kind of content (proposals,
//! topics, comments): a [`Target`] names what is moderated, a [`Subject`] is it loaded.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::actor::ActorRole;
use crate::comment::CommentId;
use crate::event::AggregateKind;
use crate::proposal::ProposalId;
use crate::text::{self, TextError};
use crate::topic::TopicId;

mod repository;
pub mod service;
mod subject;

pub use repository::{ModerationQueries, ReportStore};
pub use subject::Subject;

/// How many distinct open reports hide content until a moderator decides (Decidim's default).
pub const AUTO_HIDE_REPORTS: i64 = 3;

/// The rule that hides reported content before a moderator has looked: enough distinct people reported
/// it, and it is still visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoHide {
    pub threshold: i64,
}

impl AutoHide {
    pub const DEFAULT: Self = Self {
        threshold: AUTO_HIDE_REPORTS,
    };

    pub fn applies(self, open_reports: i64, hidden: bool) -> bool {
        !hidden && open_reports >= self.threshold
    }

    /// The reason the public record gives.
    pub fn reason(self, open_reports: i64) -> String {
        format!("hidden automatically after {open_reports} reports, until a moderator decides")
    }
}

/// What is moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Proposal(ProposalId),
    Topic(TopicId),
    Comment(CommentId),
}

impl Target {
    pub fn kind(self) -> AggregateKind {
        match self {
            Self::Proposal(_) => AggregateKind::Proposal,
            Self::Topic(_) => AggregateKind::Topic,
            Self::Comment(_) => AggregateKind::Comment,
        }
    }

    pub fn id(self) -> String {
        match self {
            Self::Proposal(id) => id.to_string(),
            Self::Topic(id) => id.to_string(),
            Self::Comment(id) => id.to_string(),
        }
    }

    /// # Errors
    /// A message for an unknown kind or an invalid id.
    pub fn parse(kind: &str, id: &str) -> Result<Self, String> {
        let kind: AggregateKind = kind.parse()?;
        let bad = |_| format!("invalid {kind} id '{id}'");
        match kind {
            AggregateKind::Proposal => Id::parse(id).map(Self::Proposal).map_err(bad),
            AggregateKind::Topic => Id::parse(id).map(Self::Topic).map_err(bad),
            AggregateKind::Comment => Id::parse(id).map(Self::Comment).map_err(bad),
            other => Err(format!("{other}s are not moderated")),
        }
    }
}

pub type ReportId = Id<Report>;

/// Why something was reported: 1-1,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReason(String);

impl ReportReason {
    /// # Errors
    /// [`TextError`] when empty, longer than 1,000 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::multi_line(raw, 1, 1_000).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportDecision {
    /// The report is right: the content stays (or becomes) hidden.
    Uphold,
    /// The report is wrong: the content stays (or becomes) visible.
    Dismiss,
}

impl ReportDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uphold => "uphold",
            Self::Dismiss => "dismiss",
        }
    }

    /// # Errors
    /// A message for anything but `uphold` or `dismiss`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "uphold" => Ok(Self::Uphold),
            "dismiss" => Ok(Self::Dismiss),
            other => Err(format!(
                "unknown decision '{other}'; expected uphold or dismiss"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub target: Target,
    pub reporter_id: UserId,
    pub reason: ReportReason,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub decision: Option<ReportDecision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationAction {
    Hide,
    Unhide,
    AutoHide,
    ReportUpheld,
    ReportDismissed,
}

impl ModerationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Unhide => "unhide",
            Self::AutoHide => "auto_hide",
            Self::ReportUpheld => "report_upheld",
            Self::ReportDismissed => "report_dismissed",
        }
    }

    /// # Errors
    /// A message for an unknown action name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [
            Self::Hide,
            Self::Unhide,
            Self::AutoHide,
            Self::ReportUpheld,
            Self::ReportDismissed,
        ]
        .into_iter()
        .find(|a| a.as_str() == raw)
        .ok_or_else(|| format!("unknown moderation action '{raw}'"))
    }
}

/// One public record of a moderation decision. The moderator is shown by role only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: Id<LogEntry>,
    pub action: ModerationAction,
    pub target: Target,
    pub reason: Option<String>,
    pub actor_role: ActorRole,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    #[error("authors cannot report their own {kind}")]
    OwnContent { kind: AggregateKind },
    #[error("this report was already resolved")]
    AlreadyResolved,
    #[error("it is already hidden")]
    AlreadyHidden,
    #[error("it is not hidden")]
    NotHidden,
}

impl Report {
    /// A new report by `reporter` on `subject`: anyone but its author may report.
    ///
    /// # Errors
    /// [`ModerationError::OwnContent`].
    pub fn file(
        reporter: UserId,
        subject: &Subject,
        reason: ReportReason,
        now: DateTime<Utc>,
    ) -> Result<Self, ModerationError> {
        if subject.author_id() == reporter {
            return Err(ModerationError::OwnContent {
                kind: subject.target().kind(),
            });
        }
        Ok(Self {
            id: Id::generate(),
            target: subject.target(),
            reporter_id: reporter,
            reason,
            created_at: now,
            resolved_at: None,
            decision: None,
        })
    }
}
