// Node-only helpers (they read and write files): kept off the package's main entry so browser tests can import it.
export { describeGoldenFixtures } from './fixtures.js';
export type { GoldenFixture } from './fixtures.js';
