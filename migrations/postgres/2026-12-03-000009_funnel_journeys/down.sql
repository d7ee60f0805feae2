DELETE FROM log_readers WHERE name = 'funnel';
DROP TABLE funnel_journeys;
