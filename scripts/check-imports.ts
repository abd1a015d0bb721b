// The import rules Biome cannot express. (1) workflows/ may import activities/ and plugins/ for their
// types only (`import type`, `export type`), so no activity or plugin code is bundled into workflows:
// Biome's noRestrictedImports (biome.json) flags type and value imports alike, so it keeps the rules
// that ban a layer outright (core/, schemas/, plugins/). (2) No product file (what the build compiles,
// and bin/) imports test/ or bench/ in any form, dynamic import() and require() included: Biome's
// per-folder overrides covered only core/ and workflows/, which is how cli/demo once imported
// test/fixtures and broke the image build. `npm run lint` runs both.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Layers workflow code may read types from but never run. */
const TYPE_ONLY_LAYERS = ['activities', 'plugins'];
/** The product's folders: tsconfig.build.json's include, plus bin/ (the published entry point). */
export const PRODUCT_FOLDERS = [
  'core',
  'workflows',
  'activities',
  'plugins',
  'schemas',
  'worker',
  'cli',
  'scripts',
  'bin',
];
/** Folders the product never imports from: neither the build nor the package carries them. */
const NOT_PRODUCT = ['test', 'bench'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** One broken rule, as `file:line: message`. */
export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return SOURCE.test(e.name) ? [path] : [];
  });
}

/** Every module specifier of a file: imports, re-exports, import(), require() and import-equals. */
function specifiers(source: ts.SourceFile): ts.StringLiteralLike[] {
  const found: ts.StringLiteralLike[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteralLike(node.moduleSpecifier)) found.push(node.moduleSpecifier);
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments;
      const callee = node.expression;
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      if (loads && arg && ts.isStringLiteralLike(arg)) found.push(arg);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteralLike(node.expression)) {
      found.push(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The imports of one product file that reach into test/ or bench/. */
export function checkProductFile(root: string, file: string, text: string): ImportProblem[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return specifiers(source).flatMap((spec) => {
    if (!spec.text.startsWith('.')) return [];
    const folder = relative(root, resolve(dirname(file), spec.text)).split(/[\\/]/)[0] ?? '';
    if (!NOT_PRODUCT.includes(folder)) return [];
    return [
      {
        file: relative(root, file),
        line: source.getLineAndCharacterOfPosition(spec.getStart()).line + 1,
        message: `product code never imports ${folder}/ (move what it needs into the product, e.g. scripts/stack/simulators/): ${spec.text}`,
      },
    ];
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

/** Every broken rule under root: workflow type-only imports, and product imports of test/ or bench/. */
export function checkImports(root: string): ImportProblem[] {
  const workflows = sourceFiles(join(root, 'workflows')).flatMap((file) =>
    checkWorkflowFile(root, file, readFileSync(file, 'utf8')),
  );
  const product = PRODUCT_FOLDERS.flatMap((folder) => sourceFiles(join(root, folder))).flatMap((file) =>
    checkProductFile(root, file, readFileSync(file, 'utf8')),
  );
  return [...workflows, ...product];
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
