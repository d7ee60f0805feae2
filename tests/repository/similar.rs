//! The similar check's candidate query: the rarest terms through the full-text index, or a walk over the
//! newest proposals when every term is common.

use ocf_domain::proposal::query::{CandidateScope, ProposalQueries};

use crate::World;

#[test]
fn candidates_for_common_terms_come_from_the_newest_proposals_only() {
    let world = World::new();
    let author = world.citizen();
    let mut ids = Vec::new();
    for n in 0..4 {
        let title = format!("공원 산책로 조명 설치 {n}");
        let p = world.propose(
            &author,
            &title,
            "밤에도 안전하게 걸을 수 있게 공원 산책로에 조명을 설치해 주세요.",
        );
        ids.push(p.id().to_string());
    }
    let terms = vec!["공원".to_owned(), "조명".to_owned()];
    let found = |scope| {
        world
            .db
            .similar_candidates(&terms, 50, scope)
            .expect("candidates")
            .into_iter()
            .map(|p| p.id.to_string())
            .collect::<Vec<_>>()
    };
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(found(CandidateScope::All), newest_first);
    assert_eq!(found(CandidateScope::Newest(2)), newest_first[..2].to_vec());
    // The window counts proposals, not matches: a newer proposal without the terms narrows it.
    world.propose(
        &author,
        "버스 노선 조정 요청",
        "출퇴근 시간 버스 배차 간격을 줄여 주세요. 너무 오래 기다립니다.",
    );
    assert_eq!(found(CandidateScope::Newest(2)), newest_first[..1].to_vec());
}
