import { join } from 'node:path';
import { IvfIndex } from '@annkit/ivf';
import { describeGoldenFixtures } from '@annkit/testkit/node';
import { FIXTURES } from './fixtures/generate.js';

describeGoldenFixtures('IVF', join(import.meta.dirname, 'fixtures'), FIXTURES, (bytes) => IvfIndex.deserialize(bytes));
