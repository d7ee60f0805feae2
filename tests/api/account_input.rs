//! What account endpoints refuse and normalise: unknown, missing and mistyped fields, bodies that are not
//! JSON or too large, invisible characters, NFC, nulls, internationalised email domains.

use ocf_tests::{PASSWORD, TestApp, error_fields, expect_json, expect_problem};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn unknown_missing_and_mistyped_fields_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "f@example.kr", "password": PASSWORD, "display_name": "Kang", "roles": ["admin"]});
    let problem = expect_problem(
        app.post("/api/v1/auth/register", &body, None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["roles"]);

    let body = json!({"email": "f@example.kr", "password": PASSWORD});
    let problem = expect_problem(
        app.post("/api/v1/auth/register", &body, None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["display_name"]);

    let body = json!({"email": 42, "password": PASSWORD, "display_name": "Kang"});
    let problem = expect_problem(
        app.post("/api/v1/auth/register", &body, None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["email"]);

    let problem = expect_problem(
        app.post("/api/v1/auth/register", &json!([1, 2]), None)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["body"]);
}

#[tokio::test]
async fn malformed_json_is_400_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/register", None)
        .header("content-type", "application/json")
        .body(r#"{"email": "g@example.kr", "password": "#)
        .send()
        .await
        .unwrap();
    expect_problem(response, 400, "malformed_json").await;
    // The email is still free.
    expect_json(app.register("g@example.kr", PASSWORD, "Yoon").await, 201).await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/register", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=h@example.kr")
        .send()
        .await
        .unwrap();
    expect_problem(response, 415, "unsupported_media_type").await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_problem(response, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(100 * 1024);
    let body = json!({"email": "i@example.kr", "password": PASSWORD, "display_name": huge});
    expect_problem(
        app.post("/api/v1/auth/register", &body, None).await,
        413,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn invisible_and_bidirectional_characters_are_refused_in_names() {
    let app = TestApp::spawn().await;
    for name in [
        "admin\u{202E}",
        "\u{200B}김민지",
        "김\u{FEFF}민지",
        "\u{2066}admin\u{2069}",
    ] {
        let problem = expect_problem(
            app.register("someone@example.kr", PASSWORD, name).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["display_name"], "{name:?}");
    }
    // Nothing was stored: the address is still free.
    expect_json(
        app.register("someone@example.kr", PASSWORD, "김민지").await,
        201,
    )
    .await;
}

#[tokio::test]
async fn names_are_stored_in_nfc() {
    let app = TestApp::spawn().await;
    // "한결" typed as conjoining jamo is stored as the two precomposed syllables.
    let account = expect_json(
        app.register(
            "jamo@example.kr",
            PASSWORD,
            "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1167}\u{11AF}",
        )
        .await,
        201,
    )
    .await;
    assert_eq!(account["display_name"], "한결");
}

#[tokio::test]
async fn null_is_not_absent_in_a_patch_of_my_account() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let problem = expect_problem(
        app.patch(
            "/api/v1/me",
            &json!({"display_name": "새 이름", "password": null}),
            Some(&citizen.access_token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["password"]);
    // Nothing changed.
    let me = expect_json(app.me(&citizen.access_token).await, 200).await;
    assert_eq!(me["display_name"], "시민 Citizen");
}

#[tokio::test]
async fn internationalised_email_domains_are_taken_in_their_ascii_form() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.register("김민지@예시.한국", PASSWORD, "김민지").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["email"]);
    expect_json(
        app.register("김민지@xn--9n2bp8q.xn--3e0b707e", PASSWORD, "김민지")
            .await,
        201,
    )
    .await;
}
