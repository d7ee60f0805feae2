//! A manager's edit of a forum: each field parsed alone; the rules between fields are checked on the
//! edited forum (`Forum::edit`, with `draft::check_consistency`).

use chrono::{DateTime, Utc};

use super::draft::{
    AgendaInput, LivestreamUrl, SpeakerInput, VenueInput, parse_agenda, parse_capacity,
    parse_panel, parse_venue,
};
use super::{AgendaItem, ForumKind, ForumMode, Speaker, Venue};
use crate::ValidationErrors;
use crate::values::{Body, Title};

/// A manager's edit; `None` keeps a field (`Some(None)` clears an optional one).
#[derive(Debug, Clone, Default)]
pub struct ForumEdit {
    pub kind: Option<ForumKind>,
    pub mode: Option<ForumMode>,
    pub title: Option<Title>,
    pub description: Option<Body>,
    pub policy_area_id: Option<crate::policy_area::PolicyAreaId>,
    pub venue: Option<Option<Venue>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    pub capacity: Option<Option<i64>>,
    pub livestream_url: Option<Option<LivestreamUrl>>,
    pub panel: Option<Vec<Speaker>>,
    pub agenda: Option<Vec<AgendaItem>>,
    /// Topics to link (added to those already linked).
    pub topic_ids: Option<Vec<crate::topic::TopicId>>,
}

impl ForumEdit {
    /// Whether it names nothing to change (the policy area is set later, by the caller).
    pub fn is_empty(&self) -> bool {
        self.kind.is_none()
            && self.mode.is_none()
            && self.title.is_none()
            && self.description.is_none()
            && self.policy_area_id.is_none()
            && self.venue.is_none()
            && self.starts_at.is_none()
            && self.ends_at.is_none()
            && self.registration_opens_at.is_none()
            && self.registration_closes_at.is_none()
            && self.capacity.is_none()
            && self.livestream_url.is_none()
            && self.panel.is_none()
            && self.agenda.is_none()
            && self.topic_ids.is_none()
    }
}

/// The raw edit as sent, parsed into a [`ForumEdit`].
#[derive(Debug, Clone, Default)]
pub struct ForumEditInput<'a> {
    pub kind: Option<&'a str>,
    pub mode: Option<&'a str>,
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub venue: Option<Option<&'a VenueInput>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    pub capacity: Option<Option<i64>>,
    pub livestream_url: Option<Option<&'a str>>,
    pub panel: Option<&'a [SpeakerInput]>,
    pub agenda: Option<&'a [AgendaInput]>,
}

impl ForumEditInput<'_> {
    /// Each field alone; the rules between fields are checked on the edited forum.
    ///
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self) -> Result<ForumEdit, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let edit = ForumEdit {
            kind: self
                .kind
                .and_then(|k| errors.check("kind", k.parse::<ForumKind>())),
            mode: self
                .mode
                .and_then(|m| errors.check("mode", m.parse::<ForumMode>())),
            title: self
                .title
                .and_then(|t| errors.check("title", Title::parse(t))),
            description: self
                .description
                .and_then(|d| errors.check("description", Body::parse(d))),
            policy_area_id: None,
            venue: self
                .venue
                .map(|v| v.and_then(|v| parse_venue(&mut errors, v))),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            capacity: self.capacity.map(|c| parse_capacity(&mut errors, c)),
            livestream_url: self
                .livestream_url
                .map(|u| u.and_then(|u| errors.check("livestream_url", LivestreamUrl::parse(u)))),
            panel: self.panel.map(|p| parse_panel(&mut errors, p)),
            agenda: self.agenda.map(|a| parse_agenda(&mut errors, a)),
            topic_ids: None,
        };
        errors.into_result()?;
        Ok(edit)
    }
}
