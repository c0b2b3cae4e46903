/** Handlebars, set up for Verilog: no HTML escaping (16'hACE1 stays as it is), missing fields are errors. */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, HandlebarsTemplateDelegate>();

export function render(dir: string, file: string, context: object): string {
  const path = join(dir, file);
  let tpl = cache.get(path);
  if (!tpl) {
    tpl = Handlebars.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    cache.set(path, tpl);
  }
  return tpl(context);
}
