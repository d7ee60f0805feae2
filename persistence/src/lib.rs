#![doc = include_str!("../README.md")]

mod accounts;
mod annual;
mod bulk;
mod bulk_forum;
mod bulk_history;
mod comment;
mod db;
mod endorsement;
mod error;
mod events;
mod export;
mod follow;
mod forum;
mod fulltext;
mod grouped;
mod live;
mod migrate;
mod moderation;
mod open311;
mod partner;
mod proposal;
mod readers;
mod reference;
mod referral;
mod routing;
mod schema;
mod sessions;
mod stats;
mod time;
mod topic;
mod uow;
mod webhooks;

pub use bulk_history::{PastReferral, PastReview};
pub use db::{Backend, DEFAULT_FUNNEL_FAR_BEHIND, Database, DatabaseUrl, DbError};
pub use live::Listener;
