// Data for the bulk load benchmark (load.ts): a TPC-H lineitem-like table (same column types,
// primary key (l_orderkey, l_linenumber), one to seven lines per order) as tab-separated text
// in LOAD DATA's default format. Rows come from a seeded generator, so every run and every
// target loads byte-identical data.

export const LOAD_TABLE = 'lineitem';

/**
 * The table's DDL; `keyless` leaves out the primary key (the rows stay the same and unique), as
 * an analytics table without unique keys is declared. DuckDB takes the MySQL column types.
 */
export function loadTableDdl(flavor: 'exosphere' | 'mysql' | 'duckdb', keyless = false): string {
  const columns = [
    'l_orderkey BIGINT NOT NULL',
    'l_partkey INT NOT NULL',
    'l_suppkey INT NOT NULL',
    'l_linenumber INT NOT NULL',
    'l_quantity DECIMAL(15,2) NOT NULL',
    'l_extendedprice DECIMAL(15,2) NOT NULL',
    'l_discount DECIMAL(15,2) NOT NULL',
    'l_tax DECIMAL(15,2) NOT NULL',
    'l_returnflag CHAR(1) NOT NULL',
    'l_linestatus CHAR(1) NOT NULL',
    'l_shipdate DATE NOT NULL',
    'l_commitdate DATE NOT NULL',
    'l_receiptdate DATE NOT NULL',
    'l_shipinstruct CHAR(25) NOT NULL',
    'l_shipmode CHAR(10) NOT NULL',
    'l_comment VARCHAR(44) NOT NULL',
  ];
  if (!keyless) columns.push('PRIMARY KEY (l_orderkey, l_linenumber)');
  if (flavor === 'exosphere') columns.push('SHARD KEY (l_orderkey)', 'SORT KEY (l_shipdate)');
  return `CREATE TABLE ${LOAD_TABLE} (${columns.join(', ')})${flavor === 'mysql' ? ' ENGINE=InnoDB' : ''}`;
}

const INSTRUCTIONS = ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'];
const MODES = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'];
const WORDS = ['furiously', 'even', 'final', 'pending', 'ironic', 'regular', 'deposits', 'slyly'];
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(1992, 0, 1);

/** A small deterministic generator (xorshift32). */
class Random {
  constructor(private state: number) {}
  next(limit: number): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state % limit;
  }
}

function day(offset: number): string {
  return new Date(START_MS + offset * DAY_MS).toISOString().slice(0, 10);
}

/** Lines of orders `[firstOrder, firstOrder + orders)`, each order with 1–7 lines; `rows` caps the count. */
export function* lineitemLines(options: {
  firstOrder: number;
  rows: number;
  seed: number;
  batchRows: number;
  /** Also produce each row as an INSERT tuple. */
  values: boolean;
}): Generator<{ text: string; rows: number; values: string[] }> {
  const random = new Random(options.seed || 1);
  let order = options.firstOrder;
  let produced = 0;
  while (produced < options.rows) {
    const lines: string[] = [];
    const values: string[] = [];
    while (lines.length < options.batchRows && produced < options.rows) {
      const count = 1 + random.next(7);
      for (let line = 1; line <= count && produced < options.rows; line++) {
        const quantity = 1 + random.next(50);
        const price = (quantity * (900 + random.next(100000))) / 100;
        const ship = random.next(2500);
        const fields = [
          String(order),
          String(1 + random.next(200000)),
          String(1 + random.next(10000)),
          String(line),
          `${quantity}.00`,
          price.toFixed(2),
          `0.0${random.next(10)}`,
          `0.0${random.next(9)}`,
          'ANR'[random.next(3)] as string,
          'OF'[random.next(2)] as string,
          day(ship),
          day(ship + random.next(60) - 30),
          day(ship + 1 + random.next(30)),
          INSTRUCTIONS[random.next(4)] as string,
          MODES[random.next(7)] as string,
          `${WORDS[random.next(8)] as string} ${WORDS[random.next(8)] as string} ${WORDS[random.next(8)] as string}`,
        ];
        lines.push(fields.join('\t'));
        if (options.values)
          values.push(
            `(${fields.map((field, index) => (index < 4 ? field : `'${field}'`)).join(',')})`,
          );
        produced += 1;
      }
      order += 1;
    }
    yield { text: lines.join('\n') + '\n', rows: lines.length, values };
  }
}

/**
 * Endless batches of `batchRows` lines with fresh order keys, made cheaply for a paced ingest:
 * `poolBatches` batches are generated once, then repeated with every order key shifted past
 * the keys used so far. Generating a line costs ~3 µs of CPU (a third of a core at 100,000
 * rows/s, taken from the server under test on a shared machine); a shifted copy ~0.1 µs.
 */
export function freshKeyBatches(options: {
  firstOrder: number;
  seed: number;
  batchRows: number;
  poolBatches: number;
}): Iterator<{ text: string; rows: number }> {
  const pool: { keys: number[]; tails: string[] }[] = [];
  let lastKey = options.firstOrder;
  for (const batch of lineitemLines({
    ...options,
    rows: options.batchRows * options.poolBatches,
    values: false,
  })) {
    const keys: number[] = [];
    const tails: string[] = [];
    for (const line of batch.text.slice(0, -1).split('\n')) {
      const tab = line.indexOf('\t');
      keys.push(Number(line.slice(0, tab)));
      tails.push(line.slice(tab));
    }
    lastKey = Math.max(lastKey, ...keys);
    pool.push({ keys, tails });
  }
  const span = lastKey - options.firstOrder + 1;
  return (function* () {
    for (let shift = 0; ; shift += span) {
      for (const { keys, tails } of pool) {
        let text = '';
        for (let index = 0; index < keys.length; index++)
          text += `${(keys[index] as number) + shift}${tails[index] as string}\n`;
        yield { text, rows: keys.length };
      }
    }
  })();
}
