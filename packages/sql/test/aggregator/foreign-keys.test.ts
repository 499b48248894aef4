/**
 * Foreign keys are kept as metadata and not enforced (docs/sql-types.md, "Foreign keys"): the
 * statements migration tools send — inline REFERENCES and FOREIGN KEY in CREATE TABLE, knex's
 * and TypeORM's `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`, and the down migration's `DROP
 * FOREIGN KEY` — succeed, the tables work as tables without them, and SHOW CREATE TABLE and
 * information_schema show them. Expected texts, rows and errors are MariaDB 10.11's answers to
 * the same statements (SHOW CREATE TABLE's key and constraint lines; its ENGINE and SHARD KEY
 * lines are this server's own).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** SHOW CREATE TABLE's key and constraint lines. */
async function keyLines(db: Connection, table: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
  const text = String(rows[0]?.['Create Table']);
  return text.split('\n').filter((line) => /^ {2}(PRIMARY|UNIQUE|KEY|CONSTRAINT)/.test(line));
}

async function rows(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown[][];
}

async function refusal(db: Connection, sql: string): Promise<string> {
  try {
    await db.query(sql);
  } catch (error) {
    const { errno, message } = error as { errno: number; message: string };
    return `${errno} ${message}`;
  }
  return 'ok';
}

