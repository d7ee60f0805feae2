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

/// A full-text query: 2-200 characters as sent (the bounds the document states), at most 32 terms. A query
/// with nothing searchable in it (only punctuation or symbols) is valid and matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    raw: String,
    terms: Vec<String>,
}

impl SearchQuery {
    pub const MAX_TERMS: usize = 32;

    /// # Errors
    /// A `q` field error when the query is shorter than 2 or longer than 200 characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationErrors> {
        let trimmed = raw.trim();
        let count = raw.chars().count();
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
        terms.truncate(Self::MAX_TERMS);
        Ok(Self {
            raw: trimmed.to_owned(),
            terms,
        })
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Whether the query has no searchable term, so that no document can match it.
    pub fn matches_nothing(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

/// The distinct character trigrams of a text (lower-cased, runs of non-alphanumerics folded to one
/// space, padded with spaces), each packed into a `u64` and sorted, so two sets intersect by merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigrams(Vec<u64>);

impl Trigrams {
    pub fn of(text: &str) -> Self {
        // Scoring runs this for every candidate of every similar check: ASCII and Hangul syllables (nearly
        // all of the text) skip the Unicode tables, and the trigrams are packed as the text is read.
        let mut packed: Vec<u64> = Vec::with_capacity(text.len() / 2 + 2);
        let (mut a, mut b) = (u64::from(' '), u64::from(' '));
        let mut push = |c: char, packed: &mut Vec<u64>| {
            let c = u64::from(c);
            if c == u64::from(' ') && b == u64::from(' ') {
                return;
            }
            // Padding is one space: the very first character only moves into the window.
            if !(a == u64::from(' ') && b == u64::from(' ')) {
                packed.push((a << 42) | (b << 21) | c);
            }
            (a, b) = (b, c);
        };
        for c in text.chars() {
            if c.is_ascii() {
                let c = if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    ' '
                };
                push(c, &mut packed);
            } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                push(c, &mut packed);
            } else {
                for c in c.to_lowercase() {
                    push(if c.is_alphanumeric() { c } else { ' ' }, &mut packed);
                }
            }
        }
        push(' ', &mut packed);
        packed.sort_unstable();
        packed.dedup();
        Self(packed)
    }

    /// Dice similarity: 0 (nothing shared) to 1 (the same trigrams).
    pub fn dice(&self, other: &Self) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (2 * shared) as f64 / (a.len() + b.len()) as f64
    }
}

/// Dice similarity of the character trigrams of two texts, from 0 (nothing shared) to 1 (same text).
pub fn similarity(a: &str, b: &str) -> f64 {
    Trigrams::of(a).dice(&Trigrams::of(b))
}

/// How much of the body is compared: enough for the gist, bounded so scoring stays cheap. It is the
/// list excerpt, so candidates are scored on what their list item already carries.
pub const BODY_PREFIX_CHARS: usize = crate::proposal::query::EXCERPT_CHARS;

/// The terms that best find a draft's look-alikes: the rarest ones that occur at all (a term in no
/// proposal finds nothing; a term in every proposal finds everything), rarest first, at most `max_terms`.
/// A bigram that overlaps one already chosen ("파트" after "아파") is skipped: pieces of one word always
/// occur together, so ANDing them narrows nothing.
pub fn distinctive_terms(terms: &[String], counts: &[i64], max_terms: usize) -> Vec<String> {
    let mut ranked: Vec<(i64, &String)> = counts
        .iter()
        .copied()
        .zip(terms)
        .filter(|(n, _)| *n > 0)
        .collect();
    ranked.sort_by_key(|(n, _)| *n);
    let overlaps = |a: &str, b: &str| {
        let (a0, a1) = (a.chars().next(), a.chars().last());
        let (b0, b1) = (b.chars().next(), b.chars().last());
        a.chars().count() == 2 && b.chars().count() == 2 && (a1 == b0 || b1 == a0)
    };
    let mut chosen: Vec<String> = Vec::new();
    for (_, term) in ranked {
        if chosen.len() >= max_terms {
            break;
        }
        if !chosen.iter().any(|c| overlaps(c, term)) {
            chosen.push(term.clone());
        }
    }
    chosen
}

