//! Open data: the files anyone may download, their columns, and what each means (Korean and English),
//! after the Interoperable Deliberative Tools flat files. No column holds personal data: no account
//! ids, names, emails, contacts, or who took a step; only what the platform already publishes.

use chrono::{DateTime, Utc};

use crate::RepoError;
use crate::macros::code_enum;

code_enum!(
    /// A downloadable file.
    Dataset, "dataset", {
    Proposals = "proposals", Referrals = "referrals", Forums = "forums", Comments = "comments",
});

code_enum!(
    /// How a column's values read.
    ColumnType, "column type", {
    Text = "string", Integer = "integer", Uuid = "uuid", DateTime = "datetime", Date = "date",
    Code = "code",
});

/// One column of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    pub ko: &'static str,
    pub en: &'static str,
}

const fn col(name: &'static str, kind: ColumnType, ko: &'static str, en: &'static str) -> Column {
    Column { name, kind, ko, en }
}

use ColumnType::{Code, Date, DateTime as Time, Integer, Text, Uuid};

const PROPOSALS: &[Column] = &[
    col("id", Uuid, "제안 식별자", "The proposal's id"),
    col("title", Text, "제목", "Title"),
    col("body", Text, "내용", "Text"),
    col(
        "policy_area_id",
        Uuid,
        "정책 분야 식별자 (GET /api/v1/policy-areas)",
        "Policy area id (GET /api/v1/policy-areas)",
    ),
    col(
        "region",
        Code,
        "지역 코드 (없으면 빈 값)",
        "Region code (empty when none)",
    ),
    col(
        "topic_id",
        Uuid,
        "답하는 의제 식별자",
        "The topic it answers",
    ),
    col(
        "forum_id",
        Uuid,
        "나온 토론회 식별자",
        "The forum it came from",
    ),
    col(
        "channel",
        Code,
        "접수 경로 (web, offline, offline_forum, partner:<코드>)",
        "Channel (web, offline, offline_forum, partner:<code>)",
    ),
    col("status", Code, "현재 상태", "Status now"),
    col(
        "merged_into",
        Uuid,
        "병합된 제안 식별자",
        "The proposal it was merged into",
    ),
    col("support_count", Integer, "공감 수", "Supports"),
    col("tags", Text, "태그 (쉼표로 구분)", "Tags, comma-separated"),
    col("created_at", Time, "제출 시각 (UTC)", "Submitted (UTC)"),
    col(
        "updated_at",
        Time,
        "마지막 변경 시각 (UTC)",
        "Last changed (UTC)",
    ),
];

const REFERRALS: &[Column] = &[
    col("id", Uuid, "송부 식별자", "The referral's id"),
    col(
        "number",
        Text,
        "문서 번호 (OCF-연도-일련번호)",
        "Document number (OCF-year-serial)",
    ),
    col(
        "subject_kind",
        Code,
        "송부 대상 종류 (proposal, forum)",
        "What was referred (proposal, forum)",
    ),
    col(
        "subject_id",
        Uuid,
        "송부 대상 식별자",
        "The proposal's or forum's id",
    ),
    col(
        "organization_id",
        Uuid,
        "현재 담당 기관 식별자",
        "The organization holding it now",
    ),
    col("status", Code, "현재 상태", "Status now"),
    col("cover_note", Text, "송부 공문 내용", "The cover note"),
    col("sent_at", Time, "송부 시각 (UTC)", "Sent (UTC)"),
    col("due_at", Time, "답변 기한 (UTC)", "Answer due (UTC)"),
    col(
        "acknowledged_at",
        Time,
        "접수 시각 (UTC)",
        "Acknowledged (UTC)",
    ),
    col(
        "decision",
        Code,
        "답변 결정 (accepted, partially_accepted, not_accepted)",
        "Decision (accepted, partially_accepted, not_accepted)",
    ),
    col("reasoning", Text, "답변 사유", "The answer's reasoning"),
    col("planned_measures", Text, "추진 계획", "Planned measures"),
    col(
        "policy_task",
        Text,
        "관련 국정과제",
        "Policy task reference",
    ),
    col(
        "expected_completion_on",
        Date,
        "완료 예정일",
        "Expected completion (date)",
    ),
    col("answered_at", Time, "답변 시각 (UTC)", "Answered (UTC)"),
    col(
        "evidence_url",
        Text,
        "이행 근거 주소",
        "Evidence of implementation (URL)",
    ),
    col(
        "completion_summary",
        Text,
        "이행 결과",
        "What was implemented",
    ),
    col(
        "completed_at",
        Time,
        "이행 완료 시각 (UTC)",
        "Implemented (UTC)",
    ),
    col(
        "updated_at",
        Time,
        "마지막 변경 시각 (UTC)",
        "Last changed (UTC)",
    ),
];

