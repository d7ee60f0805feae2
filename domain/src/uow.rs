//! The unit of work: one transaction, and the repositories that act inside it. A use case receives one,
//! loads through it, calls lifecycle methods, saves and appends its events; the adapter commits everything
//! when the use case returns `Ok`, and nothing when it returns `Err`. So a change that spans aggregates
//! (a merge, a report that hides its target and logs it) is atomic without a method of its own.

use crate::comment::CommentStore;
use crate::event::EventLog;
use crate::follow::FollowStore;
use crate::forum::ForumStore;
use crate::forum::registration::RegistrationStore;
use crate::moderation::ReportStore;
use crate::partner::ChannelRecordStore;
use crate::proposal::ProposalStore;
use crate::referral::ReferralStore;
use crate::topic::TopicStore;

pub trait UnitOfWork {
    fn proposals(&mut self) -> &mut dyn ProposalStore;
    fn topics(&mut self) -> &mut dyn TopicStore;
    fn reports(&mut self) -> &mut dyn ReportStore;
    fn forums(&mut self) -> &mut dyn ForumStore;
    fn registrations(&mut self) -> &mut dyn RegistrationStore;
    fn comments(&mut self) -> &mut dyn CommentStore;
    fn referrals(&mut self) -> &mut dyn ReferralStore;
    fn follows(&mut self) -> &mut dyn FollowStore;
    fn channel_records(&mut self) -> &mut dyn ChannelRecordStore;
    fn events(&mut self) -> &mut dyn EventLog;
}
