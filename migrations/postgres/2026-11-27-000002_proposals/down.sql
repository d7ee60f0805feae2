DROP TABLE moderation_log;
DROP TABLE reports;
DROP TABLE proposal_events;
DROP TABLE supports;
DROP TABLE proposal_tags;
DROP TABLE proposals;
