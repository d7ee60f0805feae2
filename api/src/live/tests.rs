#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web_lab::sse;
use ocf_domain::Id;

use super::{Audience, Frame, LiveHub};
use crate::settings::StreamSettings;

fn positions(batch: &super::Queued) -> Vec<i64> {
    batch.iter().map(|(at, _)| *at).collect()
}

fn frame(at: i64) -> Frame {
    Frame::both(at, sse::Data::new(format!("{{\"n\":{at}}}")).into())
}

#[tokio::test]
async fn a_viewer_that_falls_behind_is_dropped_and_the_others_keep_up() {
    let hub = LiveHub::new(StreamSettings {
        buffer: 8,
        ..StreamSettings::default()
    });
    let forum = Id::generate();
    assert!(
        hub.subscribe(forum, Audience::Public, None).is_none(),
        "a new forum needs its head first"
    );
    let mut slow = hub.subscribe(forum, Audience::Public, Some(0)).unwrap();
    let mut fast = hub.subscribe(forum, Audience::Public, None).unwrap();
    assert_eq!(fast.cursor, 0);
    for at in 1..=20 {
        hub.deliver(forum, at - 1, at, &[frame(at)]);
        let got = fast.events.recv().await.unwrap();
        assert_eq!(
            positions(&got),
            [at],
            "the reading viewer gets every event, in order"
        );
    }
    let mut kept = Vec::new();
    while let Some(batch) = slow.events.recv().await {
        kept.extend(positions(&batch));
    }
    assert_eq!(
        kept,
        (1..=8).collect::<Vec<_>>(),
        "its buffer, then the end"
    );
    assert_eq!(hub.census(), vec![(forum, 1)]);
    // A burst read in one pass is one delivery: it takes one slot of the queue, not one per event.
    let burst: Vec<Frame> = (21..=60).map(frame).collect();
    hub.deliver(forum, 20, 60, &burst);
    let got = fast.events.recv().await.unwrap();
    assert_eq!(positions(&got), (21..=60).collect::<Vec<_>>());
}

#[tokio::test]
async fn staff_frames_reach_staff_only_and_a_stale_delivery_is_ignored() {
    let hub = LiveHub::new(StreamSettings::default());
    let forum = Id::generate();
    let mut public = hub.subscribe(forum, Audience::Public, Some(5)).unwrap();
    let mut staff = hub.subscribe(forum, Audience::Staff, None).unwrap();
    let review = Frame {
        position: 6,
        public: None,
        staff: Some(std::sync::Arc::new(sse::Data::new("{}").into())),
    };
    hub.deliver(forum, 5, 7, &[review, frame(7)]);
    assert_eq!(positions(&staff.events.recv().await.unwrap()), [6, 7]);
    assert_eq!(positions(&public.events.recv().await.unwrap()), [7]);
    // Frames read from an old cursor were delivered already.
    hub.deliver(forum, 5, 7, &[frame(7)]);
    assert!(public.events.try_recv().is_err());
    assert_eq!(hub.cursor(forum), Some(7));
}

#[tokio::test]
async fn viewer_counts_carry_the_cursor_and_nothing_subscribes_once_closed() {
    let hub = LiveHub::new(StreamSettings::default());
    let forum = Id::generate();
    let mut v = hub.subscribe(forum, Audience::Public, Some(3)).unwrap();
    hub.deliver(forum, 3, 9, &[frame(9)]);
    hub.broadcast_viewers(forum, 42);
    v.events.recv().await.unwrap();
    assert_eq!(
        positions(&v.events.recv().await.unwrap()),
        [9],
        "never behind what was sent"
    );
    hub.close();
    assert!(hub.subscribe(forum, Audience::Public, Some(9)).is_none());
    assert!(v.events.recv().await.is_none(), "closing ends every stream");
}

#[test]
fn the_open_stream_limit_holds_and_frees() {
    let hub = LiveHub::new(StreamSettings {
        max_open: 2,
        ..StreamSettings::default()
    });
    let a = hub.reserve().unwrap();
    let _b = hub.reserve().unwrap();
    assert!(hub.reserve().is_none());
    drop(a);
    assert!(hub.reserve().is_some());
}
