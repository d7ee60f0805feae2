DROP TABLE comment_likes;
DROP TABLE comments;
DROP TABLE proposal_entries;
DROP TABLE forum_outcomes;
DROP TABLE forum_registrations;
DROP TABLE forum_topics;
DROP TABLE forums;
