//! Every API value spelled as the domain spells it.

use ocf_domain::{partner, webhook};

use super::*;

fn name<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[test]
fn every_value_is_spelled_as_the_domain_spells_it() {
    for s in proposal::ProposalStatus::ALL {
        assert_eq!(name(ProposalStatus::from(*s)), s.as_str());
    }
    for k in partner::ChannelKind::ALL {
        assert_eq!(name(ChannelKind::from(*k)), k.as_str());
    }
    for s in partner::ChannelStatus::ALL {
        assert_eq!(name(ChannelStatus::from(*s)), s.as_str());
    }
    for s in partner::Scope::ALL {
        assert_eq!(name(Scope::from(*s)), s.as_str());
    }
    for s in webhook::EndpointStatus::ALL {
        assert_eq!(name(EndpointStatus::from(*s)), s.as_str());
    }
    for s in webhook::DeliveryStatus::ALL {
        assert_eq!(name(DeliveryStatus::from(*s)), s.as_str());
    }
    for t in webhook::WebhookEventType::ALL {
        assert_eq!(name(WebhookEventType::from(*t)), t.as_str());
    }
    for s in topic::TopicStatus::ALL {
        assert_eq!(name(TopicStatus::from(*s)), s.as_str());
    }
    for k in forum::ForumKind::ALL {
        assert_eq!(name(ForumKind::from(*k)), k.as_str());
    }
    for m in forum::ForumMode::ALL {
        assert_eq!(name(ForumMode::from(*m)), m.as_str());
    }
    for s in forum::ForumStatus::ALL {
        assert_eq!(name(ForumStatus::from(*s)), s.as_str());
    }
    for r in forum::SpeakerRole::ALL {
        assert_eq!(name(SpeakerRole::from(*r)), r.as_str());
    }
    for s in registration::RegistrationStatus::ALL {
        assert_eq!(name(RegistrationStatus::from(*s)), s.as_str());
    }
    for r in comment::AuthorRole::ALL {
        assert_eq!(name(CommentAuthorRole::from(*r)), r.as_str());
    }
    for s in comment::QuestionStatus::ALL {
        assert_eq!(name(QuestionStatus::from(*s)), s.as_str());
    }
    for r in proposal::Region::ALL {
        assert_eq!(name(Region::from(*r)), r.as_str());
    }
    for k in proposal::EventKind::ALL {
        assert_eq!(name(TimelineEventKind::from(*k)), k.as_str());
    }
    for r in ActorRole::ALL {
        assert_eq!(
            proposal::ActorRole::parse(&name(*r)).map(ActorRole::from),
            Ok(*r)
        );
    }
    for s in referral::ReferralStatus::ALL {
        assert_eq!(name(ReferralStatus::from(*s)), s.as_str());
    }
    for k in referral::SubjectKind::ALL {
        assert_eq!(name(ReferralSubjectKind::from(*k)), k.as_str());
    }
    for d in referral::Decision::ALL {
        assert_eq!(name(Decision::from(*d)), d.as_str());
    }
    for s in stats::Stage::ALL {
        assert_eq!(name(FunnelStage::from(*s)), s.as_str());
    }
    for s in referral::CommitmentStatus::ALL {
        assert_eq!(name(CommitmentStatus::from(*s)), s.as_str());
    }
    for r in account::Role::ALL {
        assert_eq!(name(Role::from(r)), r.as_str());
    }
    for k in organization::OrganizationKind::ALL {
        assert_eq!(name(OrganizationKind::from(k)), k.as_str());
    }
    for d in ReportDecision::ALL {
        assert_eq!(
            moderation::ReportDecision::parse(&name(*d)).map(ReportDecision::from),
            Ok(*d)
        );
    }
    for s in ReviewStatus::ALL {
        assert!(name(*s).parse::<proposal::ProposalStatus>().is_ok());
    }
    for a in ModerationAction::ALL {
        assert_eq!(
            moderation::ModerationAction::parse(&name(*a)).map(ModerationAction::from),
            Ok(*a)
        );
    }
}
