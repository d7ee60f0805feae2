//! Tables of the referral ledger, with follows, notifications, the log readers' cursors and the
//! suggested organization's term counts (migration `000007_referrals_notifications`).

use super::proposals;

diesel::table! {
    document_counters (year) {
        year -> Integer,
        last_serial -> BigInt,
    }
}

diesel::table! {
    referrals (id) {
        seq -> BigInt,
        id -> Text,
        number -> Text,
        year -> Integer,
        serial -> BigInt,
        subject_kind -> Text,
        subject_id -> Text,
        organization_id -> Text,
        status -> Text,
        cover_note -> Text,
        sent_by -> Text,
        sent_at -> Timestamp,
        due_at -> Timestamp,
        extension_reason -> Nullable<Text>,
        extended_at -> Nullable<Timestamp>,
        division -> Nullable<Text>,
        contact -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
        decision -> Nullable<Text>,
        reasoning -> Nullable<Text>,
        planned_measures -> Nullable<Text>,
        policy_task -> Nullable<Text>,
        expected_completion_on -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<Text>,
        evidence_url -> Nullable<Text>,
        completion_summary -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        completed_by -> Nullable<Text>,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    referral_hops (referral_id, position) {
        referral_id -> Text,
        position -> Integer,
        organization_id -> Text,
        reason -> Nullable<Text>,
        sent_at -> Timestamp,
        due_at -> Timestamp,
        extended -> Bool,
    }
}

diesel::table! {
    referral_follow_ups (id) {
        id -> Text,
        referral_id -> Text,
        position -> Integer,
        held_on -> Text,
        participants -> Text,
        minutes -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    referral_commitments (id) {
        id -> Text,
        referral_id -> Text,
        follow_up_id -> Text,
        position -> Integer,
        description -> Text,
        due_on -> Text,
        status -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    follows (subject_type, subject_id, user_id) {
        subject_type -> Text,
        subject_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (seq) {
        seq -> BigInt,
        user_id -> Text,
        event_seq -> BigInt,
        event_type -> Text,
        subject_type -> Text,
        subject_id -> Text,
        referral_id -> Nullable<Text>,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        decision -> Nullable<Text>,
        occurred_at -> Timestamp,
        is_read -> Bool,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    log_readers (name) {
        name -> Text,
        tx -> BigInt,
        seq -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    routing_documents (organization_id) {
        organization_id -> Text,
        documents -> BigInt,
        term_total -> BigInt,
    }
}

diesel::table! {
    routing_terms (term, organization_id) {
        term -> Text,
        organization_id -> Text,
        documents -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(referrals, proposals);
