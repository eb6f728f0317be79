/** The statistics the metrics engine finishes in TypeScript (DESIGN "Metric definitions"). */
export * from './bh.ts';
export * from './control-chart.ts';
export * from './distributions.ts';
export * from './funnel.ts';
export * from './kaplan-meier.ts';
export * from './kruskal-wallis.ts';
export * from './quantile.ts';
export * from './rank-sum.ts';
export * from './rate-tests.ts';
export * from './summary.ts';
