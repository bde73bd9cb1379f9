import { join } from 'node:path';
import { SqIndex } from '@annkit/sq';
import { describeGoldenFixtures } from '@annkit/testkit/node';
import { FIXTURES } from './fixtures/generate.js';

describeGoldenFixtures('SQ', join(import.meta.dirname, 'fixtures'), FIXTURES, (bytes) => SqIndex.deserialize(bytes));
