import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/** Splits Chinese text into words (no spaces in Chinese, so this is a dictionary-and-HMM guess). */
export type Segmenter = (text: string) => string[];

let shared: Jieba | undefined;

/**
 * Word segmentation by jieba (the `@node-rs/jieba` binding, with the dictionary it ships), in search
 * mode: long words are also given as their shorter dictionary words (针织衫 → 针织, 针织衫), so a
 * title word matches a leaf word of either length. Loaded once, on first use.
 */
export function jiebaSegmenter(): Segmenter {
  return (text) => {
    shared ??= Jieba.withDict(dict);
    return shared.cutForSearch(text, true).filter((word) => word.trim().length > 0);
  };
}