const FORUMS: &[Column] = &[
    col("id", Uuid, "토론회 식별자", "The forum's id"),
    col(
        "organization_id",
        Uuid,
        "주최 기관 식별자",
        "The organizing organization",
    ),
    col(
        "kind",
        Code,
        "종류 (open_forum, regional_conference, policy_conference)",
        "Kind (open_forum, regional_conference, policy_conference)",
    ),
    col(
        "mode",
        Code,
        "방식 (offline, online, hybrid)",
        "Mode (offline, online, hybrid)",
    ),
    col("title", Text, "제목", "Title"),
    col("description", Text, "설명", "Description"),
    col("policy_area_id", Uuid, "정책 분야 식별자", "Policy area id"),
    col("region", Code, "지역 코드", "Region code"),
    col("starts_at", Time, "시작 시각 (UTC)", "Starts (UTC)"),
    col("ends_at", Time, "종료 시각 (UTC)", "Ends (UTC)"),
    col(
        "capacity",
        Integer,
        "정원 (없으면 빈 값)",
        "Seats (empty: unlimited)",
    ),
    col("status", Code, "현재 상태", "Status now"),
    col("registered_count", Integer, "신청자 수", "Registrations"),
    col("attended_count", Integer, "참석자 수", "Attendance"),
    col("created_at", Time, "등록 시각 (UTC)", "Created (UTC)"),
    col(
        "updated_at",
        Time,
        "마지막 변경 시각 (UTC)",
        "Last changed (UTC)",
    ),
];

const COMMENTS: &[Column] = &[
    col("id", Uuid, "댓글 식별자", "The comment's id"),
    col(
        "subject_type",
        Code,
        "댓글 대상 종류 (proposal, topic, forum)",
        "What it is on (proposal, topic, forum)",
    ),
    col(
        "subject_id",
        Uuid,
        "댓글 대상 식별자",
        "The proposal's, topic's or forum's id",
    ),
    col(
        "parent_id",
        Uuid,
        "상위 댓글 식별자",
        "The comment it replies to",
    ),
    col("depth", Integer, "깊이 (0: 최상위)", "Depth (0: top level)"),
    col(
        "author_role",
        Code,
        "작성자 역할 (citizen, official, moderator, admin)",
        "The author's role (citizen, official, moderator, admin)",
    ),
    col("body", Text, "내용", "Text"),
    col("like_count", Integer, "좋아요 수", "Likes"),
    col("reply_count", Integer, "답글 수", "Replies"),
    col("created_at", Time, "작성 시각 (UTC)", "Posted (UTC)"),
    col(
        "updated_at",
        Time,
        "마지막 변경 시각 (UTC)",
        "Last changed (UTC)",
    ),
];

impl Dataset {
    /// The file's columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::Proposals => PROPOSALS,
            Self::Referrals => REFERRALS,
            Self::Forums => FORUMS,
            Self::Comments => COMMENTS,
        }
    }

    /// What the file holds (Korean, English).
    pub fn description(self) -> (&'static str, &'static str) {
        match self {
            Self::Proposals => (
                "국민이 제출한 모든 공개 제안 (숨김 처리된 제안 제외)",
                "Every public proposal citizens submitted (hidden ones excluded)",
            ),
            Self::Referrals => (
                "기관에 송부된 공문과 그 접수, 답변, 이행",
                "The official documents sent to organizations, with their receipt, answer and implementation",
            ),
            Self::Forums => (
                "공개된 토론회와 지역, 정책 회의 (초안 제외)",
                "Public forums and regional and policy conferences (drafts excluded)",
            ),
            Self::Comments => (
                "제안, 의제, 토론회의 공개 댓글 (숨김, 삭제 제외)",
                "Public comments on proposals, topics and forums (hidden and deleted ones excluded)",
            ),
        }
    }
}

/// One value of a row, as its column's type reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Integer(i64),
}

/// One row, in column order, and its position for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub seq: i64,
    pub cells: Vec<Cell>,
}

/// The reads behind the files.
pub trait ExportQueries {
    /// Up to `limit` rows of `dataset` after position `after`, changed at or after `since`.
    ///
    /// # Errors
    /// A storage failure.
    fn export_page(
        &self,
        dataset: Dataset,
        since: Option<DateTime<Utc>>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportRow>, RepoError>;

    /// A mark of every change committed so far: the log's highest position and its number of events
    /// (together exact: a transaction that commits late, below the highest position, still adds one).
    ///
    /// # Errors
    /// A storage failure.
    fn change_mark(&self) -> Result<(i64, i64), RepoError>;

    /// When the log last recorded a change (the files' update time); `None` before any.
    ///
    /// # Errors
    /// A storage failure.
    fn last_change_at(&self) -> Result<Option<DateTime<Utc>>, RepoError>;
}
