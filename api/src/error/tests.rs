use super::*;

#[test]
fn every_code_is_spelled_the_same_in_json_and_unique() {
    let mut seen = std::collections::BTreeSet::new();
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).ok(),
            Some(serde_json::Value::from(code.as_str())),
            "{code:?}"
        );
        assert!(seen.insert(code.as_str()), "{code} twice");
    }
}

#[test]
fn the_status_of_a_code_is_the_status_of_the_problem() {
    let samples = [
        ApiError::MalformedJson(String::new()),
        ApiError::InvalidQuery(String::new()),
        ApiError::validation("f", "m"),
        ApiError::unauthenticated(""),
        ApiError::invalid_token(""),
        ApiError::Forbidden(String::new()),
        ApiError::Refused {
            code: ErrorCode::OwnProposal,
            detail: String::new(),
        },
        ApiError::NotFound(String::new()),
        ApiError::RouteNotFound,
        ApiError::MethodNotAllowed { allow: vec![] },
        ApiError::Conflict {
            code: ErrorCode::AlreadyExists,
            detail: String::new(),
        },
        ApiError::PayloadTooLarge { limit: 1 },
        ApiError::UnsupportedMediaType(String::new()),
        ApiError::TooManyRequests { retry_after: 1 },
        ApiError::Unavailable(String::new()),
        ApiError::Internal("x".into()),
    ];
    for e in samples {
        assert_eq!(e.code().status(), e.status_code(), "{:?}", e.code());
    }
}

#[test]
fn the_document_lists_every_code_the_api_can_send() {
    let schema =
        serde_json::to_value(<ErrorCode as utoipa::PartialSchema>::schema()).unwrap_or_default();
    let listed: Vec<&str> = schema["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
}

#[test]
fn the_design_page_lists_every_code() {
    let page = include_str!("../../../docs/API-DESIGN.md");
    for code in ErrorCode::ALL {
        assert!(
            page.contains(&format!("`{code}`")),
            "docs/API-DESIGN.md does not list `{code}`"
        );
    }
}

#[test]
fn the_design_page_lists_no_code_the_api_does_not_have() {
    let page = include_str!("../../../docs/API-DESIGN.md");
    let known: std::collections::BTreeSet<&str> =
        ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    // The error table: rows `| <status> | `code`, `code` | ... |`.
    let listed: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("| 4") || l.starts_with("| 5"))
        .filter_map(|l| l.split('|').nth(2))
        .flat_map(|codes| codes.split(','))
        .map(|c| c.trim().trim_matches('`'))
        .collect();
    assert!(listed.len() >= known.len(), "the table was not found");
    for code in listed {
        assert!(
            known.contains(code),
            "docs/API-DESIGN.md lists `{code}`, which ErrorCode does not have"
        );
    }
}
