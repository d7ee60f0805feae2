//! Suggested competent organization: ranks the organizations (ministries) that could answer a citizen
//! proposal by what was referred to them before, and says which words of the proposal drove each score.
//!
//! The model is multinomial naive Bayes with Lidstone smoothing (add-[`ALPHA`]) over binary term features. A
//! document is the set of its distinct terms ([`crate::search::terms`] of the title, body and tags: Korean
//! as overlapping bigrams, Latin words lower-cased), each counted once. For an organization `o` that kept
//! `N_o` of all `N` referrals, whose documents hold `T_o` terms in all, `n_{o,t}` of them containing `t`,
//! and a vocabulary of `V` distinct terms learned overall,
//!
//! `log P(o | d) = ln(N_o / N) + Σ_{t ∈ d} ln((n_{o,t} + α) / (T_o + α V)) + constant`.
//!
//! Only the document's own terms contribute (the multinomial model ignores absent terms), so ranking costs
//! one count per (organization, document term), which a store answers with one indexed lookup. Scores are
//! the posteriors (a softmax of the log scores, computed after subtracting the largest, so nothing
//! underflows to `0 / 0`). The terms shown for an organization are those it has seen that most favour it
//! over all the others pooled: the largest `ln P(t | o) - ln P(t | rest)`.
//!
//! Naive Bayes because it learns by counting (a referral adds one to a few counters; nothing is re-trained),
//! it ranks in time linear in the document, and its score is a sum of per-term contributions, so a
//! suggestion can be explained to the official who reads it. The smoothing is `α = 0.1`, not add-one:
//! while an organization's documents hold fewer terms than the vocabulary (`T_o < V`, a young ledger),
//! add-one weighs so heavily that it favours the organizations that have learned most. On the benchmark's
//! data with 160 referrals learned, add-one ranked the right ministry in the top 3 for 64 % of proposals
//! and `α = 0.1` for 95 %; with 16,000 learned both reach 100 % (`BENCHMARKS.md`).
//!
//! It learns from referrals that were not transferred away: the organization that answered kept the
//! proposal, so the referral is evidence that the proposal belonged there. A referral passed on to another
//! organization teaches nothing about the first one.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The smoothing constant: each term counts as seen `ALPHA` times more than it was.
pub const ALPHA: f64 = 0.1;

use crate::search::terms;

/// At most this many distinct terms of a document are used (title first, then body, then tags).
pub const MAX_DOCUMENT_TERMS: usize = 200;
/// How many driving terms a suggestion shows.
pub const SHOWN_TERMS: usize = 5;

/// The distinct terms of a proposal's title, body and tags (title first), at most [`MAX_DOCUMENT_TERMS`].
#[must_use]
pub fn document_terms(title: &str, body: &str, tags: &[String]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    let texts = [title, body]
        .into_iter()
        .chain(tags.iter().map(String::as_str));
    for text in texts {
        for term in terms(text).into_iter().filter(|t| !is_noise(t)) {
            if out.len() == MAX_DOCUMENT_TERMS {
                return out;
            }
            if seen.insert(term.clone()) {
                out.push(term);
            }
        }
    }
    out
}

/// English function words: they say nothing about which organization is competent, and would otherwise
/// show up among the driving terms of whichever organization happened to see them most.
const STOP_WORDS: &[&str] = &[
    "about", "also", "and", "are", "but", "can", "for", "from", "has", "have", "into", "not",
    "our", "please", "should", "that", "the", "their", "there", "this", "was", "were", "will",
    "with", "would", "you", "your",
];

/// A Latin term of fewer than three letters (`a`, `to`, `of`) or a function word; Korean bigrams and
/// numbers are kept.
fn is_noise(term: &str) -> bool {
    let latin = term.chars().all(|c| c.is_ascii_alphabetic());
    latin && (term.len() < 3 || STOP_WORDS.contains(&term))
}

