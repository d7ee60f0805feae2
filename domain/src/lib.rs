#![doc = include_str!("../README.md")]

mod macros;

pub mod account;
pub mod actor;
pub mod clock;
pub mod comment;
pub mod endorsement;
pub mod error;
pub mod event;
pub mod export;
pub mod follow;
pub mod forum;
pub mod id;
pub mod moderation;
pub mod open311;
pub mod organization;
pub mod page;
pub mod partner;
pub mod policy_area;
pub mod ports;
pub mod proposal;
pub mod referral;
pub mod routing;
pub mod search;
pub mod similar;
pub mod stats;
pub mod text;
pub mod topic;
pub mod uow;
pub mod values;
pub mod webhook;

pub use error::{FieldError, RepoError, UseCaseError, ValidationErrors};
pub use id::Id;
pub use page::{Page, PageRequest, SortKey};