describe('foreign keys', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE fks');
    await db.query('USE fks');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('runs the statements of a migration and its rollback', async () => {
    await db.query('CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(100))');
    await db.query(
      'CREATE TABLE posts (id INT PRIMARY KEY AUTO_INCREMENT, user_id INT REFERENCES users (id), title VARCHAR(100), CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)',
    );
    await db.query('CREATE TABLE comments (id INT PRIMARY KEY, post_id INT, body TEXT)');
    // knex: table.foreign('post_id').references('posts.id')
    await db.query(
      'ALTER TABLE `comments` ADD CONSTRAINT `comments_post_id_foreign` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // TypeORM names its constraints FK_<hash>.
    await db.query(
      'ALTER TABLE comments ADD CONSTRAINT FK_1a2b FOREIGN KEY (post_id) REFERENCES posts(id), ADD INDEX idx_post (post_id)',
    );
    await db.query("INSERT INTO users (email) VALUES ('a@example.com')");
    await db.query("INSERT INTO posts (user_id, title) VALUES (1, 'hello')");
    await db.query("INSERT INTO comments VALUES (1, 1, 'first')");
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT u.email, p.title, c.body FROM users u JOIN posts p ON p.user_id = u.id JOIN comments c ON c.post_id = p.id',
    );
    assert.deepEqual(
      rows.map((row) => ({ ...row })),
      [{ email: 'a@example.com', title: 'hello', body: 'first' }],
    );
    await db.query('ALTER TABLE `comments` DROP FOREIGN KEY `comments_post_id_foreign`');
    await db.query('ALTER TABLE comments DROP FOREIGN KEY FK_1a2b, DROP INDEX idx_post');
    const [keys] = await db.query<RowDataPacket[]>('SHOW INDEX FROM comments');
    assert.deepEqual(
      keys.map((row) => row['Key_name'] as string),
      ['PRIMARY'],
    );
    await db.query('DROP TABLE comments, posts, users');
  });

  it('enforces nothing (a child without its parent is written)', async () => {
    await db.query('CREATE TABLE parent (id INT PRIMARY KEY)');
    await db.query(
      'CREATE TABLE child (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES parent (id))',
    );
    await db.query('INSERT INTO child VALUES (1, 99)');
    const [rows] = await db.query<RowDataPacket[]>('SELECT pid FROM child');
    assert.deepEqual(
      rows.map((row) => row['pid'] as number),
      [99],
    );
  });

  it('keeps them with MariaDB names, indexes and SHOW CREATE TABLE lines', async () => {
    await db.query('CREATE DATABASE fks_other');
    await db.query('CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(100))');
    // A column's REFERENCES is a foreign key in MariaDB 10.5+, numbered before the table's.
    await db.query(
      'CREATE TABLE posts (id INT PRIMARY KEY AUTO_INCREMENT, user_id INT REFERENCES users (id), title VARCHAR(100), CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)',
    );
    assert.deepEqual(await keyLines(db, 'posts'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `posts_user` (`user_id`),',
      '  CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),',
      '  CONSTRAINT `posts_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE',
    ]);
    await db.query(
      'CREATE TABLE p2 (id INT PRIMARY KEY, a INT, b INT, KEY kb (b, a), FOREIGN KEY (a) REFERENCES users (id), FOREIGN KEY idxb (b) REFERENCES users (id) ON UPDATE SET NULL)',
    );
    // The index name of FOREIGN KEY idxb names the constraint; kb serves it, so no index is made.
    assert.deepEqual(await keyLines(db, 'p2'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `kb` (`b`,`a`),',
      '  KEY `a` (`a`),',
      '  CONSTRAINT `idxb` FOREIGN KEY (`b`) REFERENCES `users` (`id`) ON UPDATE SET NULL,',
      '  CONSTRAINT `p2_ibfk_1` FOREIGN KEY (`a`) REFERENCES `users` (`id`)',
    ]);
    await db.query(
      'CREATE TABLE p3 (id INT PRIMARY KEY, a INT, b INT, CONSTRAINT c1 FOREIGN KEY idxa (b, a) REFERENCES p2 (b, a) ON DELETE RESTRICT ON UPDATE NO ACTION, FOREIGN KEY (b) REFERENCES users (id), FOREIGN KEY (a) REFERENCES users (id))',
    );
    assert.deepEqual(await keyLines(db, 'p3'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `c1` (`b`,`a`),',
      '  KEY `a` (`a`),',
      '  CONSTRAINT `c1` FOREIGN KEY (`b`, `a`) REFERENCES `p2` (`b`, `a`) ON UPDATE NO ACTION,',
      '  CONSTRAINT `p3_ibfk_1` FOREIGN KEY (`b`) REFERENCES `users` (`id`),',
      '  CONSTRAINT `p3_ibfk_2` FOREIGN KEY (`a`) REFERENCES `users` (`id`)',
    ]);
    assert.deepEqual(
      (await rows(db, 'SHOW INDEX FROM p3')).map((row) => [row[2], row[4]]),
      [
        ['PRIMARY', 'id'],
        ['c1', 'b'],
        ['c1', 'a'],
        ['a', 'a'],
      ],
    );
    await db.query(
      'CREATE TABLE fks_other.o (id INT PRIMARY KEY, u INT, CONSTRAINT o_u FOREIGN KEY (u) REFERENCES fks.users (id))',
    );
    assert.deepEqual(await keyLines(db, 'fks_other.o'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `o_u` (`u`),',
      '  CONSTRAINT `o_u` FOREIGN KEY (`u`) REFERENCES `fks`.`users` (`id`)',
    ]);
    assert.equal(
      await refusal(db, 'CREATE TABLE nop (id INT, FOREIGN KEY (nocol) REFERENCES users (id))'),
      "1072 Key column 'nocol' doesn't exist in table",
    );
    // CREATE TABLE … LIKE copies the keys, not the foreign keys.
    await db.query('CREATE TABLE p3_copy LIKE p3');
    assert.deepEqual(await keyLines(db, 'p3_copy'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `c1` (`b`,`a`),',
      '  KEY `a` (`a`)',
    ]);
  });

  it('lists them in information_schema', async () => {
    assert.deepEqual(
      await rows(
        db,
        "SELECT * FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_NAME IN ('posts', 'p3', 'o') ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
      ),
      [
        ['def', 'fks_other', 'o_u', 'def', 'fks_other', 'o', 'u', 1, 1, 'fks', 'users', 'id'],
        ['def', 'fks_other', 'PRIMARY', 'def', 'fks_other', 'o', 'id', 1, null, null, null, null],
        ['def', 'fks', 'c1', 'def', 'fks', 'p3', 'b', 1, 1, 'fks', 'p2', 'b'],
        ['def', 'fks', 'c1', 'def', 'fks', 'p3', 'a', 2, 2, 'fks', 'p2', 'a'],
        ['def', 'fks', 'p3_ibfk_1', 'def', 'fks', 'p3', 'b', 1, 1, 'fks', 'users', 'id'],
        ['def', 'fks', 'p3_ibfk_2', 'def', 'fks', 'p3', 'a', 1, 1, 'fks', 'users', 'id'],
        ['def', 'fks', 'PRIMARY', 'def', 'fks', 'p3', 'id', 1, null, null, null, null],
        [
          'def',
          'fks',
          'posts_ibfk_1',
          'def',
          'fks',
          'posts',
          'user_id',
          1,
          1,
          'fks',
          'users',
          'id',
        ],
        ['def', 'fks', 'posts_user', 'def', 'fks', 'posts', 'user_id', 1, 1, 'fks', 'users', 'id'],
        ['def', 'fks', 'PRIMARY', 'def', 'fks', 'posts', 'id', 1, null, null, null, null],
      ],
    );
    // UNIQUE_CONSTRAINT_NAME is the referenced table's key (kb: a plain one), NULL when the
    // referenced table does not exist.
    assert.deepEqual(
      await rows(
        db,
        "SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE TABLE_NAME IN ('posts', 'p2', 'p3', 'o') ORDER BY TABLE_NAME, CONSTRAINT_NAME",
      ),
      [
        [
          'def',
          'fks_other',
          'o_u',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'RESTRICT',
          'o',
          'users',
        ],
        [
          'def',
          'fks',
          'idxb',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'SET NULL',
          'RESTRICT',
          'p2',
          'users',
        ],
        [
          'def',
          'fks',
          'p2_ibfk_1',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'RESTRICT',
          'p2',
          'users',
        ],
        ['def', 'fks', 'c1', 'def', 'fks', 'kb', 'NONE', 'NO ACTION', 'RESTRICT', 'p3', 'p2'],
        [
          'def',
          'fks',
          'p3_ibfk_1',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'RESTRICT',
          'p3',
          'users',
        ],
        [
          'def',
          'fks',
          'p3_ibfk_2',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'RESTRICT',
          'p3',
          'users',
        ],
        [
          'def',
          'fks',
          'posts_ibfk_1',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'RESTRICT',
          'posts',
          'users',
        ],
        [
          'def',
          'fks',
          'posts_user',
          'def',
          'fks',
          'PRIMARY',
          'NONE',
          'RESTRICT',
          'CASCADE',
          'posts',
          'users',
        ],
      ],
    );
    assert.deepEqual(
      await rows(
        db,
        "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'fks' AND TABLE_NAME = 'p3' ORDER BY CONSTRAINT_NAME",
      ),
      [
        ['c1', 'FOREIGN KEY'],
        ['p3_ibfk_1', 'FOREIGN KEY'],
        ['p3_ibfk_2', 'FOREIGN KEY'],
        ['PRIMARY', 'PRIMARY KEY'],
      ],
    );
  });

  it('alters them as MariaDB does', async () => {
    await db.query('CREATE TABLE articles (id INT PRIMARY KEY, title VARCHAR(50))');
    await db.query('CREATE TABLE notes (id INT PRIMARY KEY, article_id INT, body TEXT)');
    await db.query(
      'ALTER TABLE notes ADD CONSTRAINT notes_article_foreign FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    assert.deepEqual(await keyLines(db, 'notes'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `notes_article_foreign` (`article_id`),',
      '  CONSTRAINT `notes_article_foreign` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION',
    ]);
    // A key starting with its columns replaces the index made for a foreign key.
    await db.query(
      'ALTER TABLE notes ADD CONSTRAINT FK_1a2b FOREIGN KEY (article_id) REFERENCES articles (id), ADD INDEX idx_article (article_id)',
    );
    await db.query('ALTER TABLE notes ADD FOREIGN KEY (article_id) REFERENCES users (id)');
    assert.deepEqual(await keyLines(db, 'notes'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `idx_article` (`article_id`),',
      '  CONSTRAINT `FK_1a2b` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`),',
      '  CONSTRAINT `notes_article_foreign` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,',
      '  CONSTRAINT `notes_ibfk_1` FOREIGN KEY (`article_id`) REFERENCES `users` (`id`)',
    ]);
    assert.equal(
      await refusal(db, 'ALTER TABLE notes DROP FOREIGN KEY nope'),
      "1091 Can't DROP FOREIGN KEY `nope`; check that it exists",
    );
    await db.query('ALTER TABLE notes DROP FOREIGN KEY notes_article_foreign');
    assert.equal(
      await refusal(db, 'ALTER TABLE notes DROP INDEX idx_article'),
      "1553 Cannot drop index 'idx_article': needed in a foreign key constraint",
    );
    assert.equal(
      await refusal(db, 'ALTER TABLE notes DROP COLUMN article_id'),
      "1553 Cannot drop index 'idx_article': needed in a foreign key constraint",
    );
    assert.equal(
      await refusal(db, 'ALTER TABLE articles DROP COLUMN id'),
      "1829 Cannot drop column 'id': needed in a foreign key constraint 'FK_1a2b' of table `fks`.`notes`",
    );
    assert.equal(
      await refusal(db, 'DROP TABLE articles'),
      '1451 Cannot delete or update a parent row: a foreign key constraint fails',
    );
    // Renames: the foreign keys follow the column and the referenced table.
    await db.query('ALTER TABLE notes CHANGE article_id art INT');
    await db.query('RENAME TABLE articles TO stories');
    assert.deepEqual(await keyLines(db, 'notes'), [
      '  PRIMARY KEY (`id`),',
      '  KEY `idx_article` (`art`),',
      '  CONSTRAINT `FK_1a2b` FOREIGN KEY (`art`) REFERENCES `stories` (`id`),',
      '  CONSTRAINT `notes_ibfk_1` FOREIGN KEY (`art`) REFERENCES `users` (`id`)',
    ]);
    // fks_other.o refers to fks.users.
    assert.equal(
      await refusal(db, 'DROP DATABASE fks'),
      '1451 Cannot delete or update a parent row: a foreign key constraint fails',
    );
    // With foreign_key_checks off (as in a dump), a referenced table may be dropped.
    await db.query('SET foreign_key_checks = 0');
    await db.query('DROP TABLE stories');
    await db.query('SET foreign_key_checks = 1');
    assert.deepEqual(
      await rows(
        db,
        "SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE TABLE_NAME = 'notes' ORDER BY CONSTRAINT_NAME",
      ),
      [
        ['FK_1a2b', null, 'stories'],
        ['notes_ibfk_1', 'PRIMARY', 'users'],
      ],
    );
  });

  it('keeps them across an aggregator restart', async () => {
    await cluster.restartAggregator();
    await db.end();
    db = await cluster.connect();
    await db.query('USE fks');
    assert.deepEqual((await keyLines(db, 'p3')).slice(3), [
      '  CONSTRAINT `c1` FOREIGN KEY (`b`, `a`) REFERENCES `p2` (`b`, `a`) ON UPDATE NO ACTION,',
      '  CONSTRAINT `p3_ibfk_1` FOREIGN KEY (`b`) REFERENCES `users` (`id`),',
      '  CONSTRAINT `p3_ibfk_2` FOREIGN KEY (`a`) REFERENCES `users` (`id`)',
    ]);
  });

  const tools = ['/usr/bin/mariadb-dump', '/usr/bin/mariadb'];
  const skip = tools.every((tool) => existsSync(tool)) ? false : 'mariadb-dump is not installed';
  it('restores a mariadb-dump of them', { skip }, async () => {
    const target = ['--no-defaults', '-h', '127.0.0.1', '-P', String(cluster.port), '-u', 'root'];
    const run = (tool: string, args: readonly string[], input = ''): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = execFile(tool, [...target, ...args], (error, stdout, stderr) =>
          error === null ? resolve(stdout) : reject(new Error(stderr)),
        );
        child.stdin?.end(input);
      });
    // The dump creates p3 before p2 and users, with FOREIGN_KEY_CHECKS=0, as for MariaDB.
    const dump = await run('/usr/bin/mariadb-dump', ['fks', 'users', 'posts', 'p2', 'p3']);
    assert.match(dump, /CONSTRAINT `c1` FOREIGN KEY \(`b`, `a`\) REFERENCES `p2` \(`b`, `a`\)/);
    await db.query('CREATE DATABASE fks_copy');
    await run('/usr/bin/mariadb', ['fks_copy'], dump);
    for (const table of ['users', 'posts', 'p2', 'p3'])
      assert.deepEqual(await keyLines(db, `fks_copy.${table}`), await keyLines(db, `fks.${table}`));
    // Restored over the tables it names: DROP TABLE IF EXISTS with the checks off.
    await run('/usr/bin/mariadb', ['fks_copy'], dump);
  });
});
