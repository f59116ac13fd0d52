import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** MariaDB of the machine (root, empty password) unless TEST_DATABASE_URL says otherwise. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): URL {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = '/';
  return url;
}

/** A fresh, empty database of its own for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `kz_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const connection = await mysql.createConnection(serverUrl().toString());
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  const url = serverUrl();
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection(serverUrl().toString());
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
