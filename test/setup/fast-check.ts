import fc from "fast-check";

/**
 * Property tests run on a fixed seed by default, so a CI run is reproducible and a red run is the code's fault,
 * not the dice's. `npm run test:properties` (FC_SEED=random) explores new cases; a failure there prints the seed
 * and path to replay with FC_SEED=<seed>.
 */
const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed === undefined ? 20261206 : Number(seed) });
