// Validation of rendered objects against the Kubernetes schemas of the kubernetes-models package:
// its runtime validators (types, required fields, formats) and, because those let unknown fields
// through, a type-check of every object as an object literal of the package's interface
// (TypeScript's excess-property check rejects a misspelt field at any depth).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { root, type K8sObject } from './render.ts';

const loadModule = createRequire(__filename);

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** kubernetes-models/<apiVersion> exports a class per kind; undefined when it has none. */
export function modelFor(object: K8sObject): ModelClass | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(object.apiVersion)) return undefined;
  try {
    const module = loadModule(`kubernetes-models/${object.apiVersion}`) as Record<string, unknown>;
    const model = module[object.kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Runtime validation; the error text or undefined. */
export function validateModel(object: K8sObject): string | undefined {
  const Model = modelFor(object);
  if (!Model) return `no kubernetes-models class for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Type-checks the objects in one program (one program for many objects is much faster than one
 * each); returns the index of the object and the message per problem.
 */
export function typeCheckIndexed(objects: K8sObject[]): { index: number; message: string }[] {
  const dir = join(root as string, 'node_modules', '.cache', 'chart-tests');
  mkdirSync(dir, { recursive: true });
  // .cts: CommonJS resolution, which finds the package's folder-style subpaths (apps/v1/index.d.ts).
  const file = join(dir, `objects-${process.pid}-${Date.now()}.cts`);
  const modules = new Map<string, string>();
  for (const object of objects) {
    if (!modules.has(object.apiVersion)) modules.set(object.apiVersion, `m${modules.size}`);
  }
  let text = [...modules]
    .map(([api, alias]) => `import type * as ${alias} from 'kubernetes-models/${api}';\n`)
    .join('');
  let line = modules.size;
  const owners: { from: number; index: number }[] = [];
  objects.forEach((object, i) => {
    owners.push({ from: line, index: i });
    const type = `${modules.get(object.apiVersion)}.I${object.kind}`;
    const chunk = `export const o${i}: ${type} = ${JSON.stringify(object, null, 1)};\n`;
    text += chunk;
    line += chunk.split('\n').length - 1;
  });
  writeFileSync(file, text);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  const problems: { index: number; message: string }[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    problems.push({ index: owners.findLast((entry) => entry.from <= line)?.index ?? -1, message });
  }
  rmSync(file);
  return problems;
}

/** typeCheckIndexed for one set of objects: "<kind>/<name>: message" per problem. */
export function typeCheck(objects: K8sObject[]): string[] {
  return typeCheckIndexed(objects).map(({ index, message }) => {
    const object = objects[index];
    return `${object ? `${object.kind}/${object.metadata.name}` : '?'}: ${message}`;
  });
}
