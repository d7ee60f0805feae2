//! Helpers for partner channels: a channel with a credential, machine tokens, and intake.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, expect_json};

/// A registered channel, one credential of it, a machine token, and the admin who set it up.
#[derive(Debug, Clone)]
pub struct TestPartner {
    pub channel_id: String,
    pub code: String,
    pub admin_token: String,
    pub credential_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub token: String,
}

/// `application/x-www-form-urlencoded`, every byte outside the unreserved set percent-encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A partner record's body: valid, with this title and the partner's own support count.
pub fn record(title: &str, partner_supports: i64) -> Value {
    json!({
        "title": title,
        "body": "국민생각함에 올라온 제안입니다. 동네 도서관을 밤늦게까지 열어 주세요.",
        "policy_area": "transport-logistics",
        "external_url": "https://idea.example.go.kr/ideas/1",
        "partner_created_at": "2026-11-30T12:00:00Z",
        "partner_support_count": partner_supports,
    })
}

impl TestApp {
    /// `POST /channels` as `token`.
    pub async fn create_channel(&self, token: &str, code: &str) -> Response {
        let body = json!({
            "code": code,
            "name": "국민생각함",
            "kind": "idea_box",
            "base_url": "https://idea.example.go.kr",
            "contact": "운영팀 02-2100-0000",
        });
        self.post("/api/v1/channels", &body, Some(token)).await
    }

    /// `POST /channels/{id}/credentials` with these scopes (all when `None`).
    pub async fn create_credential(
        &self,
        token: &str,
        channel: &str,
        scopes: Option<&[&str]>,
    ) -> Response {
        let body = match scopes {
            Some(s) => json!({ "scopes": s }),
            None => json!({}),
        };
        self.post(
            &format!("/api/v1/channels/{channel}/credentials"),
            &body,
            Some(token),
        )
        .await
    }

    /// `POST /oauth/token`, form-encoded, with HTTP Basic when `basic` is given.
    pub async fn token_request(&self, basic: Option<(&str, &str)>, body: &str) -> Response {
        let mut rb = self
            .request(Method::POST, "/api/v1/oauth/token", None)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body.to_owned());
        if let Some((id, secret)) = basic {
            rb = rb.basic_auth(id, Some(secret));
        }
        rb.send().await.expect("request")
    }

    /// A machine token for the client, with every scope it holds.
    pub async fn machine_token(&self, client_id: &str, secret: &str) -> String {
        let body = form(&[("grant_type", "client_credentials")]);
        let grant = expect_json(
            self.token_request(Some((client_id, secret)), &body).await,
            200,
        )
        .await;
        grant["access_token"].as_str().expect("token").to_owned()
    }

    /// A new channel (`seed` first, for the policy areas its records use) with one credential of
    /// `scopes` and a token of it.
    pub async fn partner_with(&self, scopes: Option<&[&str]>) -> TestPartner {
        let admin = self.admin().await;
        let code = format!("p{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        let channel = expect_json(self.create_channel(&admin.access_token, &code).await, 201).await;
        let channel_id = channel["id"].as_str().expect("id").to_owned();
        let issued = expect_json(
            self.create_credential(&admin.access_token, &channel_id, scopes)
                .await,
            201,
        )
        .await;
        let client_id = issued["credential"]["client_id"]
            .as_str()
            .expect("client")
            .to_owned();
        let client_secret = issued["client_secret"].as_str().expect("secret").to_owned();
        let token = self.machine_token(&client_id, &client_secret).await;
        TestPartner {
            channel_id,
            code,
            admin_token: admin.access_token,
            credential_id: issued["credential"]["id"].as_str().expect("id").to_owned(),
            client_id,
            client_secret,
            token,
        }
    }

    pub async fn partner(&self) -> TestPartner {
        self.partner_with(None).await
    }

    /// `PUT /channels/{id}/proposals/{external_id}`.
    pub async fn put_record(
        &self,
        token: &str,
        channel: &str,
        external_id: &str,
        body: &Value,
    ) -> Response {
        let path = format!("/api/v1/channels/{channel}/proposals/{external_id}");
        self.send_json(Method::PUT, &path, body, Some(token)).await
    }

    /// `GET /channels/{id}/proposals/{external_id}`.
    pub async fn get_record(&self, token: &str, channel: &str, external_id: &str) -> Response {
        self.get(
            &format!("/api/v1/channels/{channel}/proposals/{external_id}"),
            Some(token),
        )
        .await
    }
}

impl TestApp {
    /// `POST /channels/{id}/proposals/bulk` with this NDJSON body; the answer's lines, parsed.
    pub async fn bulk(&self, token: &str, channel: &str, ndjson: String) -> Response {
        self.request(
            Method::POST,
            &format!("/api/v1/channels/{channel}/proposals/bulk"),
            Some(token),
        )
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(ndjson)
        .send()
        .await
        .expect("request")
    }

    /// The results of a bulk import that answered `200`.
    pub async fn bulk_results(&self, token: &str, channel: &str, ndjson: String) -> Vec<Value> {
        let r = self.bulk(token, channel, ndjson).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/x-ndjson");
        let text = r.text().await.expect("body");
        text.lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }
}

/// One bulk line: a valid record with this external id and title.
pub fn bulk_line(external_id: &str, title: &str) -> String {
    let mut v = record(title, 1);
    v["external_id"] = json!(external_id);
    v.to_string()
}
