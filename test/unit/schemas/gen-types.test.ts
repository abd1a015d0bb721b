import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combinedSchema, generatedTypesPath, generateTypes } from '../../../schemas/gen-types.js';

describe('generated types', () => {
  it('types.generated.ts matches the schemas (run `npm run gen:types` after changing one)', async () => {
    expect(readFileSync(generatedTypesPath, 'utf8')).toBe(await generateTypes());
  });

  it('finds shared definitions identical in every schema file', () => {
    // combinedSchema throws when a copy of, say, $defs/duration drifts in one file.
    expect(() => combinedSchema()).not.toThrow();
  });
});
