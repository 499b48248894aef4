// Row generators for the eight TPC-H tables (v3.0.1 clause 4.2.3). Each writes pipe-delimited
// lines to a TableWriter. Large tables draw from a fresh random stream every `blockRows` rows so
// the output is the same whatever order or process generates the tables.
import {
  colors,
  containerSyllables,
  instructions,
  nations,
  priorities,
  regions,
  segments,
  shipModes,
  typeSyllables,
} from './distributions.js';
import { Random } from './random.js';
import { comment } from './text.js';
import { money, padded9, type TableWriter } from './writer.js';

const blockRows = 10_000;

export interface Scale {
  readonly part: number;
  readonly supplier: number;
  readonly customer: number;
  readonly orders: number;
  readonly clerks: number;
}

/** Table sizes for a scale factor (clause 4.2.5): SF 1 has 200,000 parts, 1,500,000 orders... */
export function scaleOf(sf: number): Scale {
  const rows = (base: number): number => Math.max(1, Math.floor(sf * base));
  return {
    part: rows(200_000),
    supplier: rows(10_000),
    customer: rows(150_000),
    orders: rows(1_500_000),
    clerks: rows(1_000),
  };
}

// Dates are day numbers from 1992-01-01 (STARTDATE); ENDDATE is 1998-12-31 and CURRENTDATE
// 1995-06-17 (clause 4.2.2.12).
const startMs = Date.UTC(1992, 0, 1);
const dayMs = 86_400_000;
const endDay = (Date.UTC(1998, 11, 31) - startMs) / dayMs;
const currentDay = (Date.UTC(1995, 5, 17) - startMs) / dayMs;
const dateText: readonly string[] = Array.from({ length: endDay + 200 }, (_, day) =>
  new Date(startMs + day * dayMs).toISOString().slice(0, 10),
);
function date(day: number): string {
  return dateText[day] as string;
}

function streamFor(table: string, index: number, current: Random | undefined): Random {
  return current === undefined || index % blockRows === 0
    ? new Random(`${table}/${Math.floor(index / blockRows)}`)
    : current;
}

/** Clause 4.2.2.9: country code (nation key + 10), then 3, 3 and 4 random digits. */
function phone(random: Random, nationKey: number): string {
  return `${nationKey + 10}-${random.int(100, 999)}-${random.int(100, 999)}-${random.int(1000, 9999)}`;
}

const addressAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789, ';

/** A v-string (clause 4.2.2.7): random length in [min, max] over a 64-character alphabet. */
function variableString(random: Random, min: number, max: number): string {
  const length = random.int(min, max);
  let text = '';
  for (let index = 0; index < length; index += 1) text += addressAlphabet[random.next() & 63];
  return text;
}

/** P_RETAILPRICE in cents (clause 4.2.3). */
export function retailCents(partKey: number): number {
  return 90_000 + (Math.floor(partKey / 10) % 20_001) + 100 * (partKey % 1000);
}

/** The i-th (0..3) supplier of a part (clause 4.2.3, PS_SUPPKEY). */
export function supplierOfPart(partKey: number, i: number, suppliers: number): number {
  return (
    ((partKey + i * (Math.floor(suppliers / 4) + Math.floor((partKey - 1) / suppliers))) %
      suppliers) +
    1
  );
}

export function writeRegion(out: TableWriter, pool: string): void {
  const random = new Random('region');
  regions.forEach((name, key) => out.line(`${key}|${name}|${comment(random, pool, 31, 115)}`));
}

export function writeNation(out: TableWriter, pool: string): void {
  const random = new Random('nation');
  for (const [key, name, region] of nations)
    out.line(`${key}|${name}|${region}|${comment(random, pool, 31, 114)}`);
}

export function writePart(out: TableWriter, pool: string, scale: Scale): void {
  let random: Random | undefined;
  for (let index = 0; index < scale.part; index += 1) {
    random = streamFor('part', index, random);
    const key = index + 1;
    const words: string[] = [];
    while (words.length < 5) {
      const word = random.pick(colors);
      if (!words.includes(word)) words.push(word);
    }
    const manufacturer = random.int(1, 5);
    const brand = `Brand#${manufacturer}${random.int(1, 5)}`;
    const type = typeSyllables.map((list) => random!.pick(list)).join(' ');
    const size = random.int(1, 50);
    const container = containerSyllables.map((list) => random!.pick(list)).join(' ');
    out.line(
      `${key}|${words.join(' ')}|Manufacturer#${manufacturer}|${brand}|${type}|${size}|` +
        `${container}|${money(retailCents(key))}|${comment(random, pool, 5, 22)}`,
    );
  }
}

export function writePartSupp(out: TableWriter, pool: string, scale: Scale): void {
  let random: Random | undefined;
  for (let index = 0; index < scale.part; index += 1) {
    random = streamFor('partsupp', index, random);
    const partKey = index + 1;
    for (let i = 0; i < 4; i += 1) {
      const supplier = supplierOfPart(partKey, i, scale.supplier);
      out.line(
        `${partKey}|${supplier}|${random.int(1, 9999)}|${money(random.int(100, 100_000))}|` +
          comment(random, pool, 49, 198),
      );
    }
  }
}

/**
 * Suppliers whose comment holds "Customer%Complaints" or "Customer%Recommends": SF × 5 of each,
 * chosen at random (clause 4.2.3, S_COMMENT).
 */
function supplierRemarks(scale: Scale): Map<number, string> {
  const random = new Random('supplier-remarks');
  const each = Math.min(Math.round(scale.supplier / 2000), Math.floor(scale.supplier / 2));
  const remarks = new Map<number, string>();
  for (const word of ['Complaints', 'Recommends']) {
    let placed = 0;
    while (placed < each) {
      const key = random.int(1, scale.supplier);
      if (remarks.has(key)) continue;
      remarks.set(key, word);
      placed += 1;
    }
  }
  return remarks;
}

