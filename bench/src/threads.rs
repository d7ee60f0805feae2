//! Forums and comments at national scale: forums with registrations (through the domain's own rules, so
//! the seat counts are what the server would have computed), and comments with one very long thread.

use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Duration, Utc};
use ocf_domain::account::{NewUser, Roles};
use ocf_domain::actor::Actor;
use ocf_domain::comment::{Comment, CommentBody, CommentOn};
use ocf_domain::forum::{
    Forum, ForumSchedule, ForumStatus, NewForumInput, SpeakerInput, VenueInput,
};
use ocf_domain::organization::OrganizationId;
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::proposal::ProposalId;
use ocf_persistence::Database;
use rand::RngExt;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub forums: usize,
    pub comments: usize,
    /// Top-level comments on one proposal: the long thread.
    pub thread: usize,
}

/// What the load took.
pub struct Loaded {
    pub registrations: usize,
    pub forums_secs: Elapsed,
    pub comments_secs: Elapsed,
}

const REGIONS: [&str; 6] = ["seoul", "busan", "jeonnam", "jeju", "gangwon", "gyeongbuk"];

/// Generates and stores forums (scheduled, with registrations past their capacity) and comments: `thread`
/// on the first proposal (the benchmark's long thread), the rest spread over proposals (nine in ten) and forums.
#[allow(clippy::too_many_arguments)]
pub fn load(
    db: &Database,
    sizes: Sizes,
    users: &[NewUser],
    proposals: &[ProposalId],
    areas: &[PolicyAreaId],
    organization: OrganizationId,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> Result<Loaded, String> {
    let admin = Actor::new(
        users[0].id,
        Roles::parse(&["admin"]).map_err(|e| e.to_string())?,
    );
    let t = Instant::now();
    let panel = [SpeakerInput {
        name: "김민지".to_owned(),
        affiliation: Some("한국교통연구원".to_owned()),
        role: "expert".to_owned(),
    }];
    let mut forums = Vec::with_capacity(sizes.forums);
    let mut registrations = Vec::new();
    for i in 0..sizes.forums {
        let starts_at = now + Duration::days(1 + (i % 60) as i64) + Duration::hours(5);
        let venue = VenueInput {
            name: format!("지역 토론회장 {i}"),
            address: "세종대로 172".to_owned(),
            region: (*REGIONS.choose(rng).unwrap_or(&"seoul")).to_owned(),
        };
        let draft = NewForumInput {
            kind: ["open_forum", "regional_conference", "policy_conference"][i % 3],
            mode: ["offline", "hybrid"][i % 2],
            title: &format!("열린소통포럼 제{i}회 지역 교통 토론회"),
            description: "섬과 농어촌 주민의 교통 불편을 시민, 전문가, 공무원이 함께 논의합니다.",
            venue: Some(&venue),
            schedule: ForumSchedule {
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                registration_opens_at: None,
                registration_closes_at: None,
            },
            capacity: Some(100),
            livestream_url: Some("https://tv.example.go.kr/live/bench"),
            panel: &panel,
            agenda: &[],
        }
        .parse()
        .map_err(|e| e.to_string())?;
        let area = *areas.choose(rng).ok_or("no policy areas")?;
        let (mut forum, _) = Forum::plan(&admin, organization, area, draft, now);
        forum
            .move_to(ForumStatus::Scheduled, None, &admin, now)
            .map_err(|e| e.to_string())?;
        // 50-150 people, so most forums fill up and some have a waitlist.
        let n = rng.random_range(50..150).min(users.len());
        let first = rng.random_range(0..users.len());
        for k in 0..n {
            let user = &users[(first + k) % users.len()];
            let person = Actor::new(user.id, Roles::citizen());
            let (r, _) = forum.register(&person, now).map_err(|e| e.to_string())?;
            registrations.push(r);
        }
        forums.push(forum);
    }
    for chunk in forums.chunks(200) {
        let ids: std::collections::HashSet<_> = chunk.iter().map(Forum::id).collect();
        let regs: Vec<_> = registrations
            .iter()
            .filter(|r| ids.contains(&r.forum_id))
            .cloned()
            .collect();
        db.bulk_insert_forums(chunk, &regs)
            .map_err(|e| e.to_string())?;
    }
    let forums_secs = t.elapsed();

    let t = Instant::now();
    let drafts = crate::data::drafts(500, 7);
    let bodies: Vec<CommentBody> = drafts
        .iter()
        .map(|(title, _)| CommentBody::parse(title).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let thread = *proposals.first().ok_or("no proposals")?;
    let forum_ids: Vec<_> = forums.iter().map(Forum::id).collect();
    let start = now - Duration::days(30);
    let mut batch = Vec::with_capacity(20_000);
    for i in 0..sizes.comments {
        let on = if i < sizes.thread {
            CommentOn::Proposal(thread)
        } else if i % 10 == 0 && !forum_ids.is_empty() {
            CommentOn::Forum(forum_ids[rng.random_range(0..forum_ids.len())])
        } else {
            CommentOn::Proposal(proposals[rng.random_range(0..proposals.len())])
        };
        let author = &users[rng.random_range(0..users.len())];
        let body = bodies[i % bodies.len()].clone();
        let at = start + Duration::seconds((i / 4) as i64);
        let (c, _) = Comment::post(
            &Actor::new(author.id, Roles::citizen()),
            on,
            None,
            body,
            None,
            false,
            at,
        );
        batch.push(c);
        if batch.len() == 20_000 {
            db.bulk_insert_comments(&batch).map_err(|e| e.to_string())?;
            batch.clear();
        }
    }
    db.bulk_insert_comments(&batch).map_err(|e| e.to_string())?;
    Ok(Loaded {
        registrations: registrations.len(),
        forums_secs,
        comments_secs: t.elapsed(),
    })
}
