//! Error responses: the problem+json body, an example per code, and the headers that go with them.

use super::*;

pub(super) fn problem_content() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}

pub(super) fn problem_response(description: &str) -> Response {
    let mut response = Response::new(description);
    response
        .content
        .insert(PROBLEM_JSON.to_owned(), RefOr::T(problem_content()));
    response
}

pub(super) fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// Whether an operation checks a bearer token (required, or optional next to an empty requirement).
pub(super) fn takes_token(op: &Operation) -> bool {
    op.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement)
            .is_ok_and(|v| v.as_object().is_some_and(|m| !m.is_empty()))
    })
}

/// Whether an operation takes a partner's machine token (the `partner` OAuth 2.0 scheme).
pub(super) fn takes_machine_token(op: &Operation) -> bool {
    op.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement).is_ok_and(|v| v.get("partner").is_some())
    })
}

/// A sample `detail` for each code, for the examples of the document.
pub(super) fn sample_detail(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::MalformedJson => "the body is not valid JSON: EOF while parsing an object",
        ErrorCode::InvalidQuery => "the query string is invalid: unknown field `page`",
        ErrorCode::BadRequest => "Bad request",
        ErrorCode::Unauthenticated => "this operation needs an access token",
        ErrorCode::InvalidToken => "the access token has expired",
        ErrorCode::InvalidCredentials => "the email or password is incorrect",
        ErrorCode::InvalidRefreshToken => "the refresh token has expired",
        ErrorCode::RefreshTokenReused => {
            "this refresh token was already used; every session from the same sign-in is now revoked"
        }
        ErrorCode::Forbidden => "this needs the admin role",
        ErrorCode::NotAuthor => "only the author may change a proposal",
        ErrorCode::OwnProposal => "authors cannot support their own proposal",
        ErrorCode::OwnTopic => "authors cannot vote on their own topic",
        ErrorCode::OwnComment => "authors cannot like their own comment",
        ErrorCode::NotForumManager => {
            "only officials of the hosting organization, moderators and admins manage a forum"
        }
        ErrorCode::NotReceivingOrganization => {
            "only officials of the organization that holds the referral may do this"
        }
        ErrorCode::InvalidHeader => "Idempotency-Key must be 1-255 printable ASCII characters",
        ErrorCode::IdempotencyKeyInUse => {
            "a request with this Idempotency-Key is still being processed; retry when it has finished"
        }
        ErrorCode::IdempotencyKeyReused => {
            "this Idempotency-Key was used for a different request; use a new key"
        }
        ErrorCode::WrongChannel => "this token belongs to another channel",
        ErrorCode::InsufficientScope => "this action needs the scope proposals:write",
        ErrorCode::ChannelSuspended => {
            "the channel is suspended; its tokens do not work until an admin reactivates it"
        }
        ErrorCode::NotFound => "proposal not found",
        ErrorCode::RouteNotFound => "no route for this path",
        ErrorCode::MethodNotAllowed => "method not allowed",
        ErrorCode::AlreadyExists => "a record with this code already exists",
        ErrorCode::CannotRemoveOwnAdmin => {
            "admins cannot remove their own admin role; ask another admin"
        }
        ErrorCode::InvalidTransition => "a proposal cannot move from submitted to selected",
        ErrorCode::ProposalNotEditable => {
            "the proposal can no longer be edited: review has started"
        }
        ErrorCode::ProposalMerged => "the proposal was merged into another; support that one",
        ErrorCode::ProposalClosed => "the proposal is closed (rejected or withdrawn)",
        ErrorCode::TopicNotEditable => {
            "a topic can be edited only while suggested; this one is shortlisted"
        }
        ErrorCode::TopicClosed => "a discussed topic cannot gain votes",
        ErrorCode::MergeTargetClosed => "the proposal to merge into is not open",
        ErrorCode::ForumNotEditable => "a reported forum can no longer be edited",
        ErrorCode::ForumFieldLocked => "starts_at can no longer change: the forum is live",
        ErrorCode::LivestreamRequired => {
            "an online forum needs a livestream_url before it goes live"
        }
        ErrorCode::OutcomeRequired => {
            "a forum is reported by publishing its outcome (PUT /forums/{id}/outcome)"
        }
        ErrorCode::CapacityBelowRegistered => {
            "capacity cannot drop below the 42 people already registered"
        }
        ErrorCode::TopicNotShortlisted => {
            "the topic is suggested; a forum takes shortlisted topics"
        }
        ErrorCode::AlreadyRegistered => "the caller is already registered for this forum",
        ErrorCode::RegistrationNotOpen => "registration opens at 2026-12-01T00:00:00Z",
        ErrorCode::RegistrationClosed => "registration for this forum is closed",
        ErrorCode::ForumNotHeld => "this is recorded once the forum is live; this one is scheduled",
        ErrorCode::ForumNotEnded => {
            "an outcome is published once the forum has ended; this one is live"
        }
        ErrorCode::CommentDeleted => "the comment was deleted",
        ErrorCode::SubjectClosed => "the proposal is withdrawn: it takes no more comments",
        ErrorCode::ForumNotLive => "agenda_item and stream_offset are for comments on a live forum",
        ErrorCode::QuestionOnStage => {
            "question 0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11 is on stage: mark it answered (or back to open) first"
        }
        ErrorCode::SubjectNotReferable => {
            "a under_review proposal cannot be referred; refer a selected proposal or a reported forum"
        }
        ErrorCode::SubjectAlreadyReferred => {
            "this subject is already with an organization (OCF-2026-000123); transfer that referral instead"
        }
        ErrorCode::ReferralAlreadyAcknowledged => "the referral was already acknowledged",
        ErrorCode::ReferralNotAcknowledged => "acknowledge the referral first",
        ErrorCode::ReferralAlreadyAnswered => "the referral was already answered",
        ErrorCode::ReferralNotAnswered => "the referral has no answer yet",
        ErrorCode::ReferralAlreadyExtended => {
            "the referral was already extended once at this organization"
        }
        ErrorCode::ReferralNotAccepted => {
            "the answer was not_accepted: there is nothing to implement"
        }
        ErrorCode::ReferralClosed => "the referral is implemented: no further steps",
        ErrorCode::ReportAlreadyResolved => "the report is already resolved",
        ErrorCode::AlreadyHidden => "the proposal is already hidden",
        ErrorCode::NotHidden => "the proposal is not hidden",
        ErrorCode::ConcurrentUpdate => {
            "the proposal was changed by someone else meanwhile; read it again and retry"
        }
        ErrorCode::PayloadTooLarge => "the request body is larger than 65536 bytes",
        ErrorCode::UnsupportedMediaType => {
            "the request body must be JSON (Content-Type: application/json)"
        }
        ErrorCode::ValidationFailed => "password: must be at least 10 characters",
        ErrorCode::TooManyRequests => "too many requests; retry after 60 seconds",
        ErrorCode::InternalError => {
            "An unexpected error occurred; quote the request id when you report it."
        }
        ErrorCode::ServiceUnavailable => {
            "The database is overloaded or unreachable right now; retry shortly."
        }
    }
}