/// What the ledger has learned about one organization, restricted to the terms of the document being ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationStats<O> {
    /// The organization these counts are about.
    pub organization: O,
    /// Referrals it kept (documents learned).
    pub documents: i64,
    /// Sum over its documents of their distinct-term counts.
    pub term_total: i64,
    /// For (some of) the document's terms: in how many of its documents the term occurred. Missing = 0.
    pub term_counts: HashMap<String, i64>,
}

impl<O> OrganizationStats<O> {
    fn count(&self, term: &str) -> i64 {
        self.term_counts.get(term).copied().unwrap_or(0).max(0)
    }
}

/// One suggested organization for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion<O> {
    /// The organization suggested.
    pub organization: O,
    /// Posterior probability in [0, 1]; the suggestions of one ranking sum to at most 1.
    pub score: f64,
    /// Up to [`SHOWN_TERMS`] of the document's terms that most favour this organization over the others
    /// (largest log P(t|org) - log P(t|rest)), only terms the organization has actually seen, best first.
    pub terms: Vec<String>,
}

#[allow(
    clippy::cast_precision_loss,
    reason = "counts stay far below 2^53, where f64 is exact"
)]
fn real(n: i64) -> f64 {
    n as f64
}

/// Ranks `orgs` for a document with `terms`. `vocabulary` is the number of distinct terms learned overall
/// (for smoothing; `max(vocabulary, 1)` is used). Organizations with zero documents are skipped. Best first,
/// ties broken by the order of `orgs`; at most `limit`. Repeated terms count once.
#[must_use]
pub fn rank<O: Clone>(
    terms: &[String],
    orgs: &[OrganizationStats<O>],
    vocabulary: i64,
    limit: usize,
) -> Vec<Suggestion<O>> {
    let live: Vec<&OrganizationStats<O>> = orgs.iter().filter(|o| o.documents > 0).collect();
    if live.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| seen.insert(t))
        .collect();
    let vocabulary = real(vocabulary.max(1));
    let documents: i64 = live.iter().map(|o| o.documents).sum();
    let term_total: i64 = live.iter().map(|o| o.term_total.max(0)).sum();
    // counts[i][j]: in how many documents of organization i term j occurred; totals[j]: of all of them.
    let counts: Vec<Vec<i64>> = live
        .iter()
        .map(|o| terms.iter().map(|t| o.count(t)).collect())
        .collect();
    let totals: Vec<i64> = (0..terms.len())
        .map(|j| counts.iter().map(|row| row[j]).sum())
        .collect();

    // (log posterior up to a constant, organization, driving terms)
    let mut scored: Vec<(f64, &OrganizationStats<O>, Vec<String>)> = Vec::with_capacity(live.len());
    for (org, row) in live.into_iter().zip(&counts) {
        let own_denominator = (real(org.term_total.max(0)) + ALPHA * vocabulary).ln();
        let rest_denominator = (real(term_total - org.term_total.max(0)) + ALPHA * vocabulary).ln();
        let mut log_score = (real(org.documents) / real(documents)).ln();
        let mut drivers: Vec<(f64, &str)> = Vec::new();
        for ((&term, &total), &count) in terms.iter().zip(&totals).zip(row) {
            let own = (real(count) + ALPHA).ln() - own_denominator;
            log_score += own;
            if count > 0 {
                let rest = (real(total - count) + ALPHA).ln() - rest_denominator;
                if own > rest {
                    drivers.push((own - rest, term));
                }
            }
        }
        // Stable: equally strong terms keep the document's order.
        drivers.sort_by(|a, b| b.0.total_cmp(&a.0));
        let shown = drivers
            .into_iter()
            .take(SHOWN_TERMS)
            .map(|(_, t)| t.to_owned())
            .collect();
        scored.push((log_score, org, shown));
    }
    let best = scored.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    // The best organization contributes exp(0) = 1, so the sum is at least 1.
    let sum: f64 = scored.iter().map(|s| (s.0 - best).exp()).sum();
    // Stable, by the log score (finer than the posterior, which can round to 0): ties keep `orgs` order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(limit)
        .map(|(log_score, org, terms)| Suggestion {
            organization: org.organization.clone(),
            score: ((log_score - best).exp() / sum).clamp(0.0, 1.0),
            terms,
        })
        .collect()
}

