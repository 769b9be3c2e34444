// Type-checked (tsc --strict --noEmit) against the generated pkg/paperbloom.d.ts by
// tests/e2e/embed.test.mjs: the API's declared types are what a TypeScript user relies on.
import init, { search, query, paper, paperCount, stats, mount, version } from 'paperbloom';
import type { SearchResult, QueryResponse, QueryOptions, Paper, Stats, Facets, Range } from 'paperbloom';

export async function use(host: HTMLElement): Promise<string> {
  await init();
  const results: SearchResult[] = search('hyperbolic graph', 5);
  const first: SearchResult | undefined = results[0];
  const marks: Range[] = first ? first.titleHighlights : [];
  const options: QueryOptions = { limit: 20, offset: 20, sort: 'newest', year: 2024, hasCode: true };
  const r: QueryResponse = query('learning', options);
  const byLimit: QueryResponse = query('learning', 5);
  const facets: Facets = r.facets;
  const years: number[] = facets.years.map((y) => y.year + y.count);
  const p: Paper | null = paper(first?.id ?? '');
  const s: Stats = stats();
  const n: number = paperCount();
  mount(host, { limit: 10, urlState: false, detail: false, theme: 'dark' });
  mount('#search', {});
  const suggestion: string | null = r.suggestion;
  const about: boolean = byLimit.totalEstimated;
  return [version(), marks.length, byLimit.total, about, years.length, p?.abstract ?? '', s.papers, n, suggestion ?? ''].join();
}
