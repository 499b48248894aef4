/**
 * Foreign keys are accepted, not kept and not enforced (docs/sql-types.md, "Foreign keys"): the
 * statements migration tools send — inline REFERENCES and FOREIGN KEY in CREATE TABLE, knex's
 * and TypeORM's `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`, and the down migration's `DROP
 * FOREIGN KEY` — succeed, and the tables work as tables without them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

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
});
