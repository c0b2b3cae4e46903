/** Locations inside the installed package, the same whether running from generator/ (tests) or dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bsnn: cannot find the package root');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const SIM_DIR = join(PACKAGE_ROOT, 'sim');

/** The version in package.json: it goes into every generated file's header and the manifest. */
export function bsnnVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
