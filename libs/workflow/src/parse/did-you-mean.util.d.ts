/**
 * "Did you mean" hints for misspelled keys, step ids and model aliases. A hint is only given
 * when it is likely right: a wrong hint is worse than none, so the distance allowed grows
 * slowly with the length of the word.
 */
export declare function suggestClosest(word: string, candidates: readonly string[]): string | null;
/** ` (did you mean 'x'?)` or an empty string, ready to append to a message. */
export declare function didYouMean(word: string, candidates: readonly string[]): string;
/** Levenshtein distance with adjacent transpositions counted as one edit ("on_faliure"). */
export declare function editDistance(a: string, b: string): number;
