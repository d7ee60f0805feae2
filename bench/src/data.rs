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

const KO_SUBJECTS: &[&str] = &[
    "주차장",
    "버스 노선",
    "지하철 엘리베이터",
    "공공 와이파이",
    "도서관",
    "어린이집",
    "공원",
    "자전거 도로",
    "횡단보도",
    "가로등",
    "공중화장실",
    "분리수거함",
    "전기차 충전소",
    "무인 민원발급기",
    "응급실",
    "노인 일자리",
    "청년 주거",
    "택시 승강장",
    "소방 출동로",
    "학교 급식",
    "농촌 버스",
    "섬 여객선",
    "미세먼지 측정기",
    "반려동물 놀이터",
    "재난 문자",
];
const KO_ACTIONS: &[&str] = &[
    "확대",
    "개선",
    "설치",
    "지원",
    "개방",
    "단속 강화",
    "신설",
    "정비",
    "무료화",
    "안내 강화",
    "운영 시간 연장",
    "예산 증액",
];
const KO_GROUPS: &[&str] = &[
    "어르신",
    "장애인",
    "청년",
    "어린이",
    "소상공인",
    "농어민",
    "직장인",
    "다문화 가정",
    "1인 가구",
    "학생",
    "임산부",
    "외국인 주민",
];
const KO_PLACES: &[&str] = &[
    "아파트 단지",
    "전통시장",
    "학교 앞",
    "지하철역",
    "버스 정류장",
    "주민센터",
    "농촌 마을",
    "섬 지역",
    "구도심",
    "신도시",
    "산업단지",
    "대학가",
    "관광지",
    "항구",
    "고속도로 휴게소",
];
const KO_BENEFITS: &[&str] = &[
    "이동 편의",
    "안전",
    "생활비 절감",
    "일자리 창출",
    "환경 개선",
    "지역 경제 활성화",
    "건강 증진",
    "정보 격차 해소",
];

const EN_SUBJECTS: &[&str] = &[
    "parking",
    "bus routes",
    "subway elevators",
    "public wifi",
    "libraries",
    "daycare centers",
    "parks",
    "bicycle lanes",
    "crosswalks",
    "street lights",
    "public toilets",
    "recycling bins",
    "EV chargers",
    "emergency rooms",
    "senior jobs",
    "youth housing",
    "ferry services",
    "school meals",
    "air quality sensors",
];
const EN_ACTIONS: &[&str] = &[
    "expand",
    "improve",
    "install more",
    "fund",
    "open up",
    "extend the hours of",
    "make free",
    "modernize",
];
const EN_GROUPS: &[&str] = &[
    "seniors",
    "people with disabilities",
    "young people",
    "children",
    "small businesses",
    "farmers",
    "commuters",
    "students",
    "foreign residents",
];
const EN_PLACES: &[&str] = &[
    "apartment complexes",
    "traditional markets",
    "school zones",
    "subway stations",
    "bus stops",
    "rural villages",
    "islands",
    "old downtowns",
    "new towns",
    "university districts",
];

/// The 17 regions and "nationwide", weighted roughly by population.
const REGIONS: &[(Region, u32)] = &[
    (Region::Nationwide, 30),
    (Region::Seoul, 19),
    (Region::Busan, 6),
    (Region::Daegu, 5),
    (Region::Incheon, 6),
    (Region::Gwangju, 3),
    (Region::Daejeon, 3),
    (Region::Ulsan, 2),
    (Region::Sejong, 1),
    (Region::Gyeonggi, 26),
    (Region::Gangwon, 3),
    (Region::Chungbuk, 3),
    (Region::Chungnam, 4),
    (Region::Jeonbuk, 3),
    (Region::Jeonnam, 3),
    (Region::Gyeongbuk, 5),
    (Region::Gyeongnam, 6),
    (Region::Jeju, 1),
];

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
mod tests {
    use super::*;

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(obj("주차장"), "주차장을");
        assert_eq!(obj("버스 노선"), "버스 노선을");
        assert_eq!(obj("도서관"), "도서관을");
        assert_eq!(obj("공중화장실"), "공중화장실을");
        assert_eq!(subj("청년"), "청년이");
        assert_eq!(subj("어르신"), "어르신이");
        assert_eq!(subj("학생"), "학생이");
        assert_eq!(subj("재난 문자"), "재난 문자가");
    }

    #[test]
    fn the_same_seed_gives_the_same_data() -> Result<(), String> {
        let now = Utc::now();
        let authors: Vec<UserId> = (0..10).map(|_| Id::generate()).collect();
        let areas: Vec<PolicyAreaId> = (0..3).map(|_| Id::generate()).collect();
        let a = proposals(300, &authors, &areas, now, &mut rng(7))?;
        let b = proposals(300, &authors, &areas, now, &mut rng(7))?;
        assert_eq!(a, b);
        assert!(a.iter().all(|p| p.body().as_str().chars().count() >= 20));
        assert!(
            a.windows(2).all(|w| w[0].id() < w[1].id()),
            "ids follow creation time"
        );
        Ok(())
    }

    #[test]
    fn supports_are_distinct_never_the_authors_and_long_tailed() -> Result<(), String> {
        let now = Utc::now();
        let users: Vec<UserId> = (0..2_000).map(|_| Id::generate()).collect();
        let areas: Vec<PolicyAreaId> = vec![Id::generate()];
        let ps = proposals(1_000, &users, &areas, now, &mut rng(1))?;
        let s = supports(&ps, &users, 1_500, now, &mut rng(2));
        let mut pairs: Vec<_> = s.iter().map(|(p, u, _)| (*p, *u)).collect();
        pairs.sort();
        let before = pairs.len();
        pairs.dedup();
        assert_eq!(before, pairs.len());
        let authors: std::collections::HashMap<_, _> =
            ps.iter().map(|p| (p.id(), p.author_id())).collect();
        assert!(s.iter().all(|(p, u, _)| authors[p] != *u));
        let mut counts: std::collections::HashMap<ProposalId, usize> = Default::default();
        for (p, _, _) in &s {
            *counts.entry(*p).or_default() += 1;
        }
        let max = counts.values().max().copied().unwrap_or(0);
        let median = {
            let mut v: Vec<usize> = counts.values().copied().collect();
            v.sort_unstable();
            v[v.len() / 2]
        };
        assert!(max > 100 * median.max(1), "max {max}, median {median}");
        Ok(())
    }
}
