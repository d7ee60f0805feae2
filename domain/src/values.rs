//! Values several aggregates share: titles, bodies, reasons, tags and regions.

use crate::ValidationErrors;
use crate::macros::code_enum;
use crate::policy_area::PolicyAreaId;
use crate::text::{self, TextError};

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

code_enum!(
    /// Where something applies: the whole country or one of the 17 metropolitan and provincial governments.
    Region, "region", {
    Nationwide = "nationwide", Seoul = "seoul", Busan = "busan", Daegu = "daegu", Incheon = "incheon",
    Gwangju = "gwangju", Daejeon = "daejeon", Ulsan = "ulsan", Sejong = "sejong", Gyeonggi = "gyeonggi",
    Gangwon = "gangwon", Chungbuk = "chungbuk", Chungnam = "chungnam", Jeonbuk = "jeonbuk", Jeonnam = "jeonnam",
    Gyeongbuk = "gyeongbuk", Gyeongnam = "gyeongnam", Jeju = "jeju",
});

/// The text fields proposals and topics share, parsed together.
#[derive(Debug, Clone)]
pub struct Content {
    pub title: Title,
    pub body: Body,
    pub region: Option<Region>,
    pub tags: Tags,
}

impl Content {
    /// Parses every field, recording each problem in `errors`; `body_field` is the body's name as the
    /// client sends it (`body`, `description`).
    pub fn parse(
        errors: &mut ValidationErrors,
        body_field: &str,
        title: &str,
        body: &str,
        region: Option<&str>,
        tags: &[String],
    ) -> Option<Self> {
        let title = errors.check("title", Title::parse(title));
        let body = errors.check(body_field, Body::parse(body));
        let region = match region {
            None => Some(None),
            Some(r) => errors.check("region", r.parse::<Region>()).map(Some),
        };
        let tags = errors.check("tags", Tags::parse(tags));
        Some(Self {
            title: title?,
            body: body?,
            region: region?,
            tags: tags?,
        })
    }
}

/// An author's edit of shared fields; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct ContentEdit {
    pub title: Option<Title>,
    pub body: Option<Body>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Option<Region>>,
    pub tags: Option<Tags>,
}

impl ContentEdit {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.body.is_none()
            && self.policy_area_id.is_none()
            && self.region.is_none()
            && self.tags.is_none()
    }

    /// Writes the edited fields over the current ones.
    pub(crate) fn apply(
        self,
        title: &mut Title,
        body: &mut Body,
        policy_area_id: &mut PolicyAreaId,
        region: &mut Option<Region>,
        tags: &mut Tags,
    ) {
        if let Some(t) = self.title {
            *title = t;
        }
        if let Some(b) = self.body {
            *body = b;
        }
        if let Some(a) = self.policy_area_id {
            *policy_area_id = a;
        }
        if let Some(r) = self.region {
            *region = r;
        }
        if let Some(t) = self.tags {
            *tags = t;
        }
    }
}

/// An `https` URL of at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    /// # Errors
    /// A message unless it is an `https://` URL with a host, without spaces.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        let rest = url
            .strip_prefix("https://")
            .ok_or("must be an https:// URL")?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || url.chars().count() > 2_000 {
            return Err("must be an https:// URL with a host, at most 2000 characters".to_owned());
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must not contain spaces or control characters".to_owned());
        }
        Ok(Self(url.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
