#![doc = include_str!("../README.md")]

pub mod account;
pub mod clock;
pub mod error;
pub mod id;
pub mod moderation;
pub mod organization;
pub mod page;
pub mod policy_area;
pub mod ports;
pub mod proposal;
pub mod search;
pub mod text;

pub use error::{FieldError, RepoError, ValidationErrors};
pub use id::Id;
pub use page::{Page, PageRequest};
