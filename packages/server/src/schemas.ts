import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://rapport.dev/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'One entry per offending field' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export const pageInfoSchema = z
  .object({ nextCursor: z.string().nullable(), hasMore: z.boolean() })
  .openapi('PageInfo');

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The error answers every operation may give. */
export const problemResponses = {
  400: { description: 'Malformed request', content: problemContent },
  401: { description: 'Not signed in', content: problemContent },
  403: { description: 'Not allowed', content: problemContent },
  404: { description: 'Not found', content: problemContent },
  409: { description: 'Conflict', content: problemContent },
  413: { description: 'Body too large', content: problemContent },
  422: { description: 'Invalid input, with one entry per field', content: problemContent },
} as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
