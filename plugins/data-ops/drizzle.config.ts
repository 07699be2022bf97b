import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/import/schema.ts', './src/quality/schema.ts'],
  out: './drizzle',
  schemaFilter: ['plugin_data_ops'],
});
