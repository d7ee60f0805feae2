use ocf_tests::{PASSWORD, TestApp, error_fields, expect_json, expect_problem};
use serde_json::json;

#[tokio::test]
async fn a_citizen_registers_signs_in_and_reads_their_account() {
    let app = TestApp::spawn().await;
    let response = app
        .register(" Kim.Minji@Example.KR ", PASSWORD, "김민지")
        .await;
    assert_eq!(response.headers()["location"], "/api/v1/me");
    let account = expect_json(response, 201).await;
    assert_eq!(account["email"], "kim.minji@example.kr");
    assert_eq!(account["display_name"], "김민지");
    assert_eq!(account["roles"], json!(["citizen"]));
    assert!(account.get("password_hash").is_none() && account.get("password").is_none());

    let tokens = expect_json(app.login("KIM.MINJI@example.kr", PASSWORD).await, 200).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let me = expect_json(app.me(tokens["access_token"].as_str().unwrap()).await, 200).await;
    assert_eq!(me["id"], account["id"]);
}

#[tokio::test]
async fn the_same_email_cannot_register_twice_in_any_letter_case() {
    let app = TestApp::spawn().await;
    expect_json(app.register("lee@example.kr", PASSWORD, "Lee").await, 201).await;
    expect_problem(
        app.register("lee@example.kr", PASSWORD, "Lee").await,
        409,
        "already_exists",
    )
    .await;
    expect_problem(
        app.register("LEE@Example.Kr", PASSWORD, "Lee").await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn registration_reports_every_invalid_field_at_once() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.register("not-an-email", "short", " ").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["email", "password", "display_name"]
    );
}

#[tokio::test]
async fn password_rules_count_characters_and_refuse_the_email() {
    let app = TestApp::spawn().await;
    let too_long = "비".repeat(129);
    let problem = expect_problem(
        app.register("a@example.kr", &too_long, "Park").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["password"]);
    // Ten Korean syllables are 30 bytes but ten characters: long enough.
    expect_json(
        app.register("b@example.kr", &"비".repeat(10), "Park").await,
        201,
    )
    .await;
    let problem = expect_problem(
        app.register("choi.sunhee@example.kr", "Choi.Sunhee@example.kr", "Choi")
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("email")
    );
}

#[tokio::test]
async fn display_names_reject_control_characters_and_length_is_in_characters() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.register("c@example.kr", PASSWORD, "bad\u{7}name").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["display_name"]);
    let fifty = "가".repeat(50);
    expect_json(app.register("d@example.kr", PASSWORD, &fifty).await, 201).await;
    let fifty_one = "가".repeat(51);
    expect_problem(
        app.register("e@example.kr", PASSWORD, &fifty_one).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let wrong = expect_problem(
        app.login(&citizen.email, "not the password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = expect_problem(
        app.login("nobody@example.kr", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong["detail"], unknown["detail"]);
    expect_problem(
        app.login("not even an email", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn repeated_failures_throttle_the_account_with_retry_after() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    for _ in 0..5 {
        expect_problem(
            app.login(&citizen.email, "wrong password!").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let response = app.login(&citizen.email, PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    expect_problem(response, 429, "too_many_requests").await;
    // Another account from the same address is not locked by this one's failures.
    let other = app.citizen().await;
    expect_json(app.login(&other.email, PASSWORD).await, 200).await;
}

#[tokio::test]
async fn repeated_failures_from_one_address_throttle_that_address() {
    let app = TestApp::spawn_with(|s| s.throttle.max_failures_per_ip = 3).await;
    let citizen = app.citizen().await;
    for n in 0..3 {
        expect_problem(
            app.login(&format!("ghost{n}@example.kr"), PASSWORD).await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let response = app.login(&citizen.email, PASSWORD).await;
    assert!(response.headers().contains_key("retry-after"));
    expect_problem(response, 429, "too_many_requests").await;
}

#[tokio::test]
async fn a_successful_login_clears_the_account_failures() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    for _ in 0..4 {
        expect_problem(
            app.login(&citizen.email, "wrong password!").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_json(app.login(&citizen.email, PASSWORD).await, 200).await;
    for _ in 0..4 {
        expect_problem(
            app.login(&citizen.email, "wrong password!").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_json(app.login(&citizen.email, PASSWORD).await, 200).await;
}

#[tokio::test]
async fn login_reports_missing_fields_as_422() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({"email": "x@example.kr"}),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["password"]);
}

#[tokio::test]
async fn me_needs_a_token() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/me", None).await;
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Bearer realm="ocf""#
    );
    expect_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_citizen_changes_their_display_name() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let updated = expect_json(
        app.patch(
            "/api/v1/me",
            &json!({"display_name": "정다은"}),
            Some(&citizen.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["display_name"], "정다은");
    let me = expect_json(app.me(&citizen.access_token).await, 200).await;
    assert_eq!(me["display_name"], "정다은");
}

#[tokio::test]
async fn a_citizen_cannot_grant_themselves_a_role() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let problem = expect_problem(
        app.patch(
            "/api/v1/me",
            &json!({"roles": ["admin"]}),
            Some(&citizen.access_token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["roles"]);
    let me = expect_json(app.me(&citizen.access_token).await, 200).await;
    assert_eq!(me["roles"], json!(["citizen"]));
}

#[tokio::test]
async fn an_empty_or_invalid_profile_change_is_422() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    expect_problem(
        app.patch("/api/v1/me", &json!({}), Some(&citizen.access_token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let problem = expect_problem(
        app.patch(
            "/api/v1/me",
            &json!({"display_name": ""}),
            Some(&citizen.access_token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["display_name"]);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let token = Some(citizen.access_token.as_str());

    let problem = expect_problem(
        app.patch(
            "/api/v1/me",
            &json!({"password": "a brand new passphrase"}),
            token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["current_password"]);

    let body = json!({"password": "a brand new passphrase", "current_password": "wrong password!"});
    let problem = expect_problem(
        app.patch("/api/v1/me", &body, token).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["current_password"]);

    let body = json!({"password": "short", "current_password": PASSWORD});
    let problem = expect_problem(
        app.patch("/api/v1/me", &body, token).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["password"]);

    let body = json!({"password": "a brand new passphrase", "current_password": PASSWORD});
    expect_json(app.patch("/api/v1/me", &body, token).await, 200).await;
    expect_problem(
        app.refresh(&citizen.refresh_token).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        app.login(&citizen.email, PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    expect_json(
        app.login(&citizen.email, "a brand new passphrase").await,
        200,
    )
    .await;
}
