#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web_lab::sse;
use ocf_domain::Id;

use super::{Audience, Frame, LiveHub};
use crate::settings::StreamSettings;

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
        let (got, _) = fast.events.recv().await.unwrap();
        assert_eq!(got, at, "the reading viewer gets every event, in order");
    }
    let mut kept = Vec::new();
    while let Some((at, _)) = slow.events.recv().await {
        kept.push(at);
    }
    assert_eq!(
        kept,
        (1..=8).collect::<Vec<_>>(),
        "its buffer, then the end"
    );
    assert_eq!(hub.census(), vec![(forum, 1)]);
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
    assert_eq!(staff.events.recv().await.unwrap().0, 6);
    assert_eq!(staff.events.recv().await.unwrap().0, 7);
    assert_eq!(public.events.recv().await.unwrap().0, 7);
    // Frames read from an old cursor were delivered already.
    hub.deliver(forum, 5, 7, &[frame(7)]);
    assert!(public.events.try_recv().is_err());
    assert_eq!(hub.cursor(forum), Some(7));
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
