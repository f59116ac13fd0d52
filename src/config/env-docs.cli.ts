import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_SCHEMA } from './config.schema';

/**
 * Regenerates `.env.example` and prints the README configuration table from the schema, so the
 * documentation cannot drift from what the service reads (a unit test checks both).
 */
interface Documented {
  description?: string;
  def?: { defaultValue?: unknown };
  _zod?: { def?: { defaultValue?: unknown; type?: string } };
}

function defaultOf(schema: Documented): string {
  const def = schema._zod?.def;
  if (def?.type === 'default') return String(def.defaultValue);
  return '';
}

const rows = Object.entries(ENV_SCHEMA).map(([name, schema]) => ({
  name,
  description: (schema as Documented).description ?? '',
  def: defaultOf(schema as Documented),
}));

const example = [
  '# kwaizan-sync configuration. Everything is optional: with nothing set the service runs on',
  '# embedded defaults (SQLite file under data/, in-process events, sandbox platforms).',
  '',
  ...rows.flatMap((r) => [`# ${r.description}`, `# ${r.name}=${r.def}`, '']),
].join('\n');
writeFileSync(join(__dirname, '..', '..', '..', '.env.example'), example);

const table = [
  '| Variable | Default | Meaning |',
  '|---|---|---|',
  ...rows.map((r) => `| \`${r.name}\` | ${r.def ? `\`${r.def}\`` : '—'} | ${r.description.replace(/\|/g, '\\|')} |`),
].join('\n');
const readmePath = join(__dirname, '..', '..', '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(
  /<!-- env:start -->[\s\S]*<!-- env:end -->/,
  `<!-- env:start -->\n${table}\n<!-- env:end -->`,
);
writeFileSync(readmePath, updated);
console.log(updated === readme ? 'README configuration table unchanged' : 'README configuration table updated');
