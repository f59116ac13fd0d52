/**
 * Ranks Kuaishou leaf categories for one item from its title, description and Youzan category.
 * Pure and synchronous: no I/O, so the API, the CLI and the bench share it.
 *
 * Chinese has no spaces, so matching works on words and characters: a leaf's name parts ("唇彩/唇蜜/唇釉"
 * gives three) found whole in the text count most; then the words jieba segments out of the title
 * that are words of a leaf name (男士 in 男士洗面奶 points at 男士洁面 rather than 洁面), and the
 * character bigrams and single characters shared with the leaf name and its full path, all weighted
 * by how rare they are among the leaves (IDF). A Youzan category narrows the field through a table of
 * the Kuaishou branches it usually belongs to.
 */
import { jiebaSegmenter, Segmenter } from './chinese-segmenter';

export interface SuggestLeaf {
  id: string;
  name: string;
  /** Names from the root down to and including the leaf. */
  path: string[];
  /** Whether the shop may list in it; closed leaves are never suggested. */
  open?: boolean;
}

export interface SuggestInput {
  title: string;
  description?: string;
  /** Youzan category name (女人, 食品, 宠物 …) or v3 cid. */
  youzanCategory?: string;
}

export interface CategorySuggestion {
  categoryId: string;
  path: string[];
  /** 0–1: the share of the evidence that points here, damped when the evidence is thin. */
  confidence: number;
}

/** Youzan v3 categories by cid (26 real ones; two are named 其他) and the Kuaishou branches their items usually sit under. */
export const YOUZAN_BRANCH_HINTS: Record<string, { name: string; branches: string[] }> = {
  '1000000': { name: '女人', branches: ['女装', '女鞋', '女包', '内衣/家居服/袜子', '配饰', '珠宝/钟表'] },
  '2000000': { name: '男人', branches: ['男装', '男鞋', '男包', '内衣/家居服/袜子', '男士面部护肤', '钟表'] },
  '3000000': { name: '食品', branches: ['食品'] },
  '4000000': { name: '美妆', branches: ['美妆/个护清洁'] },
  '5000000': { name: '亲子', branches: ['孕婴/乐器/玩具', '儿童鞋服', '儿童背包', '儿童配件', '儿童家具'] },
  '6000000': { name: '居家', branches: ['家居生活', '家用电器'] },
  '7000000': { name: '数码家电', branches: ['手机/数码/电脑办公', '家用电器'] },
  '8000000': { name: '其他', branches: [] },
  '8000001': { name: '礼品鲜花', branches: ['鲜花绿植', '手工艺品/民俗'] },
  '8000002': { name: '餐饮外卖', branches: ['食品', '代金卡/券'] },
  '8000003': { name: '丽人健身', branches: ['健康美容服务', '体育服务', '运动用品'] },
  '8000004': { name: '休闲娱乐', branches: ['休闲服务', '演出票务'] },
  '8000005': { name: '酒店客栈', branches: ['出行服务'] },
  '8000006': { name: '婚庆摄影', branches: ['摄影/婚庆服务', '婚纱'] },
  '8000007': { name: '汽车养护', branches: ['汽车用品', '汽车服务'] },
  '8000008': { name: '家政服务', branches: ['家政保洁', '清洗服务', '安装维修'] },
  '8000009': { name: '门票卡券', branches: ['虚拟卡/会员/游戏', '演出票务', '出行服务'] },
  '8000010': { name: '家装建材', branches: ['家装建材', '家具'] },
  '8000011': { name: '钟表眼镜', branches: ['钟表', '功能眼镜/隐形眼镜'] },
  '8000012': { name: '宠物', branches: ['宠物生活'] },
  '8000013': { name: '文化收藏', branches: ['趣味玩物', '图书文娱'] },
  '8000014': { name: '日用百货', branches: ['家居生活'] },
  '8000015': { name: '教育培训', branches: ['培训教育', '图书'] },
  '8000016': { name: '媒体服务', branches: ['商业服务'] },
  '8000018': { name: '充值缴费', branches: ['运营商业务', '生活缴费', '电话卡/上网卡'] },
  '8000017': { name: '其他', branches: [] },
};

