//! The black-box suite: every test starts the real server with a database of its own and talks HTTP.
//! Run on SQLite by default; set TEST_DATABASE_URL=postgres://... to run the same tests on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin;
mod authorization;
mod cache;
mod cli;
mod login_limits;
mod moderation;
mod openapi;
mod operations;
mod proposals;
mod reference;
mod search;
mod tokens;
mod topics;
