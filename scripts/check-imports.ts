// The one import rule Biome cannot express: workflows/ may import activities/ and plugins/ for their
// types only (`import type`, `export type`), so no activity or plugin code is bundled into workflows.
// Biome's noRestrictedImports (biome.json) flags type and value imports alike, so it keeps the rules
// that ban a layer outright (core/, schemas/, plugins/); `npm run lint` runs both.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Layers workflow code may read types from but never run. */
const TYPE_ONLY_LAYERS = ['activities', 'plugins'];

/** One broken rule, as `file:line: message`. */
export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The value (non-type) imports and re-exports of type-only layers in one workflow file. */
export function checkWorkflowFile(root: string, file: string, text: string): ImportProblem[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: ImportProblem[] = [];
  for (const stmt of source.statements) {
    let spec: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(stmt)) {
      spec = stmt.moduleSpecifier;
      typeOnly = stmt.importClause?.isTypeOnly ?? false;
    } else if (ts.isExportDeclaration(stmt) && stmt.moduleSpecifier) {
      spec = stmt.moduleSpecifier;
      typeOnly = stmt.isTypeOnly;
    }
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.') || typeOnly) continue;
    const layer = relative(root, resolve(dirname(file), spec.text)).split(/[\\/]/)[0] ?? '';
    if (!TYPE_ONLY_LAYERS.includes(layer)) continue;
    problems.push({
      file: relative(root, file),
      line: source.getLineAndCharacterOfPosition(stmt.getStart()).line + 1,
      message: `workflows/ may import ${layer}/ only as types (import type …): ${spec.text}`,
    });
  }
  return problems;
}

/** Every broken rule under root's workflows/. */
export function checkImports(root: string): ImportProblem[] {
  return tsFiles(join(root, 'workflows')).flatMap((file) =>
    checkWorkflowFile(root, file, readFileSync(file, 'utf8')),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkImports(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} import(s) break the layer rules`);
    process.exitCode = 1;
  }
}
