#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, Utc};

use super::credential::{CredentialSecrets, Scope, Scopes};
use super::record::ExternalId;
use super::{ChannelCode, ChannelStatus};

#[test]
fn channel_codes_are_lower_case_slugs() {
    assert!(ChannelCode::parse("idea_box").is_ok());
    assert!(ChannelCode::parse("seoul-city2").is_ok());
    for bad in ["", "a", "Idea", "idea box", "ideа", &"x".repeat(41)] {
        assert!(ChannelCode::parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        ChannelCode::parse("epeople")
            .unwrap()
            .proposal_channel()
            .code(),
        "partner:epeople"
    );
}

#[test]
fn external_ids_are_path_safe() {
    assert!(ExternalId::parse("IB-2026-000001").is_ok());
    assert!(ExternalId::parse("a.b_c~d:e@f").is_ok());
    for bad in ["", "a/b", "a b", "한글", "a%20", "bulk", &"x".repeat(129)] {
        assert!(ExternalId::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn scopes_parse_space_delimited_in_canonical_order() {
    let s = Scopes::parse_delimited("proposals:write proposals:read").unwrap();
    assert_eq!(s.delimited(), "proposals:read proposals:write");
    assert!(s.contains(Scope::ProposalsWrite));
    assert!(!s.contains(Scope::WebhooksManage));
    assert!(s.is_subset(&Scopes::all()));
    assert!(!Scopes::all().is_subset(&s));
    assert!(Scopes::parse_delimited("").unwrap().is_empty());
    assert!(Scopes::parse_delimited("proposals:write admin").is_err());
    assert!(Scopes::parse_delimited("PROPOSALS:WRITE").is_err());
}

#[test]
fn the_previous_secret_works_only_within_its_overlap() {
    let now = Utc::now();
    let secrets = CredentialSecrets {
        current_hash: "aa".repeat(32),
        previous_hash: Some("bb".repeat(32)),
        previous_expires_at: Some(now + TimeDelta::hours(1)),
    };
    assert!(secrets.accepts(&"aa".repeat(32), now));
    assert!(secrets.accepts(&"bb".repeat(32), now));
    assert!(!secrets.accepts(&"bb".repeat(32), now + TimeDelta::hours(2)));
    assert!(!secrets.accepts(&"cc".repeat(32), now));
    assert!(!secrets.accepts("aa", now));
}

#[test]
fn statuses_have_stable_codes() {
    assert_eq!(ChannelStatus::Suspended.as_str(), "suspended");
    assert!("paused".parse::<ChannelStatus>().is_err());
}
