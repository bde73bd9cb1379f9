import fc from 'fast-check';

// Fixed seed in CI so a red run can be replayed; random locally to explore more.
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261122 : Date.now() % 2 ** 31;
fc.configureGlobal({ seed });
if (!(globalThis as { __fcSeedPrinted?: boolean }).__fcSeedPrinted) {
  (globalThis as { __fcSeedPrinted?: boolean }).__fcSeedPrinted = true;
  console.log(`[fast-check] seed=${seed} (replay with FC_SEED=${seed})`);
}
