//! Helpers for live forums: a small server-sent-events client (reads the raw `text/event-stream` as a
//! browser's `EventSource` would), and one helper per live endpoint.

use std::time::Duration;

use chrono::Utc;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::{TestApp, TestUser, expect_json};

/// One event off a stream.
#[derive(Debug, Clone)]
pub struct SseEvent {
    pub id: Option<i64>,
    pub event: String,
    pub data: Value,
}

/// An open stream.
pub struct SseClient {
    response: Response,
    buffer: String,
    /// The `retry:` the server set, in milliseconds.
    pub retry: Option<u64>,
    /// Heartbeat comments seen.
    pub comments: usize,
}

impl SseClient {
    pub fn new(response: Response) -> Self {
        Self {
            response,
            buffer: String::new(),
            retry: None,
            comments: 0,
        }
    }

    /// The next event within `wait`, or `None` (no event in time, or the stream ended).
    pub async fn next_within(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(e) = self.parse_one() {
                return Some(e);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event; fails the test after 10 s.
    pub async fn next(&mut self) -> SseEvent {
        self.next_within(Duration::from_secs(10))
            .await
            .expect("an event within 10 s")
    }

    /// The next event named `name`, skipping others (viewer counts, ...); fails after 15 s.
    pub async fn next_named(&mut self, name: &str) -> SseEvent {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let e = self
                .next_within(left)
                .await
                .unwrap_or_else(|| panic!("no {name} event within 15 s"));
            if e.event == name {
                return e;
            }
        }
    }

    /// Every event until `wait` passes with none.
    pub async fn drain(&mut self, wait: Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while let Some(e) = self.next_within(wait).await {
            out.push(e);
        }
        out
    }

    fn parse_one(&mut self) -> Option<SseEvent> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer[..end].to_owned();
            self.buffer.drain(..end + 2);
            let (mut id, mut event, mut data) = (None, String::from("message"), String::new());
            let mut any = false;
            for line in block.lines() {
                if let Some(c) = line.strip_prefix(':') {
                    let _ = c;
                    self.comments += 1;
                } else if let Some(v) = line.strip_prefix("retry:") {
                    self.retry = v.trim().parse().ok();
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().ok();
                    any = true;
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_owned();
                    any = true;
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    any = true;
                }
            }
            if any {
                return Some(SseEvent {
                    id,
                    event,
                    data: serde_json::from_str(&data).unwrap_or(Value::Null),
                });
            }
        }
    }
}

/// A hybrid forum (a venue and a stream) two days from now, with two agenda items.
pub fn streamed_forum() -> Value {
    let mut body = crate::forum::offline_forum(None);
    let start = Utc::now() + chrono::Duration::days(2);
    body["mode"] = json!("hybrid");
    body["livestream_url"] = json!("https://tv.example.go.kr/live/island");
    body["agenda"] = json!([
        {"title": "실태 발표", "starts_at": start.to_rfc3339(),
         "ends_at": (start + chrono::Duration::minutes(30)).to_rfc3339(), "speaker": "김민지"},
        {"title": "토론", "starts_at": (start + chrono::Duration::minutes(30)).to_rfc3339(),
         "ends_at": (start + chrono::Duration::minutes(90)).to_rfc3339()},
    ]);
    body
}

impl TestApp {
    /// An official and a forum of their organization, live now.
    pub async fn live_forum(&self) -> (TestUser, String) {
        let (official, _) = self.official().await;
        let id = self
            .plan_forum(&official.access_token, &streamed_forum())
            .await;
        self.walk_forum(&official.access_token, &id, &["scheduled", "live"])
            .await;
        (official, id)
    }

    /// `GET /forums/{id}/events`, as is.
    pub async fn follow_raw(
        &self,
        forum: &str,
        token: Option<&str>,
        last_event_id: Option<&str>,
    ) -> Response {
        let mut rb = self
            .request(
                Method::GET,
                &format!("/api/v1/forums/{forum}/events"),
                token,
            )
            .header("accept", "text/event-stream")
            .timeout(Duration::from_secs(3600));
        if let Some(l) = last_event_id {
            rb = rb.header("last-event-id", l);
        }
        rb.send().await.expect("request")
    }

    /// Opens the forum's stream; fails unless it is `200 text/event-stream`.
    pub async fn follow(&self, forum: &str, token: Option<&str>, last: Option<i64>) -> SseClient {
        let last = last.map(|l| l.to_string());
        let r = self.follow_raw(forum, token, last.as_deref()).await;
        assert_eq!(r.status(), 200, "the stream opens");
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap_or_default(),
            "text/event-stream"
        );
        SseClient::new(r)
    }

    pub async fn ask(&self, token: &str, forum: &str, text: &str) -> Response {
        self.post(
            &format!("/api/v1/forums/{forum}/questions"),
            &json!({"body": text}),
            Some(token),
        )
        .await
    }

    /// Asks `text` and returns the question.
    pub async fn ask_ok(&self, token: &str, forum: &str, text: &str) -> Value {
        expect_json(self.ask(token, forum, text).await, 201).await
    }

    pub async fn vote_question(&self, token: &str, question: &str, give: bool) -> Response {
        let method = if give { Method::PUT } else { Method::DELETE };
        self.request(
            method,
            &format!("/api/v1/questions/{question}/vote"),
            Some(token),
        )
        .send()
        .await
        .expect("request")
    }

    pub async fn set_question_status(&self, token: &str, question: &str, status: &str) -> Response {
        self.post(
            &format!("/api/v1/questions/{question}/status"),
            &json!({"status": status}),
            Some(token),
        )
        .await
    }

    pub async fn questions(&self, forum: &str, query: &str, token: Option<&str>) -> Response {
        self.get(&format!("/api/v1/forums/{forum}/questions?{query}"), token)
            .await
    }

    pub async fn advance_agenda(&self, token: &str, forum: &str, item: Value) -> Response {
        self.post(
            &format!("/api/v1/forums/{forum}/agenda/current"),
            &json!({"agenda_item": item}),
            Some(token),
        )
        .await
    }
}
