//! The words of the printable report: each value's Korean name, with the English one beside it where a
//! reader of the white paper needs both. Exhaustive matches, so a new value does not compile unnamed.

use crate::vocab::{
    Decision, ForumKind, ForumStatus, FunnelStage, ProposalStatus, Region, TopicStatus,
};

/// (Korean, English) for a funnel stage.
pub fn stage(s: FunnelStage) -> (&'static str, &'static str) {
    match s {
        FunnelStage::Collected => ("접수", "Collected"),
        FunnelStage::UnderReview => ("검토", "Under review"),
        FunnelStage::Selected => ("채택", "Selected"),
        FunnelStage::Rejected => ("불채택", "Rejected"),
        FunnelStage::Merged => ("병합", "Merged"),
        FunnelStage::Referred => ("기관 이송", "Referred"),
        FunnelStage::Answered => ("기관 답변", "Answered"),
        FunnelStage::Implemented => ("실현", "Implemented"),
    }
}

pub fn decision(d: Decision) -> &'static str {
    match d {
        Decision::Accepted => "수용",
        Decision::PartiallyAccepted => "일부 수용",
        Decision::NotAccepted => "불수용",
    }
}

pub fn forum_kind(k: ForumKind) -> &'static str {
    match k {
        ForumKind::OpenForum => "열린 토론회",
        ForumKind::RegionalConference => "지역 토론회",
        ForumKind::PolicyConference => "정책 토론회",
    }
}

pub fn forum_status(s: ForumStatus) -> &'static str {
    match s {
        ForumStatus::Draft => "준비 중",
        ForumStatus::Scheduled => "예정",
        ForumStatus::Live => "진행 중",
        ForumStatus::Ended => "종료",
        ForumStatus::Reported => "결과 보고",
        ForumStatus::Cancelled => "취소",
    }
}

pub fn topic_status(s: TopicStatus) -> &'static str {
    match s {
        TopicStatus::Suggested => "제안됨",
        TopicStatus::Shortlisted => "후보 선정",
        TopicStatus::Scheduled => "토론 예정",
        TopicStatus::Discussed => "토론 완료",
        TopicStatus::Closed => "종료",
        TopicStatus::Declined => "미채택",
    }
}

pub fn proposal_status(s: ProposalStatus) -> &'static str {
    match s {
        ProposalStatus::Submitted => "접수",
        ProposalStatus::UnderReview => "검토 중",
        ProposalStatus::Selected => "채택",
        ProposalStatus::Rejected => "불채택",
        ProposalStatus::Merged => "병합",
        ProposalStatus::Referred => "기관 이송",
        ProposalStatus::Answered => "기관 답변",
        ProposalStatus::Implemented => "실현",
        ProposalStatus::Withdrawn => "철회",
    }
}

pub fn region(r: Option<Region>) -> &'static str {
    let Some(r) = r else {
        return "지역 없음";
    };
    match r {
        Region::Nationwide => "전국",
        Region::Seoul => "서울",
        Region::Busan => "부산",
        Region::Daegu => "대구",
        Region::Incheon => "인천",
        Region::Gwangju => "광주",
        Region::Daejeon => "대전",
        Region::Ulsan => "울산",
        Region::Sejong => "세종",
        Region::Gyeonggi => "경기",
        Region::Gangwon => "강원",
        Region::Chungbuk => "충북",
        Region::Chungnam => "충남",
        Region::Jeonbuk => "전북",
        Region::Jeonnam => "전남",
        Region::Gyeongbuk => "경북",
        Region::Gyeongnam => "경남",
        Region::Jeju => "제주",
    }
}