export function writeSupplier(out: TableWriter, pool: string, scale: Scale): void {
  const remarks = supplierRemarks(scale);
  let random: Random | undefined;
  for (let index = 0; index < scale.supplier; index += 1) {
    random = streamFor('supplier', index, random);
    const key = index + 1;
    const nation = random.int(0, 24);
    let text = comment(random, pool, 25, 100);
    const remark = remarks.get(key);
    if (remark !== undefined) {
      // "Customer", some text, then the remark, overwriting the comment at a random position.
      const gap = random.int(0, text.length - 8 - remark.length);
      const phrase = `Customer${comment(random, pool, gap, gap)}${remark}`;
      const at = random.int(0, text.length - phrase.length);
      text = text.slice(0, at) + phrase + text.slice(at + phrase.length);
    }
    out.line(
      `${key}|Supplier#${padded9(key)}|${variableString(random, 10, 40)}|${nation}|` +
        `${phone(random, nation)}|${money(random.int(-99_999, 999_999))}|${text}`,
    );
  }
}

export function writeCustomer(out: TableWriter, pool: string, scale: Scale): void {
  let random: Random | undefined;
  for (let index = 0; index < scale.customer; index += 1) {
    random = streamFor('customer', index, random);
    const key = index + 1;
    const nation = random.int(0, 24);
    out.line(
      `${key}|Customer#${padded9(key)}|${variableString(random, 10, 40)}|${nation}|` +
        `${phone(random, nation)}|${money(random.int(-99_999, 999_999))}|` +
        `${random.pick(segments)}|${comment(random, pool, 29, 116)}`,
    );
  }
}

/** Order keys are sparse: the first 8 of every 32 (clause 4.2.3, O_ORDERKEY). */
export function orderKeyOf(index: number): number {
  return Math.floor(index / 8) * 32 + (index % 8) + 1;
}

const lineDiscounts = Array.from(
  { length: 11 },
  (_, value) => `0.${value < 10 ? '0' : ''}${value}`,
);

/** Orders [from, to) by index; `from` is a multiple of blockRows so random streams line up. */
export interface OrderRange {
  readonly from: number;
  readonly to: number;
}

/** Splits the orders into about `pieces` ranges on block boundaries. */
export function orderRanges(scale: Scale, pieces: number): OrderRange[] {
  const blocks = Math.ceil(scale.orders / blockRows);
  const blocksPerPiece = Math.max(1, Math.ceil(blocks / pieces));
  const ranges: OrderRange[] = [];
  for (let block = 0; block < blocks; block += blocksPerPiece)
    ranges.push({
      from: block * blockRows,
      to: Math.min(scale.orders, (block + blocksPerPiece) * blockRows),
    });
  return ranges;
}

/** ORDERS and LINEITEM together: an order's status and total price derive from its lines. */
export function writeOrdersAndLines(
  orders: TableWriter,
  lines: TableWriter,
  pool: string,
  scale: Scale,
  range: OrderRange = { from: 0, to: scale.orders },
): void {
  if (range.from % blockRows !== 0) throw new Error('an order range must start on a block');
  let random: Random | undefined;
  const lastOrderDay = endDay - 151;
  for (let index = range.from; index < range.to; index += 1) {
    random = streamFor('orders', index, random);
    const orderKey = orderKeyOf(index);
    // Only two customers in three place orders: keys divisible by 3 never appear.
    let customer = random.int(1, scale.customer);
    while (customer % 3 === 0 && scale.customer > 2) customer = random.int(1, scale.customer);
    const orderDay = random.int(0, lastOrderDay);
    const lineCount = random.int(1, 7);
    let totalCents = 0;
    let shipped = 0;
    for (let number = 1; number <= lineCount; number += 1) {
      const part = random.int(1, scale.part);
      const supplier = supplierOfPart(part, random.int(0, 3), scale.supplier);
      const quantity = random.int(1, 50);
      const extendedCents = quantity * retailCents(part);
      const discount = random.int(0, 10);
      const tax = random.int(0, 8);
      const shipDay = orderDay + random.int(1, 121);
      const commitDay = orderDay + random.int(30, 90);
      const receiptDay = shipDay + random.int(1, 30);
      const returnFlag = receiptDay <= currentDay ? (random.int(0, 1) === 0 ? 'R' : 'A') : 'N';
      const lineStatus = shipDay > currentDay ? 'O' : 'F';
      if (lineStatus === 'F') shipped += 1;
      totalCents += Math.round((extendedCents * (100 - discount) * (100 + tax)) / 10_000);
      lines.line(
        `${orderKey}|${part}|${supplier}|${number}|${quantity}|${money(extendedCents)}|` +
          `${lineDiscounts[discount]}|${lineDiscounts[tax]}|${returnFlag}|${lineStatus}|` +
          `${date(shipDay)}|${date(commitDay)}|${date(receiptDay)}|${random.pick(instructions)}|` +
          `${random.pick(shipModes)}|${comment(random, pool, 10, 43)}`,
      );
    }
    const status = shipped === lineCount ? 'F' : shipped === 0 ? 'O' : 'P';
    orders.line(
      `${orderKey}|${customer}|${status}|${money(totalCents)}|${date(orderDay)}|` +
        `${random.pick(priorities)}|Clerk#${padded9(random.int(1, scale.clerks))}|0|` +
        comment(random, pool, 19, 78),
    );
  }
}
