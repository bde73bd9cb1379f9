import { join } from 'node:path';
import { PqIndex } from '@annkit/pq';
import { describeGoldenFixtures } from '@annkit/testkit/node';
import { FIXTURES } from './fixtures/generate.js';

describeGoldenFixtures('PQ', join(import.meta.dirname, 'fixtures'), FIXTURES, (bytes) => PqIndex.deserialize(bytes));
