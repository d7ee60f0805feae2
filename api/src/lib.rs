#![doc = include_str!("../README.md")]

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod conditional;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod live;
pub mod logging;
pub mod openapi;
pub mod pagination;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod state;
pub mod vocab;
pub mod webhook;

pub use app::Application;
pub use settings::Settings;
