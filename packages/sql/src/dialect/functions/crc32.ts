/**
 * CRC32() for DuckDB, which has no such function: the table-driven CRC-32 of ISO-HDLC (the
 * reflected polynomial 0xEDB88320, as zlib and MySQL compute it) over the UTF-8 bytes of the text.
 */

function crcTable(): readonly number[] {
  const table: number[] = [];
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = (c & 1) === 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table.push(c >>> 0);
  }
  return table;
}

const table = `CAST([${crcTable().join(', ')}] AS BIGINT[])`;

/** The DuckDB SQL of CRC32(text), an unsigned 32-bit value; NULL stays NULL. */
export function duckdbCrc32(text: string): string {
  // hex() spells the UTF-8 bytes; each pair of digits is one byte.
  const hex = `hex(${text})`;
  const bytes = `list_transform(range(0, length(${hex}) // 2), i -> CAST('0x' || substr(${hex}, i * 2 + 1, 2) AS BIGINT))`;
  const step = `(crc, byte) -> xor(${table}[(xor(crc, byte) & 255) + 1], crc >> 8)`;
  return `xor(list_reduce(${bytes}, ${step}, CAST(4294967295 AS BIGINT)), 4294967295)`;
}
