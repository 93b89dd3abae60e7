// Reads a registration or change body, as JSON or (when a Turtle reader is given) as Turtle, and
// checks it against the profile: every problem at once, field by field, as 422 `unprocessable`.
import type { Context } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { AppError, issuesToDetails } from '../../shared/errors.ts';

/** Turns a Turtle document into the JSON body the schema reads; throws AppError('bad_request') with line and column. */
export type TurtleReader = (turtle: string, c: Context) => Promise<unknown>;

export const profileBody = <T extends z.ZodType>(schema: T, turtle?: TurtleReader) =>
  validator('json', async (value, c): Promise<z.output<T>> => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let input: unknown = value;
    if (type === 'text/turtle') {
      if (!turtle) throw new AppError('bad_request', 'Turtle bodies are not accepted here yet: send application/json');
      input = await turtle(await c.req.text(), c);
    } else if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
      throw new AppError('bad_request', 'send the body as application/json or text/turtle');
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success)
      throw new AppError('unprocessable', 'the dataset does not satisfy the EUCAIM profile', issuesToDetails(parsed.error.issues));
    return parsed.data;
  });
