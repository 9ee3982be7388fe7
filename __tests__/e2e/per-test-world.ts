// One simulated world per test, stopped after it: `const start = worldPerTest();` then `await start()`.
import { startWorld, type World, type WorldOptions } from '../../sim/world.js';

export function worldPerTest(): (options?: WorldOptions) => Promise<World> {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });
  return async (options = {}) => {
    world = await startWorld(options);
    return world;
  };
}
