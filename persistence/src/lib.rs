#![doc = include_str!("../README.md")]

mod accounts;
mod bulk;
mod db;
mod error;
mod moderation;
mod proposals;
mod reference;
mod schema;
mod sessions;
mod time;

pub use db::{Backend, Database, DatabaseUrl, DbError};
