//! Helpers for forums, registrations and comments: one per endpoint, so test bodies spell no paths.

use chrono::{Duration, Utc};
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, TestUser, expect_json};

/// A valid offline forum, two days from now, with `capacity` seats.
pub fn offline_forum(capacity: Option<i64>) -> Value {
    let start = Utc::now() + Duration::days(2);
    let mut body = json!({
        "kind": "regional_conference",
        "mode": "offline",
        "title": "섬 지역 교통 문제 지역 토론회",
        "description": "섬 주민의 교통 불편을 시민, 전문가, 공무원이 함께 논의합니다.",
        "policy_area": "transport-logistics",
        "venue": {"name": "목포시청 대회의실", "address": "전라남도 목포시 양을로 203", "region": "jeonnam"},
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + Duration::hours(2)).to_rfc3339(),
        "panel": [{"name": "김민지", "affiliation": "한국교통연구원", "role": "expert"}],
        "agenda": [{
            "title": "섬 주민 교통 실태 발표",
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + Duration::minutes(30)).to_rfc3339(),
            "speaker": "김민지",
        }],
    });
    if let Some(c) = capacity {
        body["capacity"] = json!(c);
    }
    body
}

impl TestApp {
    /// An official of a new organization, with a token that carries the role; and the organization's id.
    pub async fn official(&self) -> (TestUser, String) {
        let admin = self.admin().await;
        let code =
            format!("ORG-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase();
        let org = expect_json(
            self.create_organization(&admin.access_token, &code).await,
            201,
        )
        .await;
        let org_id = org["id"].as_str().expect("id").to_owned();
        let mut user = self.citizen().await;
        let body = json!({"roles": ["official"], "organization_id": org_id});
        expect_json(self.assign(&admin.access_token, &user.id, &body).await, 200).await;
        let tokens = expect_json(self.refresh(&user.refresh_token).await, 200).await;
        user.access_token = tokens["access_token"].as_str().expect("access").to_owned();
        user.refresh_token = tokens["refresh_token"]
            .as_str()
            .expect("refresh")
            .to_owned();
        (user, org_id)
    }

    pub async fn create_forum(&self, token: Option<&str>, body: &Value) -> Response {
        self.post("/api/v1/forums", body, token).await
    }

    /// Plans a forum from `body` as `token` and returns its id.
    pub async fn plan_forum(&self, token: &str, body: &Value) -> String {
        let f = expect_json(self.create_forum(Some(token), body).await, 201).await;
        f["id"].as_str().expect("id").to_owned()
    }

    pub async fn forum(&self, id: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/forums/{id}"), token).await
    }

    pub async fn edit_forum(&self, token: Option<&str>, id: &str, body: &Value) -> Response {
        self.patch(&format!("/api/v1/forums/{id}"), body, token)
            .await
    }

    pub async fn set_forum_status(
        &self,
        token: &str,
        id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> Response {
        let mut body = json!({"status": status});
        if let Some(r) = reason {
            body["reason"] = json!(r);
        }
        self.post(&format!("/api/v1/forums/{id}/status"), &body, Some(token))
            .await
    }

    /// Moves the forum through `statuses` in turn, each `200`.
    pub async fn walk_forum(&self, token: &str, id: &str, statuses: &[&str]) {
        for s in statuses {
            expect_json(self.set_forum_status(token, id, s, None).await, 200).await;
        }
    }

    pub async fn forums(&self, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/forums?{query}"), token).await
    }

    pub async fn forum_timeline(&self, id: &str) -> Vec<String> {
        let t = expect_json(
            self.get(&format!("/api/v1/forums/{id}/timeline"), None)
                .await,
            200,
        )
        .await;
        t["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["kind"].as_str().expect("kind").to_owned())
            .collect()
    }

    pub async fn register_for(&self, token: Option<&str>, id: &str) -> Response {
        self.request(
            Method::POST,
            &format!("/api/v1/forums/{id}/registrations"),
            token,
        )
        .send()
        .await
        .expect("request")
    }

    pub async fn registrations(&self, token: &str, id: &str, query: &str) -> Response {
        self.get(
            &format!("/api/v1/forums/{id}/registrations?{query}"),
            Some(token),
        )
        .await
    }

    pub async fn cancel_registration(&self, token: &str, id: &str) -> Response {
        self.request(
            Method::DELETE,
            &format!("/api/v1/forums/{id}/registrations/me"),
            Some(token),
        )
        .send()
        .await
        .expect("request")
    }

    pub async fn mark_attendance(&self, token: &str, id: &str, body: &Value) -> Response {
        self.post(
            &format!("/api/v1/forums/{id}/attendance"),
            body,
            Some(token),
        )
        .await
    }

    pub async fn put_outcome(&self, token: &str, id: &str, body: &Value) -> Response {
        self.send_json(
            Method::PUT,
            &format!("/api/v1/forums/{id}/outcome"),
            body,
            Some(token),
        )
        .await
    }

    pub async fn enter_forum_proposal(&self, token: &str, id: &str, body: &Value) -> Response {
        self.post(&format!("/api/v1/forums/{id}/proposals"), body, Some(token))
            .await
    }

    /// `POST /{subject}/{id}/comments` (`subject`: `proposals`, `topics`, `forums`).
    pub async fn comment_on(
        &self,
        token: Option<&str>,
        subject: &str,
        id: &str,
        body: &Value,
    ) -> Response {
        self.post(&format!("/api/v1/{subject}/{id}/comments"), body, token)
            .await
    }

    /// Posts `text` (under `parent`) and returns the comment.
    pub async fn post_comment(
        &self,
        token: &str,
        subject: &str,
        id: &str,
        text: &str,
        parent: Option<&str>,
    ) -> Value {
        let mut body = json!({"body": text});
        if let Some(p) = parent {
            body["parent_id"] = json!(p);
        }
        expect_json(self.comment_on(Some(token), subject, id, &body).await, 201).await
    }

    pub async fn comments(
        &self,
        subject: &str,
        id: &str,
        query: &str,
        token: Option<&str>,
    ) -> Response {
        self.get(&format!("/api/v1/{subject}/{id}/comments?{query}"), token)
            .await
    }

    pub async fn edit_comment(&self, token: &str, id: &str, text: &str) -> Response {
        self.patch(
            &format!("/api/v1/comments/{id}"),
            &json!({"body": text}),
            Some(token),
        )
        .await
    }

    pub async fn delete_comment(&self, token: &str, id: &str) -> Response {
        self.request(
            Method::DELETE,
            &format!("/api/v1/comments/{id}"),
            Some(token),
        )
        .send()
        .await
        .expect("request")
    }

    pub async fn like_comment(&self, token: &str, id: &str, like: bool) -> Response {
        let method = if like { Method::PUT } else { Method::DELETE };
        self.request(method, &format!("/api/v1/comments/{id}/like"), Some(token))
            .send()
            .await
            .expect("request")
    }
}
