//! Deterministic, realistic data at Gwanghwamoon scale: the same seed gives the same data set.
//!
//! - Proposals: 70 % Korean, 30 % English, built from the ideas people actually send (a subject, an action,
//!   a group that benefits, a place), across all policy areas and the 17 regions (weighted by population),
//!   over the 50 days of the 2017 channel. Body lengths follow a long-tailed distribution (most a paragraph,
//!   a few thousands of characters); 0-5 tags.
//! - 10 % are near-duplicates: an earlier proposal's idea, reworded, so the similar check has real work.
//! - The funnel: about 1 % selected (1,718 of 180,705 in 2017), some under review or rejected.
//! - Supports follow a power law: the most supported proposal has tens of thousands, most have a handful.

use chrono::{DateTime, Duration, Utc};
use ocf_domain::Id;
use ocf_domain::account::{DisplayName, Email, NewUser, Roles, UserId};
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::proposal::{
    Body, Channel, Proposal, ProposalId, ProposalRecord, ProposalStatus, Region, Tags, Title,
};
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod vocabulary;

use vocabulary::*;

/// Whether a Korean word ends in a consonant (받침), which picks the particle (을/를, 이/가, 은/는).
fn has_final(word: &str) -> bool {
    word.chars().last().is_some_and(|c| {
        let code = c as u32;
        (0xAC00..=0xD7A3).contains(&code) && !(code - 0xAC00).is_multiple_of(28)
    })
}

fn obj(word: &str) -> String {
    format!("{word}{}", if has_final(word) { "을" } else { "를" })
}
fn subj(word: &str) -> String {
    format!("{word}{}", if has_final(word) { "이" } else { "가" })
}

/// One idea: what people ask for, for whom, where.
#[derive(Debug, Clone, Copy)]
struct Idea {
    korean: bool,
    subject: usize,
    action: usize,
    group: usize,
    place: usize,
}

fn pick<'a>(rng: &mut ChaCha8Rng, words: &[&'a str]) -> &'a str {
    words.choose(rng).copied().unwrap_or("")
}

