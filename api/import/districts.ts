/**
 * The optional `districts` file (issue 14, DESIGN data contract): population, area, the year of the count and its
 * source, per district, merged by district in the load's transaction. The file updates the districts it names;
 * a column it lacks, or an empty cell, keeps what is stored (a later file without populations never erases them).
 * Its `name` becomes the district's Persian name; the English name (another city's label) stays.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { districtExpr, type FileCounts, mergeKind } from './merge.ts';

export async function mergeDistricts(c: DuckDBConnection, tehran: boolean): Promise<FileCounts> {
  const [{ n }] = (
    await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM s_districts')
  ).getRowObjectsJson() as { n: number }[];
  if (n === 0) return new Map();
  // Tehran's 22 exist already; another city's labels get ids here as in offices files
  const district = await districtExpr(c, tehran, 's_districts');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE r_districts AS
     SELECT s.file_idx, s.line, d.district, coalesce(s.name, d.name_fa) AS name_fa, d.name_en,
       coalesce(s.population, d.population) AS population, coalesce(s.area_km2, d.area_km2) AS area_km2,
       coalesce(s.population_year, d.population_year) AS population_year, coalesce(s.source, d.source) AS source
     FROM (SELECT *, ${district} AS did FROM s_districts) s JOIN districts d ON d.district = s.did`,
  );
  return mergeKind(c, 'districts');
}
