import treeFile from '@app/sandbox/data/kuaishou-categories.json';
import { CategorySuggester, leavesOf, SuggestLeaf } from './category-suggest';
import keywordFile from './kuaishou-leaf-keywords.json';

/**
 * Kuaishou's real category tree as of December 2020 (the project's data file, also what the emulator
 * serves). Used where no shop's tree has been read: the CLI, the bench, and the unit tests.
 */
export function bundledKuaishouLeaves(): SuggestLeaf[] {
  const rows = (treeFile as { categories: { id: number; name: string; parentId: number | null }[] }).categories;
  const known = rows.filter((row) => row.parentId !== null);
  const parents = new Set(known.map((row) => String(row.parentId)));
  return leavesOf(
    known.map((row) => ({
      id: String(row.id),
      parentId: row.parentId ? String(row.parentId) : null,
      name: row.name,
      leaf: !parents.has(String(row.id)),
    })),
  );
}

/** The everyday product words per leaf the suggester adds to the leaf names. */
export function leafKeywords(): Record<string, string[]> {
  const { _about: _ignored, ...byLeaf } = keywordFile as Record<string, string | string[]>;
  return byLeaf as Record<string, string[]>;
}

export function bundledSuggester(leaves: SuggestLeaf[] = bundledKuaishouLeaves()): CategorySuggester {
  return new CategorySuggester(leaves, leafKeywords());
}
