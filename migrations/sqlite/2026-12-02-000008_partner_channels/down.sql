DROP TABLE channel_records;
DROP TABLE channel_credentials;
DROP TABLE channels;
