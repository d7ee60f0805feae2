DELETE FROM log_readers WHERE name = 'intake-similar';
DROP TABLE intake_flags;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE idempotency_keys;
DROP TABLE channel_quota_windows;
DROP TABLE channel_records;
DROP TABLE channel_credentials;
DROP TABLE channels;
