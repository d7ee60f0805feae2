//! The test harness: `TestApp::spawn()` starts the real server (the same `Application::build` as
//! production) on port 0 with a database of its own, and offers one helper per endpoint so tests read like
//! user stories.
//!
//! Backend: a fresh temp-file SQLite per test; with `TEST_DATABASE_URL=postgres://...` a fresh schema per
//! test in that database instead.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use ocf_api::Application;
use ocf_api::settings::{JwtSecret, Settings, ThrottleSettings};
use ocf_persistence::{Database, DatabaseUrl};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

pub mod forum;
pub mod live;
mod moderation;
pub mod partner;
pub mod proposal;
pub mod receiver;
pub mod referral;
mod sql;
pub mod topic;

pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long!";
pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub address: String,
    /// The server's password hasher (shared with the running server), to observe its bound.
    pub passwords: ocf_api::auth::Passwords,
    /// The time the server's public cache reads; moved by [`TestApp::advance_clock`].
    clock: std::sync::Arc<std::sync::Mutex<std::time::Instant>>,
    pub client: reqwest::Client,
    pub database_url: DatabaseUrl,
    /// The server's live streams (its instance id, its PostgreSQL listener).
    pub live: std::sync::Arc<ocf_api::live::LiveHub>,
    _scratch: Scratch,
}

/// What a test's database leaves behind, removed when the test ends: the temp folder of its SQLite file,
/// or its PostgreSQL schema.
pub enum Scratch {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Schema {
        base: String,
        schema: String,
    },
    /// Another instance on a database some other `TestApp` owns.
    Shared,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Self::Schema { base, schema } = self {
            // Best effort: a failure here must not hide the test's own outcome.
            if let Ok(mut conn) = diesel::PgConnection::establish(base) {
                let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&mut conn);
            }
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub password: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// A database of its own for one test (see the crate docs), removed when the `Scratch` drops.
pub fn fresh_database() -> (DatabaseUrl, Scratch) {
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(base) => {
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&base)
                .expect("TEST_DATABASE_URL must be reachable");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut conn)
                .expect("create schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            (
                DatabaseUrl::parse(&url).expect("postgres url"),
                Scratch::Schema { base, schema },
            )
        }
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            (
                DatabaseUrl::Sqlite(dir.path().join("ocf.db")),
                Scratch::Folder(dir),
            )
        }
    }
}

