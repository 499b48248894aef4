/**
 * The facts/items/events/accounts schema and seeded data shared by the sub-plan and semi-join
 * differential tests: facts sharded on id, items and events sharded on fact_id (co-located
 * with facts), accounts on their own key, and an empty `nothing` table; NULLs in keys and
 * values throughout.
 */
import type { Connection } from 'mysql2/promise';

export async function fillFacts(
  db: Connection,
  database: string,
  partitions: number,
  data: FactsData,
): Promise<void> {
  await db.query(`CREATE DATABASE ${database} PARTITIONS ${partitions}`);
  await db.query(`USE ${database}`);
  await db.query(
    'CREATE TABLE facts (id INT PRIMARY KEY, region VARCHAR(10), kind INT, qty INT, amount DECIMAL(10,2))',
  );
  await db.query(
    'CREATE TABLE items (fact_id INT, line INT, price DECIMAL(12,2), note VARCHAR(10), kind INT, PRIMARY KEY (fact_id, line), SHARD KEY (fact_id))',
  );
  await db.query('CREATE TABLE events (fact_id INT, kind INT, v INT, SHARD KEY (fact_id))');
  await db.query('CREATE TABLE accounts (acct_id INT PRIMARY KEY, name VARCHAR(10))');
  await db.query('CREATE TABLE nothing (fact_id INT, kind INT, SHARD KEY (fact_id))');
  await db.query('INSERT INTO facts VALUES ?', [data.facts]);
  await db.query('INSERT INTO items VALUES ?', [data.items]);
  await db.query('INSERT INTO events VALUES ?', [data.events]);
  await db.query(
    "INSERT INTO accounts VALUES (0,'a0'),(1,'a1'),(2,'a2'),(3,'a1'),(4,'a4'),(7,'a7')",
  );
}

export interface FactsData {
  readonly facts: unknown[][];
  readonly items: unknown[][];
  readonly events: unknown[][];
}

export function generateFacts(): FactsData {
  let seed = 23;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const facts = Array.from({ length: 100 }, (_, id) => [
    id,
    pick(['x', 'y', 'z', null]),
    next() < 0.1 ? null : Math.floor(next() * 6),
    Math.floor(next() * 5),
    (Math.floor(next() * 10000) / 100).toFixed(2),
  ]);
  const items: unknown[][] = [];
  for (let factId = 0; factId < 110; factId += 1) {
    const lines = Math.floor(next() * 4);
    for (let line = 1; line <= lines; line += 1)
      items.push([
        factId,
        line,
        next() < 0.1 ? null : (Math.floor(next() * 10000) / 100).toFixed(2),
        pick(['x', 'y', 'z', null]),
        next() < 0.1 ? null : Math.floor(next() * 6),
      ]);
  }
  const events = Array.from({ length: 80 }, (_, index) => [
    next() < 0.2 ? null : Math.floor(next() * 110),
    next() < 0.2 ? null : Math.floor(next() * 8),
    index,
  ]);
  return { facts, items, events };
}
