//! Authentication: argon2id passwords, short-lived JWT access tokens, rotating refresh tokens, and the
//! `Caller` extractor that turns a bearer token into who is asking.

mod caller;
mod machine;
mod password;
mod tokens;

pub use caller::{Admin, Caller, MaybeCaller, Staff};
pub use machine::{
    MACHINE_AUDIENCE, MACHINE_TOKEN_TTL, Partner, QuotaState, StandingCache, rate_limit_headers,
};
pub use password::{HashSlot, HashingSettings, Passwords};
pub use tokens::{ACCESS_TOKEN_TTL, AUDIENCE, ISSUER, IssuedRefresh, TokenService, hash_refresh};
