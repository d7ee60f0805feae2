//! Helpers for referrals, follows and notifications.

use std::time::Duration;

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, TestUser, expect_json};

/// Helpers for the referral ledger: one per endpoint, so test bodies spell no paths.
impl TestApp {
    /// A proposal by a new citizen, moved to `selected` by `moderator`; returns its id and its author.
    pub async fn selected_proposal(&self, moderator: &str, title: &str) -> (String, TestUser) {
        let author = self.citizen().await;
        let id = self
            .propose(
                &author.access_token,
                title,
                "버스 노선을 늘려 주민의 통근 시간을 줄여 주세요. 배차 간격도 줄여야 합니다.",
            )
            .await;
        for s in ["under_review", "selected"] {
            expect_json(self.set_status(moderator, &id, s, None).await, 200).await;
        }
        (id, author)
    }

    pub async fn refer(&self, token: Option<&str>, body: &Value) -> Response {
        self.post("/api/v1/referrals", body, token).await
    }

    /// Refers a proposal to `org` and returns the referral.
    pub async fn refer_proposal(&self, moderator: &str, proposal: &str, org: &str) -> Value {
        let body = json!({
            "subject_kind": "proposal",
            "subject_id": proposal,
            "organization_id": org,
            "cover_note": "국민제안 심사 결과 채택된 제안을 송부합니다.",
        });
        expect_json(self.refer(Some(moderator), &body).await, 201).await
    }

    /// `POST /referrals/{id}/{step}` (`acknowledge`, `answer`, `follow-ups`, `extend`, `transfer`,
    /// `complete`).
    pub async fn referral_step(
        &self,
        token: Option<&str>,
        id: &str,
        step: &str,
        body: &Value,
    ) -> Response {
        self.post(&format!("/api/v1/referrals/{id}/{step}"), body, token)
            .await
    }

    pub async fn acknowledge(&self, token: &str, id: &str) -> Response {
        let body = json!({"division": "교통정책과", "contact": "홍길동 사무관 044-000-0000"});
        self.referral_step(Some(token), id, "acknowledge", &body)
            .await
    }

    /// An `accepted` (or other) answer with every field.
    pub async fn answer(&self, token: &str, id: &str, decision: &str) -> Response {
        let body = json!({
            "decision": decision,
            "reasoning": "제안 취지에 공감합니다.",
            "planned_measures": "2027년 상반기 노선 개편",
            "policy_task": "국정과제 12",
            "expected_completion_on": "2027-06-30",
        });
        self.referral_step(Some(token), id, "answer", &body).await
    }

    pub async fn referral(&self, id: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/referrals/{id}"), token).await
    }

    pub async fn referrals(&self, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/referrals?{query}"), token).await
    }

    /// `PUT` (`on`) or `DELETE /{subject}/{id}/follow`.
    pub async fn set_follow(
        &self,
        token: Option<&str>,
        subject: &str,
        id: &str,
        on: bool,
    ) -> Response {
        let method = if on { Method::PUT } else { Method::DELETE };
        self.request(method, &format!("/api/v1/{subject}/{id}/follow"), token)
            .send()
            .await
            .expect("request")
    }

    pub async fn notifications(&self, token: &str, query: &str) -> Response {
        self.get(&format!("/api/v1/me/notifications?{query}"), Some(token))
            .await
    }

    pub async fn unread(&self, token: &str) -> i64 {
        let v = expect_json(
            self.get("/api/v1/me/notifications/unread-count", Some(token))
                .await,
            200,
        )
        .await;
        v["unread"].as_i64().expect("unread")
    }

    /// Waits (up to 20 s) until `token` has at least `n` notifications, and returns the first page.
    pub async fn await_notifications(&self, token: &str, n: usize) -> Vec<Value> {
        for _ in 0..200 {
            let page = expect_json(self.notifications(token, "limit=100").await, 200).await;
            let items = page["items"].as_array().cloned().unwrap_or_default();
            if items.len() >= n {
                return items;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("fewer than {n} notifications after 20 s");
    }
}
