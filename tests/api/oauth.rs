//! `POST /oauth/token`: RFC 6749 §4.4 client credentials, with §5.2 errors (OAuth's JSON, not
//! problem+json), throttled failures, and machine tokens that user endpoints refuse (and the reverse).

use ocf_tests::partner::{form, record};
use ocf_tests::{TestApp, expect_json, expect_problem};
use reqwest::Response;
use serde_json::Value;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

/// Checks an OAuth error: status, `error`, JSON (not problem+json), and `no-store`.
async fn oauth_error(response: Response, status: u16, error: &str) -> Value {
    assert_eq!(response.status().as_u16(), status);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    assert!(body.get("code").is_none(), "not problem+json: {body}");
    body
}

#[tokio::test]
async fn basic_or_body_authentication_issues_a_bearer_token_without_refresh() {
    let app = app().await;
    let p = app.partner().await;
    let r = app
        .token_request(
            Some((&p.client_id, &p.client_secret)),
            &form(&[("grant_type", "client_credentials")]),
        )
        .await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["pragma"], "no-cache");
    let grant = expect_json(r, 200).await;
    assert_eq!(grant["token_type"], "Bearer");
    assert_eq!(grant["expires_in"], 3600);
    assert_eq!(
        grant["scope"],
        "proposals:read proposals:write webhooks:manage"
    );
    assert!(grant.get("refresh_token").is_none());

    let body = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", &p.client_id),
        ("client_secret", &p.client_secret),
        ("scope", "proposals:read"),
    ]);
    let grant = expect_json(app.token_request(None, &body).await, 200).await;
    assert_eq!(grant["scope"], "proposals:read");
    // A read-only token cannot write.
    let token = grant["access_token"].as_str().unwrap();
    expect_problem(
        app.put_record(
            token,
            &p.channel_id,
            "X-1",
            &record("밤늦게까지 여는 도서관", 1),
        )
        .await,
        403,
        "insufficient_scope",
    )
    .await;
}

