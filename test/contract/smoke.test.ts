import { expect, test } from 'vitest';
import { contract } from '../../src/contract/index.js';
test('contract loads', () => {
  expect(Object.keys(contract)).toEqual(['consultation', 'chat', 'mediasoup', 'enhanced']);
});
