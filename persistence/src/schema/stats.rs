//! The tables of the statistics' readers (migration `000009`).

diesel::table! {
    funnel_journeys (proposal_id) {
        proposal_id -> Text,
        collected_at -> Timestamp,
        channel -> Text,
        policy_area_id -> Text,
        region -> Nullable<Text>,
        topic_id -> Nullable<Text>,
        forum_id -> Nullable<Text>,
        progressed -> Bool,
        reviewed_at -> Nullable<Timestamp>,
        selected_at -> Nullable<Timestamp>,
        rejected_at -> Nullable<Timestamp>,
        merged_at -> Nullable<Timestamp>,
        referred_at -> Nullable<Timestamp>,
        answered_at -> Nullable<Timestamp>,
        decision -> Nullable<Text>,
        implemented_at -> Nullable<Timestamp>,
    }
}

use super::{proposals, referral_hops, referrals};

diesel::allow_tables_to_appear_in_same_query!(funnel_journeys, referrals);
diesel::allow_tables_to_appear_in_same_query!(funnel_journeys, referral_hops);
diesel::allow_tables_to_appear_in_same_query!(referrals, referral_hops);
diesel::allow_tables_to_appear_in_same_query!(proposals, referral_hops);
