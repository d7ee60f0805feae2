//! Text search that works the same for Korean and English on both databases.
//!
//! Korean (and other CJK scripts) has no spaces between the parts of a compound and attaches particles to
//! words, so whole-word matching fails ("주차장을" should match "주차"). Each run of CJK characters is
//! indexed as its overlapping two-character pieces (bigrams), the approach of Lucene's CJK analyzer; Latin
//! letters and digits are indexed as lower-cased words. The same function turns a query into terms, and a
//! document matches when it has every term of the query. Both SQLite (FTS5) and PostgreSQL (GIN over a
//! `simple` tsvector) index the space-separated terms, so a two-syllable query such as "주차" is an exact
//! index lookup on either backend.
//!
//! Similarity ("is this already proposed?") compares character trigrams with the Dice coefficient, which
//! tolerates rewording, particles and typos where word matching would not.

use std::collections::HashSet;

use crate::ValidationErrors;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF // Hangul jamo, compatibility jamo, syllables
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF) // CJK ideographs
}

/// The index terms of `text`, in order of appearance, without repeats.
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut push = |t: String, out: &mut Vec<String>| {
        if seen.insert(t.clone()) {
            out.push(t);
        }
    };
    let lowered = text.to_lowercase();
    let mut cjk_run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |run: &mut Vec<char>,
                     out: &mut Vec<String>,
                     push: &mut dyn FnMut(String, &mut Vec<String>)| {
        match run.len() {
            0 => {}
            1 => push(run[0].to_string(), out),
            _ => {
                for pair in run.windows(2) {
                    push(pair.iter().collect(), out);
                }
            }
        }
        run.clear();
    };
    for c in lowered.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
            cjk_run.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk_run, &mut out, &mut push);
            word.push(c);
        } else {
            flush_cjk(&mut cjk_run, &mut out, &mut push);
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
        }
    }
    flush_cjk(&mut cjk_run, &mut out, &mut push);
    if !word.is_empty() {
        push(word, &mut out);
    }
    out
}

/// What is stored in the index column: the terms of a proposal's title and body, space-separated.
pub fn index_text(title: &str, body: &str) -> String {
    let mut all = terms(title);
    let mut seen: HashSet<String> = all.iter().cloned().collect();
    for t in terms(body) {
        if seen.insert(t.clone()) {
            all.push(t);
        }
    }
    all.join(" ")
}

/// A full-text query: at least one term, at most 32, from 2-200 characters of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    raw: String,
    terms: Vec<String>,
}

impl SearchQuery {
    pub const MAX_TERMS: usize = 32;

    /// # Errors
    /// A `q` field error when the query is too short, too long, or has nothing searchable.
    pub fn parse(raw: &str) -> Result<Self, ValidationErrors> {
        let trimmed = raw.trim();
        let count = trimmed.chars().count();
        if count < 2 {
            return Err(ValidationErrors::single(
                "q",
                "must be at least 2 characters",
            ));
        }
        if count > 200 {
            return Err(ValidationErrors::single(
                "q",
                "must be at most 200 characters",
            ));
        }
        let mut terms = terms(trimmed);
        if terms.is_empty() {
            return Err(ValidationErrors::single(
                "q",
                "must contain letters or digits",
            ));
        }
        terms.truncate(Self::MAX_TERMS);
        Ok(Self {
            raw: trimmed.to_owned(),
            terms,
        })
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

fn trigrams(text: &str) -> HashSet<[char; 3]> {
    let normalized: Vec<char> = {
        let mut v = vec![' '];
        let mut last_space = true;
        for c in text.to_lowercase().chars() {
            let c = if c.is_alphanumeric() { c } else { ' ' };
            if c == ' ' && last_space {
                continue;
            }
            last_space = c == ' ';
            v.push(c);
        }
        if !last_space {
            v.push(' ');
        }
        v
    };
    normalized.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// Dice similarity of the character trigrams of two texts, from 0 (nothing shared) to 1 (same text).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let shared = ta.intersection(&tb).count();
    (2 * shared) as f64 / (ta.len() + tb.len()) as f64
}

/// How much of the body is compared: enough for the gist, bounded so scoring stays cheap.
pub const BODY_PREFIX_CHARS: usize = 600;

/// How alike a draft and an existing proposal are: titles weigh more than bodies.
pub fn proposal_similarity(draft_title: &str, draft_body: &str, title: &str, body: &str) -> f64 {
    let prefix = |s: &str| s.chars().take(BODY_PREFIX_CHARS).collect::<String>();
    let t = similarity(draft_title, title);
    if draft_body.trim().is_empty() {
        return t;
    }
    0.6 * t + 0.4 * similarity(&prefix(draft_body), &prefix(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_is_indexed_as_bigrams_and_english_as_words() {
        assert_eq!(
            terms("주차장을 늘려 주세요"),
            vec!["주차", "차장", "장을", "늘려", "주세", "세요"]
        );
        assert_eq!(
            terms("More PARKING, please!"),
            vec!["more", "parking", "please"]
        );
        assert_eq!(terms("버스 route 7번"), vec!["버스", "route", "7", "번"]);
    }

    #[test]
    fn a_two_syllable_query_is_one_term_found_inside_longer_words() {
        let q = SearchQuery::parse("주차").map(|q| q.terms().to_vec());
        assert_eq!(q, Ok(vec!["주차".to_owned()]));
        assert!(
            index_text("아파트 주차장 공유", "")
                .split(' ')
                .any(|t| t == "주차")
        );
    }

    #[test]
    fn queries_need_substance() {
        assert!(SearchQuery::parse("가").is_err());
        assert!(SearchQuery::parse("  !!  ").is_err());
        assert!(SearchQuery::parse(&"가".repeat(201)).is_err());
        assert_eq!(
            SearchQuery::parse(&"word ".repeat(40)).map(|q| q.terms().len()),
            Ok(1)
        );
    }

    #[test]
    fn reworded_proposals_are_similar_and_unrelated_ones_are_not() {
        let a = "아파트 주차장을 이웃과 공유하자";
        let b = "아파트 주차장 이웃 공유 제안";
        let c = "국립공원 입장료를 폐지해 주세요";
        assert!(similarity(a, b) > 0.4, "{}", similarity(a, b));
        assert!(similarity(a, c) < 0.15, "{}", similarity(a, c));
        assert!(
            (similarity("Free public wifi in parks", "free public wi-fi in parks") - 1.0).abs()
                < 0.3
        );
        assert_eq!(similarity("same text", "same text"), 1.0);
        assert_eq!(similarity("", "x"), 0.0);
    }
}
