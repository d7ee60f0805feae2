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
