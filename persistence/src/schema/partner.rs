//! Tables of partner channels (migration `000008_partner_channels`).

use super::{proposals, users};

diesel::table! {
    channels (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        base_url -> Text,
        contact -> Text,
        status -> Text,
        service_user_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    channel_credentials (id) {
        id -> Text,
        channel_id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        previous_secret_hash -> Nullable<Text>,
        previous_expires_at -> Nullable<Timestamp>,
        scopes -> Text,
        created_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    channel_records (channel_id, external_id) {
        channel_id -> Text,
        external_id -> Text,
        proposal_id -> Text,
        origin -> Bool,
        external_url -> Nullable<Text>,
        partner_support_count -> Nullable<BigInt>,
        partner_created_at -> Nullable<Timestamp>,
        partner_updated_at -> Nullable<Timestamp>,
        fingerprint -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(channel_credentials -> channels (channel_id));
diesel::joinable!(channel_records -> channels (channel_id));
diesel::allow_tables_to_appear_in_same_query!(channels, channel_credentials, channel_records);
diesel::allow_tables_to_appear_in_same_query!(channel_records, proposals);
diesel::allow_tables_to_appear_in_same_query!(channels, users);

diesel::table! {
    channel_quota_windows (channel_id, window_start) {
        channel_id -> Text,
        window_start -> Timestamp,
        count -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (channel_id, idempotency_key) {
        channel_id -> Text,
        idempotency_key -> Text,
        request_hash -> Nullable<Text>,
        state -> Text,
        response_status -> Nullable<Integer>,
        response_type -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        channel_id -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<Timestamp>,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        cursor_tx -> BigInt,
        cursor_seq -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        channel_id -> Text,
        event_type -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        claimed_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_attempt_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        window_start -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::allow_tables_to_appear_in_same_query!(webhook_deliveries, webhook_endpoints);

diesel::table! {
    intake_flags (seq) {
        seq -> BigInt,
        proposal_id -> Text,
        candidate_id -> Text,
        score_milli -> Integer,
        created_at -> Timestamp,
    }
}
