// Reads the worker config file as pipeline files are read: YAML with positions, the schema's errors turned
// into `file:line:col: field: message (did you mean …?)` by the same code (schemas/loader), every one at once.
import { Ajv } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { formatLoadError } from '../schemas/loader/format.js';
import { locate } from '../schemas/loader/locate.js';
import { describeErrors } from '../schemas/loader/messages.js';
import { formatPath } from '../schemas/loader/path.js';
import type { LoadError } from '../schemas/loader/types.js';
import { WorkerConfigError } from './config-error.js';
import { workerConfigSchema } from './config-schema.js';

// verbose: the messages need each error's schema node (bounds, the known fields of a mapping).
const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true });
// The message a pattern means (editors show it too), as in the pipeline schemas.
ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
const validate = ajv.compile(workerConfigSchema);

/** The config file's value, checked against the schema; throws WorkerConfigError listing every located problem. */
export function parseWorkerConfig(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: LoadError[] = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    const message = e.message.split('\n')[0] ?? e.message;
    return { file, line, col, field: '', message: `YAML syntax error: ${message}` };
  });
  if (problems.length === 0) {
    const value = doc.toJS() ?? {};
    if (validate(value)) return value;
    const issues = describeErrors(
      validate.errors ?? [],
      value,
      workerConfigSchema as unknown as Record<string, unknown>,
    );
    for (const issue of issues) {
      const { line, col } = locate(doc, lines, issue.at, issue.prefer);
      problems.push({
        file,
        line,
        col,
        field: formatPath(issue.field),
        message: issue.message,
        ...(issue.hint ? { hint: issue.hint } : {}),
      });
    }
  }
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  throw new WorkerConfigError(
    `${file}: invalid worker config:\n  ${problems.map(formatLoadError).join('\n  ')}`,
  );
}
