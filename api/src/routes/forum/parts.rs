//! The nested values of a forum as sent: its venue, its panel and its agenda.

use chrono::{DateTime, Utc};
use ocf_domain::forum::{AgendaInput, SpeakerInput, VenueInput};
use serde::Deserialize;
use utoipa::ToSchema;

/// Where an offline or hybrid forum meets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenueRequest {
    /// 1-200 characters, one line.
    #[schema(
        example = "광화문 1번가 열린소통포럼실",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name: String,
    /// 1-300 characters, one line.
    #[schema(
        example = "서울특별시 종로구 세종대로 172",
        min_length = 1,
        max_length = 300,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub address: String,
    /// The venue's region (the forums list filters on it).
    #[schema(value_type = crate::vocab::Region, example = "seoul")]
    pub region: String,
}

impl VenueRequest {
    pub(super) fn input(&self) -> VenueInput {
        VenueInput {
            name: self.name.clone(),
            address: self.address.clone(),
            region: self.region.clone(),
        }
    }
}

/// A panel member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpeakerRequest {
    /// 1-100 characters, one line; unique on the panel (the agenda names speakers by it).
    #[schema(
        example = "김민지",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub name: String,
    /// 1-200 characters, one line.
    #[schema(
        value_type = String,
        example = "한국교통연구원",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub affiliation: Option<String>,
    /// What they speak as.
    #[schema(value_type = crate::vocab::SpeakerRole, example = "expert")]
    pub role: String,
}

/// One item of the agenda.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemRequest {
    /// 1-200 characters, one line.
    #[schema(
        example = "섬 주민 교통 실태 발표",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    pub title: String,
    /// Planned start, within the forum's time (RFC 3339).
    #[schema(example = "2026-12-10T05:00:00Z")]
    pub starts_at: DateTime<Utc>,
    /// Planned end, after `starts_at` and within the forum's time.
    #[schema(example = "2026-12-10T05:30:00Z")]
    pub ends_at: DateTime<Utc>,
    /// The name of the panel member who leads it.
    #[schema(
        value_type = String,
        example = "김민지",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]*$"
    )]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub speaker: Option<String>,
}

pub(super) fn panel_input(p: &[SpeakerRequest]) -> Vec<SpeakerInput> {
    p.iter()
        .map(|s| SpeakerInput {
            name: s.name.clone(),
            affiliation: s.affiliation.clone(),
            role: s.role.clone(),
        })
        .collect()
}

pub(super) fn agenda_input(a: &[AgendaItemRequest]) -> Vec<AgendaInput> {
    a.iter()
        .map(|i| AgendaInput {
            title: i.title.clone(),
            starts_at: i.starts_at,
            ends_at: i.ends_at,
            speaker: i.speaker.clone(),
        })
        .collect()
}
