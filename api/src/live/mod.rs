//! Live streams of forums: a reader of the event log that fans each forum's events out to its viewers.
//!
//! One hub per instance holds, for every forum with viewers here, the position of the last event it
//! delivered and each viewer's bounded queue. The dispatcher (`dispatch`) wakes when a stream event
//! commits (in process on SQLite, through PostgreSQL's `NOTIFY` from any instance), reads each active
//! forum's new events from the log once, serialises each once per audience (`frames`) and offers the same
//! frame to every viewer. A viewer whose queue is full is dropped; it resumes with `Last-Event-ID`.
//! See `docs/ARCHITECTURE.md`, "Live streams".

pub mod dispatch;
pub mod frames;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix_web_lab::sse;
use ocf_domain::forum::ForumId;
use tokio::sync::{Notify, mpsc};

use crate::settings::StreamSettings;

/// Who a stream is for: the public, or moderation staff (who also get what is pending review).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Staff,
}

/// One event as each audience receives it, serialised once; `None` where the audience gets nothing.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Its position in the log (what the SSE `id:` says).
    pub position: i64,
    pub public: Option<Arc<sse::Event>>,
    pub staff: Option<Arc<sse::Event>>,
}

impl Frame {
    pub fn both(position: i64, e: sse::Event) -> Self {
        let e = Arc::new(e);
        Self {
            position,
            public: Some(e.clone()),
            staff: Some(e),
        }
    }

    pub fn for_audience(&self, a: Audience) -> Option<&Arc<sse::Event>> {
        match a {
            Audience::Public => self.public.as_ref(),
            Audience::Staff => self.staff.as_ref(),
        }
    }
}

/// What a viewer's queue holds: one delivery, the events of one batch window in order, each with its
/// position, shared by every viewer of the audience. A queue therefore counts windows, not events: a
/// burst (a rush of votes) does not fill it.
pub type Queued = Arc<Vec<(i64, Arc<sse::Event>)>>;

#[derive(Debug)]
struct Viewer {
    tx: mpsc::Sender<Queued>,
    audience: Audience,
}

#[derive(Debug)]
struct ForumStream {
    /// The position of the last event delivered (every later one comes from the dispatcher).
    cursor: i64,
    viewers: Vec<Viewer>,
    /// Viewers across every instance, as of the last census.
    total: i64,
}

/// What a new viewer gets: its queue, and the position the live part starts after.
#[derive(Debug)]
pub struct Subscription {
    pub events: mpsc::Receiver<Queued>,
    pub cursor: i64,
    /// Viewers across every instance, as last counted.
    pub viewers: i64,
}

/// Counts one open stream for as long as it lives.
#[derive(Debug)]
pub struct StreamSlot(Arc<LiveHub>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Debug)]
pub struct LiveHub {
    streams: Mutex<HashMap<ForumId, ForumStream>>,
    wake: Notify,
    open: AtomicUsize,
    closing: AtomicBool,
    /// How many times the PostgreSQL listener has connected.
    listens: AtomicU64,
    /// When the dispatcher's last pass started.
    last_pass: Mutex<std::time::Instant>,
    pub settings: StreamSettings,
    /// This instance, in the viewer counts kept in the database.
    pub instance: String,
}

impl LiveHub {
    pub fn new(settings: StreamSettings) -> Arc<Self> {
        Arc::new(Self {
            streams: Mutex::new(HashMap::new()),
            wake: Notify::new(),
            open: AtomicUsize::new(0),
            closing: AtomicBool::new(false),
            listens: AtomicU64::new(0),
            last_pass: Mutex::new(std::time::Instant::now()),
            settings,
            instance: uuid::Uuid::now_v7().to_string(),
        })
    }

