//! Full-text search, the one place where the SQL of the two backends differs: FTS5 `MATCH` on SQLite, a
//! GIN-indexed `tsvector @@ tsquery` on PostgreSQL, both over the same terms computed in Rust
//! (`ocf_domain::search`). Proposals and topics share it.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::{Backend, DbConnection};
use crate::error::TxError;

/// The full-text query for `terms` (all must match) in the backend's own syntax, to be bound as a parameter:
/// FTS5's (each term quoted; terms are letters and digits only) or `to_tsquery`'s.
pub(crate) fn query(backend: Backend, terms: &[String]) -> String {
    let (quote, and) = match backend {
        Backend::Sqlite => ('"', " "),
        Backend::Postgres => ('\'', " & "),
    };
    terms
        .iter()
        .map(|t| format!("{quote}{t}{quote}"))
        .collect::<Vec<_>>()
        .join(and)
}

/// PostgreSQL's full-text condition on `<table>.search_vector` around a bound query, as a typed
/// expression (SQLite's is a typed `MATCH` on the table's FTS5 index).
macro_rules! pg_fts {
    ($table:literal, $query:expr) => {
        diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(
            $table,
            ".search_vector @@ to_tsquery('simple', "
        ))
        .bind::<diesel::sql_types::Text, _>($query)
        .sql(")")
    };
}
pub(crate) use pg_fts;

diesel::infix_operator!(FtsMatch, " MATCH ");

diesel::define_sql_function! {
    /// SQL `substr`: `len` characters of `text` from position `start` (1-based); the same on both backends.
    fn substr(text: Text, start: diesel::sql_types::Integer, len: diesel::sql_types::Integer) -> Text;
}

/// How many characters of a body a list item carries, as SQL wants it.
pub(crate) fn excerpt_len() -> i32 {
    i32::try_from(ocf_domain::proposal::query::EXCERPT_CHARS).unwrap_or(i32::MAX)
}

/// PostgreSQL's estimate of how many rows of `table` contain each of its most common lexemes (from
/// `ANALYZE` statistics of `search_vector`); empty until the table has been analysed.
pub(crate) fn common_lexemes(
    conn: &mut DbConnection,
    table: &str,
) -> Result<HashMap<String, i64>, TxError> {
    #[derive(QueryableByName)]
    struct Stats {
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        elems: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        freqs: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Double)]
        rows: f64,
    }
    let stats: Option<Stats> = diesel::sql_query(
        "SELECT array_to_string(s.most_common_elems::text::text[], ' ') AS elems, \
                array_to_string(s.most_common_elem_freqs, ' ') AS freqs, c.reltuples::float8 AS rows \
         FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = to_regnamespace(s.schemaname) \
         WHERE s.schemaname = current_schema() AND s.tablename = $1 AND s.attname = 'search_vector'",
    )
    .bind::<Text, _>(table)
    .get_result(conn)
    .optional()?;
    let Some(Stats {
        elems: Some(elems),
        freqs: Some(freqs),
        rows,
    }) = stats
    else {
        return Ok(HashMap::new());
    };
    if rows <= 0.0 {
        return Ok(HashMap::new());
    }
    // The frequency list has three extra values at its end (minimum, maximum, nulls); zip ignores them.
    Ok(elems
        .split(' ')
        .zip(freqs.split(' ').filter_map(|f| f.parse::<f64>().ok()))
        .map(|(term, freq)| (term.to_owned(), (freq * rows).round() as i64))
        .collect())
}

/// Tags are stored joined by commas (a tag cannot contain one) so a page needs no second query; a tags
/// table per aggregate serves the `tag` filter.
pub(crate) fn split_tags(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) fn join_tags(tags: &ocf_domain::values::Tags) -> String {
    tags.iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A list of statuses as SQL literals, for `status IN (...)` (the values are fixed codes, never input).
pub(crate) fn status_list<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
