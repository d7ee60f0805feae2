//! A new proposal's fields, checked together so the client sees every problem at once.

use super::{Body, Region, Tags, Title};
use crate::values::Content;
use crate::{Id, ValidationErrors};

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
        let content = Content::parse(
            &mut errors,
            "body",
            input.title,
            input.body,
            input.region,
            input.tags,
        );
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
        match (content, topic_id, forum_id) {
            (Some(c), Some(topic_id), Some(forum_id)) if errors.is_empty() => Ok(Self {
                title: c.title,
                body: c.body,
                region: c.region,
                tags: c.tags,
                topic_id,
                forum_id,
            }),
            _ => Err(errors),
        }
    }
}
