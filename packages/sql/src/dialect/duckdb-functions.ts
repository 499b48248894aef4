/**
 * MySQL functions DuckDB lacks and SQL cannot spell well enough, registered as scalar functions
 * written in TypeScript (`shared-functions.ts`, the same code SQLite calls): every DuckDB instance that runs
 * translated SQL (leaf engines, the merge engine) must call `registerDuckFunctions` once.
 * DuckDB calls them on the JavaScript thread a chunk of rows at a time.
 */
import {
  DuckDBScalarFunction,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBVector,
} from '@duckdb/node-api';
import { sharedFunctions, type SharedFunction } from './shared-functions.js';

type Row = SharedFunction['run'];

function scalar(name: string, returns: 'text' | 'integer', row: Row): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: returns === 'text' ? VARCHAR : INTEGER,
    varArgsType: VARCHAR,
    // NULL arguments reach the function, which decides (a NULL JSON value is 'null').
    specialHandling: true,
    mainFunction: (info, input: DuckDBDataChunk, output: DuckDBVector) => {
      try {
        const columns = Array.from({ length: input.columnCount }, (_, i) =>
          input.getColumnVector(i),
        );
        for (let r = 0; r < input.rowCount; r++) {
          const args = columns.map((column) => {
            const value = column.getItem(r);
            return value === null ? null : String(value);
          });
          output.setItem(r, row(args));
        }
        output.flush();
      } catch (error) {
        info.setError(error instanceof Error ? error.message : String(error));
      }
    },
  });
}

export function registerDuckFunctions(connection: DuckDBConnection): void {
  for (const fn of sharedFunctions)
    connection.registerScalarFunction(scalar(fn.engine, fn.returns, fn.run));
}