/// A draft, prepared once and compared with many candidates.
#[derive(Debug, Clone)]
pub struct Draft {
    title: Trigrams,
    body: Option<Trigrams>,
}

impl Draft {
    pub fn new(title: &str, body: &str) -> Self {
        let body: String = body.chars().take(BODY_PREFIX_CHARS).collect();
        Self {
            title: Trigrams::of(title),
            body: (!body.trim().is_empty()).then(|| Trigrams::of(&body)),
        }
    }

    /// How alike the draft and an existing proposal are: titles weigh more than bodies.
    pub fn similarity(&self, title: &str, body_prefix: &str) -> f64 {
        let t = self.title.dice(&Trigrams::of(title));
        match &self.body {
            None => t,
            Some(body) => 0.6 * t + 0.4 * body.dice(&Trigrams::of(body_prefix)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: lower-case, fold runs of non-alphanumerics to one space, pad with one space
    /// on each side, take every window of three.
    fn reference_trigrams(text: &str) -> Vec<u64> {
        let mut chars: Vec<char> = vec![' '];
        for c in text.chars().flat_map(char::to_lowercase) {
            let c = if c.is_alphanumeric() { c } else { ' ' };
            if !(c == ' ' && chars.last() == Some(&' ')) {
                chars.push(c);
            }
        }
        if chars.last() != Some(&' ') {
            chars.push(' ');
        }
        let mut packed: Vec<u64> = chars
            .windows(3)
            .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
            .collect();
        packed.sort_unstable();
        packed.dedup();
        packed
    }

    #[test]
    fn trigrams_follow_the_plain_definition() {
        for text in [
            "",
            " ",
            "a",
            "  a  ",
            "ab",
            "아파트 주차장을 공유해요!",
            "Free WiFi, in EVERY park...",
            "İstanbul ÅNGSTRÖM ß ΣΊΣΥΦΟΣ",
            "1인 가구 -- 지원 (2026년)",
            "日本語のテキスト",
            "--!!",
        ] {
            assert_eq!(Trigrams::of(text).0, reference_trigrams(text), "{text:?}");
        }
    }

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
        // Nothing searchable is a valid query that matches nothing; the bounds count what was sent.
        assert_eq!(
            SearchQuery::parse("  !!  ").map(|q| q.matches_nothing()),
            Ok(true)
        );
        assert!(SearchQuery::parse(" 가").is_ok_and(|q| !q.matches_nothing()));
        assert!(SearchQuery::parse(&"가".repeat(201)).is_err());
        assert_eq!(
            SearchQuery::parse(&"word ".repeat(40)).map(|q| q.terms().len()),
            Ok(1)
        );
    }

    #[test]
    fn distinctive_terms_are_the_rarest_that_occur() {
        let terms: Vec<String> = ["주세", "주차", "세요", "공유", "없음"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let counts = [5_000, 120, 4_000, 900, 0];
        assert_eq!(
            distinctive_terms(&terms, &counts, 3),
            vec!["주차", "공유", "세요"]
        );
        assert_eq!(distinctive_terms(&terms, &counts, 1), vec!["주차"]);
        assert!(distinctive_terms(&terms, &[0; 5], 3).is_empty());
    }

    #[test]
    fn overlapping_pieces_of_one_word_are_not_chosen_together() {
        let terms: Vec<String> = ["아파", "파트", "단지", "주차"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            distinctive_terms(&terms, &[10, 11, 12, 13], 3),
            vec!["아파", "단지", "주차"]
        );
    }

    #[test]
    fn a_prepared_draft_scores_like_the_plain_function() {
        let draft = Draft::new("아파트 주차장 공유", "");
        assert!((draft.similarity("아파트 주차장 공유", "") - 1.0).abs() < 1e-9);
        assert!(draft.similarity("국립공원 입장료 폐지", "") < 0.1);
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
