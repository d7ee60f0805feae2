//! The black-box suite: every test starts the real server with a database of its own and talks HTTP.
//! Run on SQLite by default; set TEST_DATABASE_URL=postgres://... to run the same tests on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_input;
mod accounts;
mod admin;
mod authorization;
mod cache;
mod channels;
mod cli;
mod comments;
mod exports;
mod forums;
mod live;
mod login_limits;
mod merges;
mod moderation;
mod notification_reads;
mod notifications;
mod oauth;
mod open311;
mod openapi;
mod operations;
mod partner_bulk;
mod partner_intake;
mod partner_limits;
mod partner_links;
mod proposal_lists;
mod proposals;
mod questions;
mod reference;
mod referral_lists;
mod referral_steps;
mod referrals;
mod registrations;
mod routing;
mod search;
mod stats;
mod stats_forums;
mod supports;
mod tokens;
mod topic_lists;
mod topic_votes;
mod topics;
mod webhooks;
