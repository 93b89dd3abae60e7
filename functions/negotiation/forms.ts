// Application forms as data in the database, versioned: admins store a new version without code,
// new negotiations start on the newest one, and each negotiation keeps the version it started with
// (its answers were written against it). Version 1 is the built-in EUCAIM template.
import { and, desc, eq } from 'drizzle-orm';
import { AppError, issuesToDetails } from '../../shared/errors.ts';
import { type FormDefinition, formDefinitionSchema } from '../../shared/negotiation/form-definition.ts';
import { eucaimApplicationForm } from '../../shared/negotiation/form-template.ts';
import type { Database } from '../db/client.ts';
import { negotiationForms } from './conversation.sql.ts';

export const FORM_ID = eucaimApplicationForm.id;
type Reader = Pick<Database, 'select'>;

/** The form new negotiations start with: the newest stored version, else the template. */
export async function currentForm(db: Reader): Promise<FormDefinition> {
  const [row] = await db
    .select({ definition: negotiationForms.definition })
    .from(negotiationForms)
    .where(eq(negotiationForms.formId, FORM_ID))
    .orderBy(desc(negotiationForms.version))
    .limit(1);
  return row?.definition ?? eucaimApplicationForm;
}

/** The exact version a negotiation was started with. */
export async function formVersion(db: Reader, formId: string, version: number): Promise<FormDefinition> {
  if (formId === eucaimApplicationForm.id && version === eucaimApplicationForm.version) return eucaimApplicationForm;
  const [row] = await db
    .select({ definition: negotiationForms.definition })
    .from(negotiationForms)
    .where(and(eq(negotiationForms.formId, formId), eq(negotiationForms.version, version)));
  if (!row) throw new AppError('internal', `form ${formId} version ${version} is missing`);
  return row.definition;
}

/**
 * Validates `input` as a form definition and stores it as the next version. The hub numbers
 * versions itself (whatever `version` says) and keeps the form's id; 422 lists every problem.
 */
export async function replaceForm(db: Database, input: Record<string, unknown>, by: string): Promise<FormDefinition> {
  return db.transaction(async (tx) => {
    const current = await currentForm(tx);
    const parsed = formDefinitionSchema.safeParse({ ...input, id: FORM_ID, version: current.version + 1 });
    if (!parsed.success)
      throw new AppError(
        'unprocessable',
        `the form definition has ${parsed.error.issues.length} problem(s)`,
        issuesToDetails(parsed.error.issues),
      );
    // Two admins saving at once: the primary key refuses the second with the same version.
    const inserted = await tx
      .insert(negotiationForms)
      .values({ formId: FORM_ID, version: parsed.data.version, definition: parsed.data, createdBy: by })
      .onConflictDoNothing()
      .returning({ v: negotiationForms.version });
    if (inserted.length === 0) throw new AppError('conflict', 'someone saved another version at the same time; reload and try again');
    return parsed.data;
  });
}
