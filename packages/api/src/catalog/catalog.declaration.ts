import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_LICENSE, frequencyCodes } from './dcat.vocabulary.js';

/** The folder of dataset declarations (packages/api/datasets). */
export const datasetsDir = join(dirname(fileURLToPath(import.meta.url)), '../../datasets');

const slug = z.string().regex(/^[a-z0-9_-]{2,100}$/, 'lower-case letters, digits, - and _ (2–100)');

export const datasetDeclaration = z.object({
  name: slug,
  title: z.string().min(1),
  notes: z.string().default(''),
  view: z.string().regex(/^open\.[a-z_]+$/, 'a view in the open schema, e.g. open.initiatives'),
  organization: slug,
  license: z.string().min(1).default(DEFAULT_LICENSE),
  /** the attribution a licence such as dl-by-de/2.0 asks for; default: the organization's title */
  attribution: z.string().min(1).optional(),
  groups: z.array(slug).default([]),
  tags: z.array(z.string().min(1)).default([]),
  /** a code of the EU frequency table (DCAT dct:accrualPeriodicity), e.g. MONTHLY, IRREG */
  update_frequency: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(frequencyCodes, { message: `one of the EU frequency codes: ${frequencyCodes.join(', ')}` }))
    .optional(),
  temporal_start: z.coerce.string().optional(),
  temporal_end: z.coerce.string().optional(),
  private: z.boolean().default(false),
  geo: z.boolean().default(false),
});
export type DatasetDeclaration = z.infer<typeof datasetDeclaration>;

export const catalogDeclaration = z.object({
  /** the catalog itself (dcat:Catalog): title, description, publisher (an organization's name) */
  catalog: z
    .object({
      title: z.string().min(1),
      description: z.string().min(1),
      publisher: slug,
      /** code of the EU language table */
      language: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .default('DEU'),
      homepage: z.url().optional(),
    })
    .optional(),
  organizations: z.array(
    z.object({
      name: slug,
      title: z.string(),
      description: z.string().default(''),
      contributor_id: z.string().optional(),
      email: z.string().optional(),
    }),
  ),
  licenses: z.array(z.object({ id: z.string(), title: z.string(), url: z.string().optional(), dcat_uri: z.string().optional() })),
  groups: z.array(z.object({ name: slug, title: z.string(), description: z.string().default(''), dcat_theme: z.string().optional() })),
});
export type CatalogDeclaration = z.infer<typeof catalogDeclaration>;

function parseFile<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Reads catalog.yaml and every other *.yaml in the folder as one dataset each. */
export function readDeclarations(dir = datasetsDir): { catalog: CatalogDeclaration; datasets: DatasetDeclaration[] } {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return {
    catalog: parseFile(catalogDeclaration, join(dir, 'catalog.yaml')),
    datasets: files.filter((f) => f !== 'catalog.yaml').map((f) => parseFile(datasetDeclaration, join(dir, f))),
  };
}