/** Words in leaf names that say nothing about the item. */
const FILLER = /其它|其他|用品|配件|产品|套装|组合|礼盒/g;
/** Listing boilerplate that says nothing about the category. */
const NOISE = /包邮|正品|新款|现货|特价|官方|旗舰店|专柜|代购|秒杀|爆款|同款|热卖|直播|福利|款式|20\d\d|[0-9]+/g;

const W_WHOLE_NAME = 6;
/**
 * Chosen on the main labelled set only (0.2–0.4 gain one names-only item and lose none; 0.5 and more
 * lose shipped ones); the held-out set was not used to choose it.
 */
const W_NAME_WORD = 0.4;
const W_NAME_BIGRAM = 2;
const W_PATH_BIGRAM = 0.8;
const W_NAME_CHAR = 0.35;
const W_DESC = 0.3;
const BRANCH_BOOST = 1.6;

interface IndexedLeaf {
  leaf: SuggestLeaf;
  terms: string[];
  nameWords: Set<string>;
  nameGrams: Set<string>;
  nameChars: Set<string>;
  pathGrams: Set<string>;
  branchNames: Set<string>;
}

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOISE, ' ')
    .replace(/[\s【】[\]()（）《》<>「」"'“”‘’,，.。!！?？:：;；、~～\-_+*#@&|\\/]+/g, ' ')
    .trim();
}

export function bigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const chunk of text.split(' ')) {
    const chars = [...chunk];
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  }
  return grams;
}

function chars(text: string): Set<string> {
  return new Set([...text.replace(/ /g, '')]);
}

/** "唇彩/唇蜜/唇釉" → ["唇彩","唇蜜","唇釉"]; "Polo衫" → ["polo衫"]; filler words dropped, two chars at least. */
export function nameTerms(name: string): string[] {
  const terms = new Set<string>();
  for (const part of name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[/、()（）]/)) {
    const whole = part.trim();
    if ([...whole].length >= 2) terms.add(whole);
    const stripped = whole.replace(FILLER, '').trim();
    if ([...stripped].length >= 2) terms.add(stripped);
  }
  return [...terms];
}

export class CategorySuggester {
  private readonly leaves: IndexedLeaf[];
  private readonly idf = new Map<string, number>();

  private readonly segment: Segmenter | null;

