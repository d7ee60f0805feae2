//! Helpers for moderation: reports, decisions, hiding, the queue and the public log.

use reqwest::Response;
use serde_json::{Value, json};

use crate::TestApp;

/// Helpers for moderation, of proposals and topics alike.
impl TestApp {
    /// `POST /moderation/proposals/{id}/hide` with this body, with or without a token.
    pub async fn hide_as(&self, token: Option<&str>, id: &str, body: &Value) -> Response {
        let path = format!("/api/v1/moderation/proposals/{id}/hide");
        self.post(&path, body, token).await
    }

    /// `POST /moderation/reports/{id}/resolve` with this body, with or without a token.
    pub async fn resolve_as(&self, token: Option<&str>, report_id: &str, body: &Value) -> Response {
        let path = format!("/api/v1/moderation/reports/{report_id}/resolve");
        self.post(&path, body, token).await
    }

    /// `POST /proposals/{id}/reports` with this body, with or without a token.
    pub async fn report_as(&self, token: Option<&str>, id: &str, body: &Value) -> Response {
        self.post(&format!("/api/v1/proposals/{id}/reports"), body, token)
            .await
    }

    /// A moderator hides a proposal (`POST /moderation/proposals/{id}/hide`).
    pub async fn hide(&self, token: &str, id: &str, reason: &str) -> Response {
        let path = format!("/api/v1/moderation/proposals/{id}/hide");
        self.post(&path, &json!({ "reason": reason }), Some(token))
            .await
    }

    /// A moderator decides a report (`POST /moderation/reports/{id}/resolve`).
    pub async fn resolve(
        &self,
        token: &str,
        report_id: &str,
        decision: &str,
        reason: &str,
    ) -> Response {
        let path = format!("/api/v1/moderation/reports/{report_id}/resolve");
        self.post(
            &path,
            &json!({"decision": decision, "reason": reason}),
            Some(token),
        )
        .await
    }

    /// A moderator shows a hidden proposal again.
    pub async fn unhide(&self, token: &str, id: &str, reason: &str) -> Response {
        let path = format!("/api/v1/moderation/proposals/{id}/unhide");
        self.post(&path, &json!({ "reason": reason }), Some(token))
            .await
    }

    /// A moderator hides (`hide`) or shows a topic.
    pub async fn moderate_topic(
        &self,
        token: &str,
        id: &str,
        hide: bool,
        reason: &str,
    ) -> Response {
        let action = if hide { "hide" } else { "unhide" };
        let path = format!("/api/v1/moderation/topics/{id}/{action}");
        self.post(&path, &json!({ "reason": reason }), Some(token))
            .await
    }

    /// The report queue (`query` such as `status=resolved`, or empty).
    pub async fn reports(&self, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/moderation/reports?{query}"), token)
            .await
    }

    /// The public moderation log.
    pub async fn moderation_log(&self) -> Response {
        self.get("/api/v1/moderation/log", None).await
    }
}
