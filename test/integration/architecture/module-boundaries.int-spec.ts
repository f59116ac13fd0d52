import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { GLOBAL_MODULE_METADATA, MODULE_METADATA } from '@nestjs/common/constants';
import { AppModule } from '@app/app.module';
import { testConfig } from '@test/support/test-config';

const ROOT = join(__dirname, '../../..');

/** Truly cross-cutting: every context may use them without importing their module. */
const ALLOWED_GLOBAL = ['ConfigModule', 'CommonModule', 'DatabaseModule', 'MessagingModule', 'MetricsModule'];

interface CruisedModule {
  source: string;
  dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean }[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** A context is the folder of a Nest module (`src/ops` holds four: ops, failures, health, metrics). */
function contextOf(file: string, moduleFolders: string[]): string | undefined {
  return moduleFolders.filter((folder) => file.startsWith(`${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

/** Context → context import edges, each with one file edge as the example. */
function contextEdges(): Map<string, Map<string, string>> {
  const files = sourceFiles(join(ROOT, 'src')).map((f) => relative(ROOT, f));
  const moduleFolders = files
    .filter((f) => f.endsWith('.module.ts') && f.split('/').length > 2)
    .map((f) => f.slice(0, f.lastIndexOf('/')));
  // dependency-cruiser (an ES module) runs as its CLI; type-only imports count as dependencies too.
  const output = execFileSync(
    join(ROOT, 'node_modules/.bin/depcruise'),
    [
      'src',
      '--no-config',
      '--ts-config',
      'tsconfig.json',
      '--ts-pre-compilation-deps',
      '--do-not-follow',
      'node_modules',
      '--exclude',
      '\\.spec\\.ts$',
      '--output-type',
      'json',
    ],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
  );
  const edges = new Map<string, Map<string, string>>();
  for (const mod of (JSON.parse(output) as { modules: CruisedModule[] }).modules) {
    // Entry points (app module, bootstrap, CLIs) wire the contexts together and belong to none.
    if (/\.cli\.ts$|\.main\.ts$/.test(mod.source)) continue;
    const from = contextOf(mod.source, moduleFolders);
    if (!from) continue;
    for (const dep of mod.dependencies) {
      const to = contextOf(dep.resolved, moduleFolders);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${mod.source} -> ${dep.resolved}`);
    }
  }
  return edges;
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The shortest cycle through the first member of a strongly connected component, as its edges. */
function shortestCycle(edges: Map<string, Map<string, string>>, component: string[]): [string, string][] {
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const to of edges.get(node)?.keys() ?? []) {
      if (!component.includes(to) || previous.has(to)) continue;
      previous.set(to, node);
      if (to === start) {
        const path: [string, string][] = [];
        for (let at = start; path.length === 0 || at !== start; at = previous.get(at)!)
          path.unshift([previous.get(at)!, at]);
        return path;
      }
      queue.push(to);
    }
  }
  return [];
}

type ModuleImport = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

/** Every Nest module reachable from the app module, with the modules it imports. */
function moduleGraph(): { modules: Map<Type, Type[]>; forwardRefs: string[] } {
  const modules = new Map<Type, Type[]>();
  const forwardRefs: string[] = [];
  const walk = (entry: ModuleImport, from: string): void => {
    if ('forwardRef' in entry) {
      forwardRefs.push(`${from} -> ${entry.forwardRef().name}`);
      return;
    }
    if (entry instanceof Promise) throw new Error(`${from} imports an async module: not checked`);
    const dynamic = 'module' in entry ? entry : undefined;
    const type = dynamic ? dynamic.module : (entry as Type);
    const imports = [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleImport[] | undefined) ?? []),
      ...((dynamic?.imports as ModuleImport[] | undefined) ?? []),
    ];
    const known = modules.get(type);
    const targets = imports
      .filter((i) => !('forwardRef' in i) && !(i instanceof Promise))
      .map((i) => ('module' in i ? i.module : (i as Type)));
    modules.set(type, [...new Set([...(known ?? []), ...targets])]);
    if (known && !dynamic) return;
    for (const i of imports) walk(i, type.name);
  };
  walk(AppModule.forRoot(testConfig(), { schedule: true }), 'AppModule');
  return { modules, forwardRefs };
}

/** `Module -> Export` for each module that exports a repository: a context exports services, never its tables. */
function repositoryExports(modules: Iterable<Type>): string[] {
  return [...modules].flatMap((m) =>
    ((Reflect.getMetadata(MODULE_METADATA.EXPORTS, m) as unknown[] | undefined) ?? [])
      .map((e) => (e && typeof e === 'object' && 'provide' in e ? (e as { provide: unknown }).provide : e))
      .filter((e): e is Type => typeof e === 'function' && /Repository$/.test(e.name))
      .map((e) => `${m.name} -> ${e.name}`),
  );
}

