import treeFile from '../../sandbox/data/kuaishou-categories.json';
import { leavesOf, SuggestLeaf } from './category-suggest';

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
