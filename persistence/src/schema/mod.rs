// The same schema on both backends (checked against `diesel print-schema` on each).

mod ledger;
mod partner;
mod stats;
pub use ledger::*;
pub use partner::*;
pub use stats::*;

diesel::table! {
    organizations (id) {
        id -> Text,
        code -> Text,
        kind -> Text,
        name_ko -> Text,
        name_en -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        organization_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (role, user_id) {
        user_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    policy_areas (id) {
        id -> Text,
        code -> Text,
        name_ko -> Text,
        name_en -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        family_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        throttle_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    proposals (id) {
        seq -> BigInt,
        id -> Text,
        author_id -> Text,
        title -> Text,
        body -> Text,
        policy_area_id -> Text,
        region -> Nullable<Text>,
        topic_id -> Nullable<Text>,
        forum_id -> Nullable<Text>,
        channel -> Text,
        status -> Text,
        hidden -> Bool,
        merged_into -> Nullable<Text>,
        support_count -> BigInt,
        trending_score -> BigInt,
        tags -> Text,
        search_text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

// SQLite only (the FTS5 index of `proposals.search_text`); used only on SQLite code paths.
diesel::table! {
    proposals_fts (rowid) {
        rowid -> BigInt,
        search_text -> Text,
    }
}

diesel::table! {
    proposal_tags (proposal_id, tag) {
        proposal_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    supports (proposal_id, user_id) {
        proposal_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        id -> Text,
        aggregate_type -> Text,
        aggregate_id -> Text,
        event_type -> Text,
        actor_role -> Text,
        actor_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        payload -> Text,
        forum_id -> Nullable<Text>,
        about -> Nullable<Text>,
    }
}

diesel::table! {
    topics (id) {
        seq -> BigInt,
        id -> Text,
        author_id -> Text,
        title -> Text,
        description -> Text,
        policy_area_id -> Text,
        region -> Nullable<Text>,
        status -> Text,
        hidden -> Bool,
        vote_count -> BigInt,
        trending_score -> BigInt,
        tags -> Text,
        search_text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

// SQLite only (the FTS5 index of `topics.search_text`).
diesel::table! {
    topics_fts (rowid) {
        rowid -> BigInt,
        search_text -> Text,
    }
}

diesel::table! {
    topic_tags (topic_id, tag) {
        topic_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    topic_votes (topic_id, user_id) {
        topic_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        target_type -> Text,
        target_id -> Text,
        reporter_id -> Text,
        reason -> Text,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        decision -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
    }
}

diesel::table! {
    moderation_log (id) {
        id -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        reason -> Nullable<Text>,
        actor_role -> Text,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    forums (id) {
        seq -> BigInt,
        id -> Text,
        organization_id -> Text,
        created_by -> Text,
        kind -> Text,
        mode -> Text,
        title -> Text,
        description -> Text,
        policy_area_id -> Text,
        region -> Nullable<Text>,
        venue -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        registration_opens_at -> Nullable<Timestamp>,
        registration_closes_at -> Nullable<Timestamp>,
        capacity -> Nullable<BigInt>,
        livestream_url -> Nullable<Text>,
        panel -> Text,
        agenda -> Text,
        status -> Text,
        cancel_reason -> Nullable<Text>,
        registered_count -> BigInt,
        waitlisted_count -> BigInt,
        attended_count -> BigInt,
        outcome_id -> Nullable<Text>,
        search_text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        live_at -> Nullable<Timestamp>,
        agenda_current -> Nullable<Integer>,
    }
}

diesel::table! {
    forums_fts (rowid) {
        rowid -> BigInt,
        search_text -> Text,
    }
}

diesel::table! {
    forum_topics (forum_id, topic_id) {
        forum_id -> Text,
        topic_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    forum_registrations (id) {
        seq -> BigInt,
        id -> Text,
        forum_id -> Text,
        user_id -> Text,
        status -> Text,
        attended -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    forum_outcomes (id) {
        id -> Text,
        forum_id -> Text,
        summary -> Text,
        recommendations -> Text,
        attendee_count -> BigInt,
        proposal_ids -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposal_entries (proposal_id) {
        proposal_id -> Text,
        entered_by -> Text,
        entered_at -> Timestamp,
        participant_name -> Nullable<Text>,
    }
}

diesel::table! {
    comments (id) {
        seq -> BigInt,
        id -> Text,
        subject_type -> Text,
        subject_id -> Text,
        parent_id -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        depth -> Integer,
        author_id -> Text,
        author_role -> Text,
        body -> Text,
        like_count -> BigInt,
        reply_count -> BigInt,
        hidden -> Bool,
        deleted -> Bool,
        edited_at -> Nullable<Timestamp>,
        agenda_item -> Nullable<Integer>,
        stream_offset -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        question_status -> Nullable<Text>,
        vote_count -> BigInt,
    }
}

diesel::table! {
    comment_likes (comment_id, user_id) {
        comment_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    forums,
    forums_fts,
    forum_topics,
    forum_registrations,
    forum_outcomes,
    proposal_entries,
    comments,
    comment_likes,
    organizations,
    users,
    user_roles,
    policy_areas,
    refresh_tokens,
    login_failures,
    proposals,
    proposals_fts,
    proposal_tags,
    supports,
    events,
    topics,
    topics_fts,
    topic_tags,
    topic_votes,
    reports,
    moderation_log,
);

diesel::table! {
    question_votes (comment_id, user_id) {
        comment_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stream_presence (instance_id, forum_id) {
        instance_id -> Text,
        forum_id -> Text,
        viewers -> BigInt,
        seen_at -> Timestamp,
    }
}
