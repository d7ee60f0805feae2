//! A forum's fields and the rules between them, checked together so the client sees every problem at
//! once: the venue against the mode, the schedule and the registration window, the panel and the agenda.

use chrono::{DateTime, Duration, Utc};

use super::{ForumKind, ForumMode, SpeakerRole};
use crate::ValidationErrors;
use crate::text;
use crate::values::{Body, Region, Title};

/// Where an offline or hybrid forum meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venue {
    /// 1-200 characters.
    pub name: String,
    /// 1-300 characters.
    pub address: String,
    pub region: Region,
}

/// A panel member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// 1-100 characters, unique on the panel (the agenda names speakers by it).
    pub name: String,
    /// 1-200 characters, if given.
    pub affiliation: Option<String>,
    pub role: SpeakerRole,
}

/// One item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// 1-200 characters.
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// A panel member's name, if someone leads it.
    pub speaker: Option<String>,
}

/// When the forum takes place and when people may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumSchedule {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Registration opens then; `None`: as soon as the forum is scheduled.
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// Registration closes then; `None`: when the forum starts.
    pub registration_closes_at: Option<DateTime<Utc>>,
}

impl ForumSchedule {
    /// When registration closes: the window's end, or the start of the forum.
    pub fn registration_closes(&self) -> DateTime<Utc> {
        self.registration_closes_at.unwrap_or(self.starts_at)
    }
}

/// A forum's livestream page.
pub type LivestreamUrl = crate::values::HttpsUrl;

pub const MAX_CAPACITY: i64 = 100_000;
pub const MAX_PANEL: usize = 30;
pub const MAX_AGENDA: usize = 50;
pub const MAX_TOPICS: usize = 10;
/// A forum lasts at most this long (a conference over several days).
pub const MAX_DURATION_DAYS: i64 = 7;

/// The nested values as sent.
#[derive(Debug, Clone, Default)]
pub struct VenueInput {
    pub name: String,
    pub address: String,
    pub region: String,
}

#[derive(Debug, Clone, Default)]
pub struct SpeakerInput {
    pub name: String,
    pub affiliation: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone)]
pub struct AgendaInput {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub speaker: Option<String>,
}

/// A new forum as sent (the organization, policy area and topics are looked up by the caller).
#[derive(Debug, Clone)]
pub struct NewForumInput<'a> {
    pub kind: &'a str,
    pub mode: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub venue: Option<&'a VenueInput>,
    pub schedule: ForumSchedule,
    pub capacity: Option<i64>,
    pub livestream_url: Option<&'a str>,
    pub panel: &'a [SpeakerInput],
    pub agenda: &'a [AgendaInput],
}

/// A new forum's checked fields.
#[derive(Debug, Clone)]
pub struct ForumDraft {
    pub kind: ForumKind,
    pub mode: ForumMode,
    pub title: Title,
    pub description: Body,
    pub venue: Option<Venue>,
    pub schedule: ForumSchedule,
    pub capacity: Option<i64>,
    pub livestream_url: Option<LivestreamUrl>,
    pub panel: Vec<Speaker>,
    pub agenda: Vec<AgendaItem>,
}

pub(crate) fn parse_venue(errors: &mut ValidationErrors, v: &VenueInput) -> Option<Venue> {
    let name = errors.check("venue.name", text::single_line(&v.name, 1, 200));
    let address = errors.check("venue.address", text::single_line(&v.address, 1, 300));
    let region = errors.check("venue.region", v.region.parse::<Region>());
    Some(Venue {
        name: name?,
        address: address?,
        region: region?,
    })
}

pub(crate) fn parse_capacity(errors: &mut ValidationErrors, c: Option<i64>) -> Option<i64> {
    match c {
        Some(n) if !(1..=MAX_CAPACITY).contains(&n) => {
            errors.push("capacity", format!("must be between 1 and {MAX_CAPACITY}"));
            None
        }
        other => other,
    }
}

pub(crate) fn parse_panel(errors: &mut ValidationErrors, raw: &[SpeakerInput]) -> Vec<Speaker> {
    if raw.len() > MAX_PANEL {
        errors.push("panel", format!("at most {MAX_PANEL} speakers"));
        return Vec::new();
    }
    let mut panel: Vec<Speaker> = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let field = |f: &str| format!("panel[{i}].{f}");
        let name = errors.check(&field("name"), text::single_line(&s.name, 1, 100));
        let affiliation = match &s.affiliation {
            Some(a) => errors
                .check(&field("affiliation"), text::single_line(a, 1, 200))
                .map(Some),
            None => Some(None),
        };
        let role = errors.check(&field("role"), s.role.parse::<SpeakerRole>());
        if let (Some(name), Some(affiliation), Some(role)) = (name, affiliation, role) {
            if panel.iter().any(|p| p.name == name) {
                errors.push(field("name"), "is already on the panel");
            } else {
                panel.push(Speaker {
                    name,
                    affiliation,
                    role,
                });
            }
        }
    }
    panel
}

