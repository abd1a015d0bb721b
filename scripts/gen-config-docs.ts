// `npm run gen:config-docs`: writes docs/config.md from the worker config schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDocs } from './config-docs.js';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'config.md'), configDocs());