fn title_of(idea: Idea, variant: usize) -> String {
    if idea.korean {
        let (s, a, g, p) = (
            KO_SUBJECTS[idea.subject],
            KO_ACTIONS[idea.action],
            KO_GROUPS[idea.group],
            KO_PLACES[idea.place],
        );
        match variant % 5 {
            0 => format!("{p} {s} {a}해 주세요"),
            1 => format!("{g}을 위한 {s} {a}"),
            2 => format!("{s} {a}이 필요합니다"),
            3 => format!("{p}에 {} {a}합시다", obj(s)),
            _ => format!("{g} 불편 해소를 위한 {p} {s} {a} 제안"),
        }
    } else {
        let (s, a, g, p) = (
            EN_SUBJECTS[idea.subject],
            EN_ACTIONS[idea.action],
            EN_GROUPS[idea.group],
            EN_PLACES[idea.place],
        );
        match variant % 4 {
            0 => format!("Please {a} {s} near {p}"),
            1 => format!("{} {s} for {g}", capitalise(a)),
            2 => format!("We need to {a} {s} in {p}"),
            _ => format!("A proposal to {a} {s} for {g} in {p}"),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn sentence(rng: &mut ChaCha8Rng, idea: Idea) -> String {
    if idea.korean {
        let (s, a, g, p) = (
            KO_SUBJECTS[idea.subject],
            KO_ACTIONS[idea.action],
            KO_GROUPS[idea.group],
            KO_PLACES[idea.place],
        );
        let benefit = pick(rng, KO_BENEFITS);
        let n = rng.random_range(1..=90);
        match rng.random_range(0..6) {
            0 => format!(
                "현재 {p}에는 {} 부족하여 {} 불편을 겪고 있습니다.",
                subj(s),
                subj(g)
            ),
            1 => format!("{s} {}을 통해 {benefit} 효과를 기대할 수 있습니다.", a),
            2 => format!("예산은 약 {n}억 원 규모로, 단계적으로 추진하면 부담이 크지 않습니다."),
            3 => format!("다른 지역에서도 {s} {a} 사례가 좋은 평가를 받았습니다."),
            4 => format!("특히 {}에게는 {benefit} 측면에서 꼭 필요한 정책입니다.", g),
            _ => format!(
                "관계 부처와 지방자치단체가 함께 {} 검토해 주시기 바랍니다.",
                obj(s)
            ),
        }
    } else {
        let (s, a, g, p) = (
            EN_SUBJECTS[idea.subject],
            EN_ACTIONS[idea.action],
            EN_GROUPS[idea.group],
            EN_PLACES[idea.place],
        );
        let n = rng.random_range(1..=90);
        match rng.random_range(0..5) {
            0 => format!("Right now {p} lack {s}, and {g} feel it every day."),
            1 => format!("If we {a} {s}, daily life gets safer and cheaper."),
            2 => format!("The cost would be around {n} billion won, spread over several years."),
            3 => format!("Other cities that chose to {a} {s} report good results."),
            _ => "I ask the ministries and local governments to review this together.".to_owned(),
        }
    }
}

/// Long-tailed body length: most proposals are a paragraph, a few run to thousands of characters.
fn body_of(rng: &mut ChaCha8Rng, idea: Idea) -> String {
    let sentences = match rng.random_range(0..100) {
        0..60 => rng.random_range(2..6),
        60..90 => rng.random_range(6..15),
        90..99 => rng.random_range(15..40),
        _ => rng.random_range(40..120),
    };
    let mut body = String::new();
    for _ in 0..sentences {
        let s = sentence(rng, idea);
        if body.chars().count() + s.chars().count() + 1 > 10_000 {
            break;
        }
        if !body.is_empty() {
            body.push(' ');
        }
        body.push_str(&s);
    }
    body
}

fn tags_of(rng: &mut ChaCha8Rng, idea: Idea) -> Vec<String> {
    let count = [0, 1, 1, 2, 2, 2, 3, 3, 4, 5][rng.random_range(0..10)];
    let pool: Vec<&str> = if idea.korean {
        vec![
            KO_SUBJECTS[idea.subject],
            KO_GROUPS[idea.group],
            KO_PLACES[idea.place],
            KO_ACTIONS[idea.action],
            "생활불편",
            "안전",
        ]
    } else {
        vec![
            EN_SUBJECTS[idea.subject],
            EN_GROUPS[idea.group],
            EN_PLACES[idea.place],
            "daily-life",
            "safety",
        ]
    };
    pool.into_iter().take(count).map(str::to_owned).collect()
}

fn region_of(rng: &mut ChaCha8Rng) -> Region {
    let total: u32 = REGIONS.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (r, w) in REGIONS {
        if x < *w {
            return *r;
        }
        x -= w;
    }
    Region::Nationwide
}

/// A time-ordered id for a moment in the past, deterministic from the generator.
fn id_at<T>(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Id<T> {
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    Id::from_uuid(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
}

/// The password of every generated account (hashed once, stored for all).
pub const PASSWORD: &str = "bench-password-2017";

pub fn users(
    count: usize,
    password_hash: &str,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<NewUser>, String> {
    (0..count)
        .map(|i| {
            let created_at =
                now - Duration::days(60) + Duration::seconds(rng.random_range(0..86_400 * 10));
            Ok(NewUser {
                id: id_at(rng, created_at),
                email: Email::parse(&format!("citizen{i}@bench.ocf.example"))
                    .map_err(|e| e.to_string())?,
                display_name: DisplayName::parse(&format!("시민 {i}"))
                    .map_err(|e| e.to_string())?,
                password_hash: password_hash.to_owned(),
                roles: Roles::citizen(),
                created_at,
            })
        })
        .collect()
}

/// Generates `count` proposals by `authors`, the 50 days before `now`.
pub fn proposals(
    count: usize,
    authors: &[UserId],
    areas: &[PolicyAreaId],
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Proposal>, String> {
    let start = now - Duration::days(50);
    let mut ideas: Vec<Idea> = Vec::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    // Creation times in order, so ids (time-ordered) and created_at agree.
    let mut offsets: Vec<i64> = (0..count)
        .map(|_| rng.random_range(0..50 * 86_400_000))
        .collect();
    offsets.sort_unstable();
    for (i, offset) in offsets.into_iter().enumerate() {
        let idea = match (i > 100, rng.random_range(0..10)) {
            // A near-duplicate: someone else's earlier idea, in other words.
            (true, 0) => ideas[rng.random_range(0..ideas.len())],
            _ => {
                let korean = rng.random_range(0..10) < 7;
                let (s, a, g, p) = if korean {
                    (
                        KO_SUBJECTS.len(),
                        KO_ACTIONS.len(),
                        KO_GROUPS.len(),
                        KO_PLACES.len(),
                    )
                } else {
                    (
                        EN_SUBJECTS.len(),
                        EN_ACTIONS.len(),
                        EN_GROUPS.len(),
                        EN_PLACES.len(),
                    )
                };
                Idea {
                    korean,
                    subject: rng.random_range(0..s),
                    action: rng.random_range(0..a),
                    group: rng.random_range(0..g),
                    place: rng.random_range(0..p),
                }
            }
        };
        ideas.push(idea);
        let created_at = start + Duration::milliseconds(offset);
        let status = match rng.random_range(0..1000) {
            0..10 => ProposalStatus::Selected,
            10..60 => ProposalStatus::Rejected,
            60..160 => ProposalStatus::UnderReview,
            160..170 => ProposalStatus::Withdrawn,
            _ => ProposalStatus::Submitted,
        };
        let title =
            Title::parse(&title_of(idea, rng.random_range(0..5))).map_err(|e| e.to_string())?;
        let body_text = body_of(rng, idea);
        let body = Body::parse(&body_text)
            .or_else(|_| Body::parse(&format!("{body_text} {}", sentence(rng, idea))))
            .map_err(|e| e.to_string())?;
        out.push(Proposal::restore(ProposalRecord {
            id: id_at(rng, created_at),
            author_id: *authors.choose(rng).ok_or("no authors")?,
            title,
            body,
            policy_area_id: *areas.choose(rng).ok_or("no policy areas")?,
            region: (rng.random_range(0..10) < 8).then(|| region_of(rng)),
            tags: Tags::parse(&tags_of(rng, idea)).map_err(|e| e.to_string())?,
            topic_id: None,
            forum_id: None,
            channel: Channel::Web,
            status,
            hidden: false,
            merged_into: None,
            support_count: 0,
            created_at,
            updated_at: created_at,
            version: 1,
        }));
    }
    Ok(out)
}

/// Power-law supports: the proposal of popularity rank r gets about `top / r^1.1` supports, plus a few
/// from neighbours and friends. Supporters are distinct, never the author; times fall after submission.
pub fn supports(
    proposals: &[Proposal],
    users: &[UserId],
    top: usize,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Vec<(ProposalId, UserId, DateTime<Utc>)> {
    let mut order: Vec<usize> = (0..proposals.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    let mut out = Vec::new();
    for (rank, &index) in order.iter().enumerate() {
        let p = &proposals[index];
        if !p.status().is_open() {
            continue;
        }
        let popular = (top as f64 / ((rank + 1) as f64).powf(1.1)) as usize;
        let count = (popular + [0, 0, 1, 1, 2, 3][rng.random_range(0..6)])
            .min(users.len().saturating_sub(1));
        let first = rng.random_range(0..users.len());
        let span = (now - p.created_at()).num_seconds().max(1);
        let mut added = 0;
        let mut j = 0;
        while added < count && j < users.len() {
            let user = users[(first + j) % users.len()];
            j += 1;
            if user == p.author_id() {
                continue;
            }
            out.push((
                p.id(),
                user,
                p.created_at() + Duration::seconds(rng.random_range(0..span)),
            ));
            added += 1;
        }
    }
    out
}

/// Search terms people type: 2-syllable Korean words and English words from the vocabulary.
pub fn korean_queries() -> Vec<String> {
    KO_SUBJECTS
        .iter()
        .filter_map(|s| s.split(' ').next())
        .filter(|w| w.chars().count() >= 2)
        .map(|w| w.chars().take(2).collect())
        .collect()
}

pub fn english_queries() -> Vec<String> {
    EN_SUBJECTS
        .iter()
        .map(|s| s.split(' ').next().unwrap_or(s).to_owned())
        .collect()
}

/// Draft titles and bodies like the ones already in the data (people propose existing ideas).
pub fn drafts(count: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xD4AF7);
    (0..count)
        .map(|_| {
            let korean = rng.random_range(0..10) < 7;
            let idea = if korean {
                Idea {
                    korean,
                    subject: rng.random_range(0..KO_SUBJECTS.len()),
                    action: rng.random_range(0..KO_ACTIONS.len()),
                    group: rng.random_range(0..KO_GROUPS.len()),
                    place: rng.random_range(0..KO_PLACES.len()),
                }
            } else {
                Idea {
                    korean,
                    subject: rng.random_range(0..EN_SUBJECTS.len()),
                    action: rng.random_range(0..EN_ACTIONS.len()),
                    group: rng.random_range(0..EN_GROUPS.len()),
                    place: rng.random_range(0..EN_PLACES.len()),
                }
            };
            let title = title_of(idea, rng.random_range(0..5));
            let body = (0..3)
                .map(|_| sentence(&mut rng, idea))
                .collect::<Vec<_>>()
                .join(" ");
            (title, body)
        })
        .collect()
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests;
