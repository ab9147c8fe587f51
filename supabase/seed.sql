-- The sample company is seeded by `pnpm fleet seed` from packages/connectors/sample-data
-- (it needs the JSON files, which SQL cannot read). Nothing to seed for a production project.
select 1;
