import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { AppError, issuesToDetails } from '../../shared/errors.ts';

/**
 * zValidator whose failures become our error shape: 400 with one `{ path, message }` per fault, the
 * path naming where in the input it lies (`ast.children[0].type`).
 */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new AppError('bad_request', `invalid ${target}`, issuesToDetails(result.error.issues));
    }
  });
