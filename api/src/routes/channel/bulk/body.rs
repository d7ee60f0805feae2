//! The body of a bulk import, read as a stream: lines cut at `\n`, refused when too long or past the
//! limit, hashed for the `Idempotency-Key`, and the key released if the import is cut off.

use std::sync::Arc;

use actix_web::web::{self, Bytes, BytesMut};
use futures_util::StreamExt;
use ocf_domain::partner::intake::Intake;
use ocf_domain::partner::{PartnerGate, StoredResponse};
use sha2::{Digest, Sha256};

use super::{BATCH, MAX_LINE_BYTES, MAX_LINES, NDJSON};
use crate::error::ApiError;
use crate::routes::channel::idempotency;
use crate::state::{AppState, blocking};

/// A line as read: its number and its bytes, or why it could not be read.
pub(super) enum Line {
    Text(usize, Bytes),
    Refused(usize, ApiError),
}

/// The state of one import: the body, what is left of the last chunk, and where it stands.
pub(super) struct Import {
    pub(super) payload: web::Payload,
    pub(super) state: web::Data<AppState>,
    pub(super) intake: Arc<Intake>,
    pub(super) pending: BytesMut,
    pub(super) line: usize,
    /// Inside a line that is already too long: skip to its end.
    pub(super) skipping: bool,
    pub(super) eof: bool,
    pub(super) finished: bool,
    /// The body could not be read to its end.
    pub(super) failed: bool,
    /// The `Idempotency-Key` this import claimed, the hash of its request so far, and its answer so far.
    pub(super) key: Option<String>,
    pub(super) hasher: Sha256,
    pub(super) answer: Vec<u8>,
    /// The key's response is stored.
    pub(super) completed: bool,
    /// The request's id, for the problems of its lines.
    pub(super) request_id: String,
}

impl Drop for Import {
    fn drop(&mut self) {
        // Cut off (or failed) before the end: the key is free again for a re-send.
        if let (Some(key), false) = (self.key.take(), self.completed) {
            let (db, channel) = (self.state.db.clone(), self.intake.channel_id);
            std::thread::spawn(move || {
                if let Err(e) = db.release_key(channel, &key) {
                    log::warn!("could not release idempotency key: {e}");
                }
            });
        }
    }
}

impl Import {
    pub(super) fn new(
        payload: web::Payload,
        state: web::Data<AppState>,
        intake: Arc<Intake>,
        key: Option<String>,
        hasher: Sha256,
    ) -> Self {
        Import {
            payload,
            state,
            intake,
            pending: BytesMut::new(),
            line: 0,
            skipping: false,
            eof: false,
            finished: false,
            failed: false,
            key,
            hasher,
            answer: Vec::new(),
            completed: false,
            request_id: crate::request_id::current(),
        }
    }

    /// Reads up to one batch of lines (fewer at the end of the body).
    pub(super) async fn next_lines(&mut self) -> Vec<Line> {
        let mut lines = Vec::new();
        while lines.len() < BATCH && !self.finished {
            if let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
                let mut raw = self.pending.split_to(end + 1).freeze();
                raw.truncate(end);
                self.take(raw, &mut lines);
                continue;
            }
            if self.eof {
                if !self.pending.is_empty() || self.skipping {
                    let raw = self.pending.split().freeze();
                    self.take(raw, &mut lines);
                }
                self.finished = true;
                break;
            }
            if self.pending.len() > MAX_LINE_BYTES && !self.skipping {
                self.line += 1;
                lines.push(Line::Refused(
                    self.line,
                    ApiError::PayloadTooLarge {
                        limit: MAX_LINE_BYTES,
                    },
                ));
                self.skipping = true;
            }
            if self.skipping {
                self.pending.clear();
            }
            match self.payload.next().await {
                Some(Ok(chunk)) => {
                    self.hasher.update(&chunk);
                    self.pending.extend_from_slice(&chunk);
                }
                Some(Err(e)) => {
                    self.line += 1;
                    lines.push(Line::Refused(
                        self.line,
                        ApiError::MalformedJson(format!("the body could not be read: {e}")),
                    ));
                    self.finished = true;
                    self.failed = true;
                }
                None => self.eof = true,
            }
        }
        lines
    }

    /// At the end: reads what is left of the body into the request's hash (an import ended by the line
    /// limit did not), and stores the answer under the idempotency key.
    pub(super) async fn complete(&mut self) {
        if self.key.is_none() || self.completed || self.failed {
            return;
        }
        while !self.eof {
            match self.payload.next().await {
                Some(Ok(chunk)) => self.hasher.update(&chunk),
                Some(Err(_)) => return,
                None => self.eof = true,
            }
        }
        let Some(key) = self.key.clone() else { return };
        let stored = StoredResponse {
            request_hash: Some(idempotency::finish_hash(std::mem::take(&mut self.hasher))),
            status: 200,
            content_type: NDJSON.to_owned(),
            body: String::from_utf8_lossy(&self.answer).into_owned(),
        };
        let (state, channel) = (self.state.clone(), self.intake.channel_id);
        let done = blocking(move || Ok(state.db.complete_key(channel, &key, &stored)?)).await;
        self.completed = done.is_ok();
    }

    /// Takes one complete line (without its `\n`).
    fn take(&mut self, mut raw: Bytes, lines: &mut Vec<Line>) {
        if self.skipping {
            // The end of a line already refused as too long.
            self.skipping = false;
            return;
        }
        self.line += 1;
        if raw.last() == Some(&b'\r') {
            raw.truncate(raw.len() - 1);
        }
        if raw.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if self.line > MAX_LINES {
            lines.push(Line::Refused(
                self.line,
                ApiError::PayloadTooLarge { limit: MAX_LINES },
            ));
            self.finished = true;
            return;
        }
        if raw.len() > MAX_LINE_BYTES {
            lines.push(Line::Refused(
                self.line,
                ApiError::PayloadTooLarge {
                    limit: MAX_LINE_BYTES,
                },
            ));
            return;
        }
        lines.push(Line::Text(self.line, raw));
    }
}
