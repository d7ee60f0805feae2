//! Reference data: organizations (who receives referrals) and policy areas (how everything is grouped).

mod organization;
mod policy_area;

pub use organization::*;
pub use policy_area::*;
