//! The similar check ("is this already proposed?"): which terms of a draft to look up, where to look, and
//! how candidates are scored and cut. The storage only hands over candidates.

use crate::proposal::query::{CandidateScope, ProposalSummary};
use crate::search::{self, Draft};

/// How many terms of a draft (title first, then the opening of the body) are weighed for rarity.
pub const DRAFT_TERMS: usize = 16;
/// How many of the draft's rarest terms are looked up together.
pub const LOOKUP_TERMS: usize = 3;
/// How many candidates the storage hands over for scoring.
pub const CANDIDATES: i64 = 50;
/// Candidates less alike than this are not shown.
pub const MIN_SCORE: f64 = 0.15;
/// At most this many look-alikes are shown.
pub const MAX_RESULTS: usize = 10;

/// The terms of a draft to weigh: the title's, then the body opening's, without repeats.
pub fn draft_terms(title: &str, body: &str) -> Vec<String> {
    let body_prefix: String = body.chars().take(search::BODY_PREFIX_CHARS).collect();
    let mut terms = search::terms(title);
    for t in search::terms(&body_prefix) {
        if terms.len() >= DRAFT_TERMS {
            break;
        }
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    terms
}

/// What to ask the storage for: the distinctive terms and where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub terms: Vec<String>,
    pub scope: CandidateScope,
}

/// Picks the lookup from the draft's `terms` and how many proposals contain each (`counts`, capped at
/// `cap`).
pub fn lookup(terms: &[String], counts: &[i64], cap: i64) -> Lookup {
    let distinctive = search::distinctive_terms(terms, counts, LOOKUP_TERMS);
    let chosen: Vec<i64> = distinctive
        .iter()
        .filter_map(|d| terms.iter().position(|t| t == d).map(|i| counts[i]))
        .collect();
    Lookup {
        scope: CandidateScope::for_counts(&chosen, cap),
        terms: distinctive,
    }
}

/// Scores candidates against the draft and keeps the most alike, best first, scores rounded to 0.001.
pub fn rank(
    title: &str,
    body: &str,
    candidates: Vec<ProposalSummary>,
) -> Vec<(f64, ProposalSummary)> {
    let draft = Draft::new(title, body);
    let mut scored: Vec<(f64, ProposalSummary)> = candidates
        .into_iter()
        .map(|c| (draft.similarity(&c.title, &c.excerpt), c))
        .filter(|(score, _)| *score >= MIN_SCORE)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.truncate(MAX_RESULTS);
    scored
        .into_iter()
        .map(|(s, c)| ((s * 1000.0).round() / 1000.0, c))
        .collect()
}