/// An in-memory model (the benchmark trains one; tests use it). The server keeps the same counts in tables.
#[derive(Debug, Clone)]
pub struct Model<O> {
    /// In order of first learning, with every term's count.
    organizations: Vec<OrganizationStats<O>>,
    index: HashMap<O, usize>,
    vocabulary: HashSet<String>,
}

impl<O> Default for Model<O> {
    fn default() -> Self {
        Self {
            organizations: Vec::new(),
            index: HashMap::new(),
            vocabulary: HashSet::new(),
        }
    }
}

impl<O: Clone + Eq + Hash> Model<O> {
    /// A model that has learned nothing.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns one kept referral: `terms` from [`document_terms`] (a repeated term counts once).
    pub fn learn(&mut self, organization: O, terms: &[String]) {
        let slot = *self.index.entry(organization.clone()).or_insert_with(|| {
            self.organizations.push(OrganizationStats {
                organization,
                documents: 0,
                term_total: 0,
                term_counts: HashMap::new(),
            });
            self.organizations.len() - 1
        });
        let stats = &mut self.organizations[slot];
        stats.documents += 1;
        let mut seen: HashSet<&str> = HashSet::new();
        for term in terms.iter().filter(|t| seen.insert(t.as_str())) {
            stats.term_total += 1;
            if let Some(count) = stats.term_counts.get_mut(term.as_str()) {
                *count += 1;
            } else {
                stats.term_counts.insert(term.clone(), 1);
                self.vocabulary.insert(term.clone());
            }
        }
    }

    /// The number of distinct terms learned.
    #[must_use]
    pub fn vocabulary(&self) -> i64 {
        i64::try_from(self.vocabulary.len()).unwrap_or(i64::MAX)
    }

    /// The stats of every organization (in order of first learning), restricted to `terms`, as a store
    /// would answer.
    #[must_use]
    pub fn stats_for(&self, terms: &[String]) -> Vec<OrganizationStats<O>> {
        self.organizations
            .iter()
            .map(|o| OrganizationStats {
                organization: o.organization.clone(),
                documents: o.documents,
                term_total: o.term_total,
                term_counts: terms
                    .iter()
                    .filter_map(|t| o.term_counts.get_key_value(t.as_str()))
                    .map(|(t, &c)| (t.clone(), c))
                    .collect(),
            })
            .collect()
    }

    /// Ranks the organizations learned for a document with `terms`: see [`rank`].
    #[must_use]
    pub fn rank(&self, terms: &[String], limit: usize) -> Vec<Suggestion<O>> {
        rank(terms, &self.stats_for(terms), self.vocabulary(), limit)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Vec<String> {
        document_terms(text, "", &[])
    }

    fn trained() -> Model<&'static str> {
        let mut model = Model::new();
        for (org, text) in [
            ("MOLIT", "아파트 주차장이 부족합니다"),
            ("MOLIT", "공영주차장 주차요금 인하"),
            ("MOLIT", "버스 노선과 대중교통 환승 개선"),
            ("MOLIT", "불법주차 단속 강화"),
            ("ME", "미세먼지 대책 마련"),
            ("ME", "재활용 분리수거 개선"),
            ("ME", "미세먼지 저감 경유차"),
            ("MOHW", "어린이집 보육교사 처우 개선"),
        ] {
            model.learn(org, &doc(text));
        }
        model
    }

