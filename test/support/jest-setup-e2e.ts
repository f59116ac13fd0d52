import 'reflect-metadata';

jest.setTimeout(180_000);
