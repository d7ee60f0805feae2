use ocf_tests::{TestApp, expect_json, expect_problem};
use reqwest::Method;

#[tokio::test]
async fn healthz_answers_without_work() {
    let app = TestApp::spawn().await;
    let body = expect_json(app.get("/healthz", None).await, 200).await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_reports_the_database_backend() {
    let app = TestApp::spawn().await;
    let body = expect_json(app.get("/readyz", None).await, 200).await;
    assert_eq!(body["status"], "ready");
    let expected = if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_sane_client_id_is_echoed() {
    let app = TestApp::spawn().await;
    let generated = app.get("/healthz", None).await;
    assert!(generated.headers().get("x-request-id").is_some());

    let echoed = app
        .request(Method::GET, "/healthz", None)
        .header("x-request-id", "client-trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "client-trace-42");

    let hostile = app
        .request(Method::GET, "/healthz", None)
        .header("x-request-id", "bad id with spaces <script>")
        .send()
        .await
        .unwrap();
    assert_ne!(
        hostile.headers()["x-request-id"],
        "bad id with spaces <script>"
    );
}

#[tokio::test]
async fn an_error_body_names_the_same_request_id_as_the_header() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/nowhere", None).await;
    let header = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let problem = expect_problem(response, 404, "route_not_found").await;
    assert_eq!(problem["request_id"], header);
}

#[tokio::test]
async fn an_unknown_route_is_a_problem() {
    let app = TestApp::spawn().await;
    expect_problem(
        app.get("/api/v1/does-not-exist", None).await,
        404,
        "route_not_found",
    )
    .await;
    expect_problem(app.get("/", None).await, 404, "route_not_found").await;
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::DELETE, "/api/v1/auth/login", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    expect_problem(response, 405, "method_not_allowed").await;

    let response = app
        .request(Method::PUT, "/api/v1/organizations/anything", None)
        .send()
        .await
        .unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("PATCH"), "{allow}");
    expect_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn swagger_ui_and_the_openapi_document_are_served_without_internet() {
    let app = TestApp::spawn().await;
    let doc = expect_json(app.get("/api-docs/openapi.json", None).await, 200).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/auth/register"]["post"].is_object());

    let page = app.get("/docs/", None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let asset = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(asset.status(), 200);

    let no_redirect = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirect = no_redirect
        .get(format!("{}/docs", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/docs/");
}

#[tokio::test]
async fn cors_allows_configured_origins_and_not_others() {
    let app = TestApp::spawn().await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/api/v1/auth/login", None)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://app.ocf.example").await.unwrap();
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.ocf.example"
    );

    let denied = preflight("https://evil.example").await.unwrap();
    assert!(
        denied
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn a_bad_query_string_is_a_problem() {
    let app = TestApp::spawn().await;
    expect_problem(
        app.get("/api/v1/organizations?limit=lots", None).await,
        400,
        "invalid_query",
    )
    .await;
    expect_problem(
        app.get("/api/v1/organizations?colour=blue", None).await,
        400,
        "invalid_query",
    )
    .await;
}