  /**
   * `keywords`: extra everyday words per leaf id (see kuaishou-leaf-keywords.json). `segmenter`:
   * jieba by default; `null` ranks on character n-grams alone.
   */
  constructor(
    leaves: SuggestLeaf[],
    keywords: Record<string, string[]> = {},
    options: { segmenter?: Segmenter | null } = {},
  ) {
    this.segment = options.segmenter === undefined ? jiebaSegmenter() : options.segmenter;
    const words = (text: string) => this.words(text);
    this.leaves = leaves
      .filter((leaf) => leaf.open !== false)
      .map((leaf) => {
        const name = leaf.name.toLowerCase();
        const path = leaf.path.map((p) => p.toLowerCase());
        return {
          leaf,
          terms: [...new Set([...nameTerms(leaf.name), ...(keywords[leaf.id] ?? []).map((k) => k.toLowerCase())])],
          nameWords: new Set(nameTerms(leaf.name).flatMap(words)),
          nameGrams: bigrams(name.replace(/\//g, ' ')),
          nameChars: chars(name.replace(/[/]/g, '').replace(FILLER, '')),
          pathGrams: bigrams(path.slice(0, -1).join(' ').replace(/\//g, ' ')),
          branchNames: new Set(leaf.path.slice(0, -1)),
        };
      });
    const df = new Map<string, number>();
    for (const indexed of this.leaves) {
      const features = [...indexed.nameGrams, ...indexed.pathGrams, ...indexed.nameChars, ...wordKeys(indexed)];
      for (const feature of new Set(features)) {
        df.set(feature, (df.get(feature) ?? 0) + 1);
      }
    }
    const n = Math.max(1, this.leaves.length);
    for (const [feature, count] of df) this.idf.set(feature, Math.log(1 + n / count));
  }

  get size(): number {
    return this.leaves.length;
  }

  suggest(input: SuggestInput, limit = 5): CategorySuggestion[] {
    const title = normalizeText(input.title);
    const description = normalizeText(input.description ?? '');
    const titleGrams = bigrams(title);
    const titleChars = chars(title);
    const descGrams = bigrams(description);
    const titleWords = new Set(this.words(title));
    const descWords = new Set(this.words(description));

    const branches = this.branchesFor(input.youzanCategory);

    const scored: { indexed: IndexedLeaf; score: number }[] = [];
    for (const indexed of this.leaves) {
      let score = 0;
      for (const term of indexed.terms) {
        if (title.includes(term)) score += W_WHOLE_NAME * Math.pow([...term].length, 1.2);
        else if (description.includes(term)) score += W_WHOLE_NAME * W_DESC * [...term].length;
      }
      for (const word of indexed.nameWords) {
        if (titleWords.has(word)) score += W_NAME_WORD * [...word].length * this.weight(`w:${word}`);
        else if (descWords.has(word)) score += W_NAME_WORD * W_DESC * [...word].length * this.weight(`w:${word}`);
      }
      for (const gram of indexed.nameGrams) {
        if (titleGrams.has(gram)) score += W_NAME_BIGRAM * this.weight(gram);
        else if (descGrams.has(gram)) score += W_NAME_BIGRAM * W_DESC * this.weight(gram);
      }
      for (const gram of indexed.pathGrams) if (titleGrams.has(gram)) score += W_PATH_BIGRAM * this.weight(gram);
      for (const ch of indexed.nameChars) if (titleChars.has(ch)) score += W_NAME_CHAR * this.weight(ch);
      if (score <= 0) continue;
      if (branches && [...indexed.branchNames].some((b) => branches.has(b))) score *= BRANCH_BOOST;
      scored.push({ indexed, score });
    }
    scored.sort((a, b) => b.score - a.score || a.indexed.leaf.id.localeCompare(b.indexed.leaf.id));
    const top = scored.slice(0, Math.max(1, limit));
    const total = top.reduce((sum, s) => sum + s.score, 0);
    // Thin evidence (a couple of shared characters) should not look certain even when it is the only match.
    const damping = top.length ? 1 - Math.exp(-top[0].score / 20) : 0;
    return top.map(({ indexed, score }) => ({
      categoryId: indexed.leaf.id,
      path: indexed.leaf.path,
      confidence: Math.round((score / total) * damping * 1000) / 1000,
    }));
  }

  /** Words of two characters or more (single characters are matched on their own above). */
  private words(text: string): string[] {
    if (!this.segment || !text) return [];
    return this.segment(text).filter((w) => [...w].length >= 2 && !/^[\s\d]+$/.test(w));
  }

  private weight(feature: string): number {
    return this.idf.get(feature) ?? 0;
  }

  private branchesFor(youzanCategory: string | undefined): Set<string> | undefined {
    const key = youzanCategory?.trim();
    if (!key) return undefined;
    const hint = YOUZAN_BRANCH_HINTS[key] ?? Object.values(YOUZAN_BRANCH_HINTS).find((h) => h.name === key);
    return hint && hint.branches.length ? new Set(hint.branches) : undefined;
  }
}

/** Leaf words are counted apart from character features of the same spelling (a word is rarer evidence). */
function wordKeys(indexed: IndexedLeaf): string[] {
  return [...indexed.nameWords].map((w) => `w:${w}`);
}

/** Leaves (with full paths) of a flat category list, as the catalog port returns it. */
export function leavesOf(
  categories: { id: string; parentId: string | null; name: string; leaf: boolean; open?: boolean }[],
): SuggestLeaf[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  return categories
    .filter((c) => c.leaf)
    .map((c) => {
      const path: string[] = [];
      const seen = new Set<string>();
      for (let node: typeof c | undefined = c; node && !seen.has(node.id); node = byId.get(node.parentId ?? '')) {
        seen.add(node.id);
        path.unshift(node.name);
      }
      return { id: c.id, name: c.name, path, open: c.open };
    });
}
