/** Handlebars, set up for Verilog: no HTML escaping (16'hACE1 stays as it is), missing fields are errors. */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const hb = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();
const partialDirs = new Set<string>();

/**
 * Register every `<name>.v.hbs` in `dir` as the partial `{{> name}}`. A partial is written at column 0 on a
 * line of its own, so it is inserted as it stands.
 */
export function registerPartials(dir: string): void {
  if (partialDirs.has(dir)) return;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.v.hbs')).sort()) hb.registerPartial(basename(f, '.v.hbs'), readFileSync(join(dir, f), 'utf8'));
  partialDirs.add(dir);
}

export function render(dir: string, file: string, context: object): string {
  const path = join(dir, file);
  let tpl = cache.get(path);
  if (!tpl) {
    tpl = hb.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    cache.set(path, tpl);
  }
  return tpl(context);
}
