use ocf_tests::{PASSWORD, TestApp, error_fields, expect_json, expect_problem};
use reqwest::Method;
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
