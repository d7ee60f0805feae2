DROP TABLE login_failures;
DROP TABLE refresh_tokens;
DROP TABLE policy_areas;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE organizations;
