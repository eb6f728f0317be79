/**
 * Staging: validated rows of each kind in connection-local TEMP tables, so that the cross-row rules (duplicates,
 * references, conflicts) and the merge run as set-based SQL at any size.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kind } from './contract.ts';
import { STAGE_COLUMNS } from './rules.ts';

export { STAGE_COLUMNS } from './rules.ts';

export const stageTable = (kind: Kind) => `s_${kind}`;

export async function createStageTables(c: DuckDBConnection): Promise<void> {
  for (const [kind, cols] of Object.entries(STAGE_COLUMNS)) {
    // quoted: an events stage has a column named "at", a keyword
    const defs = cols.map(([n, t]) => `"${n}" ${t}`).join(', ');
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${stageTable(kind as Kind)} (file_idx INTEGER, line INTEGER, ${defs})`,
    );
  }
  // seq: the order of a row's problems (its rules' order; the set-based rules after them)
  await c.run(
    // record_id … ms2: what the report's sentences need (explain.ts): the row's id (case number), the other column
    // a problem involves with its raw value, and the instants involved
    `CREATE OR REPLACE TEMP TABLE s_rejects (file_idx INTEGER, line INTEGER, seq INTEGER DEFAULT 100,
       column_name VARCHAR, raw_value VARCHAR, reason VARCHAR, detail VARCHAR,
       record_id VARCHAR, col2 VARCHAR, raw2 VARCHAR, ms1 DOUBLE, ms2 DOUBLE)`,
  );
  await c.run('CREATE OR REPLACE TEMP TABLE s_files (file_idx INTEGER, name VARCHAR)');
}

export async function dropStageTables(c: DuckDBConnection): Promise<void> {
  for (const kind of Object.keys(STAGE_COLUMNS))
    await c.run(`DROP TABLE IF EXISTS ${stageTable(kind as Kind)}`);
  await c.run('DROP TABLE IF EXISTS s_rejects');
  await c.run('DROP TABLE IF EXISTS s_files');
}