pub fn test_settings(database_url: DatabaseUrl) -> Settings {
    Settings {
        database_url,
        database_pool_size: 4,
        bind_address: "127.0.0.1:0".parse().expect("address"),
        jwt_secret: JwtSecret::new(JWT_SECRET.as_bytes().to_vec()).expect("secret"),
        cors_allowed_origins: vec!["https://app.ocf.example".to_owned()],
        throttle: ThrottleSettings::default(),
        trust_forwarded_for: false,
        workers: Some(1),
        // Tests read their own writes anonymously; the cache has tests of its own (`spawn_with`).
        public_cache_ttl: Duration::ZERO,
        password_hashing: ocf_api::auth::HashingSettings::default(),
        streams: ocf_api::settings::StreamSettings::default(),
        partner_quota_per_minute: 6_000,
        funnel_far_behind: ocf_persistence::DEFAULT_FUNNEL_FAR_BEHIND,
        // Receivers in tests listen on loopback, and retries come in milliseconds.
        webhooks: ocf_api::webhook::WebhookSettings {
            allow_private_targets: true,
            retry_scale: 0.001,
        },
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(customise: impl FnOnce(&mut Settings)) -> Self {
        let (database_url, scratch) = fresh_database();
        Self::start(database_url, scratch, customise).await
    }

    /// A second server instance on this one's database (the database stays with `self`).
    pub async fn another_instance(&self, customise: impl FnOnce(&mut Settings)) -> Self {
        Self::start(self.database_url.clone(), Scratch::Shared, customise).await
    }

    async fn start(
        database_url: DatabaseUrl,
        scratch: Scratch,
        customise: impl FnOnce(&mut Settings),
    ) -> Self {
        let mut settings = test_settings(database_url.clone());
        customise(&mut settings);
        let clock = std::sync::Arc::new(std::sync::Mutex::new(std::time::Instant::now()));
        let reader = clock.clone();
        let app = Application::build_with_clock(
            settings,
            std::sync::Arc::new(move || *reader.lock().unwrap_or_else(|p| p.into_inner())),
        )
        .await
        .expect("server starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let passwords = app.passwords().clone();
        let live = app.live();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        Self {
            address,
            passwords,
            clock,
            client,
            database_url,
            live,
            _scratch: scratch,
        }
    }

    /// Moves the server's cache clock forward (instead of sleeping through a TTL).
    pub fn advance_clock(&self, by: Duration) {
        *self.clock.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }

    /// A direct handle on the same database, for what only the CLI does (creating admins, seeding).
    pub fn database(&self) -> Database {
        Database::connect(&self.database_url, 1).expect("database")
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut rb = self
            .client
            .request(method, format!("{}{path}", self.address));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token)
            .send()
            .await
            .expect("request")
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> Response {
        self.request(method, path, token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send_json(Method::POST, path, body, token).await
    }

    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send_json(Method::PATCH, path, body, token).await
    }

    // ---- accounts ----

    pub async fn register(&self, email: &str, password: &str, display_name: &str) -> Response {
        self.post(
            "/api/v1/auth/register",
            &json!({"email": email, "password": password, "display_name": display_name}),
            None,
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh_token}),
            None,
        )
        .await
    }

    pub async fn logout(&self, refresh_token: &str) -> Response {
        self.post(
            "/api/v1/auth/logout",
            &json!({"refresh_token": refresh_token}),
            None,
        )
        .await
    }

    pub async fn me(&self, token: &str) -> Response {
        self.get("/api/v1/me", Some(token)).await
    }

    async fn sign_in(&self, id: String, email: &str) -> TestUser {
        let tokens = expect_json(self.login(email, PASSWORD).await, 200).await;
        TestUser {
            id,
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
            access_token: tokens["access_token"].as_str().expect("access").to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// Registers and signs in a new citizen with a unique email.
    pub async fn citizen(&self) -> TestUser {
        let email = format!("citizen-{}@example.kr", uuid::Uuid::new_v4().simple());
        let account = expect_json(self.register(&email, PASSWORD, "시민 Citizen").await, 201).await;
        self.sign_in(account["id"].as_str().expect("id").to_owned(), &email)
            .await
    }

    /// Creates an admin the way `ocf-api admin create` does, and signs in.
    pub async fn admin(&self) -> TestUser {
        let email = format!("admin-{}@ocf.example", uuid::Uuid::new_v4().simple());
        let db = self.database();
        let id = tokio::task::spawn_blocking({
            let email = email.clone();
            move || ocf_api::cli::create_admin(&db, &email, "Administrator", PASSWORD)
        })
        .await
        .expect("join")
        .expect("admin created");
        self.sign_in(id, &email).await
    }

    // ---- reference data ----

    pub async fn create_organization(&self, token: &str, code: &str) -> Response {
        self.post(
            "/api/v1/organizations",
            &json!({"code": code, "kind": "ministry", "name_ko": "행정안전부", "name_en": "Ministry of the Interior and Safety"}),
            Some(token),
        )
        .await
    }

    pub async fn create_policy_area(&self, token: &str, code: &str) -> Response {
        self.post(
            "/api/v1/policy-areas",
            &json!({"code": code, "name_ko": "교통", "name_en": "Transport"}),
            Some(token),
        )
        .await
    }

    pub async fn assign(&self, token: &str, user_id: &str, body: &Value) -> Response {
        self.patch(&format!("/api/v1/users/{user_id}"), body, Some(token))
            .await
    }
}

/// Asserts the status and returns the JSON body.
pub async fn expect_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Asserts an RFC 9457 problem with this status and code, and returns it.
pub async fn expect_problem(response: Response, status: u16, code: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let has_request_id = response.headers().contains_key("x-request-id");
    let body = expect_json(response, status).await;
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    assert!(has_request_id, "every response carries X-Request-Id");
    assert_eq!(body["code"], code, "body: {body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:ocf:problem:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string());
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    body
}

/// The fields named in a validation problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks that `response` is `422 validation_failed` and returns the fields it names.
pub async fn invalid_fields(response: Response) -> Vec<String> {
    error_fields(&expect_problem(response, 422, "validation_failed").await)
}

/// Reference data and staff accounts.
impl TestApp {
    /// Loads the reference data (`ocf-api seed`): ministries and policy areas such as `transport-logistics`.
    pub async fn seed(&self) {
        let db = self.database();
        tokio::task::spawn_blocking(move || ocf_api::seed::seed(&db).expect("seed"))
            .await
            .expect("join");
    }

    /// A citizen promoted to moderator by an admin, with a token that carries the role.
    pub async fn moderator(&self) -> TestUser {
        let admin = self.admin().await;
        let mut user = self.citizen().await;
        let roles = json!({"roles": ["citizen", "moderator"]});
        expect_json(
            self.assign(&admin.access_token, &user.id, &roles).await,
            200,
        )
        .await;
        let tokens = expect_json(self.refresh(&user.refresh_token).await, 200).await;
        user.access_token = tokens["access_token"].as_str().expect("access").to_owned();
        user.refresh_token = tokens["refresh_token"]
            .as_str()
            .expect("refresh")
            .to_owned();
        user
    }
}
