//! A new topic's fields, checked together so the client sees every problem at once, and an author's edit.

use crate::ValidationErrors;
use crate::values::Content;

/// A new topic as sent.
#[derive(Debug, Clone)]
pub struct NewTopicInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub region: Option<&'a str>,
    pub tags: &'a [String],
}

/// The parsed fields of a new topic (the policy area is looked up by the caller); `body` is the
/// description.
pub type TopicDraft = Content;

/// An author's edit; `body` is the description.
pub type TopicEdit = crate::values::ContentEdit;

impl NewTopicInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self) -> Result<TopicDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let content = Content::parse(
            &mut errors,
            "description",
            self.title,
            self.description,
            self.region,
            self.tags,
        );
        match content {
            Some(c) if errors.is_empty() => Ok(c),
            _ => Err(errors),
        }
    }
}
