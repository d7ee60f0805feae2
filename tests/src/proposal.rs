//! Helpers for proposals.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, expect_json};

/// Helpers for proposals: one per endpoint, so test bodies spell no paths.
impl TestApp {
    pub async fn create_proposal(&self, token: &str, body: &Value) -> Response {
        self.create_proposal_as(Some(token), body).await
    }

    /// `POST /proposals` with or without a token.
    pub async fn create_proposal_as(&self, token: Option<&str>, body: &Value) -> Response {
        self.post("/api/v1/proposals", body, token).await
    }

    /// Submits a valid proposal with this title and body (policy area `transport-logistics`; needs `seed`).
    pub async fn propose(&self, token: &str, title: &str, body: &str) -> String {
        let body = json!({"title": title, "body": body, "policy_area": "transport-logistics"});
        let created = expect_json(self.create_proposal(token, &body).await, 201).await;
        created["id"].as_str().expect("id").to_owned()
    }

    pub async fn proposal(&self, id: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/proposals/{id}"), token).await
    }

    pub async fn support(&self, token: &str, id: &str) -> Response {
        self.support_as(Some(token), id).await
    }

    pub async fn unsupport(&self, token: &str, id: &str) -> Response {
        let path = format!("/api/v1/proposals/{id}/support");
        self.request(Method::DELETE, &path, Some(token))
            .send()
            .await
            .expect("request")
    }

    pub async fn set_status(
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
        self.post(
            &format!("/api/v1/proposals/{id}/status"),
            &body,
            Some(token),
        )
        .await
    }

    pub async fn merge(&self, token: &str, id: &str, into: &str) -> Response {
        let body = json!({"into": into, "reason": "같은 내용의 제안입니다"});
        self.merge_with(token, id, &body).await
    }

    /// `POST /proposals/{id}/merge` with this body.
    pub async fn merge_with(&self, token: &str, id: &str, body: &Value) -> Response {
        self.post(&format!("/api/v1/proposals/{id}/merge"), body, Some(token))
            .await
    }

    pub async fn timeline(&self, id: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/proposals/{id}/timeline"), token)
            .await
    }

    /// The kinds of a proposal's public timeline events, oldest first.
    pub async fn timeline_kinds(&self, id: &str) -> Vec<String> {
        let timeline = expect_json(self.timeline(id, None).await, 200).await;
        timeline["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|e| e["kind"].as_str().expect("kind").to_owned())
            .collect()
    }

    pub async fn report(&self, token: &str, id: &str, reason: &str) -> Response {
        let body = json!({"reason": reason});
        self.post(
            &format!("/api/v1/proposals/{id}/reports"),
            &body,
            Some(token),
        )
        .await
    }

    /// The support count as the caller sees it.
    pub async fn support_count(&self, id: &str, token: Option<&str>) -> i64 {
        let proposal = expect_json(self.proposal(id, token).await, 200).await;
        proposal["support_count"].as_i64().expect("count")
    }

    /// The ids on one page of `GET /proposals?{query}`.
    pub async fn list_ids(&self, query: &str, token: Option<&str>) -> Vec<String> {
        let page = expect_json(
            self.get(&format!("/api/v1/proposals?{query}"), token).await,
            200,
        )
        .await;
        let items = page["items"].as_array().expect("items");
        items
            .iter()
            .map(|p| p["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// The author's edit (`PATCH /proposals/{id}`); `None` sends no token.
    pub async fn edit(&self, token: Option<&str>, id: &str, body: &Value) -> Response {
        self.patch(&format!("/api/v1/proposals/{id}"), body, token)
            .await
    }

    /// The author withdraws (`POST /proposals/{id}/withdraw`); `None` sends no token.
    pub async fn withdraw(&self, token: Option<&str>, id: &str) -> Response {
        self.post(
            &format!("/api/v1/proposals/{id}/withdraw"),
            &json!({}),
            token,
        )
        .await
    }

    /// `PUT /proposals/{id}/support` with or without a token.
    pub async fn support_as(&self, token: Option<&str>, id: &str) -> Response {
        let path = format!("/api/v1/proposals/{id}/support");
        self.request(Method::PUT, &path, token)
            .send()
            .await
            .expect("request")
    }

    /// `GET /proposals?{query}` as is.
    pub async fn list(&self, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/proposals?{query}"), token).await
    }

    /// The similar check on a draft (`POST /proposals/similar`).
    pub async fn similar(&self, body: &Value) -> Response {
        self.post("/api/v1/proposals/similar", body, None).await
    }
}

/// Writes `n` proposals by `author` straight into the database (faster than `n` requests), for tests
/// that need more rows than a page; returns `n`.
///
/// # Panics
/// When the author id or the data is invalid, or the write fails.
pub async fn seed_proposals(db: ocf_persistence::Database, author: &str, n: usize) -> usize {
    use ocf_domain::ports::PolicyAreaRepository as _;
    use ocf_domain::proposal::{Channel, Proposal, ProposalDraft};
    use ocf_domain::values::{Body, Tags, Title};
    let author = ocf_domain::Id::parse(author).expect("author id");
    tokio::task::spawn_blocking(move || {
        let area = db.all_policy_areas().expect("areas")[0].id;
        let now = chrono::Utc::now();
        let proposals: Vec<Proposal> = (0..n)
            .map(|i| {
                let draft = ProposalDraft {
                    title: Title::parse(&format!("대량 제안 {i}번")).expect("title"),
                    body: Body::parse("대량으로 넣은 제안의 본문입니다. 내보내기를 시험합니다.")
                        .expect("body"),
                    region: None,
                    tags: Tags::parse::<&str>(&[]).expect("tags"),
                    topic_id: None,
                    forum_id: None,
                };
                Proposal::submit(author, draft, area, Channel::Web, now).0
            })
            .collect();
        db.bulk_insert_proposals(&proposals).expect("bulk insert");
        n
    })
    .await
    .expect("seeding")
}
