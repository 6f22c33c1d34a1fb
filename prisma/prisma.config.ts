// Configuration for the Prisma CLI (Prisma 7 reads connection URLs from here, not from
// schema.prisma). The project applies its migrations with its own runner
// (`npm run db:migrate`); where Prisma's schema engine can be downloaded,
// `npx prisma migrate deploy --config prisma/prisma.config.ts` applies the same files.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kontrata',
  },
});