/// The example problem body of `code`, stored once under `#/components/examples/<code>`.
pub(super) fn problem_example(code: ErrorCode) -> Example {
    let mut value = serde_json::json!({
        "type": format!("urn:ocf:problem:{code}"),
        "title": code.title(),
        "status": code.status().as_u16(),
        "detail": sample_detail(code),
        "code": code,
        "request_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
    });
    if code == ErrorCode::ValidationFailed {
        value["errors"] = serde_json::json!([
            {"field": "password", "message": "must be at least 10 characters"}
        ]);
    }
    ExampleBuilder::new()
        .summary(format!("{} ({code})", code.title()))
        .value(Some(value))
        .build()
}

/// The codes a response can carry: those its description names in backticks (and `concurrent_update` when
/// it speaks of a concurrent change), else the usual ones of its status.
pub(super) fn codes_of(status: &str, description: &str, has_body: bool) -> Vec<ErrorCode> {
    let Ok(status) = status.parse::<u16>() else {
        return Vec::new();
    };
    let mut codes: Vec<ErrorCode> = description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|word| ErrorCode::ALL.iter().copied().find(|c| c.as_str() == word))
        .collect();
    if description.contains("concurrent") {
        codes.push(ErrorCode::ConcurrentUpdate);
    }
    codes.retain(|c| c.status().as_u16() == status);
    if codes.is_empty() {
        codes = match status {
            400 if has_body => vec![ErrorCode::MalformedJson],
            400 => vec![ErrorCode::InvalidQuery],
            401 => vec![ErrorCode::Unauthenticated, ErrorCode::InvalidToken],
            // Unless the description names another, a 422 is invalid input.
            422 => vec![ErrorCode::ValidationFailed],
            _ => ErrorCode::ALL
                .iter()
                .copied()
                .filter(|c| c.status().as_u16() == status)
                .take(1)
                .collect(),
        };
    }
    codes.dedup();
    codes
}

pub(super) fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

pub(super) fn string_header(description: &str) -> Header {
    let mut header = Header::new(ObjectBuilder::new().schema_type(Type::String));
    header.description = Some(description.to_owned());
    header
}