pub(crate) fn parse_agenda(errors: &mut ValidationErrors, raw: &[AgendaInput]) -> Vec<AgendaItem> {
    if raw.len() > MAX_AGENDA {
        errors.push("agenda", format!("at most {MAX_AGENDA} items"));
        return Vec::new();
    }
    let mut agenda = Vec::new();
    for (i, a) in raw.iter().enumerate() {
        let title = errors.check(
            &format!("agenda[{i}].title"),
            text::single_line(&a.title, 1, 200),
        );
        let speaker = match &a.speaker {
            Some(s) => errors
                .check(
                    &format!("agenda[{i}].speaker"),
                    text::single_line(s, 1, 100),
                )
                .map(Some),
            None => Some(None),
        };
        if let (Some(title), Some(speaker)) = (title, speaker) {
            agenda.push(AgendaItem {
                title,
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                speaker,
            });
        }
    }
    agenda
}

/// The rules between fields, on the forum as it would be: the venue against the mode, the schedule and
/// its registration window, each agenda item within the forum and led by a panel member.
pub(crate) fn check_consistency(
    errors: &mut ValidationErrors,
    mode: ForumMode,
    venue: Option<&Venue>,
    schedule: &ForumSchedule,
    panel: &[Speaker],
    agenda: &[AgendaItem],
) {
    match (mode.has_venue(), venue.is_some()) {
        (true, false) => errors.push("venue", format!("is required for an {mode} forum")),
        (false, true) => errors.push("venue", "must be left out for an online forum"),
        _ => {}
    }
    let s = schedule;
    if s.ends_at <= s.starts_at {
        errors.push("ends_at", "must be after starts_at");
    } else if s.ends_at - s.starts_at > Duration::days(MAX_DURATION_DAYS) {
        errors.push(
            "ends_at",
            format!("a forum lasts at most {MAX_DURATION_DAYS} days"),
        );
    }
    if let Some(closes) = s.registration_closes_at
        && closes > s.starts_at
    {
        errors.push("registration_closes_at", "must not be after starts_at");
    }
    if let Some(opens) = s.registration_opens_at
        && opens >= s.registration_closes()
    {
        errors.push(
            "registration_opens_at",
            "must be before registration closes (registration_closes_at, or starts_at)",
        );
    }
    for (i, a) in agenda.iter().enumerate() {
        if a.ends_at <= a.starts_at {
            errors.push(
                format!("agenda[{i}].ends_at"),
                "must be after its starts_at",
            );
        }
        if a.starts_at < s.starts_at || a.ends_at > s.ends_at {
            errors.push(
                format!("agenda[{i}].starts_at"),
                "must lie within the forum's starts_at and ends_at",
            );
        }
        if let Some(name) = &a.speaker
            && !panel.iter().any(|p| &p.name == name)
        {
            errors.push(
                format!("agenda[{i}].speaker"),
                format!("'{name}' is not on the panel"),
            );
        }
    }
}

impl NewForumInput<'_> {
    /// # Errors
    /// Every invalid field, and every broken rule between fields.
    pub fn parse(&self) -> Result<ForumDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let kind = errors.check("kind", self.kind.parse::<ForumKind>());
        let mode = errors.check("mode", self.mode.parse::<ForumMode>());
        let title = errors.check("title", Title::parse(self.title));
        let description = errors.check("description", Body::parse(self.description));
        let venue = self.venue.map(|v| parse_venue(&mut errors, v));
        let capacity = parse_capacity(&mut errors, self.capacity);
        let livestream_url = self
            .livestream_url
            .and_then(|u| errors.check("livestream_url", LivestreamUrl::parse(u)));
        let panel = parse_panel(&mut errors, self.panel);
        let agenda = parse_agenda(&mut errors, self.agenda);
        if let Some(mode) = mode
            && venue.as_ref().is_none_or(Option::is_some)
        {
            check_consistency(
                &mut errors,
                mode,
                venue.clone().flatten().as_ref(),
                &self.schedule,
                &panel,
                &agenda,
            );
        }
        match (kind, mode, title, description) {
            (Some(kind), Some(mode), Some(title), Some(description)) if errors.is_empty() => {
                Ok(ForumDraft {
                    kind,
                    mode,
                    title,
                    description,
                    venue: venue.flatten(),
                    schedule: self.schedule,
                    capacity,
                    livestream_url,
                    panel,
                    agenda,
                })
            }
            _ => Err(errors),
        }
    }
}