    /// Stats with one term "t": [documents, term total, count of t].
    fn stats(
        organization: &'static str,
        [documents, term_total, t]: [i64; 3],
    ) -> OrganizationStats<&'static str> {
        let term_counts = HashMap::from([("t".to_owned(), t)]);
        OrganizationStats {
            organization,
            documents,
            term_total,
            term_counts,
        }
    }

    #[test]
    fn the_competent_organization_wins_a_clear_case() {
        let ranked = trained().rank(&doc("우리 동네 주차장 주차난 해결"), 3);
        assert_eq!(ranked[0].organization, "MOLIT");
        assert!(ranked[0].score > 0.5, "{ranked:?}");
        assert!(ranked[0].terms.contains(&"주차".to_owned()), "{ranked:?}");
        let ranked = trained().rank(&doc("초미세먼지 너무 심합니다"), 1);
        assert_eq!(ranked[0].organization, "ME");
    }

    #[test]
    fn scores_are_posteriors_best_first_explained_by_seen_terms() {
        let model = trained();
        let document = doc("주차장 미세먼지 보육교사 재활용 버스 환승 처우 개선 필요");
        let ranked = model.rank(&document, 10);
        assert_eq!(ranked.len(), 3);
        assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(ranked.iter().all(|s| (0.0..=1.0).contains(&s.score)));
        let sum: f64 = ranked.iter().map(|s| s.score).sum();
        assert!((sum - 1.0).abs() < 1e-9, "{sum}");
        let stats = model.stats_for(&document);
        for suggestion in &ranked {
            let own = stats
                .iter()
                .find(|s| s.organization == suggestion.organization)
                .unwrap();
            let shown = &suggestion.terms;
            assert!(!shown.is_empty() && shown.len() <= SHOWN_TERMS);
            assert!(
                shown
                    .iter()
                    .all(|t| own.count(t) > 0 && document.contains(t))
            );
        }
    }

    #[test]
    fn posterior_matches_a_hand_computation() {
        // A: prior 3/4, P(t|A) = (2+α)/(6+10α); B: prior 1/4, P(t|B) = (0+α)/(2+10α).
        let t = ["t".to_owned()];
        let ranked = rank(&t, &[stats("A", [3, 6, 2]), stats("B", [1, 2, 0])], 10, 2);
        let (a, b) = (
            0.75 * (2.0 + ALPHA) / (6.0 + 10.0 * ALPHA),
            0.25 * ALPHA / (2.0 + 10.0 * ALPHA),
        );
        assert!((ranked[0].score - a / (a + b)).abs() < 1e-12);
        assert_eq!(ranked[0].terms, ["t"]);
        assert!(ranked[1].terms.is_empty());
        // Equal stats: equal scores, in the order given.
        let ranked = rank(&t, &[stats("B", [1, 1, 1]), stats("A", [1, 1, 1])], 1, 2);
        assert_eq!([ranked[0].organization, ranked[1].organization], ["B", "A"]);
        assert!((ranked[0].score - 0.5).abs() < 1e-12);
    }

    #[test]
    fn empty_idle_and_limited_rankings() {
        assert!(Model::<String>::new().rank(&doc("주차장"), 3).is_empty());
        assert_eq!(Model::<String>::new().vocabulary(), 0);
        assert!(rank(&doc("이산가족"), &[stats("MOU", [0, 0, 0])], 0, 3).is_empty());
        let mut orgs = trained().stats_for(&doc("이산가족"));
        orgs.insert(0, stats("MOU", [0, 0, 0]));
        let ranked = rank(&doc("이산가족"), &orgs, 100, 10);
        assert_eq!(ranked.len(), 3);
        assert!(ranked.iter().all(|s| s.organization != "MOU"));
        assert_eq!(trained().rank(&doc("개선"), 1).len(), 1);
        assert!(trained().rank(&doc("개선"), 0).is_empty());
    }

    #[test]
    fn document_terms_are_distinct_title_first_and_bounded() {
        let terms = document_terms("주차장", "주차장 부족", &["Parking".to_owned()]);
        assert_eq!(terms, ["주차", "차장", "부족", "parking"]);
        let long = (0..500).fold(String::new(), |text, i| text + "w" + &i.to_string() + " ");
        assert_eq!(document_terms("", &long, &[]).len(), MAX_DOCUMENT_TERMS);
    }
}