#[tokio::test]
async fn every_fault_is_answered_as_rfc_6749_says() {
    let app = app().await;
    let p = app.partner_with(Some(&["proposals:read"])).await;
    let basic = Some((p.client_id.as_str(), p.client_secret.as_str()));
    let grant = form(&[("grant_type", "client_credentials")]);

    let r = app
        .token_request(Some((&p.client_id, "ocfs_wrong")), &grant)
        .await;
    assert_eq!(r.headers()["www-authenticate"], "Basic realm=\"ocf\"");
    oauth_error(r, 401, "invalid_client").await;
    oauth_error(
        app.token_request(Some(("ocf_nobody", "x")), &grant).await,
        401,
        "invalid_client",
    )
    .await;
    oauth_error(app.token_request(None, &grant).await, 401, "invalid_client").await;

    let cases = [
        (
            form(&[("grant_type", "password")]),
            400,
            "unsupported_grant_type",
        ),
        (
            form(&[("grant_type", "authorization_code")]),
            400,
            "unsupported_grant_type",
        ),
        (form(&[("scope", "proposals:read")]), 400, "invalid_request"),
        (
            form(&[
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ]),
            400,
            "invalid_request",
        ),
        (
            form(&[
                ("grant_type", "client_credentials"),
                ("scope", "proposals:write"),
            ]),
            400,
            "invalid_scope",
        ),
        (
            form(&[("grant_type", "client_credentials"), ("scope", "admin")]),
            400,
            "invalid_scope",
        ),
        (
            form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &p.client_id),
            ]),
            400,
            "invalid_request",
        ),
    ];
    for (body, status, error) in cases {
        oauth_error(app.token_request(basic, &body).await, status, error).await;
    }
    // Not form-encoded, a malformed Basic header, and an oversized body.
    let json = app
        .request(reqwest::Method::POST, "/api/v1/oauth/token", None)
        .header("content-type", "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#)
        .send()
        .await
        .unwrap();
    oauth_error(json, 400, "invalid_request").await;
    let garbled = app
        .request(reqwest::Method::POST, "/api/v1/oauth/token", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("authorization", "Basic !!!")
        .body(grant.clone())
        .send()
        .await
        .unwrap();
    oauth_error(garbled, 400, "invalid_request").await;
    let huge = form(&[
        ("grant_type", "client_credentials"),
        ("scope", &"a".repeat(5000)),
    ]);
    oauth_error(
        app.token_request(basic, &huge).await,
        400,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn failed_client_authentications_are_throttled_like_sign_ins() {
    let app = app().await;
    let p = app.partner().await;
    let grant = form(&[("grant_type", "client_credentials")]);
    for _ in 0..5 {
        oauth_error(
            app.token_request(Some((&p.client_id, "ocfs_wrong")), &grant)
                .await,
            401,
            "invalid_client",
        )
        .await;
    }
    let r = app
        .token_request(Some((&p.client_id, &p.client_secret)), &grant)
        .await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    oauth_error(r, 429, "temporarily_unavailable").await;
    // Another client is not held back.
    let q = app.partner().await;
    expect_json(
        app.token_request(Some((&q.client_id, &q.client_secret)), &grant)
            .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn machine_tokens_and_user_tokens_each_work_only_where_they_belong() {
    let app = app().await;
    let p = app.partner().await;
    let citizen = app.citizen().await;
    let problem = expect_problem(app.me(&p.token).await, 401, "invalid_token").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("machine token"),
        "{problem}"
    );
    let proposal = serde_json::json!({"title": "기계가 쓴 제안입니다", "body": "사용자 토큰이 필요한 곳에 기계 토큰을 보냅니다.", "policy_area": "transport-logistics"});
    expect_problem(
        app.create_proposal(&p.token, &proposal).await,
        401,
        "invalid_token",
    )
    .await;
    for token in [&citizen.access_token, &p.admin_token] {
        let problem = expect_problem(
            app.put_record(
                token,
                &p.channel_id,
                "X-1",
                &record("사람 토큰으로 보낸 기록", 1),
            )
            .await,
            401,
            "invalid_token",
        )
        .await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("machine token"),
            "{problem}"
        );
        expect_problem(
            app.get_record(token, &p.channel_id, "X-1").await,
            401,
            "invalid_token",
        )
        .await;
    }
    expect_problem(
        app.get_record("not.a.jwt", &p.channel_id, "X-1").await,
        401,
        "invalid_token",
    )
    .await;
    let r = app
        .get(
            &format!("/api/v1/channels/{}/proposals/X-1", p.channel_id),
            None,
        )
        .await;
    expect_problem(r, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_suspended_channel_stops_its_tokens_at_once_and_gets_none_until_reactivated() {
    let app = app().await;
    let p = app.partner().await;
    expect_json(
        app.put_record(
            &p.token,
            &p.channel_id,
            "S-1",
            &record("정지 전에 보낸 기록", 1),
        )
        .await,
        201,
    )
    .await;
    let path = format!("/api/v1/channels/{}", p.channel_id);
    let suspend = serde_json::json!({"status": "suspended"});
    expect_json(app.patch(&path, &suspend, Some(&p.admin_token)).await, 200).await;
    expect_problem(
        app.get_record(&p.token, &p.channel_id, "S-1").await,
        403,
        "channel_suspended",
    )
    .await;
    expect_problem(
        app.put_record(
            &p.token,
            &p.channel_id,
            "S-2",
            &record("정지 중에 보낸 기록", 1),
        )
        .await,
        403,
        "channel_suspended",
    )
    .await;
    let grant = form(&[("grant_type", "client_credentials")]);
    oauth_error(
        app.token_request(Some((&p.client_id, &p.client_secret)), &grant)
            .await,
        400,
        "unauthorized_client",
    )
    .await;
    let activate = serde_json::json!({"status": "active"});
    expect_json(app.patch(&path, &activate, Some(&p.admin_token)).await, 200).await;
    expect_json(app.get_record(&p.token, &p.channel_id, "S-1").await, 200).await;
    // Nothing sent while suspended was stored.
    expect_problem(
        app.get_record(&p.token, &p.channel_id, "S-2").await,
        404,
        "not_found",
    )
    .await;
}
