DROP TABLE topic_votes;
DROP TABLE topic_tags;
DROP TRIGGER topics_fts_update;
DROP TRIGGER topics_fts_delete;
DROP TRIGGER topics_fts_insert;
DROP TABLE topics_fts;
DROP TABLE topics;
