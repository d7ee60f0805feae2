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

/// An `https` URL of at most 2,000 characters that every browser and HTTP client parses the same way
/// (the WHATWG URL standard): a host that is an ASCII domain name (an IDN in its `xn--` form) whose last
/// label starts with a letter (so it is never read as an IPv4 address), an IPv4 address in dotted decimal,
/// or an IPv6 address in brackets (RFC 3986); an optional port up to 65535; then anything without spaces,
/// backslashes or control characters. No credentials. Kept as written, trimmed. (Whether a target may be
/// private is the webhook sender's question, at delivery.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    /// The same rule as a regular expression, for the API document (`pattern`), ECMA-262 and Python syntax.
    /// One thing it cannot say: a label starting with `xn--` must also be valid Punycode.
    pub const PATTERN: &'static str = concat!(
        r"^https://(?:(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|",
        r"\[(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|",
        r"1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|",
        r"::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|",
        r"1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|",
        r"(?:[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|",
        r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])){3})|",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|",
        r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])){3})|",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|",
        r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])){3})|",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}:(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|",
        r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])){3})|",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|",
        r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|",
        r"[1-9]?[0-9])){3})|(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}|",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::)\])(?::(?:6553[0-5]|655[0-2][0-9]|",
        r"65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|",
        r"[0-9]{1,4}))?(?:[/?#][^\s\\\u0000-\u001F\u007F-\u009F\uFEFF]*)?$",
    );
    pub const MAX_CHARS: usize = 2_000;

    /// # Errors
    /// A message unless the URL follows [`Self::PATTERN`] and is at most [`Self::MAX_CHARS`] long.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        let rest = url
            .strip_prefix("https://")
            .ok_or("must be an https:// URL")?;
        if url.chars().count() > Self::MAX_CHARS {
            return Err("must be an https:// URL of at most 2000 characters".to_owned());
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err("must not contain a user name or password".to_owned());
        }
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => {
                (&authority[..i], Some(&authority[i + 1..]))
            }
            _ => (authority, None),
        };
        if !is_host(host) {
            return Err(
                "must be an https:// URL whose host is a domain name (letters, digits, hyphens and dots; \
                 the last label starting with a letter), an IPv4 address or an [IPv6] address"
                    .to_owned(),
            );
        }
        if let Some(port) = port
            && !(matches!(port.len(), 1..=5)
                && !(port.len() == 5 && port.starts_with('0'))
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| p <= 65_535))
        {
            return Err("must have a port from 0 to 65535".to_owned());
        }
        if tail
            .chars()
            // U+FEFF too: ECMA-262's `\s` (a browser checking the document's pattern) counts it.
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '\u{feff}')
        {
            return Err("must not contain spaces, backslashes or control characters".to_owned());
        }
        // The rule above is a subset of what the standard's parser accepts; this keeps it that way.
        url::Url::parse(url).map_err(|e| format!("must be a valid https:// URL ({e})"))?;
        Ok(Self(url.to_owned()))
    }
    /// A URL stored earlier, taken as it is: rows written under an older, looser rule stay readable (the
    /// rule applies to what the API accepts, not to what it already holds).
    pub fn from_stored(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A domain name, a dotted-decimal IPv4 address (no leading zeros) or a bracketed IPv6 address.
fn is_host(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    host.parse::<std::net::Ipv4Addr>().is_ok() || is_host_name(host)
}

/// Dot-separated labels of ASCII letters, digits and hyphens, the last one starting with a letter.
fn is_host_name(host: &str) -> bool {
    let label_ok =
        |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    host.split('.').all(label_ok)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests;
