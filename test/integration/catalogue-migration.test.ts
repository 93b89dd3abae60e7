// The stored-record migration to EUCAIM DCAT-AP v2.0 (functions/db/migrations/*_eucaim_dcat_ap_v2.sql):
// its SQL rewrites a pre-v2.0 record exactly as the API's one-release reader does (legacy.ts), and
// the statements it runs on stored rows leave valid records with their indexed columns updated.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueDatasets } from '../../functions/catalogue/catalogue.sql.ts';
import { rowsOf } from '../../functions/db/client.ts';
import { upgradeMetadata } from '../../shared/catalogue/legacy.ts';
import { type DatasetMetadata, datasetMetadataSchema } from '../../shared/catalogue/profile.ts';
import { freshDatabase } from '../support/database.ts';
import { legacyMetadata } from '../support/legacy-records.ts';
import { seedHierarchy } from './catalogue-support.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => database?.drop());

const dir = path.resolve(import.meta.dirname, '../../functions/db/migrations');
const migration = readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('_eucaim_dcat_ap_v2.sql')) as string), 'utf8');
/** The statements of the migration's data part that rewrite stored rows. */
const rowUpdates = migration
  .split('--> statement-breakpoint')
  .map((s) => s.trim())
  .filter((s) => s.startsWith('UPDATE "catalogue_datasets"'));

const upgradeInSql = async (m: unknown) =>
  rowsOf<{ m: unknown }>(await database.handle.db.execute(sql`select catalogue_upgrade_v2(${JSON.stringify(m)}::jsonb) as m`))[0]?.m;

describe('the migration of stored records to EUCAIM DCAT-AP v2.0', () => {
  it.each([
    ['a complete pre-v2.0 record', legacyMetadata()],
    ['one with a publisher that has a contact page only', legacyMetadata({ publisher: { name: 'P', url: 'https://p.example/' } })],
    [
      'one without resolution fields',
      legacyMetadata({ spatialResolution: undefined, temporalResolution: 'P1D', segmentation: { count: 3 } }),
    ],
    ['one with only unknown birth sexes', legacyMetadata({ birthSex: ['SNOMEDCT74964007'] })],
    ['an already current record', upgradeMetadata(legacyMetadata())],
  ])('rewrites %s as the API reads it', async (_what, legacy) => {
    const clean = JSON.parse(JSON.stringify(legacy));
    expect(await upgradeInSql(clean)).toEqual(upgradeMetadata(clean));
  });

  it('leaves stored rows valid, with their filter columns in the new codes', async () => {
    const ids = await seedHierarchy({ services: { db: database.handle.db } } as never);
    const id = crypto.randomUUID();
    const legacy = legacyMetadata({ seriesId: ids.seriesId }) as unknown as DatasetMetadata;
    await database.handle.db.insert(catalogueDatasets).values({
      id,
      state: 'published',
      owner: 'migration-test',
      version: 1,
      metadata: legacy,
      seriesId: ids.seriesId,
      title: 'old',
      condition: 'SNOMEDCT399068003',
      tier: 'TIER_1',
      publisher: 'Demo University Hospital',
      modalities: ['RID10312'],
      bodyParts: ['SNOMEDCT41216001'],
      manufacturers: ['birnlex_3066'],
      accessConditions: ['IN_SITU_PROCESSING'],
      subjects: 1,
      studies: 1,
    });
    expect(rowUpdates.length).toBe(2);
    for (const statement of rowUpdates) await database.handle.db.execute(sql.raw(statement));
    const [row] = await database.handle.db.select().from(catalogueDatasets).where(eq(catalogueDatasets.id, id));
    expect(datasetMetadataSchema.safeParse(row?.metadata).error?.issues ?? []).toEqual([]);
    expect(row).toMatchObject({
      condition: 'CLIN1000075',
      tier: 'SPEC1000009',
      modalities: ['IMG1000038', 'IMG1000042'],
      bodyParts: ['BP1000021'],
      manufacturers: ['IMG1000044'],
    });
  });
});
