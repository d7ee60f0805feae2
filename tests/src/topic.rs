//! Helpers for topics: one per endpoint, so test bodies spell no paths.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, expect_json};

pub const TOPIC_TITLE: &str = "골목길 불법 주차로 소방차가 못 지나갑니다";
pub const TOPIC_DESCRIPTION: &str =
    "주택가 골목길마다 불법 주차가 많아 화재가 나도 소방차가 들어가지 못합니다. 대책이 필요합니다.";

impl TestApp {
    /// `POST /topics` with or without a token.
    pub async fn create_topic(&self, token: Option<&str>, body: &Value) -> Response {
        self.post("/api/v1/topics", body, token).await
    }

    /// Suggests a valid topic with this title (policy area `transport-logistics`; needs `seed`).
    pub async fn suggest(&self, token: &str, title: &str) -> String {
        let body = json!({
            "title": title,
            "description": TOPIC_DESCRIPTION,
            "policy_area": "transport-logistics",
        });
        let created = expect_json(self.create_topic(Some(token), &body).await, 201).await;
        created["id"].as_str().expect("id").to_owned()
    }

    pub async fn topic(&self, id: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/topics/{id}"), token).await
    }

    pub async fn edit_topic(&self, token: Option<&str>, id: &str, body: &Value) -> Response {
        self.patch(&format!("/api/v1/topics/{id}"), body, token)
            .await
    }

    /// `PUT` (`vote`) or `DELETE` `/topics/{id}/vote`, with or without a token.
    pub async fn vote(&self, token: Option<&str>, id: &str, vote: bool) -> Response {
        let method = if vote { Method::PUT } else { Method::DELETE };
        self.request(method, &format!("/api/v1/topics/{id}/vote"), token)
            .send()
            .await
            .expect("request")
    }

    pub async fn set_topic_status(
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
        self.post(&format!("/api/v1/topics/{id}/status"), &body, Some(token))
            .await
    }

    pub async fn topic_timeline(&self, id: &str, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/topics/{id}/timeline?{query}"), token)
            .await
    }

    /// The kinds of a topic's public timeline events, oldest first.
    pub async fn topic_timeline_kinds(&self, id: &str) -> Vec<String> {
        let timeline = expect_json(self.topic_timeline(id, "", None).await, 200).await;
        timeline["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["kind"].as_str().expect("kind").to_owned())
            .collect()
    }

    pub async fn report_topic(&self, token: Option<&str>, id: &str, reason: &str) -> Response {
        self.post(
            &format!("/api/v1/topics/{id}/reports"),
            &json!({ "reason": reason }),
            token,
        )
        .await
    }

    /// `GET /topics?{query}` as is.
    pub async fn topics(&self, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/topics?{query}"), token).await
    }

    /// The ids on one page of `GET /topics?{query}`.
    pub async fn topic_ids(&self, query: &str, token: Option<&str>) -> Vec<String> {
        let page = expect_json(self.topics(query, token).await, 200).await;
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// The vote count as the caller sees it.
    pub async fn vote_count(&self, id: &str, token: Option<&str>) -> i64 {
        let topic = expect_json(self.topic(id, token).await, 200).await;
        topic["vote_count"].as_i64().expect("count")
    }
}
