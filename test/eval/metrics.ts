/** Ranking metrics of the retrieval evaluation. */

/** Graded relevance of offer ids for one question: 2 what was asked, 1 acceptable. */
export type Judgments = Record<string, number>;

/**
 * Share of the relevant offers found in the top `k`. With more relevant offers than `k`, the
 * denominator is `k`: a perfect top `k` scores 1.
 */
export function recallAt(ranked: string[], relevant: Judgments, k: number): number {
  const total = Object.keys(relevant).length;
  const found = ranked.slice(0, k).filter((id) => (relevant[id] ?? 0) > 0).length;
  return found / Math.min(total, k);
}

/** Normalised discounted cumulative gain at `k`, gains 2^grade − 1. */
export function ndcgAt(ranked: string[], relevant: Judgments, k: number): number {
  const dcg = (grades: number[]): number => grades.slice(0, k).reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(Object.values(relevant).sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((id) => relevant[id] ?? 0)) / ideal;
}

/** Reciprocal rank of the first relevant offer (0 when none is ranked). */
export function reciprocalRank(ranked: string[], relevant: Judgments): number {
  const i = ranked.findIndex((id) => (relevant[id] ?? 0) > 0);
  return i === -1 ? 0 : 1 / (i + 1);
}
