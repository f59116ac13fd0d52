import { readFileSync } from 'node:fs';
import { bundledSuggester } from './bundled-kuaishou-tree';
import { SuggestInput } from './category-suggest';

/**
 * Ranked Kuaishou leaf categories for items, offline, against the bundled real tree (Dec 2020):
 *   npm run catalog:suggest -- --title="法式碎花连衣裙" [--youzan-category=女人] [--description=…] [--limit=5]
 *   npm run catalog:suggest -- --file=items.tsv   (one title and an optional Youzan category per line, tab-separated)
 * One JSON line per item: {"title","suggestions":[{"categoryId","path","confidence"}]}.
 */
function main(): void {
  const arg = (name: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const limit = Number(arg('limit') ?? 5);
  const file = arg('file');
  const title = arg('title');
  if ((!file && !title) || !Number.isInteger(limit) || limit < 1) {
    throw new Error('usage: npm run catalog:suggest -- --title=… [--youzan-category=…] [--limit=5] | --file=items.tsv');
  }
  const suggester = bundledSuggester();
  const items: SuggestInput[] = file
    ? readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() && !line.startsWith('#'))
        .map((line) => {
          const [itemTitle, youzanCategory] = line.split('\t');
          return { title: itemTitle.trim(), youzanCategory: youzanCategory?.trim() || undefined };
        })
    : [{ title: title!, youzanCategory: arg('youzan-category'), description: arg('description') }];
  for (const item of items) {
    process.stdout.write(JSON.stringify({ title: item.title, suggestions: suggester.suggest(item, limit) }) + '\n');
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
