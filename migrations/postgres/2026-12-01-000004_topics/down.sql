DROP TABLE topic_votes;
DROP TABLE topic_tags;
DROP TABLE topics;