    fn streams(&self) -> MutexGuard<'_, HashMap<ForumId, ForumStream>> {
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends every stream (their clients reconnect elsewhere) and tells the jobs to finish: the server
    /// is stopping.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Release);
        self.streams().clear();
        self.wake();
    }

    pub fn closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    pub(crate) fn listener_connected(&self) {
        let n = self.listens.fetch_add(1, Ordering::AcqRel);
        if n > 0 {
            log::info!(
                "live streams: the PostgreSQL listener reconnected (connection {})",
                n + 1
            );
        }
    }

    pub(crate) fn since_last_pass(&self) -> std::time::Duration {
        self.last_pass
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .elapsed()
    }

    pub(crate) fn pass_started(&self) {
        *self
            .last_pass
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = std::time::Instant::now();
    }

    /// The `application_name` of this instance's PostgreSQL listener.
    pub fn listener_name(&self) -> String {
        format!("ocf-listen-{}", self.instance)
    }

    /// How many times the PostgreSQL listener has connected (1 after the start, more after drops).
    pub fn listener_connections(&self) -> u64 {
        self.listens.load(Ordering::Acquire)
    }

    /// Tells the dispatcher that stream events may have committed (cheap; wakes coalesce).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// A slot for one more open stream, or `None` at the instance's limit.
    pub fn reserve(self: &Arc<Self>) -> Option<StreamSlot> {
        let max = self.settings.max_open;
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| StreamSlot(self.clone()))
    }

    pub fn open_streams(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }

    /// Adds a viewer of `forum` (`None` once the server is stopping). `head` is the forum's newest position in the log, read just before; it
    /// starts the forum's cursor when the forum has no viewers here yet (the dispatcher is then woken for
    /// anything committed since). `None` means "read it first and call again".
    pub fn subscribe(
        &self,
        forum: ForumId,
        audience: Audience,
        head: Option<i64>,
    ) -> Option<Subscription> {
        let (tx, rx) = mpsc::channel(self.settings.buffer);
        let mut streams = self.streams();
        if self.closing() {
            return None;
        }
        let fresh = !streams.contains_key(&forum);
        if fresh && head.is_none() {
            return None;
        }
        let stream = streams.entry(forum).or_insert_with(|| ForumStream {
            cursor: head.unwrap_or(0),
            viewers: Vec::new(),
            total: 0,
        });
        stream.viewers.push(Viewer { tx, audience });
        let (cursor, viewers) = (stream.cursor, stream.total.max(stream.viewers.len() as i64));
        drop(streams);
        if fresh {
            self.wake();
        }
        Some(Subscription {
            events: rx,
            cursor,
            viewers,
        })
    }

    /// The forums with viewers here, and where each one's stream stands.
    pub fn active(&self) -> Vec<(ForumId, i64)> {
        self.streams().iter().map(|(f, s)| (*f, s.cursor)).collect()
    }

    /// Offers frames read after position `from` to every viewer of `forum`, in order, and moves its cursor
    /// to `to`. Nothing happens if the cursor moved meanwhile (the frames were delivered already).
    pub fn deliver(&self, forum: ForumId, from: i64, to: i64, frames: &[Frame]) {
        let mut streams = self.streams();
        let Some(stream) = streams.get_mut(&forum).filter(|s| s.cursor == from) else {
            return;
        };
        let batch = |a: Audience| -> Queued {
            Arc::new(
                frames
                    .iter()
                    .filter_map(|f| f.for_audience(a).map(|e| (f.position, e.clone())))
                    .collect(),
            )
        };
        let (public, staff) = (batch(Audience::Public), batch(Audience::Staff));
        stream.viewers.retain(|v| {
            let b = match v.audience {
                Audience::Public => &public,
                Audience::Staff => &staff,
            };
            b.is_empty() || offer(v, b.clone())
        });
        stream.cursor = to;
    }

    /// Sends every current viewer of `forum` the count of viewers across instances, as of the stream's
    /// cursor (read under the same lock as deliveries, so its `id:` never goes back), dropping full ones.
    pub fn broadcast_viewers(&self, forum: ForumId, total: i64) {
        let mut streams = self.streams();
        let Some(stream) = streams.get_mut(&forum) else {
            return;
        };
        stream.total = total;
        let frame = frames::viewers(forum, stream.cursor, total);
        let Some(e) = frame.public else { return };
        let one: Queued = Arc::new(vec![(frame.position, e)]);
        stream.viewers.retain(|v| offer(v, one.clone()));
    }

    /// Counts the viewers of each forum (forgetting those gone), and stops following forums nobody
    /// watches here any more.
    pub fn census(&self) -> Vec<(ForumId, i64)> {
        let mut streams = self.streams();
        streams.retain(|_, s| {
            s.viewers.retain(|v| !v.tx.is_closed());
            !s.viewers.is_empty()
        });
        streams
            .iter()
            .map(|(f, s)| (*f, s.viewers.len() as i64))
            .collect()
    }

    /// The cursor of `forum` here, if it has viewers.
    pub fn cursor(&self, forum: ForumId) -> Option<i64> {
        self.streams().get(&forum).map(|s| s.cursor)
    }
}

/// Queues `e` for the viewer without waiting; `false` (drop the viewer) when it is full or gone.
fn offer(v: &Viewer, batch: Queued) -> bool {
    match v.tx.try_send(batch) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            log::debug!("a live viewer fell behind and was dropped; it resumes with Last-Event-ID");
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}
