// Comment text (TPC-H v3.0.1 clause 4.2.2.10): a text pool is produced once from the specification's
// grammar, and every comment column takes a substring of random length and random offset from it.
// The specification's pool is 300 MB; a 16 MiB pool keeps generation fast while still giving
// distinct comments, and every word of the grammar appears with its specified weight.
import {
  adjectives,
  adverbs,
  auxiliaries,
  nouns,
  prepositions,
  terminators,
  verbs,
} from './distributions.js';
import { Random } from './random.js';

export const textPoolChars = 16 * 1024 * 1024;

function nounPhrase(random: Random): string {
  // noun phrase: N (10) | J N (20) | J, J N (10) | D J N (50)
  const choice = random.int(1, 90);
  if (choice <= 10) return random.pick(nouns);
  if (choice <= 30) return `${random.pick(adjectives)} ${random.pick(nouns)}`;
  if (choice <= 40)
    return `${random.pick(adjectives)}, ${random.pick(adjectives)} ${random.pick(nouns)}`;
  return `${random.pick(adverbs)} ${random.pick(adjectives)} ${random.pick(nouns)}`;
}

function verbPhrase(random: Random): string {
  // verb phrase: V (30) | X V (1) | V D (40) | X V D (1)
  const choice = random.int(1, 72);
  if (choice <= 30) return random.pick(verbs);
  if (choice <= 31) return `${random.pick(auxiliaries)} ${random.pick(verbs)}`;
  if (choice <= 71) return `${random.pick(verbs)} ${random.pick(adverbs)}`;
  return `${random.pick(auxiliaries)} ${random.pick(verbs)} ${random.pick(adverbs)}`;
}

function prepositionalPhrase(random: Random): string {
  return `${random.pick(prepositions)} the ${nounPhrase(random)}`;
}

function sentence(random: Random): string {
  // sentence: N V T (3) | N V P T (3) | N V N T (3) | N P V N T (1) | N P V P T (1)
  const choice = random.int(1, 11);
  const terminator = random.pick(terminators);
  if (choice <= 3) return `${nounPhrase(random)} ${verbPhrase(random)}${terminator}`;
  if (choice <= 6)
    return `${nounPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${terminator}`;
  if (choice <= 9)
    return `${nounPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${terminator}`;
  if (choice <= 10)
    return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${terminator}`;
  return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${terminator}`;
}

/** The text pool: sentences separated by single spaces, exactly `chars` characters long. */
export function buildTextPool(chars: number = textPoolChars): string {
  const random = new Random('text-pool');
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const next = sentence(random);
    parts.push(next);
    length += next.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

/** A comment of random length in [min, max] taken from a random offset of the pool. */
export function comment(random: Random, pool: string, min: number, max: number): string {
  const length = random.int(min, max);
  const offset = random.int(0, pool.length - length);
  return pool.slice(offset, offset + length);
}