/** TypeORM calls that name an entity (`getRepository(X)`, `manager.delete(X, …)`, `.from(X, …)`…). */
const ENTITY_USE =
  /\b(?:getRepository|createQueryBuilder|insert|update|upsert|delete|save|remove|into|from|find\w*|count|exists)\(\s*(\w+Entity)\b/g;

/**
 * `file: Entity (context)` for each entity of another context that a source file reads or writes through TypeORM:
 * a context reaches another's tables only through that context's services.
 */
function foreignTableUses(file: string, source: string, moduleFolders: string[]): string[] {
  const own = contextOf(file, moduleFolders);
  const uses = new Set([...source.matchAll(ENTITY_USE)].map((m) => m[1]));
  return [...uses].flatMap((entity) => {
    const from = new RegExp(`import (?:type )?\\{[^}]*\\b${entity}\\b[^}]*\\} from '([^']+)'`).exec(source)?.[1];
    if (!from) return [];
    const target = from.startsWith('@app/') ? `src/${from.slice(5)}` : join(file, '..', from);
    const owner = contextOf(target, moduleFolders);
    return owner && owner !== own ? [`${file}: ${entity} (${owner})`] : [];
  });
}

describe('module boundaries', () => {
  it('the contexts under src/ import each other without a cycle', () => {
    const edges = contextEdges();
    expect(edges.size).toBeGreaterThan(5);
    // One shortest cycle per tangle, each step with a file import that makes it.
    const report = cycles(edges).map((component) =>
      shortestCycle(edges, component).map(([from, to]) => edges.get(from)!.get(to)!),
    );
    expect(report).toEqual([]);
  });

  it('only the cross-cutting modules are global', async () => {
    const { modules } = moduleGraph();
    const files = sourceFiles(join(ROOT, 'src')).filter((f) => f.endsWith('.module.ts'));
    const ours = new Set(
      (await Promise.all(files.map((f) => import(f) as Promise<Record<string, unknown>>))).flatMap((exports) =>
        Object.values(exports),
      ),
    );
    const global = [...modules.keys()]
      .filter((m) => ours.has(m) && Reflect.getMetadata(GLOBAL_MODULE_METADATA, m))
      .map((m) => m.name);
    expect(global.filter((name) => !ALLOWED_GLOBAL.includes(name))).toEqual([]);
    expect(global.sort()).toEqual([...ALLOWED_GLOBAL].sort());
  });

  it('no module exports a repository (contexts export services)', () => {
    class SomethingRepository {}
    @Module({ providers: [SomethingRepository], exports: [SomethingRepository] })
    class LeakyModule {}
    // The check itself: a module exporting a repository, as a class or as a provider, is caught.
    expect(repositoryExports([LeakyModule])).toEqual(['LeakyModule -> SomethingRepository']);
    @Module({ providers: [SomethingRepository], exports: [{ provide: SomethingRepository, useValue: {} }] })
    class LeakyProviderModule {}
    expect(repositoryExports([LeakyProviderModule])).toEqual(['LeakyProviderModule -> SomethingRepository']);

    const { modules } = moduleGraph();
    expect(modules.size).toBeGreaterThan(10);
    expect(repositoryExports(modules.keys())).toEqual([]);
  });

  it("no context reads or writes another context's tables", () => {
    const files = sourceFiles(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const moduleFolders = files
      .filter((f) => f.endsWith('.module.ts') && f.split('/').length > 2)
      .map((f) => f.slice(0, f.lastIndexOf('/')));
    expect(moduleFolders).toEqual(expect.arrayContaining(['src/inventory', 'src/webhooks/deliveries']));
    // The check itself: a purge in ops deleting webhooks' rows is caught, by relative or alias import.
    const leaky = [
      "import { WebhookDeliveryEntity } from '@app/webhooks/deliveries/webhook-delivery.entity';",
      "import { SkuBindingEntity } from '../../catalog/sku-binding.entity';",
      'await this.db.manager.getRepository(WebhookDeliveryEntity).delete({ receivedAt: LessThan(cutoff) });',
      'await m.delete(SkuBindingEntity, { id });',
    ].join('\n');
    expect(foreignTableUses('src/ops/retention/retention.job.ts', leaky, moduleFolders)).toEqual([
      'src/ops/retention/retention.job.ts: WebhookDeliveryEntity (src/webhooks/deliveries)',
      'src/ops/retention/retention.job.ts: SkuBindingEntity (src/catalog)',
    ]);

    const report = files.flatMap((f) => foreignTableUses(f, readFileSync(join(ROOT, f), 'utf8'), moduleFolders));
    expect(report).toEqual([]);
  });

  it('no module imports another through forwardRef, and the module graph has no cycle', () => {
    const { modules, forwardRefs } = moduleGraph();
    expect(forwardRefs).toEqual([]);
    const edges = new Map(
      [...modules].map(([from, to]) => [from.name, new Map(to.map((t) => [t.name, `${from.name} -> ${t.name}`]))]),
    );
    expect(cycles(edges)).toEqual([]);
  });
});
