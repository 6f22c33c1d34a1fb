-- The application role: what the API and the workers connect as (DATABASE_URL). It reads
-- every table and may create temporary tables (analytics materialises the matching
-- contracts in one, dropped at commit), and nothing else: no INSERT, UPDATE, DELETE or DDL.
-- Migrations and data loading (npm run db:migrate / db:seed / db:import) connect as the
-- owner role instead (MIGRATION_DATABASE_URL), which creates the tables; the default
-- privileges below make every table it creates later readable by the application role.
--
-- Run by the postgres image on first start, in the POSTGRES_DB database as POSTGRES_USER.
-- Elsewhere, run it once as the owner role in Kontrata's database (psql -d kontrata -f ...),
-- changing the password.
CREATE ROLE kontrata_app LOGIN PASSWORD 'kontrata_app';
GRANT CONNECT, TEMPORARY ON DATABASE kontrata TO kontrata_app;
GRANT USAGE ON SCHEMA public TO kontrata_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kontrata_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO kontrata_app;
